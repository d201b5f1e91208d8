import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables SyncDeletionsAndSchedules gave a `deleted_in_source_at` column. */
const SOFT = ['academic_year', 'term', 'staff', 'student', 'guardian', 'class_group', 'course', 'enrollment', 'lesson'];

/**
 * Statistics for `deleted_in_source_at`. A column added to a table that already has rows has none until
 * autovacuum next analyzes the table, which for tables that seldom change (years, classes, courses) can
 * be never; meanwhile the planner takes `deleted_in_source_at IS NULL`, which nearly every read filters
 * on, to keep 0.5 % of the rows. A database upgraded past SyncDeletionsAndSchedules then plans its reads
 * of classes, enrollments and lessons for a row or two: on such a copy of the city (the benchmark's) the
 * directorate's application shares per school took 540–650 ms instead of 26–33 ms, re-aggregating every
 * guardian once per class. Only that column is analyzed: a sample of each table, under a second at city
 * scale.
 */
export class AnalyzeDeletedInSource1764321000000 implements MigrationInterface {
  name = 'AnalyzeDeletedInSource1764321000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of SOFT) await q.query(`ANALYZE ${table} (deleted_in_source_at)`);
  }

  async down(): Promise<void> {
    // Statistics are not schema: nothing to revert.
  }
}
