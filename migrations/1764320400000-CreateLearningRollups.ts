import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directorate's learning figures, precomputed per school so that a municipality-wide read never
 * scans `mark` (millions of rows at city scale):
 * - learning_rollup: marks and attendance of one academic year, grouped by every combination of
 *   term, grade level and subject (NULL in one of those columns = all of them);
 * - learning_trend_rollup: marks per week and per month, by every combination of grade level and subject;
 * - learning_data_version: bumped by every writer of marks, attendance or a school's structure;
 * - learning_rollup_state: the data version each school's rollups were last computed from.
 *
 * The rollups are derived data, replaced wholesale per school on refresh (src/modules/metrics). They
 * refer to school and subject only: a foreign key to term or academic_year would make a vendor's
 * deletion of a term wait on a cache.
 */
export class CreateLearningRollups1764320400000 implements MigrationInterface {
  name = 'CreateLearningRollups1764320400000';

  async up(q: QueryRunner): Promise<void> {
    // One row per group of a school's academic year. Counts cover only the (term, grade level, subject)
    // cells of five or more students; *_withheld says a smaller cell was left out of them.
    await q.query(`
      CREATE TABLE learning_rollup (
        school_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        academic_year_id uuid NOT NULL,
        year_label text NOT NULL,
        term_id uuid,
        term_kind text,
        term_number smallint,
        grade_level smallint,
        subject_id uuid,
        marks integer NOT NULL,
        five_point_marks integer NOT NULL,
        weighted_sum double precision NOT NULL,
        weight_sum double precision NOT NULL,
        value_1 integer NOT NULL,
        value_2 integer NOT NULL,
        value_3 integer NOT NULL,
        value_4 integer NOT NULL,
        value_5 integer NOT NULL,
        passed integer NOT NULL,
        failed integer NOT NULL,
        marks_on_lesson_day integer NOT NULL,
        students integer NOT NULL,
        marks_withheld boolean NOT NULL,
        student_lessons integer NOT NULL,
        absent integer NOT NULL,
        ill integer NOT NULL,
        excused integer NOT NULL,
        late integer NOT NULL,
        enrolled_students integer NOT NULL,
        attendance_withheld boolean NOT NULL,
        CONSTRAINT learning_rollup_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT learning_rollup_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT learning_rollup_subject_id_fkey FOREIGN KEY (subject_id) REFERENCES subject (id),
        CONSTRAINT learning_rollup_term_check CHECK ((term_id IS NULL) = (term_kind IS NULL) AND (term_id IS NULL) = (term_number IS NULL)),
        CONSTRAINT learning_rollup_grade_level_check CHECK (grade_level BETWEEN 1 AND 11),
        CONSTRAINT learning_rollup_counts_check CHECK (
          five_point_marks <= marks AND value_1 + value_2 + value_3 + value_4 + value_5 = five_point_marks
          AND passed + failed <= marks AND marks_on_lesson_day <= marks AND (students = 0) = (marks = 0)),
        CONSTRAINT learning_rollup_attendance_check CHECK (
          absent + ill + excused + late <= student_lessons AND (enrolled_students = 0) = (student_lessons = 0))
      )`);
    // One row per group; NULL stands for "all" and must take part in uniqueness. ("group" stands for the
    // columns: spelled out, the name would pass PostgreSQL's 63-character limit.)
    await q.query(`
      CREATE UNIQUE INDEX learning_rollup_school_id_group_uq ON learning_rollup
        (school_id, academic_year_id, term_id, grade_level, subject_id) NULLS NOT DISTINCT`);

    await q.query(`
      CREATE TABLE learning_trend_rollup (
        school_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        period text NOT NULL,
        period_start date NOT NULL,
        grade_level smallint,
        subject_id uuid,
        marks integer NOT NULL,
        five_point_marks integer NOT NULL,
        weighted_sum double precision NOT NULL,
        weight_sum double precision NOT NULL,
        marks_withheld boolean NOT NULL,
        CONSTRAINT learning_trend_rollup_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT learning_trend_rollup_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT learning_trend_rollup_subject_id_fkey FOREIGN KEY (subject_id) REFERENCES subject (id),
        CONSTRAINT learning_trend_rollup_period_check CHECK (
          (period = 'week' AND extract(isodow FROM period_start) = 1) OR (period = 'month' AND extract(day FROM period_start) = 1)),
        CONSTRAINT learning_trend_rollup_grade_level_check CHECK (grade_level BETWEEN 1 AND 11),
        CONSTRAINT learning_trend_rollup_counts_check CHECK (five_point_marks <= marks AND marks >= 0)
      )`);
    await q.query(`
      CREATE UNIQUE INDEX learning_trend_rollup_school_id_group_uq ON learning_trend_rollup
        (school_id, period, period_start, grade_level, subject_id) NULLS NOT DISTINCT`);

    // Written by writers (in their own transaction) and never by a refresh, so neither waits for the other.
    await q.query(`
      CREATE TABLE learning_data_version (
        school_id uuid NOT NULL,
        version bigint NOT NULL,
        changed_at timestamptz NOT NULL,
        CONSTRAINT learning_data_version_pkey PRIMARY KEY (school_id),
        CONSTRAINT learning_data_version_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT learning_data_version_version_check CHECK (version > 0)
      )`);

    await q.query(`
      CREATE TABLE learning_rollup_state (
        school_id uuid NOT NULL,
        data_version bigint NOT NULL,
        refreshed_at timestamptz,
        refresh_ms integer,
        CONSTRAINT learning_rollup_state_pkey PRIMARY KEY (school_id),
        CONSTRAINT learning_rollup_state_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT learning_rollup_state_refreshed_check CHECK ((refreshed_at IS NULL) = (refresh_ms IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['learning_rollup_state', 'learning_data_version', 'learning_trend_rollup', 'learning_rollup']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
