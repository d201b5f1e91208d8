import { Role } from '../../src/policy/viewer';
import { Fixture, Ref } from '../factories/fixture';
import { useTestHub } from '../setup/hub';

/**
 * Every role through every query and mutation: own school and another school, own child and another
 * child, before and after a grant ends, a child who left school. Each cell of the table is one
 * request; anything not listed as allowed must be refused, leaking nothing.
 */
type Actor =
  | 'anonymous' | 'parent' | 'parentGrantEnded' | 'parentOfLeaver' | 'student' | 'otherStudent'
  | 'teacher' | 'otherTeacher' | 'teacherOtherSchool' | 'admin' | 'adminOtherSchool' | 'it'
  | 'directorate' | 'directorateGranted';

const ACTORS: Actor[] = [
  'anonymous', 'parent', 'parentGrantEnded', 'parentOfLeaver', 'student', 'otherStudent', 'teacher', 'otherTeacher',
  'teacherOtherSchool', 'admin', 'adminOtherSchool', 'it', 'directorate', 'directorateGranted',
];
const EVERYONE_SIGNED_IN = ACTORS.filter((a) => a !== 'anonymous');

interface Operation {
  name: string;
  query: string;
  /** Fresh variables for one request (a mutation gets its own target each time). */
  variables: () => Promise<Record<string, unknown>>;
  allowed: Actor[];
}

describe('authorization: every role × every operation', () => {
  const hub = useTestHub();
  const id = Fixture.apiId;
  const tokens = {} as Record<Actor, string | undefined>;
  let f: Fixture;
  let schoolA: string;
  let child: Ref, otherChild: Ref, leaver: Ref, term: Ref, course: Ref, lesson: Ref, teacher: Ref, classA: Ref;
  let targetAccount: string;
  let directorateAccount: string;
  let guardianOfChild: Ref;

  beforeAll(async () => {
    f = new Fixture(hub.dataSource);
    schoolA = await f.school();
    const schoolB = await f.school();
    const year = await f.year(schoolA);
    term = await f.term(year, 'quarter', 2, '2026-11-05', '2026-12-28');
    teacher = await f.staff(schoolA, ['teacher']);
    const otherTeacher = await f.staff(schoolA, ['teacher']);
    classA = await f.classGroup(year, 5, 'А');
    const classB = await f.classGroup(year, 6, 'А');
    course = await f.course(classA, 'russian', [teacher]);
    await f.course(classB, 'russian', [otherTeacher]);
    child = await f.student(schoolA);
    otherChild = await f.student(schoolA);
    leaver = await f.student(schoolA);
    await f.enroll(child, classA, '2026-09-01');
    await f.enroll(otherChild, classA, '2026-09-01');
    await f.enroll(leaver, classA, '2026-09-01', '2026-10-01');
    lesson = await f.lesson(course, '2026-11-10', 1, teacher);
    guardianOfChild = await f.guardian(child);

    const account = async (roles: { role: Role; person: Ref }[], o?: { directorate?: boolean }) => f.account(roles, o);
    const parent = await account([{ role: Role.PARENT, person: guardianOfChild }]);
    await f.grant(child, parent.id);
    tokens.parent = parent.token;
    const ended = await account([{ role: Role.PARENT, person: await f.guardian(child, 'father') }]);
    const grant = await f.grant(child, ended.id);
    await hub.dataSource.query(`UPDATE access_grant SET ends_at = now(), ended_reason = 'consent withdrawn' WHERE id = $1`, [grant.id]);
    tokens.parentGrantEnded = ended.token;
    const leaverParent = await account([{ role: Role.PARENT, person: await f.guardian(leaver) }]);
    await f.grant(leaver, leaverParent.id);
    tokens.parentOfLeaver = leaverParent.token;
    tokens.student = (await account([{ role: Role.STUDENT, person: child }])).token;
    tokens.otherStudent = (await account([{ role: Role.STUDENT, person: otherChild }])).token;
    tokens.teacher = (await account([{ role: Role.TEACHER, person: teacher }])).token;
    tokens.otherTeacher = (await account([{ role: Role.TEACHER, person: otherTeacher }])).token;
    tokens.teacherOtherSchool = (await account([{ role: Role.TEACHER, person: await f.staff(schoolB) }])).token;
    tokens.admin = (await account([{ role: Role.SCHOOL_ADMIN, person: await f.staff(schoolA, ['director']) }])).token;
    tokens.adminOtherSchool = (await account([{ role: Role.SCHOOL_ADMIN, person: await f.staff(schoolB, ['deputy_director']) }])).token;
    tokens.it = (await account([{ role: Role.SCHOOL_IT, person: await f.staff(schoolA, ['it']) }])).token;
    const directorate = await account([], { directorate: true });
    directorateAccount = directorate.id;
    tokens.directorate = directorate.token;
    const granted = await account([], { directorate: true });
    await f.grant(child, granted.id, 'directorate');
    tokens.directorateGranted = granted.token;
    targetAccount = (await account([{ role: Role.TEACHER, person: await f.staff(schoolA) }])).id;
  });

  const freshMark = async () => ({ id: id(await f.mark(lesson, child, '4')) });

  /** A new application of the child, entered by the school (as paper) and taken to `stage`. */
  let applicants = 0;
  const freshApplication = async (stage: 'submitted' | 'registered'): Promise<string> => {
    const [c] = await hub.dataSource.query('SELECT last_name, first_name FROM student WHERE id = $1', [child.id]);
    const submitted = await hub.gql('mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { id } }', { i: {
      schoolId: schoolA, source: 'PAPER', applicant: { lastName: `Заявителева${++applicants}`, firstName: 'Анна' }, address: { city: 'Когалым', street: 'Мира', house: '1' },
      child: { lastName: c.last_name, firstName: c.first_name }, childClass: '5А', relation: 'DAUGHTER', consent: true, delivery: 'PHONE', deliveryPhone: '+79120000000',
    } }, tokens.admin);
    const id = submitted.data.submitApplication.id;
    if (stage === 'registered') await hub.gql('mutation($id: ID!) { registerApplication(id: $id) { status } }', { id }, tokens.admin);
    return id;
  };

  /** The campaign of the rollout rows, made once by the directorate. */
  let campaignId: string | undefined;
  const campaign = async () => {
    campaignId ??= (await hub.gql('mutation { createRolloutCampaign(name: "Матрица", year: 2026) { id } }', {}, tokens.directorate)).data.createRolloutCampaign.id;
    return campaignId!;
  };
  const reportingDate = async () =>
    (await hub.dataSource.query(`SELECT id FROM reporting_date WHERE campaign_id = $1 ORDER BY date LIMIT 1`, [await campaign()]))[0].id as string;
  /** A report of school A on a new reporting date, taken to `status`. */
  let reportDates = 0;
  const freshReport = async (status: 'draft' | 'submitted'): Promise<string> => {
    const date = new Date(Date.UTC(2030, 0, 1) + ++reportDates * 86_400_000).toISOString().slice(0, 10);
    const existing = (await hub.dataSource.query('SELECT date FROM reporting_date WHERE campaign_id = $1', [await campaign()])).map((r: { date: string }) => r.date);
    const dateId = (await hub.gql('mutation($c: ID!, $d: [LocalDate!]!) { setReportingDates(campaignId: $c, dates: $d) { id date } }',
      { c: await campaign(), d: [...existing, date] }, tokens.directorate)).data.setReportingDates.find((d: { date: string }) => d.date === date).id;
    const id = (await hub.gql('mutation($s: ID!, $d: ID!) { prepareRolloutReport(schoolId: $s, reportingDateId: $d) { id } }', { s: schoolA, d: dateId }, tokens.admin)).data.prepareRolloutReport.id;
    if (status === 'submitted') await hub.gql('mutation($id: ID!) { submitRolloutReport(id: $id) { status } }', { id }, tokens.admin);
    return id;
  };
  const DIRECTORATE: Actor[] = ['directorate', 'directorateGranted'];

  const operations = (): Operation[] => [
    { name: 'schools', query: '{ schools(first: 5) { edges { node { shortName } } } }', variables: async () => ({}), allowed: EVERYONE_SIGNED_IN },
    { name: 'school roster: students', query: 'query($s: ID!) { students(schoolId: $s) { edges { node { lastName } } } }', variables: async () => ({ s: schoolA }), allowed: ['teacher', 'otherTeacher', 'admin', 'it'] },
    { name: 'school roster: staff', query: 'query($s: ID!) { staff(schoolId: $s) { edges { node { lastName } } } }', variables: async () => ({ s: schoolA }), allowed: ['teacher', 'otherTeacher', 'admin', 'it'] },
    { name: 'class roster', query: 'query($c: ID!) { classGroup(id: $c) { students(on: "2026-11-10") { lastName } } }', variables: async () => ({ c: id(classA) }), allowed: ['teacher', 'otherTeacher', 'admin', 'it'] },
    { name: 'student profile', query: 'query($id: ID!) { student(id: $id) { lastName } }', variables: async () => ({ id: id(child) }), allowed: ['parent', 'student', 'teacher', 'otherTeacher', 'admin', 'it', 'directorateGranted'] },
    { name: 'diary of the child', query: 'query($id: ID!) { diary(studentId: $id, from: "2026-11-09", to: "2026-11-15") { days { date } } }', variables: async () => ({ id: id(child) }), allowed: ['parent', 'student', 'teacher', 'admin', 'directorateGranted'] },
    { name: 'diary of a child who left school', query: 'query($id: ID!) { diary(studentId: $id, from: "2026-09-01", to: "2026-09-07") { days { date } } }', variables: async () => ({ id: id(leaver) }), allowed: ['admin', 'teacher'] },
    { name: 'journal', query: 'query($c: ID!, $t: ID!) { journal(courseId: $c, termId: $t) { rows { average } } }', variables: async () => ({ c: id(course), t: id(term) }), allowed: ['teacher', 'admin'] },
    { name: 'mark history', query: 'query($id: ID!) { markHistory(markId: $id) { totalCount } }', variables: async () => {
      const { id: markId } = await freshMark();
      await hub.dataSource.query(`INSERT INTO mark_history (school_id, mark_type, mark_id, student_id, action, after, changed_via) VALUES ($1, 'mark', $2, $3, 'created', $4, 'journal')`,
        [schoolA, markId.split(':')[1], child.id, { lessonId: lesson.id, value: '4' }]);
      return { id: markId };
    }, allowed: ['teacher', 'admin'] },
    { name: 'audit trail', query: 'query($s: ID!) { auditEvents(schoolId: $s) { totalCount } }', variables: async () => ({ s: schoolA }), allowed: ['admin', 'directorate', 'directorateGranted'] },
    { name: 'account events of an account of the school', query: 'query($a: ID) { accountEvents(accountId: $a) { totalCount } }', variables: async () => ({ a: targetAccount }), allowed: ['admin', 'directorate', 'directorateGranted'] },
    { name: 'account events of everyone', query: '{ accountEvents { totalCount } }', variables: async () => ({}), allowed: ['directorate', 'directorateGranted'] },
    { name: 'credential counts', query: 'query($s: ID!) { credentialStats(schoolId: $s) { issued } }', variables: async () => ({ s: schoolA }), allowed: ['admin', 'directorate', 'directorateGranted'] },
    { name: 'addMark', query: 'mutation($i: AddMarkInput!) { addMark(input: $i) { id } }', variables: async () => ({ i: { lessonId: id(lesson), studentId: id(child), value: '5' } }), allowed: ['teacher'] },
    { name: 'changeMark', query: 'mutation($i: ChangeMarkInput!) { changeMark(input: $i) { id } }', variables: async () => ({ i: { markId: (await freshMark()).id, value: '3' } }), allowed: ['teacher'] },
    { name: 'removeMark', query: 'mutation($id: ID!) { removeMark(markId: $id) { id } }', variables: async () => freshMark(), allowed: ['teacher'] },
    { name: 'setAttendance', query: 'mutation($i: SetAttendanceInput!) { setAttendance(input: $i) { status } }', variables: async () => ({ i: { lessonId: id(lesson), studentId: id(child), status: 'LATE' } }), allowed: ['teacher'] },
    { name: 'updateLesson', query: 'mutation($i: UpdateLessonInput!) { updateLesson(input: $i) { topic } }', variables: async () => ({ i: { lessonId: id(lesson), topic: 'Имя существительное' } }), allowed: ['teacher'] },
    { name: 'setFinalMark', query: 'mutation($i: SetFinalMarkInput!) { setFinalMark(input: $i) { value } }', variables: async () => ({ i: { courseId: id(course), studentId: id(child), termId: id(term), value: '5' } }), allowed: ['teacher'] },
    { name: 'issueCredentials', query: 'mutation($i: IssueCredentialsInput!) { issueCredentials(input: $i) { account { login } } }', variables: async () => ({ i: { schoolId: schoolA, role: 'STUDENT', personId: (await f.student(schoolA)).id } }), allowed: ['admin'] },
    { name: 'grantAccess', query: 'mutation($i: GrantAccessInput!) { grantAccess(input: $i) { kind } }', variables: async () => {
      await hub.dataSource.query(`UPDATE access_grant SET ends_at = now(), ended_reason = 'test' WHERE account_id = $1 AND ends_at IS NULL AND kind = 'directorate'`, [directorateAccount]);
      return { i: { studentId: id(child), accountId: directorateAccount, kind: 'DIRECTORATE' } };
    }, allowed: ['admin'] },
    { name: 'endAccessGrant', query: 'mutation($g: ID!) { endAccessGrant(grantId: $g, reason: "consent withdrawn") { endsAt } }', variables: async () => {
      const other = await f.account([{ role: Role.PARENT, person: await f.guardian(otherChild) }]);
      return { g: id(await f.grant(otherChild, other.id)) };
    }, allowed: ['admin'] },
    { name: 'applications', query: 'query($s: ID!) { applications(schoolId: $s) { totalCount } }', variables: async () => ({ s: schoolA }), allowed: ['admin'] },
    { name: 'application', query: 'query($id: ID!) { application(id: $id) { status } }', variables: async () => ({ id: await freshApplication('submitted') }), allowed: ['admin'] },
    { name: 'applicationCounts', query: 'query($s: ID!) { applicationCounts(schoolId: $s) { count } }', variables: async () => ({ s: schoolA }), allowed: ['admin', 'directorate', 'directorateGranted'] },
    { name: 'applicationShares', query: 'query($s: ID!) { applicationShares(schoolId: $s) { share } }', variables: async () => ({ s: schoolA }), allowed: ['admin', 'directorate', 'directorateGranted'] },
    { name: 'applicationSharesBySchool', query: '{ applicationSharesBySchool { share } }', variables: async () => ({}), allowed: ['directorate', 'directorateGranted'] },
    { name: 'outbox', query: 'query($s: ID!) { outbox(schoolId: $s) { totalCount } }', variables: async () => ({ s: schoolA }), allowed: ['admin'] },
    { name: 'submitApplication from a client app', query: 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { status } }', variables: async () => {
      await hub.dataSource.query(`UPDATE parent_application SET submitted_from = 'elsewhere'`);
      return { i: { schoolId: schoolA, applicant: { lastName: 'Иванова', firstName: 'Анна' }, address: { city: 'Когалым', street: 'Мира', house: '1' },
        child: { lastName: 'Иванов', firstName: 'Пётр' }, childClass: '5А', relation: 'SON', consent: true, delivery: 'IN_PERSON' } };
    }, allowed: ACTORS },
    { name: 'submitApplication from paper', query: 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { status } }', variables: async () => ({
      i: { schoolId: schoolA, source: 'PAPER', applicant: { lastName: 'Иванова', firstName: 'Анна' }, address: { city: 'Когалым', street: 'Мира', house: '1' },
        child: { lastName: 'Иванов', firstName: 'Пётр' }, childClass: '5А', relation: 'SON', consent: true, delivery: 'IN_PERSON' },
    }), allowed: ['admin'] },
    { name: 'registerApplication', query: 'mutation($id: ID!) { registerApplication(id: $id) { status } }', variables: async () => ({ id: await freshApplication('submitted') }), allowed: ['admin'] },
    { name: 'matchApplication', query: 'mutation($id: ID!, $s: ID!) { matchApplication(id: $id, studentId: $s) { status } }', variables: async () => ({ id: await freshApplication('registered'), s: id(child) }), allowed: ['admin'] },
    { name: 'rejectApplication', query: 'mutation($id: ID!) { rejectApplication(id: $id, reason: "нет такого ученика") { status } }', variables: async () => ({ id: await freshApplication('submitted') }), allowed: ['admin'] },
    { name: 'issueApplicationCredentials', query: 'mutation($id: ID!) { issueApplicationCredentials(applicationId: $id) { login } }', variables: async () => ({ id: await freshApplication('registered') }), allowed: ['admin'] },
    { name: 'withdrawApplication', query: 'mutation($id: ID!) { withdrawApplication(id: $id) { status } }', variables: async () => ({ id: await freshApplication('submitted') }), allowed: ['admin'] },
    { name: 'markMessageDelivered', query: 'mutation($id: ID!) { markMessageDelivered(id: $id) { status } }', variables: async () => {
      const applicationId = await freshApplication('registered');
      const issued = await hub.gql('mutation($id: ID!) { issueApplicationCredentials(applicationId: $id) { message { id } } }', { id: applicationId }, tokens.admin);
      return { id: issued.data.issueApplicationCredentials.message.id };
    }, allowed: ['admin'] },
    { name: 'rolloutCampaigns', query: '{ rolloutCampaigns { id } }', variables: async () => ({}), allowed: EVERYONE_SIGNED_IN },
    { name: 'createRolloutCampaign', query: 'mutation($n: String!) { createRolloutCampaign(name: $n, year: 2027) { id } }', variables: async () => ({ n: `Кампания ${Math.random()}` }), allowed: DIRECTORATE },
    { name: 'updateRolloutActivity', query: 'mutation($id: ID!) { updateRolloutActivity(id: $id, deadline: "2026-05-20") { id } }', variables: async () => ({
      id: (await hub.dataSource.query('SELECT id FROM rollout_activity WHERE campaign_id = $1 LIMIT 1', [await campaign()]))[0].id }), allowed: DIRECTORATE },
    { name: 'addRolloutActivity', query: 'mutation($c: ID!) { addRolloutActivity(campaignId: $c, stage: "2", title: "Ещё одно мероприятие") { id } }', variables: async () => ({ c: await campaign() }), allowed: DIRECTORATE },
    { name: 'setActivationTargets', query: 'mutation($c: ID!) { setActivationTargets(campaignId: $c, targets: [{ byDate: "2026-09-20", minPercent: 30, maxPercent: 40 }]) { id } }', variables: async () => ({ c: await campaign() }), allowed: DIRECTORATE },
    { name: 'schoolPlan', query: 'query($s: ID!, $c: ID!) { schoolPlan(schoolId: $s, campaignId: $c) { overdueActivities } }', variables: async () => ({ s: schoolA, c: await campaign() }), allowed: ['admin', ...DIRECTORATE] },
    { name: 'updateSchoolPlan', query: 'mutation($s: ID!, $c: ID!) { updateSchoolPlan(schoolId: $s, campaignId: $c, input: { responsibleName: "Иванова" }) { responsibleName } }', variables: async () => ({ s: schoolA, c: await campaign() }), allowed: ['admin'] },
    { name: 'setActivityStatus', query: 'mutation($s: ID!, $a: ID!) { setActivityStatus(schoolId: $s, activityId: $a, status: IN_PROGRESS) { overdueActivities } }', variables: async () => ({
      s: schoolA, a: (await hub.dataSource.query('SELECT id FROM rollout_activity WHERE campaign_id = $1 LIMIT 1', [await campaign()]))[0].id }), allowed: ['admin'] },
    { name: 'readiness', query: 'query($s: ID!, $c: ID!) { readiness(schoolId: $s, campaignId: $c) { level } }', variables: async () => ({ s: schoolA, c: await campaign() }), allowed: ['admin', ...DIRECTORATE] },
    { name: 'answerReadiness', query: 'mutation($s: ID!, $c: ID!) { answerReadiness(schoolId: $s, campaignId: $c, answers: [{ item: "network", satisfied: true }]) { level } }', variables: async () => ({ s: schoolA, c: await campaign() }), allowed: ['admin'] },
    { name: 'addLocalAct', query: 'mutation($s: ID!, $c: ID!) { addLocalAct(schoolId: $s, campaignId: $c, input: { kind: ACT, title: "Положение" }) { id } }', variables: async () => ({ s: schoolA, c: await campaign() }), allowed: ['admin'] },
    { name: 'recordRolloutEvent', query: 'mutation($s: ID!, $c: ID!) { recordRolloutEvent(schoolId: $s, campaignId: $c, input: { kind: TRAINING, audience: TEACHERS, form: "семинар", heldOn: "2026-10-01", participants: 5 }) { id } }', variables: async () => ({ s: schoolA, c: await campaign() }), allowed: ['admin'] },
    { name: 'prepareRolloutReport', query: 'mutation($s: ID!, $d: ID!) { prepareRolloutReport(schoolId: $s, reportingDateId: $d) { id } }', variables: async () => ({ s: schoolA, d: await reportingDate() }), allowed: ['admin'] },
    { name: 'rolloutReport', query: 'query($id: ID!) { rolloutReport(id: $id) { status } }', variables: async () => ({ id: await freshReport('draft') }), allowed: ['admin', ...DIRECTORATE] },
    { name: 'submitRolloutReport', query: 'mutation($id: ID!) { submitRolloutReport(id: $id) { status } }', variables: async () => ({ id: await freshReport('draft') }), allowed: ['admin'] },
    { name: 'acceptRolloutReport', query: 'mutation($id: ID!) { acceptRolloutReport(id: $id) { status } }', variables: async () => ({ id: await freshReport('submitted') }), allowed: DIRECTORATE },
    { name: 'returnRolloutReport', query: 'mutation($id: ID!) { returnRolloutReport(id: $id, comment: "Уточните") { status } }', variables: async () => ({ id: await freshReport('submitted') }), allowed: DIRECTORATE },
    { name: 'reportStatuses', query: 'query($d: ID!) { reportStatuses(reportingDateId: $d) { status } }', variables: async () => ({ d: await reportingDate() }), allowed: DIRECTORATE },
    { name: 'activationTrend', query: '{ activationTrend(from: "2026-09-01", to: "2026-11-01", interval: MONTH) { points { percent } } }', variables: async () => ({}), allowed: DIRECTORATE },
    { name: 'rolloutFigures', query: 'query($c: ID!) { rolloutFigures(campaignId: $c) { municipality { onTrack } } }', variables: async () => ({ c: await campaign() }), allowed: DIRECTORATE },
    { name: 'learningFigures of all schools', query: '{ learningFigures(groupBy: [SCHOOL]) { suppressed } }', variables: async () => ({}), allowed: DIRECTORATE },
    { name: 'learningFigures of the school', query: 'query($s: ID!) { learningFigures(filter: { schoolId: $s }, groupBy: [GRADE_LEVEL]) { suppressed } }', variables: async () => ({ s: schoolA }), allowed: ['admin', ...DIRECTORATE] },
    { name: 'learningTrend of the school', query: 'query($s: ID!) { learningTrend(filter: { schoolId: $s }, interval: WEEK) { points { average } } }', variables: async () => ({ s: schoolA }), allowed: ['admin', ...DIRECTORATE] },
    { name: 'adapters', query: '{ adapters { id } }', variables: async () => ({}), allowed: EVERYONE_SIGNED_IN },
    { name: 'syncConnection', query: 'query($s: ID!) { syncConnection(schoolId: $s) { adapterId } }', variables: async () => ({ s: schoolA }), allowed: ['admin', 'it'] },
    { name: 'syncRuns', query: 'query($s: ID!) { syncRuns(schoolId: $s) { status } }', variables: async () => ({ s: schoolA }), allowed: ['admin', 'it'] },
    { name: 'syncQuarantine', query: 'query($s: ID!) { syncQuarantine(schoolId: $s) { causes { records } } }', variables: async () => ({ s: schoolA }), allowed: ['admin', 'it'] },
    { name: 'revokeSessions', query: 'mutation($a: ID!) { revokeSessions(accountId: $a) }', variables: async () => ({ a: targetAccount }), allowed: ['admin', 'directorate', 'directorateGranted'] },
  ];

  const cases = (): [string, Actor, Operation][] =>
    operations().flatMap((op) => ACTORS.map((actor) => [`${op.name} by ${actor}`, actor, op] as [string, Actor, Operation]));

  it.each(cases())('%s', async (_, actor, op) => {
    const res = await hub.gql(op.query, await op.variables(), tokens[actor]);
    if (op.allowed.includes(actor)) {
      expect(res.errors).toBeUndefined();
      return;
    }
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors!;
    expect(error.extensions.code).toBe(actor === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    // The refusal says nothing about the thing refused: a fixed message, and no data.
    expect(error.message).toMatch(/^(You do not have access to this\.|Sign in first)/);
    expect(Object.values(res.data ?? {}).every((v) => v === null)).toBe(true);
  });

  it('ends a parent’s access the moment the grant ends', async () => {
    const query = 'query($id: ID!) { diary(studentId: $id, from: "2026-11-09", to: "2026-11-15") { days { date } } }';
    const account = await f.account([{ role: Role.PARENT, person: await f.guardian(child, 'legal_guardian') }]);
    const grant = await f.grant(child, account.id);
    expect((await hub.gql(query, { id: id(child) }, account.token)).errors).toBeUndefined();
    const ended = await hub.gql('mutation($g: ID!) { endAccessGrant(grantId: $g, reason: "consent withdrawn") { endsAt endedReason } }', { g: id(grant) }, tokens.admin);
    expect(ended.data.endAccessGrant).toEqual({ endsAt: expect.any(String), endedReason: 'consent withdrawn' });
    expect((await hub.gql(query, { id: id(child) }, account.token)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const audit = await hub.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY id`, [grant.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['grant.ended']);
  });
});
