import { todayIn } from '../../../src/common/dates';
import { Role } from '../../../src/policy/viewer';
import { loadDemoIfEmpty, DemoSummary } from '../../../src/seed/demo';
import { Fixture } from '../../factories/fixture';
import { docxContent, pdfTexts, squash } from '../../setup/documents';
import { useTestHub } from '../../setup/hub';
import { countStatements } from '../../setup/statements';

const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status systemName deliveryPhone consentChildData } }`;
const REGISTER = `mutation($id: ID!) { registerApplication(id: $id) { status registrationNumber registeredOn student { id lastName } } }`;
const ISSUE = `mutation($id: ID!) { issueApplicationCredentials(applicationId: $id) {
  login oneTimePassword credentialSlipPdf message { channel recipient body status } application { status } } }`;
const APPLICATION = `query($id: ID!) { application(id: $id) { status activated history { fromStatus toStatus note } } }`;
const SIGN_IN = `mutation($login: String!, $password: String!) { signIn(login: $login, password: $password) { token } }`;
const DIARY = `query($id: ID!) { diary(studentId: $id, from: "2026-11-16", to: "2026-11-21") { days { date lessons { subject { name } } } } }`;

/** The Appendix 4 workflow on the demo municipality, through the GraphQL API. */
describe('parent applications', () => {
  const hub = useTestHub();
  let demo: DemoSummary;
  let schoolId: string;
  let adminToken: string;
  let child: { id: string; lastName: string; firstName: string; middleName: string | null; className: string };

  const form = (over: Record<string, unknown> = {}) => ({
    schoolId,
    applicant: { lastName: 'Ковалёва', firstName: 'Ирина', middleName: 'Сергеевна' },
    address: { city: 'Когалым', street: 'ул. Мира', house: '14', apartment: '27' },
    phone: '8 (912) 345-67-89',
    child: { lastName: child.lastName, firstName: child.firstName, middleName: child.middleName },
    childClass: child.className,
    relation: 'SON',
    consent: true,
    delivery: 'IN_PERSON',
    ...over,
  });

  beforeAll(async () => {
    demo = (await loadDemoIfEmpty(hub.dataSource))!;
    schoolId = demo.school.id;
    const f = new Fixture(hub.dataSource);
    const [director] = await hub.dataSource.query(`SELECT id FROM staff WHERE school_id = $1 AND 'director' = ANY(positions) LIMIT 1`, [schoolId]);
    adminToken = (await f.account([{ role: Role.SCHOOL_ADMIN, person: { schoolId, id: director.id } }])).token;
    const [row] = await hub.dataSource.query(
      `SELECT s.id, s.last_name, s.first_name, s.middle_name, cg.name FROM student s
         JOIN enrollment e ON e.school_id = s.school_id AND e.student_id = s.id AND e.ends_on IS NULL
         JOIN class_group cg ON cg.school_id = e.school_id AND cg.id = e.class_group_id
        WHERE s.school_id = $1 AND cg.grade_level = 6
          AND NOT EXISTS (SELECT 1 FROM student o WHERE o.school_id = s.school_id AND o.id <> s.id AND o.last_name = s.last_name AND o.first_name = s.first_name)
        ORDER BY s.last_name LIMIT 1`, [schoolId]);
    child = { id: row.id, lastName: row.last_name, firstName: row.first_name, middleName: row.middle_name, className: row.name };
  }, 60_000);

  beforeEach(() => hub.dataSource.query('DELETE FROM sign_in_throttle'));

  it('goes from a submission in a client app to an activated parent reading the child’s diary', async () => {
    const submitted = await hub.gql(SUBMIT, { input: form() });
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data.submitApplication).toMatchObject({ status: 'SUBMITTED', systemName: 'Электронный журнал и дневник journal-hub' });
    const id = submitted.data.submitApplication.id;

    const registered = await hub.gql(REGISTER, { id }, adminToken);
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerApplication).toMatchObject({
      status: 'REGISTERED', registrationNumber: expect.any(Number), student: { id: `${schoolId}:${child.id}`, lastName: child.lastName },
    });

    const issued = await hub.gql(ISSUE, { id }, adminToken);
    expect(issued.errors).toBeUndefined();
    const { login, oneTimePassword, credentialSlipPdf, message, application } = issued.data.issueApplicationCredentials;
    expect(application.status).toBe('CREDENTIALS_ISSUED');
    expect(oneTimePassword).toMatch(/^[a-zA-Z2-9]{12}$/);
    expect(message).toBeNull();
    expect(Buffer.from(credentialSlipPdf, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    const token = (await hub.gql(SIGN_IN, { login, password: oneTimePassword })).data.signIn.token;
    expect((await hub.gql(DIARY, { id: `${schoolId}:${child.id}` }, token)).errors?.[0].extensions.reason).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    const changed = await hub.gql(`mutation($c: String!) { changePassword(currentPassword: $c, newPassword: "Kovaleva-Irina-2026") { activatedAt } }`, { c: oneTimePassword }, token);
    expect(changed.data.changePassword.activatedAt).toEqual(expect.any(String));

    const diary = await hub.gql(DIARY, { id: `${schoolId}:${child.id}` }, token);
    expect(diary.errors).toBeUndefined();
    expect(diary.data.diary.days.length).toBeGreaterThan(0);

    const state = await hub.gql(APPLICATION, { id }, adminToken);
    expect(state.data.application).toMatchObject({ status: 'CREDENTIALS_ISSUED', activated: true });
    expect(state.data.application.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['SUBMITTED', 'REGISTERED', 'CREDENTIALS_ISSUED']);
    const audit = await hub.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY id`, [id.split(':')[1]]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['application.submitted', 'application.registered', 'application.credentials_issued', 'application.read']);
  });

  it('ends access at once when the parent withdraws consent, keeping the application’s history', async () => {
    const id = (await hub.gql(SUBMIT, { input: form({ applicant: { lastName: 'Ковалёв', firstName: 'Олег', middleName: 'Петрович' } }) })).data.submitApplication.id;
    await hub.gql(REGISTER, { id }, adminToken);
    const { login, oneTimePassword } = (await hub.gql(ISSUE, { id }, adminToken)).data.issueApplicationCredentials;
    const token = (await hub.gql(SIGN_IN, { login, password: oneTimePassword })).data.signIn.token;
    await hub.gql(`mutation($c: String!) { changePassword(currentPassword: $c, newPassword: "Kovalev-Oleg-2026") { activatedAt } }`, { c: oneTimePassword }, token);
    expect((await hub.gql(DIARY, { id: `${schoolId}:${child.id}` }, token)).errors).toBeUndefined();

    const withdrawn = await hub.gql(`mutation($id: ID!) { withdrawApplication(id: $id, reason: "отзываю согласие") { status withdrawnReason } }`, { id }, token);
    expect(withdrawn.data.withdrawApplication).toEqual({ status: 'WITHDRAWN', withdrawnReason: 'отзываю согласие' });
    const refused = await hub.gql(DIARY, { id: `${schoolId}:${child.id}` }, token);
    expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const history = (await hub.gql(APPLICATION, { id }, adminToken)).data.application.history;
    expect(history.at(-1)).toEqual({ fromStatus: 'CREDENTIALS_ISSUED', toStatus: 'WITHDRAWN', note: 'отзываю согласие' });
  });

  it('keeps one account and one guardian for a parent who applies for a second child while signed in', async () => {
    const id = (await hub.gql(SUBMIT, { input: form({ applicant: { lastName: 'Дваждыева', firstName: 'Нина', middleName: 'Олеговна' } }) })).data.submitApplication.id;
    await hub.gql(REGISTER, { id }, adminToken);
    const first = (await hub.gql(ISSUE, { id }, adminToken)).data.issueApplicationCredentials;
    const token = (await hub.gql(SIGN_IN, { login: first.login, password: first.oneTimePassword })).data.signIn.token;
    await hub.gql(`mutation($c: String!) { changePassword(currentPassword: $c, newPassword: "Dvazhdy-Nina-2026") { activatedAt } }`, { c: first.oneTimePassword }, token);

    const [second] = await hub.dataSource.query(
      `SELECT s.id, s.last_name, s.first_name, cg.name FROM student s JOIN enrollment e ON e.school_id = s.school_id AND e.student_id = s.id AND e.ends_on IS NULL
         JOIN class_group cg ON cg.school_id = e.school_id AND cg.id = e.class_group_id
        WHERE s.school_id = $1 AND cg.grade_level = 9 ORDER BY s.last_name, s.first_name LIMIT 1`, [schoolId]);
    const id2 = (await hub.gql(SUBMIT, { input: form({ applicant: { lastName: 'Дваждыева', firstName: 'Нина', middleName: 'Олеговна' },
      child: { lastName: second.last_name, firstName: second.first_name }, childClass: second.name, relation: 'DAUGHTER' }) }, token)).data.submitApplication.id;
    await hub.gql(REGISTER, { id: id2 }, adminToken);
    await hub.gql(`mutation($id: ID!, $s: ID!) { matchApplication(id: $id, studentId: $s) { status } }`, { id: id2, s: `${schoolId}:${second.id}` }, adminToken);
    const again = await hub.gql(ISSUE, { id: id2 }, adminToken);
    expect(again.errors).toBeUndefined();
    expect(again.data.issueApplicationCredentials).toMatchObject({ login: first.login, oneTimePassword: null });
    expect((await hub.gql(DIARY, { id: `${schoolId}:${second.id}` }, token)).errors).toBeUndefined();
    const guardians = await hub.dataSource.query(`SELECT DISTINCT guardian_id FROM parent_application WHERE id = ANY($1)`, [[id, id2].map((x: string) => x.split(':')[1])]);
    expect(guardians).toHaveLength(1);
  });

  it('does not let someone who merely submitted an application act for the parent once credentials went to the parent', async () => {
    // The real mother already has an account; someone else submits in her name.
    const mother = await hub.gql(SUBMIT, { input: form({ applicant: { lastName: 'Настоящева', firstName: 'Ольга', middleName: 'Ивановна' } }) });
    await hub.gql(REGISTER, { id: mother.data.submitApplication.id }, adminToken);
    const issued = (await hub.gql(ISSUE, { id: mother.data.submitApplication.id }, adminToken)).data.issueApplicationCredentials;
    const motherToken = (await hub.gql(SIGN_IN, { login: issued.login, password: issued.oneTimePassword })).data.signIn.token;
    await hub.gql(`mutation($c: String!) { changePassword(currentPassword: $c, newPassword: "Nastoyasheva-2026") { activatedAt } }`, { c: issued.oneTimePassword }, motherToken);

    const stranger = (await new Fixture(hub.dataSource).account([])).token;
    const forged = (await hub.gql(SUBMIT, { input: form({ applicant: { lastName: 'Настоящева', firstName: 'Ольга', middleName: 'Ивановна' } }) }, stranger)).data.submitApplication.id;
    expect((await hub.gql(`query($id: ID!) { application(id: $id) { status student { id } } }`, { id: forged }, stranger)).errors).toBeUndefined();
    await hub.gql(REGISTER, { id: forged }, adminToken);
    expect((await hub.gql(ISSUE, { id: forged }, adminToken)).data.issueApplicationCredentials.login).toBe(issued.login);

    expect((await hub.gql(`query($id: ID!) { application(id: $id) { status } }`, { id: forged }, stranger)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await hub.gql(`mutation($id: ID!) { withdrawApplication(id: $id) { status } }`, { id: forged }, stranger)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await hub.gql(DIARY, { id: `${schoolId}:${child.id}` }, motherToken)).errors).toBeUndefined();
  });

  it.each([
    [{ consent: false }, 'consent'],
    [{ delivery: 'PHONE' }, 'deliveryPhone'],
    [{ delivery: 'PHONE', deliveryPhone: '12345' }, 'deliveryPhone'],
    [{ delivery: 'EMAIL', deliveryEmail: 'ivanova-at-mail.ru' }, 'deliveryEmail'],
    [{ phone: '+1 555 0100' }, 'phone'],
  ])('refuses %p naming the field %s, and stores nothing', async (change, field) => {
    const [{ n: before }] = await hub.dataSource.query('SELECT count(*) AS n FROM parent_application');
    const res = await hub.gql(SUBMIT, { input: form(change) });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { [field]: expect.any(String) } });
    const [{ n: after }] = await hub.dataSource.query('SELECT count(*) AS n FROM parent_application');
    expect(after).toBe(before);
  });

  it('registers concurrent applications with consecutive numbers, never the same one twice', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await hub.gql(SUBMIT, { input: form({ source: 'PAPER', applicant: { lastName: `Заявитель${i}`, firstName: 'Анна' } }) }, adminToken)).data.submitApplication.id);
    }
    const results = await Promise.all(ids.map((id) => hub.gql(REGISTER, { id }, adminToken)));
    expect(results.map((r) => r.errors)).toEqual(ids.map(() => undefined));
    const numbers = results.map((r) => r.data.registerApplication.registrationNumber).sort((a: number, b: number) => a - b);
    expect(new Set(numbers).size).toBe(12);
    expect(numbers.at(-1) - numbers[0]).toBe(11);
  });

  it('never matches an ambiguous child by guesswork: staff choose among the candidates', async () => {
    const f = new Fixture(hub.dataSource);
    const [cls] = await hub.dataSource.query(`SELECT id FROM class_group WHERE school_id = $1 AND name = '7А'`, [schoolId]);
    for (let i = 0; i < 2; i++) {
      const twin = await f.student(schoolId, 'Одинаков', 'Максим');
      await f.enroll(twin, { schoolId, id: cls.id }, '2026-09-01');
    }
    const id = (await hub.gql(SUBMIT, { input: form({ child: { lastName: 'Одинаков', firstName: 'Максим' }, childClass: '7 А' }) })).data.submitApplication.id;
    const registered = await hub.gql(REGISTER, { id }, adminToken);
    expect(registered.data.registerApplication.student).toBeNull();
    const notMatched = await hub.gql(ISSUE, { id }, adminToken);
    expect(notMatched.errors?.[0].extensions).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'APPLICATION_CHILD_NOT_MATCHED' });
    const candidates = await hub.gql(`query($id: ID!) { application(id: $id) { candidates { student { id } className classMatches } } }`, { id }, adminToken);
    const list = candidates.data.application.candidates;
    expect(list).toHaveLength(2);
    expect(list.every((c: { classMatches: boolean }) => c.classMatches)).toBe(true);
    const matched = await hub.gql(`mutation($id: ID!, $s: ID!) { matchApplication(id: $id, studentId: $s) { student { id } } }`, { id, s: list[1].student.id }, adminToken);
    expect(matched.data.matchApplication.student.id).toBe(list[1].student.id);
    expect((await hub.gql(ISSUE, { id }, adminToken)).errors).toBeUndefined();
  });

  it('keeps a rejection’s reason, and refuses to register it afterwards', async () => {
    const id = (await hub.gql(SUBMIT, { input: form() })).data.submitApplication.id;
    const rejected = await hub.gql(`mutation($id: ID!) { rejectApplication(id: $id, reason: "ребёнок не обучается в школе") { status rejectedReason } }`, { id }, adminToken);
    expect(rejected.data.rejectApplication).toEqual({ status: 'REJECTED', rejectedReason: 'ребёнок не обучается в школе' });
    const again = await hub.gql(REGISTER, { id }, adminToken);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'APPLICATION_STATUS_CONFLICT' });
  });

  it('sends the password by phone through the outbox, and erases it once staff deliver it', async () => {
    const id = (await hub.gql(SUBMIT, { input: form({ applicant: { lastName: 'Телефонова', firstName: 'Вера', middleName: 'Ивановна' }, delivery: 'PHONE', deliveryPhone: '+7 (912) 000-11-22' }) })).data.submitApplication.id;
    await hub.gql(REGISTER, { id }, adminToken);
    const issued = (await hub.gql(ISSUE, { id }, adminToken)).data.issueApplicationCredentials;
    expect(issued.oneTimePassword).toBeNull();
    expect(issued.message).toMatchObject({ channel: 'SMS', recipient: '+79120001122', status: 'PENDING', body: expect.stringMatching(/Одноразовый пароль: [a-zA-Z2-9]{12}/) });
    const outbox = await hub.gql(`query($s: ID!) { outbox(schoolId: $s, status: PENDING) { edges { node { id recipient } } } }`, { s: schoolId }, adminToken);
    const message = outbox.data.outbox.edges.find((e: { node: { recipient: string } }) => e.node.recipient === '+79120001122').node;
    const delivered = await hub.gql(`mutation($id: ID!) { markMessageDelivered(id: $id) { status body deliveredBy } }`, { id: message.id }, adminToken);
    expect(delivered.data.markMessageDelivered.status).toBe('DELIVERED');
    expect(delivered.data.markMessageDelivered.body).not.toMatch(/Одноразовый пароль: [a-zA-Z2-9]{12}/);
    expect(delivered.data.markMessageDelivered.body).toContain(issued.login);
  });

  it('counts applications per status and class, and the share of parents per class', async () => {
    const counts = await hub.gql(`query($s: ID!) { applicationCounts(schoolId: $s) { status classLabel count } }`, { s: schoolId }, adminToken);
    expect(counts.errors).toBeUndefined();
    const [{ n }] = await hub.dataSource.query(`SELECT count(*) AS n FROM parent_application WHERE school_id = $1`, [schoolId]);
    expect(counts.data.applicationCounts.reduce((sum: number, c: { count: number }) => sum + c.count, 0)).toBe(n);

    const shares = await hub.gql(`query($s: ID!) { applicationShares(schoolId: $s) { classGroup { id name } students parents applications studentsCovered share } }`, { s: schoolId }, adminToken);
    expect(shares.errors).toBeUndefined();
    const row = shares.data.applicationShares.find((r: { classGroup: { name: string } }) => r.classGroup.name === child.className);
    // Counted independently: guardians of the class's students today, and their registered applications.
    const [expected] = await hub.dataSource.query(`
      SELECT count(DISTINCT e.student_id) AS students,
             (SELECT count(*) FROM student_guardian sg JOIN enrollment e2 ON e2.school_id = sg.school_id AND e2.student_id = sg.student_id
               WHERE e2.class_group_id = cg.id AND e2.ends_on IS NULL AND e2.starts_on <= $3::date) AS parents,
             (SELECT count(*) FROM parent_application a JOIN enrollment e3 ON e3.school_id = a.school_id AND e3.student_id = a.student_id
               WHERE e3.class_group_id = cg.id AND e3.ends_on IS NULL AND a.status IN ('registered', 'credentials_issued')) AS applications
        FROM class_group cg JOIN enrollment e ON e.school_id = cg.school_id AND e.class_group_id = cg.id AND e.ends_on IS NULL AND e.starts_on <= $3::date
       WHERE cg.school_id = $1 AND cg.name = $2 GROUP BY cg.id`, [schoolId, child.className, todayIn('Asia/Yekaterinburg')]);
    expect(row).toMatchObject({ students: expected.students, parents: expected.parents, applications: expected.applications });
    expect(row.applications).toBeGreaterThan(0);
    expect(row.share).toBeCloseTo(expected.applications / expected.parents, 3);

    const f = new Fixture(hub.dataSource);
    const directorate = (await f.account([], { directorate: true })).token;
    const bySchool = await hub.gql(`{ applicationSharesBySchool { school { id } parents applications share } }`, {}, directorate);
    expect(bySchool.data.applicationSharesBySchool.find((r: { school: { id: string } }) => r.school.id === schoolId).applications).toBeGreaterThan(0);
    expect((await hub.gql(`{ applicationSharesBySchool { share } }`, {}, adminToken)).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('lists applications with their candidates in the same number of statements for 1 and for 6', async () => {
    const page = (first: number) => countStatements(hub.dataSource, async () => {
      const res = await hub.gql(`query($s: ID!, $n: Int!) { applications(schoolId: $s, first: $n) { edges { node { id candidates { student { id } className } history { toStatus } } } } }`,
        { s: schoolId, n: first }, adminToken);
      expect(res.errors).toBeUndefined();
      return res.data.applications.edges;
    });
    const one = await page(1);
    const six = await page(6);
    expect(six.result).toHaveLength(6);
    expect(six.count).toBe(one.count);
  });

  it('stops a client address that submits too many applications', async () => {
    await hub.dataSource.query(`UPDATE parent_application SET submitted_from = 'elsewhere'`);
    for (let i = 0; i < 10; i++) expect((await hub.gql(SUBMIT, { input: form() })).errors).toBeUndefined();
    const res = await hub.gql(SUBMIT, { input: form() });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: expect.any(Number) });
  });

  it('prints the blank form for any parent, and a registered application filled in, for the school only', async () => {
    const base = hub.url.replace(/\/graphql$/, '');
    const blank = await fetch(`${base}/documents/schools/${schoolId}/application-form.docx`);
    expect(blank.status).toBe(200);
    expect(blank.headers.get('content-type')).toContain('wordprocessingml');
    const blankText = squash((await docxContent(Buffer.from(await blank.arrayBuffer()))).text);
    expect(blankText).toContain(squash('Электронный журнал и дневник journal-hub'));
    expect(blankText).toContain(squash(demo.school.shortName));
    expect(blankText).not.toContain('Приложение4');

    const paper = form({ source: 'PAPER', applicant: { lastName: 'Печатникова', firstName: 'Елена', middleName: 'Юрьевна' } });
    const id = (await hub.gql(SUBMIT, { input: paper }, adminToken)).data.submitApplication.id;
    const number = (await hub.gql(REGISTER, { id }, adminToken)).data.registerApplication.registrationNumber;
    const url = `${base}/documents/applications/${id}.pdf`;
    expect((await fetch(url)).status).toBe(401);
    const f = new Fixture(hub.dataSource);
    const stranger = (await f.account([], { directorate: false })).token;
    expect((await fetch(url, { headers: { authorization: `Bearer ${stranger}` } })).status).toBe(403);
    const pdf = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(pdf.status).toBe(200);
    const [text] = await pdfTexts([Buffer.from(await pdf.arrayBuffer())]);
    for (const part of ['Печатникова Елена Юрьевна', `${child.lastName} ${child.firstName}`, 'Когалым', 'ул. Мира', '+79123456789', String(number)]) {
      expect(squash(text)).toContain(squash(part));
    }
    expect((await fetch(`${base}/documents/applications/${id}.txt`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(400);
  });
});
