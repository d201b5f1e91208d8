import { Role } from '../../src/policy/viewer';
import { Fixture, Ref } from '../factories/fixture';
import { useTestHub } from '../setup/hub';
import { countStatements, JOURNAL_NESTED } from '../setup/statements';

const DIARY = `query($studentId: ID!) {
  diary(studentId: $studentId, from: "2026-09-01", to: "2026-10-26") {
    days { date lessons { subject { name } lesson { topic homework teacher { shortName } } marks { value weight workKind { name } } attendance { status } } }
    terms { term { name } subjects { subject { name } average marks { value } termMark { value } } }
  }
}`;

/** A class of `students` with a course of `lessons` lessons, each student marked in every lesson. */
async function classWith(f: Fixture, students: number, lessons: number) {
  const school = await f.school();
  const year = await f.year(school);
  const term = await f.term(year, 'quarter', 1, '2026-09-01', '2026-10-26');
  const teacher = await f.staff(school);
  const cls = await f.classGroup(year, 6, 'А', teacher);
  const course = await f.course(cls, 'history', [teacher]);
  const other = await f.course(cls, 'geography', [teacher]);
  const roster: Ref[] = [];
  for (let s = 0; s < students; s++) {
    const student = await f.student(school);
    await f.enroll(student, cls, '2026-09-01');
    roster.push(student);
  }
  for (let l = 0; l < lessons; l++) {
    const date = `2026-09-${String(1 + l).padStart(2, '0')}`;
    for (const c of [course, other]) {
      const lesson = await f.lesson(c, date, c === course ? 1 : 2, teacher);
      for (const [i, student] of roster.entries()) {
        await f.mark(lesson, student, String(2 + ((i + l) % 4)), { workKind: l % 5 === 0 ? 'control_work' : 'class_answer' });
        if ((i + l) % 7 === 0) await f.attendance(lesson, student, 'late');
      }
    }
  }
  for (const student of roster) await f.termMark(course, student, term, '4');
  const token = (await f.account([{ role: Role.TEACHER, person: teacher }])).token;
  return { course, term, token, student: roster[0] };
}

describe('SQL statements per request (DESIGN rule 5)', () => {
  const hub = useTestHub();

  it('are the same for a journal of 10 students × 5 lessons and of 30 students × 20 lessons', async () => {
    const f = new Fixture(hub.dataSource);
    const small = await classWith(f, 10, 5);
    const large = await classWith(f, 30, 20);
    const run = (c: typeof small) => countStatements(hub.dataSource, async () => {
      const res = await hub.gql(JOURNAL_NESTED, { courseId: Fixture.apiId(c.course), termId: Fixture.apiId(c.term) }, c.token);
      expect(res.errors).toBeUndefined();
      return res.data.journal;
    });
    const a = await run(small);
    const b = await run(large);
    expect(a.result.rows).toHaveLength(10);
    expect(b.result.rows).toHaveLength(30);
    expect(b.result.rows[0].cells).toHaveLength(20);
    expect(b.count).toBe(a.count);
    // The viewer, the course with its class and term (for the policy), the journal, its access-log
    // entry; SHOW_SQL=1 lists them.
    if (process.env.SHOW_SQL) console.log(a.statements.map((s) => s.replace(/\s+/g, ' ').slice(0, 160)).join('\n'));
    expect(a.count).toBe(4);
  });

  it('are the same for a diary of 5 and of 20 school days', async () => {
    const f = new Fixture(hub.dataSource);
    const small = await classWith(f, 3, 5);
    const large = await classWith(f, 3, 20);
    const run = (c: typeof small) => countStatements(hub.dataSource, async () => {
      const res = await hub.gql(DIARY, { studentId: Fixture.apiId(c.student) }, c.token);
      expect(res.errors).toBeUndefined();
      return res.data.diary;
    });
    const a = await run(small);
    const b = await run(large);
    expect(a.result.days).toHaveLength(5);
    expect(b.result.days).toHaveLength(20);
    expect(b.count).toBe(a.count);
    // The viewer, the student with their enrollments, the diary, its access-log entry; nested fields
    // (teachers, kinds of work, weights) come from what the diary's statement brought.
    if (process.env.SHOW_SQL) console.log(a.statements.map((s) => s.replace(/\s+/g, ' ').slice(0, 200)).join('\n'));
    expect(a.count).toBe(4);
  });
});
