import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An adapter's saved state as `json` stored uncompressed. The engine writes the whole state at every
 * checkpoint and reads it at every run's start, and never queries inside it; a large one (the OneRoster
 * CSV adapter keeps an index of the school's line items: 0.9 MB at the benchmark's city scale) cost
 * 25–40 ms to write as jsonb (parsing it into jsonb, then pglz compression) and 12–16 ms to read, against
 * 7–8 and 6.5 ms as plain json text out of line.
 */
export class SyncStateAsPlainJson1764321100000 implements MigrationInterface {
  name = 'SyncStateAsPlainJson1764321100000';

  async up(q: QueryRunner): Promise<void> {
    // One statement: the rewrite that converts the saved states then stores them uncompressed already
    // (a type change alone would also reset the storage to the type's default, compressed).
    await q.query('ALTER TABLE sync_state ALTER COLUMN state TYPE json USING state::json, ALTER COLUMN state SET STORAGE EXTERNAL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sync_state ALTER COLUMN state TYPE jsonb USING state::jsonb, ALTER COLUMN state SET STORAGE EXTENDED');
  }
}
