// Figure 3: a course's term journal as its teacher opens it, at two class sizes: the latency and the
// number of SQL statements per request (which must not grow with the class, and should stay within
// the query's depth + 1), against one hand-written SQL statement returning the same grid through pg.
import pg from 'pg';
import { createTeacher, signIn } from '../lib/accounts.mjs';
import { countStatements, gql, queryDepth, startInProcessHub } from '../lib/hub.mjs';
import { latencySummary, timeEach } from '../lib/stats.mjs';

const DAY = '2026-11-16';
const TIMES = 40;

const JOURNAL = `query Journal($courseId: ID!, $termId: ID!) {
  journal(courseId: $courseId, termId: $termId) {
    course { subject { name } teachers { shortName } classGroup { name homeroomTeacher { shortName } } }
    lessons { date number topic teacher { shortName } }
    rows {
      student { shortName }
      cells { lesson { id } marks { value weight workKind { name } enteredBy { shortName } } attendance { status } }
      average
      termMark { value }
    }
  }
}`;

/** The same grid in one statement (prepared, as the hub's own): the term's lessons, the students of the course, each one's marks, attendance and term mark. */
const JOURNAL_SQL = `
WITH c AS (SELECT id, class_group_id, subgroup FROM course WHERE school_id = $1 AND id = $2),
t AS (SELECT id, starts_on, ends_on FROM term WHERE school_id = $1 AND id = $3),
lessons AS (
  SELECT l.id, l.date, l.number, l.topic, l.teacher_id FROM lesson l, t
   WHERE l.school_id = $1 AND l.course_id = $2 AND l.date BETWEEN t.starts_on AND t.ends_on),
students AS (
  SELECT DISTINCT e.student_id FROM enrollment e, c, t
   WHERE e.school_id = $1 AND e.class_group_id = c.class_group_id AND e.starts_on <= t.ends_on AND (e.ends_on IS NULL OR e.ends_on >= t.starts_on)
     AND (c.subgroup = '' OR EXISTS (SELECT 1 FROM course_student cs WHERE cs.school_id = $1 AND cs.course_id = $2 AND cs.student_id = e.student_id))),
marks AS (
  SELECT m.student_id, json_agg(json_build_object('lesson', m.lesson_id, 'value', m.value, 'weight', m.weight, 'workKind', wk.name, 'enteredBy', eb.last_name)) AS marks
    FROM mark m JOIN work_kind wk ON wk.code = m.work_kind LEFT JOIN staff eb ON eb.school_id = $1 AND eb.id = m.entered_by_id
   WHERE m.school_id = $1 AND m.lesson_id IN (SELECT id FROM lessons) GROUP BY m.student_id),
absences AS (
  SELECT a.student_id, json_agg(json_build_object('lesson', a.lesson_id, 'status', a.status)) AS attendance
    FROM attendance a WHERE a.school_id = $1 AND a.lesson_id IN (SELECT id FROM lessons) GROUP BY a.student_id)
SELECT json_build_object(
  'lessons', (SELECT json_agg(json_build_object('date', l.date, 'number', l.number, 'topic', l.topic, 'teacher', st.last_name) ORDER BY l.date, l.number)
                FROM lessons l LEFT JOIN staff st ON st.school_id = $1 AND st.id = l.teacher_id),
  'rows', (SELECT json_agg(json_build_object(
             'student', s.last_name || ' ' || s.first_name, 'marks', m.marks, 'attendance', a.attendance,
             'termMark', (SELECT f.value FROM final_mark f WHERE f.school_id = $1 AND f.student_id = s.id AND f.course_id = $2 AND f.term_id = $3 AND f.kind = 'term' LIMIT 1))
             ORDER BY s.last_name, s.first_name)
             FROM students x JOIN student s ON s.school_id = $1 AND s.id = x.student_id
             LEFT JOIN marks m ON m.student_id = s.id LEFT JOIN absences a ON a.student_id = s.id)) AS journal`;

export async function journalFigures({ ds, report, log, databaseUrl }) {
  const courses = await twoClassSizes(ds);
  const hub = await startInProcessHub(ds);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const depth = await queryDepth(JOURNAL);
    const measured = [];
    for (const [i, course] of courses.entries()) {
      const [teacher] = await signIn(hub.url, [await createTeacher(ds, course.school_id, course.staff_id, `bench.teacher.${i}`)]);
      const variables = { courseId: `${course.school_id}:${course.course_id}`, termId: `${course.school_id}:${course.term_id}` };
      const once = () => gql(hub.url, JOURNAL, variables, teacher.token);
      const { count, result, statements } = await countStatements(ds, once);
      if (process.env.BENCH_SHOW_SQL) log(statements.map((q) => `    ${q.replace(/\s+/g, ' ').slice(0, 150)}`).join('\n'));
      const rows = result.journal.rows.length;
      const lessons = result.journal.lessons.length;
      const marks = result.journal.rows.reduce((n, r) => n + r.cells.reduce((k, c) => k + c.marks.length, 0), 0);
      const latency = latencySummary(await timeEach(once, { times: TIMES, warmup: 5 }));
      const sqlParams = [course.school_id, course.course_id, course.term_id];
      const [{ journal }] = (await pool.query(JOURNAL_SQL, sqlParams)).rows;
      if ((journal.rows?.length ?? 0) !== rows) log(`  note: the SQL baseline found ${journal.rows?.length} students, the journal ${rows}`);
      const baseline = latencySummary(await timeEach(() => pool.query({ name: 'journal_baseline', text: JOURNAL_SQL, values: sqlParams }), { times: TIMES, warmup: 5 }));
      log(`  ${rows} students × ${lessons} lessons, ${marks} marks: ${count} SQL statements, p50 ${latency.p50.toFixed(1)} ms (one SQL: ${baseline.p50.toFixed(1)} ms)`);
      measured.push({ rows, lessons, marks, count });
      const group = `journal: ${rows} students × ${lessons} lessons`;
      report.add({ group, name: 'latency p50, one teacher', value: latency.p50, unit: 'ms', baseline: { value: baseline.p50, what: 'one SQL via pg, p50' }, detail: { p95: latency.p95, marks } });
      report.add({
        group, name: 'SQL statements per request', value: count, unit: 'statements', baseline: { value: depth + 1, what: `query depth ${depth} + 1` },
        target: '≤ depth + 1', met: count <= depth + 1,
      });
    }
    const [small, large] = measured;
    report.add({
      group: 'journal', name: `SQL statements, ${large.rows} vs ${small.rows} students`, value: large.count, unit: 'statements',
      baseline: { value: small.count, what: `${small.rows} students` }, target: 'the same for both sizes', met: large.count === small.count,
    });
  } finally {
    await pool.end();
    await hub.stop();
  }
}

/**
 * The smallest and the largest course (by students in the term holding DAY) of grades 2–11 in the
 * hub-journal schools, with a teacher of each and that term.
 */
async function twoClassSizes(ds) {
  const courses = await ds.query(`
    WITH sized AS (
      SELECT c.school_id, c.id AS course_id, t.id AS term_id,
             (SELECT staff_id FROM course_teacher ct WHERE ct.school_id = c.school_id AND ct.course_id = c.id ORDER BY staff_id LIMIT 1) AS staff_id,
             CASE WHEN c.subgroup = '' THEN (SELECT count(*) FROM enrollment e WHERE e.school_id = c.school_id AND e.class_group_id = c.class_group_id
                                               AND e.starts_on <= t.ends_on AND (e.ends_on IS NULL OR e.ends_on >= t.starts_on))
                  ELSE (SELECT count(*) FROM course_student cs WHERE cs.school_id = c.school_id AND cs.course_id = c.id) END AS students
        FROM course c
        JOIN school s ON s.id = c.school_id AND s.system_of_record = 'builtin'
        JOIN class_group cg ON cg.school_id = c.school_id AND cg.id = c.class_group_id
        JOIN term t ON t.school_id = cg.school_id AND t.academic_year_id = cg.academic_year_id AND t.kind = cg.term_kind AND $1::date BETWEEN t.starts_on AND t.ends_on
       -- Whole-class courses from grade 2 (the first grade gets no marks): both journals have marks and the same shape.
       WHERE cg.grade_level >= 2 AND c.subgroup = ''
         AND EXISTS (SELECT 1 FROM lesson l WHERE l.school_id = c.school_id AND l.course_id = c.id AND l.date BETWEEN t.starts_on AND t.ends_on))
    (SELECT * FROM sized WHERE students > 0 AND staff_id IS NOT NULL ORDER BY students, course_id LIMIT 1)
    UNION ALL
    (SELECT * FROM sized WHERE staff_id IS NOT NULL ORDER BY students DESC, course_id LIMIT 1)`, [DAY]);
  if (courses.length < 2) throw new Error('no courses with lessons in the term to open a journal of');
  return courses;
}
