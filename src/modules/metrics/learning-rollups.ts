import { DataSource, EntityManager } from 'typeorm';

/**
 * Keeping the learning rollups (migration CreateLearningRollups) up to date.
 *
 * Writers say that a school's data changed: `markLearningDataChanged(em, schoolId)` in the transaction
 * that writes marks, attendance, lessons, enrollments or the school's classes and terms. It bumps the
 * school's row of learning_data_version, which also serializes the writers of one school until they
 * commit (a row lock for the length of a journal write).
 *
 * Reads refresh the schools whose data version moved past the one their rollups were computed from,
 * then answer from the rollups. A refresh never waits for a writer: it reads the committed version
 * without a lock, and everything that version covers was committed with it, so the rollups computed
 * next include it; a writer still in flight bumps the version past it and the school is stale again.
 */

/** Marks a school's learning data as changed; cheap (one upsert of one row), call it in the writer's transaction. */
export async function markLearningDataChanged(em: Pick<EntityManager, 'query'>, schoolId: string): Promise<void> {
  await em.query(
    `INSERT INTO learning_data_version AS v (school_id, version, changed_at) VALUES ($1, 1, now())
     ON CONFLICT (school_id) DO UPDATE SET version = v.version + 1, changed_at = now()`,
    [schoolId],
  );
}

/** Fewer distinct students than this and a group's figures are not shown: no child can be singled out. */
export const MIN_GROUP_STUDENTS = 5;

/**
 * A city-scale school takes seconds to refresh; the request defaults (15 s a statement, 5 s waiting
 * for a lock) would cut a slow refresh, or a second reader queued behind it, short.
 */
const REFRESH_STATEMENT_TIMEOUT = '120s';
const REFRESH_LOCK_TIMEOUT = '120s';
/** Enough to sort a school's marks in memory rather than in files on disk. */
const REFRESH_WORK_MEM = '128MB';

/** The schools (all, or the one given) whose rollups are missing or older than their data: one statement. */
export async function staleSchools(ds: DataSource, schoolId: string | null): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(
    `SELECT s.id
       FROM school s
       LEFT JOIN learning_data_version v ON v.school_id = s.id
       LEFT JOIN learning_rollup_state r ON r.school_id = s.id
      WHERE ($1::uuid IS NULL OR s.id = $1)
        AND (r.school_id IS NULL OR r.data_version < coalesce(v.version, 0))
      ORDER BY s.id`,
    [schoolId],
  );
  return rows.map((r) => r.id);
}

/** Refreshes the stale schools among those in scope, one school per transaction. Returns the schools refreshed. */
export async function refreshStaleLearningRollups(ds: DataSource, schoolId: string | null = null): Promise<string[]> {
  const refreshed: string[] = [];
  for (const id of await staleSchools(ds, schoolId)) {
    if (await refreshLearningRollups(ds, id)) refreshed.push(id);
  }
  return refreshed;
}

/**
 * Recomputes one school's rollups from its marks, lessons and attendance, in one transaction, unless
 * another refresh brought them up to date meanwhile (it waits for that one). Returns whether it did.
 */
export async function refreshLearningRollups(ds: DataSource, schoolId: string): Promise<boolean> {
  return ds.transaction(async (em) => {
    const started = Date.now();
    await em.query(`SET LOCAL statement_timeout = '${REFRESH_STATEMENT_TIMEOUT}'`);
    await em.query(`SET LOCAL lock_timeout = '${REFRESH_LOCK_TIMEOUT}'`);
    await em.query(`SET LOCAL work_mem = '${REFRESH_WORK_MEM}'`);
    await em.query(`INSERT INTO learning_rollup_state (school_id, data_version) VALUES ($1, -1) ON CONFLICT (school_id) DO NOTHING`, [schoolId]);
    // Concurrent refreshes of one school queue here; the later ones then find nothing left to do.
    const [state]: { data_version: number }[] = await em.query(
      `SELECT data_version FROM learning_rollup_state WHERE school_id = $1 FOR UPDATE`, [schoolId]);
    const [{ version }]: { version: number }[] = await em.query(
      `SELECT coalesce(max(version), 0) AS version FROM learning_data_version WHERE school_id = $1`, [schoolId]);
    if (state.data_version >= version) return false;

    await em.query(`DELETE FROM learning_rollup WHERE school_id = $1`, [schoolId]);
    await em.query(LESSON_TERMS_SQL, [schoolId]);
    await em.query(`ANALYZE learning_refresh_lesson`);
    await em.query(LEARNING_ROLLUP_SQL, [schoolId]);
    await em.query(`DELETE FROM learning_trend_rollup WHERE school_id = $1`, [schoolId]);
    await em.query(LEARNING_TREND_ROLLUP_SQL, [schoolId]);
    await em.query(
      `UPDATE learning_rollup_state SET data_version = $2, refreshed_at = now(), refresh_ms = $3 WHERE school_id = $1`,
      [schoolId, version, Date.now() - started],
    );
    return true;
  });
}

/*
 * The SQL below works in two steps:
 * 1. cells: one row per student and (term, grade level, subject) — or (week/month, grade level,
 *    subject) for the trend — with the student's counts there;
 * 2. every combination of those dimensions (GROUPING SETS; NULL = all), summing the counts and counting
 *    distinct students. A cell of fewer than five students is left out of every group it belongs to,
 *    not only its own, so that no group minus its other cells can reveal it; `*_withheld` records that
 *    it existed. Marks of lessons outside every term count in the trend only.
 */

/** The weight a mark `m` counts with: its own, else the school's `w` for its kind of work, else the kind's `k` default. */
const WEIGHT = 'coalesce(m.weight, w.weight, k.default_weight)::float8';

/**
 * Each mark of the school with what its counts need: its weight and whether it was entered on (or
 * before) the lesson's day in the school's time zone. `l` is the mark's lesson.
 */
const MARK_FACTS = `m.student_id, m.scale, m.value, m.numeric_value,
           ${WEIGHT} AS weight,
           (m.entered_at AT TIME ZONE s.time_zone)::date <= l.date AS on_day`;
const MARK_FACT_JOINS = `
      JOIN school s ON s.id = m.school_id
      JOIN work_kind k ON k.code = m.work_kind
      LEFT JOIN school_work_kind_weight w ON w.school_id = m.school_id AND w.work_kind = m.work_kind`;

const FIVE_POINT = `scale = 'five_point'`;

/** One student's mark counts in a cell, over MARK_FACTS rows. */
const MARK_CELL_COLUMNS = `
           count(*) AS marks,
           count(*) FILTER (WHERE ${FIVE_POINT}) AS five_point_marks,
           coalesce(sum(numeric_value::float8 * weight) FILTER (WHERE ${FIVE_POINT}), 0) AS weighted_sum,
           coalesce(sum(weight) FILTER (WHERE ${FIVE_POINT}), 0) AS weight_sum,
           ${[1, 2, 3, 4, 5].map((v) => `count(*) FILTER (WHERE ${FIVE_POINT} AND left(value, 1) = '${v}') AS value_${v}`).join(',\n           ')},
           count(*) FILTER (WHERE scale = 'pass_fail' AND value = 'зач') AS passed,
           count(*) FILTER (WHERE scale = 'pass_fail' AND value = 'незач') AS failed,
           count(*) FILTER (WHERE on_day IS NOT NULL) AS timed_marks,
           count(*) FILTER (WHERE on_day) AS marks_on_lesson_day`;

const MARK_COUNTS = [
  'marks', 'five_point_marks', 'weighted_sum', 'weight_sum', 'value_1', 'value_2', 'value_3', 'value_4', 'value_5',
  'passed', 'failed', 'timed_marks', 'marks_on_lesson_day',
];
const ATTENDANCE_COUNTS = ['student_lessons', 'absent', 'ill', 'excused', 'late'];
const TREND_COUNTS = ['marks', 'five_point_marks', 'weighted_sum', 'weight_sum'];

/** Group sums over the cells of enough students (`shown`), the distinct students, and whether a smaller cell existed. */
const groupColumns = (counts: string[], shown: string, present: string, students: string, withheld: string) => [
  ...counts.map((c) => `coalesce(sum(${c}) FILTER (WHERE ${shown}), 0) AS ${c}`),
  `count(DISTINCT student_id) FILTER (WHERE ${shown} AND ${present}) AS ${students}`,
  `coalesce(bool_or(${present} AND NOT ${shown}), false) AS ${withheld}`,
].join(',\n           ');

/**
 * The school's lessons, each in its term: the term of its class's year and kind that holds its day.
 * Lessons outside every term count nowhere, so that a year is exactly the sum of its terms. A table
 * of its own (for this transaction) with fresh statistics: estimated inside one statement, a join on
 * date ranges comes out a hundred times too small and the planner picks plans that never finish.
 */
export const LESSON_TERMS_SQL = `
  CREATE TEMPORARY TABLE learning_refresh_lesson ON COMMIT DROP AS
  SELECT l.id, l.date, l.course_id, c.class_group_id, c.subgroup, c.subject_id, cg.grade_level, cg.academic_year_id, t.id AS term_id
    FROM lesson l
    JOIN course c ON c.school_id = l.school_id AND c.id = l.course_id
    JOIN class_group cg ON cg.school_id = c.school_id AND cg.id = c.class_group_id
    JOIN term t ON t.school_id = cg.school_id AND t.academic_year_id = cg.academic_year_id AND t.kind = cg.term_kind
               AND l.date BETWEEN t.starts_on AND t.ends_on AND t.deleted_in_source_at IS NULL
   WHERE l.school_id = $1
     AND l.deleted_in_source_at IS NULL AND c.deleted_in_source_at IS NULL AND cg.deleted_in_source_at IS NULL`;

/** Marks and attendance of every group of the school's academic years, from learning_refresh_lesson. */
export const LEARNING_ROLLUP_SQL = `
  WITH mark_cells AS (
    SELECT academic_year_id, term_id, grade_level, subject_id, student_id, ${MARK_CELL_COLUMNS}
      FROM (SELECT l.academic_year_id, l.term_id, l.grade_level, l.subject_id, ${MARK_FACTS}
              FROM mark m
              JOIN learning_refresh_lesson l ON l.id = m.lesson_id ${MARK_FACT_JOINS}
             WHERE m.school_id = $1) marks
     GROUP BY 1, 2, 3, 4, 5
  ),
  course_terms AS (
    SELECT academic_year_id, term_id, grade_level, subject_id, course_id, class_group_id, subgroup,
           count(*) AS lessons, min(date) AS first_day, max(date) AS last_day, array_agg(date) AS days
      FROM learning_refresh_lesson
     GROUP BY 1, 2, 3, 4, 5, 6, 7
  ),
  student_lessons AS (
    -- Each lesson × the students of its course that day: enrolled in its class and, for a subgroup
    -- course, members of the subgroup. Counted per course and enrollment rather than per lesson and
    -- student (a million rows in a city school): most enrollments span the whole term.
    SELECT ct.academic_year_id, ct.term_id, ct.grade_level, ct.subject_id, e.student_id,
           sum(CASE WHEN e.starts_on <= ct.first_day AND (e.ends_on IS NULL OR e.ends_on >= ct.last_day) THEN ct.lessons
                    ELSE (SELECT count(*) FROM unnest(ct.days) d WHERE d >= e.starts_on AND (e.ends_on IS NULL OR d <= e.ends_on))
               END) AS student_lessons
      FROM course_terms ct
      JOIN enrollment e ON e.school_id = $1 AND e.class_group_id = ct.class_group_id AND e.deleted_in_source_at IS NULL
                       AND e.starts_on <= ct.last_day AND (e.ends_on IS NULL OR e.ends_on >= ct.first_day)
     WHERE ct.subgroup = ''
        OR EXISTS (SELECT 1 FROM course_student cs WHERE cs.school_id = $1 AND cs.course_id = ct.course_id AND cs.student_id = e.student_id)
     GROUP BY 1, 2, 3, 4, 5
  ),
  absences AS (
    -- Attendance records of those student-lessons only (no record means present), so that a rate stays within 0..1.
    SELECT l.academic_year_id, l.term_id, l.grade_level, l.subject_id, a.student_id,
           count(*) FILTER (WHERE a.status = 'absent') AS absent,
           count(*) FILTER (WHERE a.status = 'ill') AS ill,
           count(*) FILTER (WHERE a.status = 'excused') AS excused,
           count(*) FILTER (WHERE a.status = 'late') AS late
      FROM attendance a
      JOIN learning_refresh_lesson l ON l.id = a.lesson_id
     WHERE a.school_id = $1
       AND EXISTS (SELECT 1 FROM enrollment e
                    WHERE e.school_id = $1 AND e.class_group_id = l.class_group_id AND e.student_id = a.student_id AND e.deleted_in_source_at IS NULL
                      AND e.starts_on <= l.date AND (e.ends_on IS NULL OR e.ends_on >= l.date))
       AND (l.subgroup = ''
            OR EXISTS (SELECT 1 FROM course_student cs WHERE cs.school_id = $1 AND cs.course_id = l.course_id AND cs.student_id = a.student_id))
     GROUP BY 1, 2, 3, 4, 5
  ),
  attendance_cells AS (
    SELECT * FROM student_lessons LEFT JOIN absences USING (academic_year_id, term_id, grade_level, subject_id, student_id)
  ),
  cells AS (
    SELECT academic_year_id, term_id, grade_level, subject_id, student_id,
           ${MARK_COUNTS.map((c) => `coalesce(m.${c}, 0) AS ${c}`).join(', ')},
           ${ATTENDANCE_COUNTS.map((c) => `coalesce(a.${c}, 0) AS ${c}`).join(', ')}
      FROM mark_cells m
      FULL JOIN attendance_cells a USING (academic_year_id, term_id, grade_level, subject_id, student_id)
  ),
  sized AS (
    SELECT cells.*,
           count(*) FILTER (WHERE marks > 0) OVER cell >= ${MIN_GROUP_STUDENTS} AS marks_shown,
           count(*) FILTER (WHERE student_lessons > 0) OVER cell >= ${MIN_GROUP_STUDENTS} AS attendance_shown
      FROM cells
    WINDOW cell AS (PARTITION BY academic_year_id, term_id, grade_level, subject_id)
  ),
  groups AS (
    SELECT academic_year_id, term_id, grade_level, subject_id,
           ${groupColumns(MARK_COUNTS, 'marks_shown', 'marks > 0', 'students', 'marks_withheld')},
           ${groupColumns(ATTENDANCE_COUNTS, 'attendance_shown', 'student_lessons > 0', 'enrolled_students', 'attendance_withheld')}
      FROM sized
     GROUP BY academic_year_id, GROUPING SETS (
       (term_id, grade_level, subject_id), (term_id, grade_level), (term_id, subject_id), (term_id),
       (grade_level, subject_id), (grade_level), (subject_id), ())
  )
  INSERT INTO learning_rollup (
    school_id, academic_year_id, year_label, term_id, term_kind, term_number, grade_level, subject_id,
    ${MARK_COUNTS.join(', ')}, students, marks_withheld,
    ${ATTENDANCE_COUNTS.join(', ')}, enrolled_students, attendance_withheld)
  SELECT $1, g.academic_year_id, y.label, g.term_id, t.kind, t.number, g.grade_level, g.subject_id,
         ${MARK_COUNTS.map((c) => `g.${c}`).join(', ')}, g.students, g.marks_withheld,
         ${ATTENDANCE_COUNTS.map((c) => `g.${c}`).join(', ')}, g.enrolled_students, g.attendance_withheld
    FROM groups g
    JOIN academic_year y ON y.school_id = $1 AND y.id = g.academic_year_id
    LEFT JOIN term t ON t.school_id = $1 AND t.id = g.term_id`;

/**
 * Marks per week and per month. Only averages are tracked over time, so the coarser groups are sums of
 * the (period, grade level, subject) cells: no distinct students to count beyond a cell's own.
 */
export const LEARNING_TREND_ROLLUP_SQL = `
  WITH student_cells AS (
    SELECT p.period, p.period_start, cg.grade_level, c.subject_id, m.student_id,
           count(*) AS marks,
           count(*) FILTER (WHERE m.scale = 'five_point') AS five_point_marks,
           coalesce(sum(m.numeric_value::float8 * ${WEIGHT}) FILTER (WHERE m.scale = 'five_point'), 0) AS weighted_sum,
           coalesce(sum(${WEIGHT}) FILTER (WHERE m.scale = 'five_point'), 0) AS weight_sum
      FROM mark m
      JOIN lesson l ON l.school_id = m.school_id AND l.id = m.lesson_id
      JOIN course c ON c.school_id = l.school_id AND c.id = l.course_id
      JOIN class_group cg ON cg.school_id = c.school_id AND cg.id = c.class_group_id
      JOIN work_kind k ON k.code = m.work_kind
      LEFT JOIN school_work_kind_weight w ON w.school_id = m.school_id AND w.work_kind = m.work_kind
      -- Weeks start on Monday (ISO), months on the 1st; a mark counts in one of each.
     CROSS JOIN LATERAL (VALUES ('week', date_trunc('week', l.date::timestamp)::date),
                                ('month', date_trunc('month', l.date::timestamp)::date)) p(period, period_start)
     WHERE m.school_id = $1
       AND l.deleted_in_source_at IS NULL AND c.deleted_in_source_at IS NULL AND cg.deleted_in_source_at IS NULL
     GROUP BY 1, 2, 3, 4, 5
  ),
  cells AS (
    SELECT period, period_start, grade_level, subject_id, count(*) >= ${MIN_GROUP_STUDENTS} AS shown,
           sum(marks) AS marks, sum(five_point_marks) AS five_point_marks, sum(weighted_sum) AS weighted_sum, sum(weight_sum) AS weight_sum
      FROM student_cells
     GROUP BY 1, 2, 3, 4
  )
  INSERT INTO learning_trend_rollup (school_id, period, period_start, grade_level, subject_id, ${TREND_COUNTS.join(', ')}, marks_withheld)
  SELECT $1, period, period_start, grade_level, subject_id,
         ${TREND_COUNTS.map((c) => `coalesce(sum(${c}) FILTER (WHERE shown), 0)`).join(', ')},
         bool_or(NOT shown)
    FROM cells
   GROUP BY period, period_start, GROUPING SETS ((grade_level, subject_id), (grade_level), (subject_id), ())`;
