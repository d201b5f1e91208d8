import { Role } from '../../src/policy/viewer';
import { Fixture, Ref } from '../factories/fixture';
import { useTestHub } from '../setup/hub';
import { countStatements, JOURNAL_NESTED } from '../setup/statements';

const JOURNAL = `query($courseId: ID!, $termId: ID!) {
  journal(courseId: $courseId, termId: $termId) {
    course { subject { code } }
    lessons { id date number }
    rows {
      student { lastName }
      enrolled { startsOn endsOn }
      cells { lesson { date } marks { value numericValue weight workKind { code } } attendance { status } }
      average
      termMark { value }
    }
  }
}`;

const DIARY = `query($studentId: ID!, $from: LocalDate!, $to: LocalDate!) {
  diary(studentId: $studentId, from: $from, to: $to) {
    days { date lessons { subject { code } lesson { number topic homework teacher { lastName } course { classGroup { name } } } marks { value } attendance { status } } }
    terms { term { number } subjects { subject { code } marks { value } average termMark { value } } }
  }
}`;

/**
 * A class of `size` students with a history course of `lessons` lessons from 1 September: two
 * teachers taking turns, marks entered by each of them, by a substitute and by a teacher since deleted
 * in source; some absences; term marks. The first student joins on 15 September; a lesson and an
 * enrollment deleted in source are not part of the journal.
 */
async function classOf(f: Fixture, size: number, lessons: number) {
  const school = await f.school();
  const year = await f.year(school);
  const term = await f.term(year, 'quarter', 1, '2026-09-01', '2026-10-26');
  const [homeroom, first, second, substitute, gone] = await Promise.all(
    ['Классова', 'Первова', 'Вторая', 'Заменова', 'Ушедшева'].map((name) => f.staff(school, ['teacher'], name)));
  const cls = await f.classGroup(year, 7, 'В', homeroom);
  const course = await f.course(cls, 'history', [first, second]);
  const students: Ref[] = [];
  for (let s = 0; s < size; s++) {
    const student = await f.student(school, `Ученов${String(s).padStart(3, '0')}`);
    await f.enroll(student, cls, s === 0 ? '2026-09-15' : '2026-09-01');
    students.push(student);
  }
  const leftOut = await f.enroll(await f.student(school, 'Удалёнов'), cls, '2026-09-01');
  const authors = [first, second, substitute, gone];
  for (let l = 0; l < lessons; l++) {
    const lesson = await f.lesson(course, `2026-09-${String(1 + l).padStart(2, '0')}`, 1, l % 2 ? second : first);
    for (const [i, student] of students.entries()) {
      await f.mark(lesson, student, String(2 + ((i + l) % 4)), { workKind: l % 5 === 0 ? 'control_work' : 'class_answer', enteredBy: authors[(i + l) % 4] });
      if ((i + l) % 7 === 0) await f.attendance(lesson, student, 'absent');
    }
  }
  const deletedLesson = await f.lesson(course, '2026-10-20', 1, first);
  for (const student of students) await f.termMark(course, student, term, '4');
  const ds = f.ds;
  await ds.query('UPDATE staff SET deleted_in_source_at = now() WHERE school_id = $1 AND id = $2', [school, gone.id]);
  await ds.query('UPDATE lesson SET deleted_in_source_at = now() WHERE school_id = $1 AND id = $2', [school, deletedLesson.id]);
  await ds.query('UPDATE enrollment SET deleted_in_source_at = now() WHERE school_id = $1 AND id = $2', [school, leftOut.id]);
  const token = (await f.account([{ role: Role.TEACHER, person: first }])).token;
  return { course, term, token };
}

describe('journal and diary', () => {
  const hub = useTestHub();
  const id = Fixture.apiId;
  let f: Fixture;
  let q1: Ref;
  let math5a: Ref;
  let s1: Ref, s2: Ref, s3: Ref;
  let teacherToken: string;
  let parentToken: string;
  let s2Token: string;

  // 5А and 5Б, first quarter 1 Sep – 26 Oct. Антонов is in 5А all term; Борисов moves from 5А to 5Б
  // on 16 Sep; Васильев joins 5А on 10 Sep. Control work weighs 3 in this school.
  beforeAll(async () => {
    f = new Fixture(hub.dataSource);
    const school = await f.school();
    const year = await f.year(school);
    q1 = await f.term(year, 'quarter', 1, '2026-09-01', '2026-10-26');
    await f.term(year, 'quarter', 2, '2026-11-05', '2026-12-28');
    const teacher = await f.staff(school, ['teacher'], 'Математикова');
    const teacher2 = await f.staff(school, ['teacher'], 'Счётова');
    const c5a = await f.classGroup(year, 5, 'А', teacher);
    const c5b = await f.classGroup(year, 5, 'Б');
    math5a = await f.course(c5a, 'mathematics', [teacher]);
    const math5b = await f.course(c5b, 'mathematics', [teacher2]);
    s1 = await f.student(school, 'Антонов');
    s2 = await f.student(school, 'Борисов');
    s3 = await f.student(school, 'Васильев');
    await f.enroll(s1, c5a, '2026-09-01');
    await f.enroll(s2, c5a, '2026-09-01', '2026-09-15');
    await f.enroll(s2, c5b, '2026-09-16');
    await f.enroll(s3, c5a, '2026-09-10');
    await f.workKindWeight(school, 'control_work', 3);

    const l1 = await f.lesson(math5a, '2026-09-02', 1, teacher, { topic: 'Натуральные числа', homework: '№ 12, 14' });
    const l2 = await f.lesson(math5a, '2026-09-09', 2, teacher);
    const l3 = await f.lesson(math5a, '2026-09-16', 1, teacher);
    const l4 = await f.lesson(math5a, '2026-09-23', 3, teacher);
    const b1 = await f.lesson(math5b, '2026-09-03', 1, teacher2);
    const b2 = await f.lesson(math5b, '2026-09-17', 2, teacher2);
    await f.mark(l1, s1, '5');
    await f.mark(l2, s1, '4-', { numeric: 3.75, workKind: 'control_work' });
    await f.mark(l3, s1, 'зач', { scale: 'pass_fail' });
    await f.attendance(l4, s1, 'absent');
    await f.mark(l1, s2, '3');
    await f.attendance(l2, s2, 'ill');
    await f.mark(b1, s2, '2'); // before Борисов joined 5Б: never shown to him
    await f.mark(b2, s2, '4');
    await f.mark(l3, s3, '5');
    await f.termMark(math5a, s1, q1, '5');

    teacherToken = (await f.account([{ role: Role.TEACHER, person: teacher }])).token;
    const guardian = await f.guardian(s1);
    const parent = await f.account([{ role: Role.PARENT, person: guardian }]);
    await f.grant(s1, parent.id);
    parentToken = parent.token;
    s2Token = (await f.account([{ role: Role.STUDENT, person: s2 }])).token;
  });

  it('gives the course’s journal: lessons as columns, each student only on the days enrolled', async () => {
    const res = await hub.gql(JOURNAL, { courseId: id(math5a), termId: id(q1) }, teacherToken);
    expect(res.errors).toBeUndefined();
    const journal = res.data.journal;
    expect(journal.lessons.map((l: { date: string }) => l.date)).toEqual(['2026-09-02', '2026-09-09', '2026-09-16', '2026-09-23']);
    const rows = Object.fromEntries(journal.rows.map((r: { student: { lastName: string } }) => [r.student.lastName, r]));
    expect(journal.rows.map((r: { student: { lastName: string } }) => r.student.lastName)).toEqual(['Антонов', 'Борисов', 'Васильев']);

    expect(rows['Антонов'].cells.map((c: { lesson: { date: string } }) => c.lesson.date)).toEqual(['2026-09-02', '2026-09-09', '2026-09-16', '2026-09-23']);
    expect(rows['Антонов'].cells[1].marks).toEqual([{ value: '4-', numericValue: 3.75, weight: 3, workKind: { code: 'control_work' } }]);
    expect(rows['Антонов'].cells[3].attendance).toEqual({ status: 'ABSENT' });
    // (5×1 + 3.75×3) / 4; the pass mark does not count
    expect(rows['Антонов'].average).toBe(4.06);
    expect(rows['Антонов'].termMark).toEqual({ value: '5' });

    expect(rows['Борисов'].enrolled).toEqual([{ startsOn: '2026-09-01', endsOn: '2026-09-15' }]);
    expect(rows['Борисов'].cells.map((c: { lesson: { date: string } }) => c.lesson.date)).toEqual(['2026-09-02', '2026-09-09']);
    expect(rows['Борисов'].cells[1].attendance).toEqual({ status: 'ILL' });
    expect(rows['Борисов'].average).toBe(3);

    expect(rows['Васильев'].enrolled).toEqual([{ startsOn: '2026-09-10', endsOn: null }]);
    expect(rows['Васильев'].cells.map((c: { lesson: { date: string } }) => c.lesson.date)).toEqual(['2026-09-16', '2026-09-23']);
    expect(rows['Васильев'].termMark).toBeNull();
  });

  it('reads a journal in the same few statements for a class of 3 and of 25, its nested fields included', async () => {
    const run = async (c: Awaited<ReturnType<typeof classOf>>) => {
      const { count, statements, result } = await countStatements(hub.dataSource, () =>
        hub.gql(JOURNAL_NESTED, { courseId: id(c.course), termId: id(c.term) }, c.token));
      expect(result.errors).toBeUndefined();
      // Resolving the signed-in viewer and writing the access log are the request's, not the journal's.
      const viewer = await countStatements(hub.dataSource, () => hub.services.accounts.viewerForToken(c.token));
      const audit = statements.filter((s) => s.includes('INSERT INTO audit_event')).length;
      return { journal: result.data.journal, audit, reads: count - viewer.count - audit, statements };
    };
    const small = await run(await classOf(f, 3, 4));
    const large = await run(await classOf(f, 25, 16));
    if (process.env.SHOW_SQL) console.log(large.statements.map((s) => s.replace(/\s+/g, ' ').slice(0, 160)).join('\n'));

    expect(small.journal.rows).toHaveLength(3);
    expect(large.journal.rows).toHaveLength(25);
    expect(large.journal.lessons).toHaveLength(16);
    expect(large.journal.course).toEqual({
      subject: { name: expect.any(String) }, teachers: expect.arrayContaining([{ shortName: 'Первова И. П.' }, { shortName: 'Вторая И. П.' }]),
      classGroup: { name: '7В', homeroomTeacher: { shortName: 'Классова И. П.' } },
    });
    expect(large.journal.lessons.slice(0, 2).map((l: { teacher: { shortName: string } }) => l.teacher.shortName)).toEqual(['Первова И. П.', 'Вторая И. П.']);
    const authors = new Set(large.journal.rows.flatMap((r: { cells: { marks: { enteredBy: { shortName: string } | null }[] }[] }) =>
      r.cells.flatMap((c) => c.marks.map((m) => m.enteredBy?.shortName ?? null))));
    expect(authors).toEqual(new Set(['Первова И. П.', 'Вторая И. П.', 'Заменова И. П.', null]));
    expect(large.journal.rows[0]).toMatchObject({ student: { shortName: 'Ученов000 П.' }, termMark: { value: '4' } });
    expect(large.journal.rows[0].cells).toHaveLength(2);
    expect(large.journal.rows[1].cells[0].marks[0]).toMatchObject({ weight: expect.any(Number), workKind: { name: expect.any(String) } });

    expect(small.audit).toBe(1);
    expect(large.reads).toBe(small.reads);
    // The target is depth + 1 = 6 statements per request; the viewer and the access log take their part of it.
    expect(small.reads).toBeLessThanOrEqual(4);
  });

  it('refuses a journal before reading it: an unknown course, then a stranger, then an unknown term or one of another year', async () => {
    const code = async (courseId: string, termId: string, token: string) =>
      (await hub.gql('query($c: ID!, $t: ID!) { journal(courseId: $c, termId: $t) { rows { average } } }', { c: courseId, t: termId }, token)).errors?.[0].extensions;
    const unknown = `${math5a.schoolId}:00000000-0000-4000-8000-000000000000`;
    const lastYear = await f.term(await f.year(math5a.schoolId, '2025/2026', '2025-09-01', '2026-08-31'), 'quarter', 1, '2025-09-01', '2025-10-26');
    const elsewhere = await f.term(await f.year(await f.school()), 'quarter', 1, '2026-09-01', '2026-10-26');

    expect(await code(unknown, id(q1), teacherToken)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await code(id(math5a), unknown, parentToken)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await code(id(math5a), id(lastYear), parentToken)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await code(id(math5a), unknown, teacherToken)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await code(id(math5a), id(elsewhere), teacherToken)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await code(id(math5a), id(lastYear), teacherToken)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'JOURNAL_TERM_NOT_OF_COURSE_YEAR' });
  });

  it('gives the diary of a student who changed class: each class’s lessons only while in it', async () => {
    const res = await hub.gql(DIARY, { studentId: id(s2), from: '2026-09-01', to: '2026-09-20' }, s2Token);
    expect(res.errors).toBeUndefined();
    const { days, terms } = res.data.diary;
    expect(days.map((d: { date: string }) => d.date)).toEqual(['2026-09-02', '2026-09-09', '2026-09-17']);
    expect(days[0].lessons[0]).toMatchObject({ subject: { code: 'mathematics' }, marks: [{ value: '3' }], attendance: null });
    expect(days[0].lessons[0].lesson).toMatchObject({ number: 1, topic: 'Натуральные числа', homework: '№ 12, 14', teacher: { lastName: 'Математикова' }, course: { classGroup: { name: '5А' } } });
    expect(days[1].lessons[0].attendance).toEqual({ status: 'ILL' });
    expect(days[2].lessons[0]).toMatchObject({ marks: [{ value: '4' }], lesson: { course: { classGroup: { name: '5Б' } } } });
    expect(terms).toHaveLength(1);
    expect(terms[0].subjects).toEqual([{ subject: { code: 'mathematics' }, marks: [{ value: '3' }, { value: '4' }], average: 3.5, termMark: null }]);
  });

  it('gives a parent the child’s diary with the term’s weighted average and term mark', async () => {
    const res = await hub.gql(DIARY, { studentId: id(s1), from: '2026-09-21', to: '2026-09-27' }, parentToken);
    expect(res.errors).toBeUndefined();
    expect(res.data.diary.days).toEqual([
      { date: '2026-09-23', lessons: [expect.objectContaining({ marks: [], attendance: { status: 'ABSENT' } })] },
    ]);
    expect(res.data.diary.terms[0].subjects[0]).toEqual({
      subject: { code: 'mathematics' }, marks: [{ value: '5' }, { value: '4-' }, { value: 'зач' }], average: 4.06, termMark: { value: '5' },
    });
  });

  it('shows a teacher only the days of the classes taught, for a student who changed class', async () => {
    const res = await hub.gql(DIARY, { studentId: id(s2), from: '2026-09-01', to: '2026-09-30' }, teacherToken);
    expect(res.errors).toBeUndefined();
    expect(res.data.diary.days.map((d: { date: string }) => d.date)).toEqual(['2026-09-02', '2026-09-09']);
    expect(res.data.diary.terms[0].subjects[0].marks).toEqual([{ value: '3' }]);
  });

  it('gives the same term summary whatever part of the term the range covers', async () => {
    const summary = async (from: string, to: string) =>
      (await hub.gql(DIARY, { studentId: id(s2), from, to }, s2Token)).data.diary.terms[0].subjects;
    const early = await summary('2026-09-01', '2026-09-07');
    expect(early).toEqual(await summary('2026-09-16', '2026-09-20'));
    expect(early[0]).toMatchObject({ marks: [{ value: '3' }, { value: '4' }], average: 3.5 });
  });

  it('refuses a parent the diary of a child not theirs, and a range that is backwards or too long', async () => {
    const other = await hub.gql(DIARY, { studentId: id(s2), from: '2026-09-01', to: '2026-09-07' }, parentToken);
    expect(other.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(other.data).toBeNull();
    const backwards = await hub.gql(DIARY, { studentId: id(s1), from: '2026-09-07', to: '2026-09-01' }, parentToken);
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { to: expect.any(String) } });
    const long = await hub.gql(DIARY, { studentId: id(s1), from: '2026-09-01', to: '2027-09-05' }, parentToken);
    expect(long.errors?.[0].extensions.reason).toBe('DIARY_RANGE_TOO_LONG');
  });

  it('audits a parent’s read of the diary, and not a student’s read of their own', async () => {
    const count = async (studentId: string) =>
      Number((await hub.dataSource.query(`SELECT count(*) AS n FROM audit_event WHERE action = 'diary.read' AND student_id = $1`, [studentId]))[0].n);
    const [beforeS1, beforeS2] = [await count(s1.id), await count(s2.id)];
    await hub.gql(DIARY, { studentId: id(s1), from: '2026-09-01', to: '2026-09-07' }, parentToken);
    await hub.gql(DIARY, { studentId: id(s2), from: '2026-09-01', to: '2026-09-07' }, s2Token);
    expect(await count(s1.id)).toBe(beforeS1 + 1);
    expect(await count(s2.id)).toBe(beforeS2);
  });

  it('leaves out of the diary what its source system deleted: a lesson, a course, a class’s old enrollment, a teacher', async () => {
    const school = await f.school();
    const year = await f.year(school);
    await f.term(year, 'quarter', 1, '2026-09-01', '2026-10-26');
    const [gone, kept] = [await f.staff(school, ['teacher'], 'Ушедшая'), await f.staff(school, ['teacher'], 'Оставшийся')];
    const [c6a, c6b] = [await f.classGroup(year, 6, 'А'), await f.classGroup(year, 6, 'Б')];
    const [history, music, art] = [await f.course(c6a, 'history', [gone]), await f.course(c6a, 'music', [kept]), await f.course(c6b, 'art', [kept])];
    const pupil = await f.student(school, 'Григорьев');
    const softDelete = (table: string, ref: Ref) =>
      hub.dataSource.query(`UPDATE ${table} SET deleted_in_source_at = now() WHERE school_id = $1 AND id = $2`, [ref.schoolId, ref.id]);
    // Entered in the wrong class, deleted in source, then entered in the right one.
    await softDelete('enrollment', await f.enroll(pupil, c6b, '2026-09-01'));
    await f.enroll(pupil, c6a, '2026-09-01');
    const [h1, h2] = [await f.lesson(history, '2026-09-07', 1, gone), await f.lesson(history, '2026-09-08', 1, gone)];
    const m1 = await f.lesson(music, '2026-09-07', 2, kept);
    await f.lesson(art, '2026-09-07', 3, kept);
    await f.mark(h1, pupil, '5');
    await f.mark(m1, pupil, '4');
    await softDelete('lesson', h2);
    await softDelete('course', music);
    await softDelete('staff', gone);
    const admin = await f.account([{ role: Role.SCHOOL_ADMIN, person: await f.staff(school, ['director']) }]);

    const res = await hub.gql(DIARY, { studentId: id(pupil), from: '2026-09-07', to: '2026-09-08' }, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data.diary.days).toEqual([{ date: '2026-09-07', lessons: [expect.objectContaining({ subject: { code: 'history' }, marks: [{ value: '5' }] })] }]);
    expect(res.data.diary.days[0].lessons[0].lesson.teacher).toBeNull();
    expect(res.data.diary.terms[0].subjects.map((s: { subject: { code: string } }) => s.subject.code)).toEqual(['history']);
  });
});
