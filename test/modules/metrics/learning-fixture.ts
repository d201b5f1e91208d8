import { Role } from '../../../src/policy/viewer';
import { Fixture, Ref } from '../../factories/fixture';

/**
 * Two schools whose learning figures are worked out by hand in the specs. Both use the default time
 * zone, Asia/Yekaterinburg (UTC+5). Dates are of the 2026/2027 year:
 *
 * School A (control work weighs 3 here instead of the default 2)
 *   5А: a1…a6 from 1 Sept (a6 leaves after 10 Sept), a7 from 10 Sept; 5Б: b1…b5; 10А (halves): t1…t4.
 *   5А mathematics   L1 Mon 07.09  a1 5 · a2 4 · a3 3 (control work, 3) · a4 4− (own weight 2) · a5 зач · a6 2 (homework)
 *                    L2 Mon 14.09  a1 4 (control work, 3) · a2 незач; absent a3, excused a4, late a5
 *                    L3 Mon 09.11  a1 5 (quarter 2: a group of one)
 *   5Б mathematics   L4 Tue 08.09  b1 5 · b2 5 · b3 4 · b4 3 · b5 1
 *   5А Russian       L5 Wed 09.09  a1 5 · a2 5 · a3 4 · a4 4 (four students)
 *   10А mathematics  L6 Thu 10.09  t1 5 · t2 4 · t3 4 · t4 3 (four students)
 *   Entered late (after the lesson's day in UTC+5): a6 at L1 (20:00 UTC = 01:00 next day), a1 at L2, b5.
 *
 * School B
 *   5А: c1…c5.  5А mathematics  L7 Mon 07.09  c1 3 (control work, default 2) · c2 3 · c3 4 · c4 4 · c5 5
 */
export async function buildLearningFixture(f: Fixture) {
  const ds = f.ds;
  const a = await f.school({ shortName: 'Школа А' });
  const b = await f.school({ shortName: 'Школа Б' });
  await f.workKindWeight(a, 'control_work', 3);

  const yearA = await f.year(a);
  const q1A = await f.term(yearA, 'quarter', 1, '2026-09-01', '2026-10-26');
  const q2A = await f.term(yearA, 'quarter', 2, '2026-11-05', '2026-12-28');
  const h1A = await f.term(yearA, 'half', 1, '2026-09-01', '2026-12-28');
  const yearB = await f.year(b);
  const q1B = await f.term(yearB, 'quarter', 1, '2026-09-01', '2026-10-26');

  const teacherA = await f.staff(a);
  const adminA = await f.staff(a, ['director']);
  const teacherB = await f.staff(b);
  const adminB = await f.staff(b, ['director']);

  const c5a = await f.classGroup(yearA, 5, 'А', teacherA);
  const c5b = await f.classGroup(yearA, 5, 'Б');
  const c10a = await f.classGroup(yearA, 10, 'А', undefined, 'half');
  const cB = await f.classGroup(yearB, 5, 'А', teacherB);

  const roster = async (cls: Ref, n: number, startsOn = '2026-09-01') => {
    const students: Ref[] = [];
    for (let i = 0; i < n; i++) {
      const s = await f.student(cls.schoolId);
      await f.enroll(s, cls, startsOn);
      students.push(s);
    }
    return students;
  };
  const as = await roster(c5a, 5);
  const a6 = await f.student(a);
  await f.enroll(a6, c5a, '2026-09-01', '2026-09-10');
  const a7 = await f.student(a);
  await f.enroll(a7, c5a, '2026-09-10');
  as.push(a6, a7);
  const bs = await roster(c5b, 5);
  const ts = await roster(c10a, 4);
  const cs = await roster(cB, 5);

  const math5a = await f.course(c5a, 'mathematics', [teacherA]);
  const russian5a = await f.course(c5a, 'russian', [teacherA]);
  const math5b = await f.course(c5b, 'mathematics', [teacherA]);
  const math10a = await f.course(c10a, 'mathematics', [teacherA]);
  const mathB = await f.course(cB, 'mathematics', [teacherB]);

  const l1 = await f.lesson(math5a, '2026-09-07', 1, teacherA);
  const l2 = await f.lesson(math5a, '2026-09-14', 1, teacherA);
  const l3 = await f.lesson(math5a, '2026-11-09', 1, teacherA);
  const l4 = await f.lesson(math5b, '2026-09-08', 1, teacherA);
  const l5 = await f.lesson(russian5a, '2026-09-09', 2, teacherA);
  const l6 = await f.lesson(math10a, '2026-09-10', 3, teacherA);
  const l7 = await f.lesson(mathB, '2026-09-07', 1, teacherB);

  /** A mark entered at `enteredAt` (UTC), by default at 10:00 local time on the lesson's day. */
  const mark = async (lesson: Ref, date: string, student: Ref, value: string,
    o: { workKind?: string; weight?: number; numeric?: number; scale?: string; enteredAt?: string } = {}) => {
    const ref = await f.mark(lesson, student, value, o);
    await ds.query('UPDATE mark SET entered_at = $3 WHERE school_id = $1 AND id = $2', [ref.schoolId, ref.id, o.enteredAt ?? `${date}T05:00:00Z`]);
    return ref;
  };
  await mark(l1, '2026-09-07', as[0], '5');
  await mark(l1, '2026-09-07', as[1], '4', { enteredAt: '2026-09-07T18:30:00Z' }); // 23:30 local: still the lesson's day
  await mark(l1, '2026-09-07', as[2], '3', { workKind: 'control_work' });
  await mark(l1, '2026-09-07', as[3], '4-', { numeric: 3.75, weight: 2 });
  await mark(l1, '2026-09-07', as[4], 'зач', { scale: 'pass_fail', workKind: 'credit' });
  await mark(l1, '2026-09-07', as[5], '2', { workKind: 'homework', enteredAt: '2026-09-07T20:00:00Z' });
  await mark(l2, '2026-09-14', as[0], '4', { workKind: 'control_work', enteredAt: '2026-09-14T19:30:00Z' });
  await mark(l2, '2026-09-14', as[1], 'незач', { scale: 'pass_fail', workKind: 'credit' });
  await f.attendance(l2, as[2], 'absent');
  await f.attendance(l2, as[3], 'excused');
  await f.attendance(l2, as[4], 'late');
  await mark(l3, '2026-11-09', as[0], '5');
  for (const [i, v] of ['5', '5', '4', '3', '1'].entries()) {
    await mark(l4, '2026-09-08', bs[i], v, i === 4 ? { enteredAt: '2026-09-10T05:00:00Z' } : {});
  }
  for (const [i, v] of ['5', '5', '4', '4'].entries()) await mark(l5, '2026-09-09', as[i], v);
  for (const [i, v] of ['5', '4', '4', '3'].entries()) await mark(l6, '2026-09-10', ts[i], v);
  for (const [i, v] of ['3', '3', '4', '4', '5'].entries()) await mark(l7, '2026-09-07', cs[i], v, i === 0 ? { workKind: 'control_work' } : {});

  const guardian = await f.guardian(as[0]);
  const parent = await f.account([{ role: Role.PARENT, person: guardian }]);
  await f.grant(as[0], parent.id);
  const [subjects]: { math: string; russian: string }[] = await ds.query(
    `SELECT (SELECT id FROM subject WHERE code = 'mathematics') AS math, (SELECT id FROM subject WHERE code = 'russian') AS russian`);
  return {
    a, b, q1A, q2A, h1A, q1B, as, bs, ts, cs, l5, subjects,
    tokens: {
      directorate: (await f.account([], { directorate: true })).token,
      adminA: (await f.account([{ role: Role.SCHOOL_ADMIN, person: adminA }])).token,
      adminB: (await f.account([{ role: Role.SCHOOL_ADMIN, person: adminB }])).token,
      teacherA: (await f.account([{ role: Role.TEACHER, person: teacherA }])).token,
      parentA: parent.token,
    },
  };
}

export type LearningFixture = Awaited<ReturnType<typeof buildLearningFixture>>;

export const FIGURES = `query($filter: LearningFiguresFilter, $groupBy: [LearningDimension!]) {
  learningFigures(filter: $filter, groupBy: $groupBy) {
    academicYear school { id shortName } gradeLevel subject { id name } term { kind number }
    suppressed students marks average distribution { value count } promptness
    enrolledStudents studentLessons absences { absent ill excused late } attendanceRate
  }
}`;

export const TREND = `query($filter: LearningTrendFilter, $interval: TrendInterval!, $groupBy: [LearningDimension!]) {
  learningTrend(filter: $filter, interval: $interval, groupBy: $groupBy) {
    school { shortName } gradeLevel subject { name }
    points { periodStart periodEnd suppressed marks average }
  }
}`;
