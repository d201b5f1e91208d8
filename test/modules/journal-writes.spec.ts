import { Role } from '../../src/policy/viewer';
import { Fixture, Ref } from '../factories/fixture';
import { useTestHub } from '../setup/hub';

const ADD = `mutation($input: AddMarkInput!) { addMark(input: $input) { id value numericValue weight scale workKind { code } enteredBy { lastName } } }`;
const CHANGE = `mutation($input: ChangeMarkInput!) { changeMark(input: $input) { id value numericValue comment } }`;
const REMOVE = `mutation($id: ID!) { removeMark(markId: $id) { id value } }`;
const HISTORY = `query($id: ID!) { markHistory(markId: $id) { totalCount edges { node { action before { value } after { value } changedBy changedVia } } } }`;
const ATTEND = `mutation($input: SetAttendanceInput!) { setAttendance(input: $input) { status comment } }`;
const LESSON = `mutation($input: UpdateLessonInput!) { updateLesson(input: $input) { topic homework } }`;
const FINAL = `mutation($input: SetFinalMarkInput!) { setFinalMark(input: $input) { value kind term { number } } }`;

describe('built-in journal writes', () => {
  const hub = useTestHub();
  const id = Fixture.apiId;
  let f: Fixture;
  let lesson: Ref, course: Ref, term: Ref, student: Ref, outsider: Ref;
  let vendorLesson: Ref, vendorStudent: Ref;
  let teacherToken: string, otherTeacherToken: string, vendorTeacherToken: string;

  const rowCount = async (table: string) => Number((await hub.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    f = new Fixture(hub.dataSource);
    const school = await f.school();
    const year = await f.year(school);
    term = await f.term(year, 'quarter', 2, '2026-11-05', '2026-12-28');
    const teacher = await f.staff(school, ['teacher'], 'Журналова');
    const other = await f.staff(school, ['teacher']);
    const cls = await f.classGroup(year, 7, 'В');
    course = await f.course(cls, 'physics', [teacher]);
    student = await f.student(school);
    outsider = await f.student(school);
    await f.enroll(student, cls, '2026-09-01');
    lesson = await f.lesson(course, '2026-11-20', 2, teacher);
    teacherToken = (await f.account([{ role: Role.TEACHER, person: teacher }])).token;
    otherTeacherToken = (await f.account([{ role: Role.TEACHER, person: other }])).token;

    const vendorSchool = await f.school({ systemOfRecord: 'eljur', shortName: 'СОШ на ЭлЖур' });
    const vYear = await f.year(vendorSchool);
    const vTeacher = await f.staff(vendorSchool);
    const vCls = await f.classGroup(vYear, 7, 'А');
    const vCourse = await f.course(vCls, 'physics', [vTeacher]);
    vendorStudent = await f.student(vendorSchool);
    await f.enroll(vendorStudent, vCls, '2026-09-01');
    vendorLesson = await f.lesson(vCourse, '2026-11-20', 1, vTeacher);
    vendorTeacherToken = (await f.account([{ role: Role.TEACHER, person: vTeacher }])).token;
  });

  it('adds, changes and removes a mark, keeping every change in its history', async () => {
    const added = await hub.gql(ADD, { input: { lessonId: id(lesson), studentId: id(student), value: '4−', workKind: 'control_work' } }, teacherToken);
    expect(added.errors).toBeUndefined();
    expect(added.data.addMark).toMatchObject({ value: '4-', numericValue: 3.75, weight: 2, scale: 'FIVE_POINT', workKind: { code: 'control_work' }, enteredBy: { lastName: 'Журналова' } });
    const markId = added.data.addMark.id;

    const changed = await hub.gql(CHANGE, { input: { markId, value: '5', comment: 'исправлено после пересдачи' } }, teacherToken);
    expect(changed.data.changeMark).toEqual({ id: markId, value: '5', numericValue: 5, comment: 'исправлено после пересдачи' });

    const removed = await hub.gql(REMOVE, { id: markId }, teacherToken);
    expect(removed.data.removeMark).toEqual({ id: markId, value: '5' });

    const history = await hub.gql(HISTORY, { id: markId }, teacherToken);
    expect(history.errors).toBeUndefined();
    expect(history.data.markHistory.totalCount).toBe(3);
    expect(history.data.markHistory.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { action: 'CREATED', before: null, after: { value: '4-' }, changedBy: expect.stringMatching(/^Пользователь/), changedVia: 'journal' },
      { action: 'CHANGED', before: { value: '4-' }, after: { value: '5' }, changedBy: expect.any(String), changedVia: 'journal' },
      { action: 'REMOVED', before: { value: '5' }, after: null, changedBy: expect.any(String), changedVia: 'journal' },
    ]);
    const audit = await hub.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY id`, [markId.split(':')[1]]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['mark.created', 'mark.changed', 'mark.removed', 'mark_history.read']);
  });

  it.each([
    ['6', 'FIVE_POINT'],
    ['4+-', 'FIVE_POINT'],
    ['отл', 'FIVE_POINT'],
    ['5', 'PASS_FAIL'],
    ['11', 'TEN_POINT'],
  ])('refuses the mark "%s" on the %s scale, naming the field, and stores nothing', async (value, scale) => {
    const before = await rowCount('mark');
    const res = await hub.gql(ADD, { input: { lessonId: id(lesson), studentId: id(student), value, scale } }, teacherToken);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MARK_VALUE_OFF_SCALE', fields: { value: expect.stringContaining(value) } });
    expect(await rowCount('mark')).toBe(before);
  });

  it('refuses a mark for a student not in the course, an unknown kind of work and an out-of-range weight', async () => {
    const notEnrolled = await hub.gql(ADD, { input: { lessonId: id(lesson), studentId: id(outsider), value: '5' } }, teacherToken);
    expect(notEnrolled.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'JOURNAL_STUDENT_NOT_IN_COURSE', fields: { studentId: expect.any(String) } });
    const kind = await hub.gql(ADD, { input: { lessonId: id(lesson), studentId: id(student), value: '5', workKind: 'exam_of_doom' } }, teacherToken);
    expect(kind.errors?.[0].extensions).toMatchObject({ reason: 'MARK_WORK_KIND_UNKNOWN', fields: { workKind: expect.any(String) } });
    const weight = await hub.gql(ADD, { input: { lessonId: id(lesson), studentId: id(student), value: '5', weight: 50 } }, teacherToken);
    expect(weight.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { weight: expect.any(String) } });
    const badId = await hub.gql(ADD, { input: { lessonId: 'nonsense', studentId: id(student), value: '5' } }, teacherToken);
    expect(badId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { lessonId: expect.any(String) } });
  });

  it('refuses a term mark in a subgroup course for a classmate outside the subgroup', async () => {
    const classmate = await f.student(student.schoolId);
    const [row] = await hub.dataSource.query('SELECT class_group_id FROM course WHERE id = $1', [course.id]);
    await f.enroll(classmate, { schoolId: student.schoolId, id: row.class_group_id }, '2026-09-01');
    const [teacherRow] = await hub.dataSource.query('SELECT staff_id FROM course_teacher WHERE course_id = $1', [course.id]);
    const group = await f.course({ schoolId: student.schoolId, id: row.class_group_id }, 'english', [{ schoolId: student.schoolId, id: teacherRow.staff_id }], 'группа 1');
    const member = await f.student(student.schoolId);
    await f.enroll(member, { schoolId: student.schoolId, id: row.class_group_id }, '2026-09-01');
    await f.addToSubgroup(group, member);
    const refused = await hub.gql(FINAL, { input: { courseId: id(group), studentId: id(classmate), termId: id(term), value: '5' } }, teacherToken);
    expect(refused.errors?.[0].extensions).toMatchObject({ reason: 'JOURNAL_STUDENT_NOT_IN_COURSE' });
    const accepted = await hub.gql(FINAL, { input: { courseId: id(group), studentId: id(member), termId: id(term), value: '5' } }, teacherToken);
    expect(accepted.errors).toBeUndefined();
  });

  it('refuses a teacher who does not teach the course', async () => {
    const before = await rowCount('mark');
    const res = await hub.gql(ADD, { input: { lessonId: id(lesson), studentId: id(student), value: '5' } }, otherTeacherToken);
    expect(res.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(res.data).toBeNull();
    expect(await rowCount('mark')).toBe(before);
  });

  it('refuses every write to a school whose journal is a vendor system, and changes nothing', async () => {
    const before = await Promise.all(['mark', 'attendance', 'lesson', 'final_mark', 'mark_history'].map(rowCount));
    const topicBefore = (await hub.dataSource.query('SELECT topic FROM lesson WHERE id = $1', [vendorLesson.id]))[0].topic;
    const attempts = [
      await hub.gql(ADD, { input: { lessonId: id(vendorLesson), studentId: id(vendorStudent), value: '5' } }, vendorTeacherToken),
      await hub.gql(ATTEND, { input: { lessonId: id(vendorLesson), studentId: id(vendorStudent), status: 'ABSENT' } }, vendorTeacherToken),
      await hub.gql(LESSON, { input: { lessonId: id(vendorLesson), topic: 'Новая тема' } }, vendorTeacherToken),
    ];
    for (const res of attempts) {
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'JOURNAL_SCHOOL_READ_ONLY' });
      expect(res.errors?.[0].message).toContain('eljur');
    }
    expect(await Promise.all(['mark', 'attendance', 'lesson', 'final_mark', 'mark_history'].map(rowCount))).toEqual(before);
    expect((await hub.dataSource.query('SELECT topic FROM lesson WHERE id = $1', [vendorLesson.id]))[0].topic).toBe(topicBefore);
  });

  it('sets and clears attendance, and sets topic and homework', async () => {
    const set = await hub.gql(ATTEND, { input: { lessonId: id(lesson), studentId: id(student), status: 'LATE', comment: 'на 10 минут' } }, teacherToken);
    expect(set.data.setAttendance).toEqual({ status: 'LATE', comment: 'на 10 минут' });
    const again = await hub.gql(ATTEND, { input: { lessonId: id(lesson), studentId: id(student), status: 'EXCUSED' } }, teacherToken);
    expect(again.data.setAttendance).toEqual({ status: 'EXCUSED', comment: null });
    const cleared = await hub.gql(ATTEND, { input: { lessonId: id(lesson), studentId: id(student), status: null } }, teacherToken);
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data.setAttendance).toBeNull();
    expect(await hub.dataSource.query('SELECT 1 FROM attendance WHERE lesson_id = $1', [lesson.id])).toHaveLength(0);

    const updated = await hub.gql(LESSON, { input: { lessonId: id(lesson), topic: 'Закон Архимеда', homework: '§ 51, упр. 26' } }, teacherToken);
    expect(updated.data.updateLesson).toEqual({ topic: 'Закон Архимеда', homework: '§ 51, упр. 26' });
  });

  it('sets, changes and removes a term mark, with history', async () => {
    const input = { courseId: id(course), studentId: id(student), termId: id(term), value: '4' };
    expect((await hub.gql(FINAL, { input }, teacherToken)).data.setFinalMark).toEqual({ value: '4', kind: 'TERM', term: { number: 2 } });
    expect((await hub.gql(FINAL, { input: { ...input, value: '5' } }, teacherToken)).data.setFinalMark.value).toBe('5');
    const [{ id: finalId }] = await hub.dataSource.query('SELECT id FROM final_mark WHERE student_id = $1', [student.id]);
    expect((await hub.gql(FINAL, { input: { ...input, value: null } }, teacherToken)).data.setFinalMark).toBeNull();
    expect(await hub.dataSource.query('SELECT 1 FROM final_mark WHERE student_id = $1', [student.id])).toHaveLength(0);
    const history = await hub.gql(HISTORY, { id: `${student.schoolId}:${finalId}` }, teacherToken);
    expect(history.data.markHistory.edges.map((e: { node: { action: string } }) => e.node.action)).toEqual(['CREATED', 'CHANGED', 'REMOVED']);

    const noTerm = await hub.gql(FINAL, { input: { ...input, termId: null } }, teacherToken);
    expect(noTerm.errors?.[0].extensions).toMatchObject({ reason: 'FINAL_MARK_TERM_MISMATCH', fields: { termId: expect.any(String) } });
  });
});
