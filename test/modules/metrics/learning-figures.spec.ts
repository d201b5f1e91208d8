import { Fixture } from '../../factories/fixture';
import { useTestHub } from '../../setup/hub';
import { countStatements } from '../../setup/statements';
import { markLearningDataChanged } from '../../../src/modules/metrics/learning-rollups';
import { buildLearningFixture, FIGURES, LearningFixture, TREND } from './learning-fixture';

const distribution = (counts: [string, number][]) => counts.map(([value, count]) => ({ value, count }));
const NOTHING = {
  students: null, marks: null, average: null, distribution: null, promptness: null,
  enrolledStudents: null, studentLessons: null, absences: null, attendanceRate: null,
};

describe('learning figures', () => {
  const hub = useTestHub();
  let x: LearningFixture;
  const figures = async (variables: Record<string, unknown>, token = x.tokens.directorate) => {
    const res = await hub.gql(FIGURES, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data.learningFigures as any[];
  };

  beforeAll(async () => {
    x = await buildLearningFixture(new Fixture(hub.dataSource));
  });

  it('give a group’s weighted average, distribution, promptness and attendance as worked out by hand', async () => {
    const [row] = await figures({
      filter: { schoolId: x.a, gradeLevel: 5, subjectId: x.subjects.math, term: { kind: 'QUARTER', number: 1 } },
    });
    expect(row).toEqual({
      academicYear: '2026/2027', school: { id: x.a, shortName: 'Школа А' }, gradeLevel: 5,
      subject: { id: x.subjects.math, name: 'Математика' }, term: { kind: 'QUARTER', number: 1 }, suppressed: false,
      students: 11, marks: 13,
      // (5·1 + 4·1 + 3·3 + 3.75·2 + 2·1 + 4·3 + 5 + 5 + 4 + 3 + 1) / (1 + 1 + 3 + 2 + 1 + 3 + 5) = 57.5 / 16
      average: 3.59,
      distribution: distribution([['1', 1], ['2', 1], ['3', 2], ['4', 4], ['5', 3], ['зач', 1], ['незач', 1]]),
      // 3 of 13 entered after the lesson's day in UTC+5, one of them at 20:00 UTC of the day itself
      promptness: 0.7692,
      // L1: a1–a6, L2: a1–a5 and a7, L4: b1–b5
      enrolledStudents: 12, studentLessons: 17, absences: { absent: 1, ill: 0, excused: 1, late: 1 },
      attendanceRate: 0.8824, // (17 − 2) / 17: late counts as present
    });
  });

  it('show a group of five students and suppress a group of four', async () => {
    const [five] = await figures({ filter: { schoolId: x.b, gradeLevel: 5, subjectId: x.subjects.math } });
    expect(five).toMatchObject({
      suppressed: false, students: 5, marks: 5, average: 3.67, promptness: 1, studentLessons: 5, attendanceRate: 1,
      distribution: distribution([['1', 0], ['2', 0], ['3', 2], ['4', 2], ['5', 1], ['зач', 0], ['незач', 0]]),
    });
    const [four] = await figures({ filter: { schoolId: x.a, gradeLevel: 5, subjectId: x.subjects.russian } });
    expect(four).toEqual({
      academicYear: '2026/2027', school: { id: x.a, shortName: 'Школа А' }, gradeLevel: 5,
      subject: { id: x.subjects.russian, name: 'Русский язык' }, term: null, suppressed: true, ...NOTHING,
    });
    const [grade10] = await figures({ filter: { schoolId: x.a, gradeLevel: 10 } });
    expect(grade10).toMatchObject({ gradeLevel: 10, suppressed: true, students: null, average: null });
  });

  it('leave the marks of a group too small to show out of every larger group', async () => {
    // School A's year: the four Russian marks (and the one of quarter 2, and grade 10's) are not counted.
    const [schoolA] = await figures({ filter: { schoolId: x.a } });
    expect(schoolA).toMatchObject({
      suppressed: false, students: 11, marks: 13, average: 3.59, promptness: 0.7692,
      // Attendance of 5А mathematics (17), its quarter-2 lesson (6) and 5А Russian (6); not 10А's four students.
      enrolledStudents: 12, studentLessons: 29, attendanceRate: 0.931,
    });
  });

  it('add schools up for the municipality', async () => {
    const [all] = await figures({});
    expect(all).toMatchObject({
      school: null, gradeLevel: null, subject: null, term: null, suppressed: false,
      students: 16, marks: 18, average: 3.61, // (57.5 + 22) / (16 + 6)
      distribution: distribution([['1', 1], ['2', 1], ['3', 4], ['4', 6], ['5', 4], ['зач', 1], ['незач', 1]]),
      promptness: 0.8333, enrolledStudents: 17, studentLessons: 34, attendanceRate: 0.9412,
    });
    const bySchool = await figures({ groupBy: ['SCHOOL'] });
    expect(bySchool.map((r) => [r.school.shortName, r.marks, r.average, r.studentLessons])).toEqual([
      ['Школа А', 13, 3.59, 29],
      ['Школа Б', 5, 3.67, 5],
    ]);
  });

  it('group terms across schools by kind and number', async () => {
    const byTerm = await figures({ groupBy: ['TERM'] });
    expect(byTerm.map((r) => [r.term.kind, r.term.number, r.suppressed, r.marks, r.studentLessons])).toEqual([
      ['QUARTER', 1, false, 18, 28],
      ['QUARTER', 2, true, null, null],
      ['HALF', 1, true, null, null],
    ]);
    const [quarter1] = await figures({ filter: { term: { kind: 'QUARTER', number: 1 }, gradeLevel: 5, subjectId: x.subjects.math } });
    expect(quarter1).toMatchObject({ students: 16, marks: 18, average: 3.61, studentLessons: 22 });
    const [oneSchoolsTerm] = await figures({ filter: { termId: Fixture.apiId(x.q1B) } });
    expect(oneSchoolsTerm).toMatchObject({ school: { shortName: 'Школа Б' }, term: { kind: 'QUARTER', number: 1 }, marks: 5 });
  });

  it('group by school, grade level, subject and term at once', async () => {
    const rows = await figures({ groupBy: ['SCHOOL', 'GRADE_LEVEL', 'SUBJECT', 'TERM'] });
    expect(rows.map((r) => [r.school.shortName, r.gradeLevel, r.subject.name, `${r.term.kind} ${r.term.number}`, r.suppressed, r.marks]))
      .toEqual([
        ['Школа А', 5, 'Математика', 'QUARTER 1', false, 13],
        ['Школа А', 5, 'Математика', 'QUARTER 2', true, null],
        ['Школа А', 5, 'Русский язык', 'QUARTER 1', true, null],
        ['Школа А', 10, 'Математика', 'HALF 1', true, null],
        ['Школа Б', 5, 'Математика', 'QUARTER 1', false, 5],
      ]);
  });

  it('give weekly and monthly averages, suppressing the periods of fewer than five students', async () => {
    const filter = { schoolId: x.a, gradeLevel: 5, subjectId: x.subjects.math };
    const weekly = await hub.gql(TREND, { filter, interval: 'WEEK' }, x.tokens.directorate);
    expect(weekly.errors).toBeUndefined();
    expect(weekly.data.learningTrend).toEqual([{
      school: { shortName: 'Школа А' }, gradeLevel: 5, subject: { name: 'Математика' },
      points: [
        { periodStart: '2026-09-07', periodEnd: '2026-09-13', suppressed: false, marks: 11, average: 3.5 }, // 45.5 / 13
        { periodStart: '2026-09-14', periodEnd: '2026-09-20', suppressed: true, marks: null, average: null },
        { periodStart: '2026-11-09', periodEnd: '2026-11-15', suppressed: true, marks: null, average: null },
      ],
    }]);
    const monthly = await hub.gql(TREND, { filter, interval: 'MONTH' }, x.tokens.adminA);
    expect(monthly.data.learningTrend[0].points).toEqual([
      { periodStart: '2026-09-01', periodEnd: '2026-09-30', suppressed: false, marks: 13, average: 3.59 },
      { periodStart: '2026-11-01', periodEnd: '2026-11-30', suppressed: true, marks: null, average: null },
    ]);
    const acrossSchools = await hub.gql(TREND, {
      filter: { gradeLevel: 5, subjectId: x.subjects.math, from: '2026-09-10', to: '2026-09-30' }, interval: 'WEEK', groupBy: ['SCHOOL'],
    }, x.tokens.directorate);
    expect(acrossSchools.data.learningTrend.map((s: any) => [s.school.shortName, s.points.map((p: any) => p.periodStart)])).toEqual([
      ['Школа А', ['2026-09-07', '2026-09-14']],
      ['Школа Б', ['2026-09-07']],
    ]);
    const together = await hub.gql(TREND, { filter: { gradeLevel: 5, to: '2026-09-13' }, interval: 'WEEK' }, x.tokens.directorate);
    // A's cell of the week (11 students) and B's (5): (45.5 + 22) / (13 + 6)
    expect(together.data.learningTrend[0].points).toEqual([
      { periodStart: '2026-09-07', periodEnd: '2026-09-13', suppressed: false, marks: 16, average: 3.55 },
    ]);
  });

  it('run as many SQL statements for many groups as for one', async () => {
    const groupBy = ['SCHOOL', 'GRADE_LEVEL', 'SUBJECT', 'TERM'];
    const run = (filter: object) => countStatements(hub.dataSource, async () => figures({ filter, groupBy }));
    await run({}); // rollups refreshed before counting
    const one = await run({ schoolId: x.b });
    const many = await run({});
    expect(one.result).toHaveLength(1);
    expect(many.result).toHaveLength(5);
    expect(many.count).toBe(one.count);
    // sign-in (2), stale schools, figures, and the school and subject loaders when asked for
    expect(many.count).toBeLessThanOrEqual(6);
  });

  it('show a change of data in the next read once the writer has marked the school changed', async () => {
    const before = await figures({ filter: { schoolId: x.a, gradeLevel: 5, subjectId: x.subjects.russian, term: { kind: 'QUARTER', number: 1 } } });
    expect(before[0].suppressed).toBe(true);
    await hub.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO mark (school_id, lesson_id, student_id, scale, value, numeric_value) VALUES ($1, $2, $3, 'five_point', '3', 3)`,
        [x.a, x.l5.id, x.as[4].id]);
      await markLearningDataChanged(em, x.a);
    });
    const after = await figures({ filter: { schoolId: x.a, gradeLevel: 5, subjectId: x.subjects.russian, term: { kind: 'QUARTER', number: 1 } } });
    expect(after[0]).toMatchObject({ suppressed: false, students: 5, marks: 5, average: 4.2, promptness: 0.8 }); // the new mark was entered today, long after the lesson
    const [schoolA] = await figures({ filter: { schoolId: x.a } });
    expect(schoolA.marks).toBe(18);
  });

  it('count promptness only over marks whose entry time is known (a vendor system may not say)', async () => {
    const filter = { schoolId: x.a, gradeLevel: 5, subjectId: x.subjects.russian, term: { kind: 'QUARTER', number: 1 } };
    const before = (await figures({ filter }))[0];
    await hub.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO mark (school_id, lesson_id, student_id, scale, value, numeric_value, entered_at) VALUES ($1, $2, $3, 'five_point', '5', 5, NULL)`,
        [x.a, x.l5.id, x.as[4].id]);
      await markLearningDataChanged(em, x.a);
    });
    const after = (await figures({ filter }))[0];
    // One more mark, the same promptness: its entry time is unknown, so it counts neither way.
    expect(after.marks).toBe(before.marks + 1);
    expect(after.promptness).toBe(before.promptness);
  });
});
