import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A mark's entry time may be unknown: some vendor systems (NetSchool's web API) do not say when a mark
 * was given, and the time of the sync is not it. Promptness of marking then counts only the marks whose
 * entry time is known (`timed_marks`), so a school on such a system is not shown as never on time.
 */
export class MarkEntryTimeUnknown1764320900000 implements MigrationInterface {
  name = 'MarkEntryTimeUnknown1764320900000';

  async up(q: QueryRunner): Promise<void> {
    // Marks and final marks share their columns (and their API type).
    for (const table of ['mark', 'final_mark']) await q.query(`ALTER TABLE ${table} ALTER COLUMN entered_at DROP NOT NULL`);
    await q.query('ALTER TABLE learning_rollup ADD COLUMN timed_marks integer NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE learning_rollup ALTER COLUMN timed_marks DROP DEFAULT');
    await q.query('ALTER TABLE learning_rollup ADD CONSTRAINT learning_rollup_timed_marks_check CHECK (marks_on_lesson_day <= timed_marks AND timed_marks <= marks)');
    // Every school's rollups are computed again on the next read, with the new count.
    await q.query('UPDATE learning_rollup_state SET data_version = -1');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE learning_rollup DROP COLUMN timed_marks');
    for (const table of ['mark', 'final_mark']) {
      await q.query(`UPDATE ${table} SET entered_at = created_at WHERE entered_at IS NULL`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN entered_at SET NOT NULL`);
    }
  }
}
