import { todayIn } from '../../../src/common/dates';
import { Role } from '../../../src/policy/viewer';
import { computeReport, sharesOfSchools } from '../../../src/modules/rollout/report-items';
import { loadDemoIfEmpty } from '../../../src/seed/demo';
import { Fixture } from '../../factories/fixture';
import ExcelJS from 'exceljs';
import { docxContent, squash } from '../../setup/documents';
import { useTestHub } from '../../setup/hub';

const CAMPAIGN = `mutation { createRolloutCampaign(name: "Введение ЭЖ 2026", year: 2026) {
  id planDeadline responsibleDeadline activities { id stage title deadline } reportingDates { id date } activationTargets { byDate minPercent maxPercent } } }`;
const PREPARE = `mutation($s: ID!, $d: ID!) { prepareRolloutReport(schoolId: $s, reportingDateId: $d) { id status items entered problems { problem solution resolved } } }`;
const REPORT = `query($id: ID!) { rolloutReport(id: $id) { status items reviewComment submittedAt } }`;

/** Appendices 1–3 on the demo municipality: plan, readiness, the report's workflow and its computed items. */
describe('rollout plans, readiness and the Appendix 3 report', () => {
  const hub = useTestHub();
  let schoolId: string;
  let adminToken: string;
  let directorateToken: string;
  let campaign: { id: string; activities: { id: string; stage: string; deadline: string | null }[]; reportingDates: { id: string; date: string }[] };
  let today: string;

  beforeAll(async () => {
    const demo = (await loadDemoIfEmpty(hub.dataSource))!;
    schoolId = demo.school.id;
    const f = new Fixture(hub.dataSource);
    const [director] = await hub.dataSource.query(`SELECT id FROM staff WHERE school_id = $1 AND 'director' = ANY(positions) LIMIT 1`, [schoolId]);
    adminToken = (await f.account([{ role: Role.SCHOOL_ADMIN, person: { schoolId, id: director.id } }])).token;
    directorateToken = (await f.account([], { directorate: true })).token;
    today = todayIn('Asia/Yekaterinburg');

    // Some credentials and activity for the report to count: three parents of 5А with accounts (one
    // activated), two registered applications, a teacher account.
    const parents = await hub.dataSource.query(
      `SELECT sg.guardian_id, sg.student_id FROM student_guardian sg JOIN enrollment e ON e.school_id = sg.school_id AND e.student_id = sg.student_id
         JOIN class_group cg ON cg.school_id = e.school_id AND cg.id = e.class_group_id
        WHERE sg.school_id = $1 AND cg.name = '5А' AND e.ends_on IS NULL ORDER BY sg.guardian_id LIMIT 3`, [schoolId]);
    for (const [i, p] of parents.entries()) {
      const account = await f.account([{ role: Role.PARENT, person: { schoolId, id: p.guardian_id } }]);
      if (i === 0) await hub.dataSource.query('UPDATE account SET activated_at = now() WHERE id = $1', [account.id]);
    }
    const [year] = await hub.dataSource.query('SELECT id FROM academic_year WHERE school_id = $1', [schoolId]);
    for (const [i, p] of parents.slice(0, 2).entries()) {
      await hub.dataSource.query(
        `INSERT INTO parent_application (school_id, id, status, applicant_last_name, applicant_first_name, address_city, address_street, address_house,
           child_last_name, child_first_name, child_class_label, relation, system_name, consent_given_at, consent_applicant_data, consent_child_data,
           delivery_channel, signed_on, signature, submitted_via, academic_year_id, registration_number, registered_on, student_id)
         VALUES ($1, gen_random_uuid(), 'registered', 'А', 'Б', 'Когалым', 'Мира', '1', 'В', 'Г', '5А', 'son', 'x', now(), '{}', '{}',
           'in_person', current_date, 'paper', 'paper', $2, $3, current_date, $4)`, [schoolId, year.id, 100 + i, p.student_id]);
    }
    const [teacher] = await hub.dataSource.query(`SELECT id FROM staff WHERE school_id = $1 AND 'teacher' = ANY(positions) ORDER BY last_name LIMIT 1`, [schoolId]);
    await f.account([{ role: Role.TEACHER, person: { schoolId, id: teacher.id } }]);

    campaign = (await hub.gql(CAMPAIGN, {}, directorateToken)).data.createRolloutCampaign;
  }, 90_000);

  it('starts a campaign with the order’s stages, deadlines, reporting dates and activation targets', async () => {
    const res = await hub.gql(`{ rolloutCampaigns { planDeadline responsibleDeadline reportingDates { date } activationTargets { byDate minPercent maxPercent } } }`, {}, adminToken);
    expect(res.data.rolloutCampaigns[0]).toEqual({
      planDeadline: '2026-04-18', responsibleDeadline: '2026-04-10',
      reportingDates: ['2026-05-15', '2026-09-20', '2026-10-15', '2026-11-15', '2026-12-25'].map((date) => ({ date })),
      activationTargets: [
        { byDate: '2026-09-20', minPercent: 30, maxPercent: 40 }, { byDate: '2026-10-15', minPercent: 41, maxPercent: 60 },
        { byDate: '2026-11-15', minPercent: 61, maxPercent: 100 }, { byDate: '2027-01-01', minPercent: 100, maxPercent: 100 },
      ],
    });
    expect(campaign.activities.filter((a) => a.stage === '1.1').every((a) => a.deadline === '2026-04-18')).toBe(true);
    expect(campaign.activities.filter((a) => a.stage === '2').every((a) => a.deadline === '2027-01-01')).toBe(true);
  });

  it('lets the directorate edit the plan template: add, change and remove activities', async () => {
    const added = await hub.gql(`mutation($c: ID!) { addRolloutActivity(campaignId: $c, stage: "2", title: "Онлайн-консультации для родителей", deadline: "2026-12-20") { id stage position } }`,
      { c: campaign.id }, directorateToken);
    expect(added.data.addRolloutActivity).toMatchObject({ stage: '2', position: 8 });
    const changed = await hub.gql(`mutation($id: ID!) { updateRolloutActivity(id: $id, title: "Консультации для родителей") { title deadline } }`, { id: added.data.addRolloutActivity.id }, directorateToken);
    expect(changed.data.updateRolloutActivity).toEqual({ title: 'Консультации для родителей', deadline: '2026-12-20' });
    expect((await hub.gql(`mutation($id: ID!) { removeRolloutActivity(id: $id) }`, { id: added.data.addRolloutActivity.id }, directorateToken)).data.removeRolloutActivity).toBe(true);
    const badStage = await hub.gql(`mutation($c: ID!) { addRolloutActivity(campaignId: $c, stage: "4", title: "x") { id } }`, { c: campaign.id }, directorateToken);
    expect(badStage.errors?.[0].extensions.fields).toHaveProperty('stage');
    expect((await hub.gql(`mutation($c: ID!) { addRolloutActivity(campaignId: $c, stage: "2", title: "x") { id } }`, { c: campaign.id }, adminToken)).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('keeps the school’s plan and flags what is overdue on the school’s today', async () => {
    const first = campaign.activities.find((a) => a.stage === '1.1')!;
    const stage2 = campaign.activities.find((a) => a.stage === '2')!;
    await hub.gql(`mutation($s: ID!, $c: ID!) { updateSchoolPlan(schoolId: $s, campaignId: $c, input: {
        responsibleName: "Иванова Мария Петровна", responsiblePosition: "заместитель директора", responsibleOrderNumber: "45-о",
        responsibleOrderDate: "2026-04-08", planApprovalNumber: "52-о", planApprovalDate: "2026-04-16", planSubmittedOn: "2026-04-20" }) { overdueActivities } }`,
      { s: schoolId, c: campaign.id }, adminToken);
    const res = await hub.gql(`mutation($s: ID!, $a: ID!) { setActivityStatus(schoolId: $s, activityId: $a, status: DONE, completedOn: "2026-04-08", evidence: "приказ от 08.04.2026 № 45-о") {
        responsibleOverdue planOverdue overdueActivities activities { activity { id } status overdue } } }`, { s: schoolId, a: first.id }, adminToken);
    const plan = res.data.setActivityStatus;
    expect(plan.responsibleOverdue).toBe(false);
    expect(plan.planOverdue).toBe(true); // submitted on 20.04, after the 18.04 deadline
    const status = (id: string) => plan.activities.find((a: { activity: { id: string } }) => a.activity.id === id);
    expect(status(first.id)).toMatchObject({ status: 'DONE', overdue: false });
    const open = campaign.activities.filter((a) => a.id !== first.id && a.deadline !== null && a.deadline < today);
    expect(plan.overdueActivities).toBe(open.length);
    expect(status(stage2.id).overdue).toBe(stage2.deadline! < today);
  });

  it('computes the readiness level from the checklist', async () => {
    const answer = (items: string[]) => hub.gql(`mutation($s: ID!, $c: ID!, $a: [ReadinessAnswerInput!]!) { answerReadiness(schoolId: $s, campaignId: $c, answers: $a) { level } }`,
      { s: schoolId, c: campaign.id, a: items.map((item) => ({ item, satisfied: true })) }, adminToken);
    expect((await answer(['network', 'staff_access'])).data.answerReadiness.level).toBe('below_minimum');
    expect((await answer(['local_acts'])).data.answerReadiness.level).toBe('mandatory');
    expect((await answer(['computer_class', 'staffroom_access', 'access_schedule', 'help_regulation'])).data.answerReadiness.level).toBe('minimal');
    expect((await answer(['mobile_access_every_teacher'])).data.answerReadiness.level).toBe('minimal'); // prospective builds on optimal
    expect((await answer(['access_every_classroom'])).data.answerReadiness.level).toBe('prospective');
    const bad = await answer(['teleport']);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { 'answers.0.item': expect.any(String) } });
  });

  it('prepares, submits, returns, resubmits and accepts a report, with computed items checked against the data', async () => {
    await hub.gql(`mutation($s: ID!, $c: ID!) { addLocalAct(schoolId: $s, campaignId: $c, input: { kind: ACT, title: "Положение об электронном журнале", approvalNumber: "60-о", approvalDate: "2026-05-10" }) { id } }`, { s: schoolId, c: campaign.id }, adminToken);
    await hub.gql(`mutation($s: ID!, $c: ID!) { recordRolloutEvent(schoolId: $s, campaignId: $c, input: { kind: FAMILIARIZATION, audience: PARENTS, form: "родительское собрание", heldOn: "2026-09-05", participants: 100 }) { id } }`, { s: schoolId, c: campaign.id }, adminToken);
    const date = campaign.reportingDates.find((d) => d.date === '2026-11-15')!;
    const prepared = await hub.gql(PREPARE, { s: schoolId, d: date.id }, adminToken);
    expect(prepared.errors).toBeUndefined();
    const report = prepared.data.prepareRolloutReport;
    expect(report.status).toBe('DRAFT');
    const items = report.items;

    // Counted here independently of the report's SQL.
    // "Today" is the school's (Asia/Yekaterinburg), as in the report; $2 below.
    const q = async (sql: string) =>
      Number(Object.values((await hub.dataSource.query(sql, sql.includes('$2') ? [schoolId, today] : [schoolId]))[0])[0]);
    const present = `SELECT e.student_id, e.class_group_id, cg.name, cg.grade_level FROM enrollment e JOIN class_group cg ON cg.school_id = e.school_id AND cg.id = e.class_group_id
                      WHERE e.school_id = $1 AND e.starts_on <= $2::date AND (e.ends_on IS NULL OR e.ends_on >= $2::date)`;
    const parents = await q(`SELECT count(*) FROM student_guardian sg WHERE sg.school_id = $1 AND sg.student_id IN (SELECT student_id FROM (${present}) p)`);
    const parents5a = await q(`SELECT count(*) FROM student_guardian sg WHERE sg.school_id = $1 AND sg.student_id IN (SELECT student_id FROM (${present}) p WHERE name = '5А')`);
    const teachers = await q(`SELECT count(*) FROM staff WHERE school_id = $1 AND 'teacher' = ANY(positions)`);
    // Parents are counted per child, so a parent of two children counts twice, in the part as in the whole.
    const withLogin = (activated: boolean) => q(`SELECT count(*) FROM student_guardian sg
        JOIN account_role r ON r.school_id = sg.school_id AND r.guardian_id = sg.guardian_id AND r.role = 'parent'
        JOIN account a ON a.id = r.account_id
       WHERE sg.school_id = $1 AND sg.student_id IN (SELECT student_id FROM (${present}) p) ${activated ? 'AND a.activated_at IS NOT NULL' : ''}`);
    const [logins, activated] = [await withLogin(false), await withLogin(true)];
    const pct = (a: number, b: number) => Math.round((a / b) * 1000) / 10;

    expect(items.responsiblePerson).toEqual({ name: 'Иванова Мария Петровна', position: 'заместитель директора' });
    expect(items.systemName).toBe('Электронный журнал и дневник journal-hub');
    expect(items.plan).toEqual({ approvalNumber: '52-о', approvalDate: '2026-04-16' });
    expect(items.localActs).toEqual([{ title: 'Положение об электронном журнале', approvalNumber: '60-о', approvalDate: '2026-05-10' }]);
    expect(items.familiarization.parents).toBe(pct(100, parents));
    expect(items.familiarizationForms).toBe('родительское собрание');
    expect(items.applications.percent).toBe(pct(2, parents));
    expect(items.applications.classes.find((c: { className: string }) => c.className === '5А').percent).toBe(pct(2, parents5a));
    expect(logins).toBeGreaterThanOrEqual(3);
    expect(items.logins.parents.percent).toBe(pct(logins, parents));
    expect(items.logins.teachers.percent).toBe(pct(1, teachers));
    expect(items.parentActivation.percent).toBe(pct(activated, logins));
    const teaching = await q(`SELECT count(DISTINCT staff_id) FROM course_teacher WHERE school_id = $1`);
    const working = await q(`SELECT count(DISTINCT l.teacher_id) FROM mark m JOIN lesson l ON l.school_id = m.school_id AND l.id = m.lesson_id
                              WHERE m.school_id = $1 AND m.entered_at >= $2::date - 14 AND m.entered_at < $2::date + 1`);
    expect(items.teachersWorking).toBe(pct(working, teaching));

    const students = await q(`SELECT count(*) FROM (${present}) p`);
    const studentLogins = await q(`SELECT count(*) FROM (${present}) p JOIN account_role r ON r.school_id = $1 AND r.role = 'student' AND r.student_id = p.student_id`);
    expect(items.logins.students.percent).toBe(pct(studentLogins, students));

    // Item 9, part by part.
    const recent = `SELECT l.* FROM lesson l WHERE l.school_id = $1 AND l.date > $2::date - 14 AND l.date <= $2::date`;
    const classes = await q(`SELECT count(*) FROM class_group WHERE school_id = $1`);
    const classesWithStudents = await q(`SELECT count(DISTINCT class_group_id) FROM (${present}) p`);
    const withGuardian = await q(`SELECT count(*) FROM (${present}) p WHERE EXISTS (SELECT 1 FROM student_guardian sg WHERE sg.school_id = $1 AND sg.student_id = p.student_id)`);
    const courses = await q(`SELECT count(*) FROM course WHERE school_id = $1`);
    const coursesWithLessons = await q(`SELECT count(DISTINCT course_id) FROM (${recent}) r`);
    const lessons = await q(`SELECT count(*) FROM (${recent}) r`);
    const withTopic = await q(`SELECT count(*) FROM (${recent}) r WHERE topic IS NOT NULL`);
    const older = await q(`SELECT count(*) FROM (${present}) p WHERE grade_level >= 2`);
    const marked = await q(`SELECT count(*) FROM (${present}) p WHERE grade_level >= 2 AND EXISTS (
      SELECT 1 FROM mark m JOIN (${recent}) r ON r.id = m.lesson_id WHERE m.school_id = $1 AND m.student_id = p.student_id)`);
    const parts = [pct(classesWithStudents, classes), pct(withGuardian, students), pct(coursesWithLessons, courses), pct(withTopic, lessons), pct(marked, older)];
    expect(items.databaseFullness.parts.map((p: { percent: number }) => p.percent)).toEqual(parts);
    expect(items.databaseFullness.percent).toBe(Math.round((parts.reduce((a, b) => a + b, 0) / 5) * 10) / 10);

    const edited = await hub.gql(`mutation($id: ID!) { updateRolloutReport(id: $id, input: { websiteLink: true, additionalInfo: "Проведён конкурс", problems: [{ problem: "Нет доступа в кабинетах 2 этажа", solution: "Установлены точки доступа", resolved: "partial" }] }) { items problems { resolved } } }`,
      { id: report.id }, adminToken);
    expect(edited.data.updateRolloutReport.items).toMatchObject({ websiteLink: true, additionalInfo: 'Проведён конкурс' });

    const submitted = await hub.gql(`mutation($id: ID!) { submitRolloutReport(id: $id) { status submittedAt } }`, { id: report.id }, adminToken);
    expect(submitted.data.submitRolloutReport.status).toBe('SUBMITTED');
    // Frozen: new data after submission does not alter the report.
    const frozenItems = (await hub.gql(REPORT, { id: report.id }, adminToken)).data.rolloutReport.items;
    await hub.dataSource.query(`UPDATE account SET activated_at = now() WHERE activated_at IS NULL AND id IN (SELECT account_id FROM account_role WHERE school_id = $1 AND role = 'parent')`, [schoolId]);
    expect((await hub.gql(REPORT, { id: report.id }, adminToken)).data.rolloutReport.items).toEqual(frozenItems);
    expect((await hub.gql(PREPARE, { s: schoolId, d: date.id }, adminToken)).errors?.[0].extensions.reason).toBe('ROLLOUT_REPORT_FROZEN');

    expect((await hub.gql(`mutation($id: ID!) { acceptRolloutReport(id: $id) { status } }`, { id: report.id }, adminToken)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const noComment = await hub.gql(`mutation($id: ID!) { returnRolloutReport(id: $id, comment: " ") { status } }`, { id: report.id }, directorateToken);
    expect(noComment.errors?.[0].extensions.fields).toHaveProperty('comment');
    const returned = await hub.gql(`mutation($id: ID!) { returnRolloutReport(id: $id, comment: "Уточните пункт 9") { status reviewComment } }`, { id: report.id }, directorateToken);
    expect(returned.data.returnRolloutReport).toEqual({ status: 'RETURNED', reviewComment: 'Уточните пункт 9' });
    const refreshed = await hub.gql(PREPARE, { s: schoolId, d: date.id }, adminToken);
    expect(refreshed.data.prepareRolloutReport.items.parentActivation.percent).toBe(100);
    await hub.gql(`mutation($id: ID!) { submitRolloutReport(id: $id) { status } }`, { id: report.id }, adminToken);
    const accepted = await hub.gql(`mutation($id: ID!) { acceptRolloutReport(id: $id) { status } }`, { id: report.id }, directorateToken);
    expect(accepted.data.acceptRolloutReport.status).toBe('ACCEPTED');

    const statuses = await hub.gql(`query($d: ID!) { reportStatuses(reportingDateId: $d) { school { id } status } }`, { d: date.id }, directorateToken);
    const rows = statuses.data.reportStatuses;
    expect(rows.find((r: { school: { id: string } }) => r.school.id === schoolId).status).toBe('accepted');
    expect(rows.filter((r: { school: { id: string } }) => r.school.id !== schoolId).every((r: { status: string }) => r.status === (today > date.date ? 'missing' : 'not_started'))).toBe(true);
    const history = await hub.dataSource.query(`SELECT to_status FROM rollout_report_event WHERE report_id = $1 ORDER BY id`, [report.id.split(':')[1]]);
    expect(history.map((h: { to_status: string }) => h.to_status)).toEqual(['draft', 'submitted', 'returned', 'submitted', 'accepted']);
  });

  it('starts the next report from the previous one (the form is cumulative)', async () => {
    const next = campaign.reportingDates.find((d) => d.date === '2026-12-25')!;
    const res = await hub.gql(PREPARE, { s: schoolId, d: next.id }, adminToken);
    expect(res.data.prepareRolloutReport.entered).toMatchObject({ websiteLink: true, additionalInfo: 'Проведён конкурс' });
    expect(res.data.prepareRolloutReport.problems).toEqual([{ problem: 'Нет доступа в кабинетах 2 этажа', solution: 'Установлены точки доступа', resolved: 'partial' }]);
  });

  it('shows the directorate each school and the municipality against the activation target in force', async () => {
    const res = await hub.gql(`query($c: ID!) { rolloutFigures(campaignId: $c) {
        schools { school { id } parentActivation target { byDate minPercent } onTrack overdueActivities readinessLevel reportStatuses { reportingDate { date } status } }
        municipality { parentActivation onTrack schoolsOnTrack schoolsBehind applications reportStatuses { reportingDate { date } counts { status schools } } } } }`,
      { c: campaign.id }, directorateToken);
    expect(res.errors).toBeUndefined();
    const { schools, municipality } = res.data.rolloutFigures;
    const row = schools.find((r: { school: { id: string } }) => r.school.id === schoolId);
    expect(row.parentActivation).toBe(100);
    expect(row.target.byDate <= today).toBe(true);
    expect(row.onTrack).toBe(true);
    expect(row.readinessLevel).toBe('prospective');
    expect(row.reportStatuses.find((s: { reportingDate: { date: string } }) => s.reportingDate.date === '2026-11-15').status).toBe('accepted');
    const other = schools.find((r: { school: { id: string } }) => r.school.id !== schoolId);
    expect(other.parentActivation).toBeNull(); // no parent accounts there: nobody able to use the service yet
    // Only this school has parent accounts, so the municipality's activation is this school's.
    expect(municipality).toMatchObject({ parentActivation: 100, onTrack: true, schoolsOnTrack: 1, schoolsBehind: 0 });
    const nov15 = municipality.reportStatuses.find((s: { reportingDate: { date: string } }) => s.reportingDate.date === '2026-11-15');
    expect(nov15.counts).toContainEqual({ status: 'accepted', schools: 1 });
    expect((await hub.gql(`query($c: ID!) { rolloutFigures(campaignId: $c) { municipality { onTrack } } }`, { c: campaign.id }, adminToken)).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('counts every school’s figures at once exactly as each school’s own report counts them', async () => {
    const schools: { id: string; time_zone: string }[] = await hub.dataSource.query('SELECT id, time_zone FROM school ORDER BY id');
    const days = new Map(schools.map((s) => [s.id, todayIn(s.time_zone)]));
    const shares = await sharesOfSchools(hub.dataSource.manager, days);
    for (const school of schools) {
      const { items, totals } = await computeReport(hub.dataSource.manager, school.id, campaign.id, days.get(school.id)!, {});
      expect(shares.get(school.id)).toEqual({ totals, teacherLogins: items.logins.teachers.percent });
    }
    // The fixture's accounts and applications are counted, not only zeros.
    expect(shares.get(schoolId)!.totals.parentLogins.part).toBeGreaterThanOrEqual(3);
    expect(shares.get(schoolId)!.totals.applications.part).toBeGreaterThanOrEqual(2);
  });

  it('follows parent activation over time, per school and for the municipality', async () => {
    const [{ n: parents }] = await hub.dataSource.query(`SELECT count(*)::int AS n FROM account_role WHERE role = 'parent'`);
    const res = await hub.gql(`query($from: LocalDate!, $to: LocalDate!) { activationTrend(from: $from, to: $to, interval: WEEK) { school { id } points { periodEnd issued activated percent } } }`,
      { from: today, to: today }, directorateToken);
    expect(res.errors).toBeUndefined();
    const whole = res.data.activationTrend.find((s: { school: unknown }) => s.school === null);
    expect(whole.points).toHaveLength(1);
    expect(whole.points[0]).toMatchObject({ issued: parents, activated: parents, percent: 100 });
    const backwards = await hub.gql(`{ activationTrend(from: "2026-12-01", to: "2026-11-01") { school { id } } }`, {}, directorateToken);
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { to: expect.any(String) } });
  });

  it('exports a school’s report as DOCX and the directorate’s consolidated sheet as XLSX', async () => {
    const base = hub.url.replace(/\/graphql$/, '');
    const date = campaign.reportingDates.find((d) => d.date === '2026-11-15')!;
    const [report] = await hub.dataSource.query('SELECT id FROM rollout_report WHERE school_id = $1 AND reporting_date_id = $2', [schoolId, date.id]);
    const url = `${base}/documents/rollout-reports/${schoolId}:${report.id}.docx`;
    const docx = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(docx.status).toBe(200);
    const text = squash((await docxContent(Buffer.from(await docx.arrayBuffer()))).text);
    for (const part of ['15 ноября 2026 г.', 'Иванова Мария Петровна', 'Положение об электронном журнале', 'Нет доступа в кабинетах 2 этажа']) {
      expect(text).toContain(squash(part));
    }
    expect((await fetch(url)).status).toBe(401);

    const xlsxUrl = `${base}/documents/reporting-dates/${date.id}/consolidated.xlsx`;
    expect((await fetch(xlsxUrl, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(403);
    const xlsx = await fetch(xlsxUrl, { headers: { authorization: `Bearer ${directorateToken}` } });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const [{ n: schools }] = await hub.dataSource.query('SELECT count(*) AS n FROM school');
    const values = sheet.getSheetValues().flat().map(String).join(' ');
    expect(values).toContain('принят');
    expect(values).toContain('не сдан');
    expect(sheet.rowCount).toBeGreaterThanOrEqual(schools + 2);
  });
});
