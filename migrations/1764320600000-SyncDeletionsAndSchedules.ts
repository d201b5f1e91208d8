import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rows other rows refer to: when the vendor deletes one, it is kept, marked deleted in source and left
 * out of every read (marks, attendance and links are removed instead, marks with their history).
 */
const SOFT = ['academic_year', 'term', 'staff', 'student', 'guardian', 'class_group', 'course', 'enrollment', 'lesson'];

/** Rules of the school's live data that a row deleted in source no longer takes part in. */
const LIVE_UNIQUE: [table: string, name: string, columns: string][] = [
  ['academic_year', 'academic_year_school_id_label_uq', 'school_id, label'],
  ['term', 'term_school_id_academic_year_id_kind_number_uq', 'school_id, academic_year_id, kind, number'],
  ['class_group', 'class_group_school_id_academic_year_id_grade_level_letter_uq', 'school_id, academic_year_id, grade_level, letter'],
  ['course', 'course_school_id_class_group_id_subject_id_subgroup_uq', 'school_id, class_group_id, subject_id, subgroup'],
  ['lesson', 'lesson_school_id_course_id_date_number_uq', 'school_id, course_id, date, number'],
];
const LIVE_EXCLUDE: [table: string, name: string, elements: string][] = [
  ['term', 'term_no_overlap_excl', `school_id WITH =, academic_year_id WITH =, kind WITH =, daterange(starts_on, ends_on, '[]') WITH &&`],
  ['enrollment', 'enrollment_no_overlap_excl', `school_id WITH =, student_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&`],
];

/**
 * Deletions in source, the hold on mass changes, and schedules:
 * - `deleted_in_source_at` on the rows others refer to; their uniqueness and overlap rules apply to live rows only;
 * - reported and inferred deletions wait in sync_deletion until applied, or discarded by IT staff;
 * - a run that would delete or change more than the connection's share of a table ends `held` with a
 *   summary, until IT staff approve or discard it;
 * - each connection has an optional schedule (every N minutes) that the workers follow.
 */
export class SyncDeletionsAndSchedules1764320600000 implements MigrationInterface {
  name = 'SyncDeletionsAndSchedules1764320600000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of SOFT) await q.query(`ALTER TABLE ${table} ADD COLUMN deleted_in_source_at timestamptz`);
    for (const [table, name, columns] of LIVE_UNIQUE) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
      await q.query(`CREATE UNIQUE INDEX ${name} ON ${table} (${columns}) WHERE deleted_in_source_at IS NULL`);
    }
    for (const [table, name, elements] of LIVE_EXCLUDE) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} EXCLUDE USING gist (${elements}) WHERE (deleted_in_source_at IS NULL)`);
    }

    await q.query(`ALTER TABLE sync_deletion ADD COLUMN discarded_at timestamptz`);
    await q.query(`ALTER TABLE sync_deletion ADD CONSTRAINT sync_deletion_outcome_check CHECK (applied_at IS NULL OR discarded_at IS NULL)`);
    await q.query(`CREATE INDEX sync_deletion_pending_idx ON sync_deletion (school_id, stream) WHERE applied_at IS NULL AND discarded_at IS NULL`);

    await q.query(`ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check`);
    await q.query(`ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'held', 'approved', 'discarded'))`);
    await q.query(`ALTER TABLE sync_run ADD COLUMN trigger text NOT NULL DEFAULT 'manual'`);
    await q.query(`ALTER TABLE sync_run ADD CONSTRAINT sync_run_trigger_check CHECK (trigger IN ('manual', 'schedule', 'approval', 'retry'))`);
    // What a held run would have done: per stream, the rows it would delete or change and the rows there are.
    await q.query(`ALTER TABLE sync_run ADD COLUMN hold jsonb`);
    await q.query(`ALTER TABLE sync_run ADD COLUMN reviewed_by uuid`);
    await q.query(`ALTER TABLE sync_run ADD COLUMN reviewed_at timestamptz`);
    // The adapter's latest word on how far it got ("pupils 16/36 …"), while the run is going.
    await q.query(`ALTER TABLE sync_run ADD COLUMN progress text`);
    await q.query(`ALTER TABLE sync_run ADD CONSTRAINT sync_run_hold_check CHECK ((status IN ('held', 'approved', 'discarded')) = (hold IS NOT NULL))`);

    await q.query(`ALTER TABLE sync_connection ADD COLUMN every_minutes int`);
    await q.query(`ALTER TABLE sync_connection ADD CONSTRAINT sync_connection_every_minutes_check CHECK (every_minutes BETWEEN 15 AND 10080)`);
    await q.query(`ALTER TABLE sync_connection ADD COLUMN hold_share numeric NOT NULL DEFAULT 0.2`);
    await q.query(`ALTER TABLE sync_connection ADD CONSTRAINT sync_connection_hold_share_check CHECK (hold_share > 0 AND hold_share <= 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['every_minutes', 'hold_share']) await q.query(`ALTER TABLE sync_connection DROP COLUMN ${c}`);
    for (const c of ['trigger', 'hold', 'reviewed_by', 'reviewed_at', 'progress']) await q.query(`ALTER TABLE sync_run DROP COLUMN ${c}`);
    await q.query(`ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check`);
    await q.query(`ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check CHECK (status IN ('running', 'succeeded', 'failed'))`);
    await q.query(`DROP INDEX sync_deletion_pending_idx`);
    await q.query(`ALTER TABLE sync_deletion DROP COLUMN discarded_at`);
    for (const [table, name, elements] of LIVE_EXCLUDE) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} EXCLUDE USING gist (${elements})`);
    }
    for (const [table, name, columns] of LIVE_UNIQUE) {
      await q.query(`DROP INDEX ${name}`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE (${columns})`);
    }
    for (const table of SOFT) await q.query(`ALTER TABLE ${table} DROP COLUMN deleted_in_source_at`);
  }
}
