import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An adapter's saved state in parts, one row per top-level entry, so that a checkpoint rewrites only
 * the entries that changed (see src/sync/state.ts). `sync_state` stays as a view of the whole states,
 * for reading.
 */
export class SyncStateInParts1764321200000 implements MigrationInterface {
  name = 'SyncStateInParts1764321200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_state_part (
        school_id uuid NOT NULL,
        adapter_id text NOT NULL,
        part text NOT NULL,
        value json NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_state_part_pkey PRIMARY KEY (school_id, adapter_id, part),
        CONSTRAINT sync_state_part_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id)
      )`);
    // Uncompressed, as the whole state was (SyncStateAsPlainJson): written often, read whole, never queried into.
    await q.query('ALTER TABLE sync_state_part ALTER COLUMN value SET STORAGE EXTERNAL');
    await q.query(`
      INSERT INTO sync_state_part (school_id, adapter_id, part, value, updated_at)
      SELECT s.school_id, s.adapter_id, e.key, e.value, s.updated_at FROM sync_state s CROSS JOIN LATERAL json_each(s.state) e`);
    await q.query('DROP TABLE sync_state');
    await q.query(`
      CREATE VIEW sync_state AS
      SELECT school_id, adapter_id, json_object_agg(part, value ORDER BY part) AS state, max(updated_at) AS updated_at
        FROM sync_state_part GROUP BY school_id, adapter_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER VIEW sync_state RENAME TO sync_state_whole');
    await q.query(`
      CREATE TABLE sync_state (
        school_id uuid NOT NULL,
        adapter_id text NOT NULL,
        state json NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_state_pkey PRIMARY KEY (school_id, adapter_id),
        CONSTRAINT sync_state_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id)
      )`);
    await q.query('ALTER TABLE sync_state ALTER COLUMN state SET STORAGE EXTERNAL');
    await q.query('INSERT INTO sync_state (school_id, adapter_id, state, updated_at) SELECT school_id, adapter_id, state, updated_at FROM sync_state_whole');
    await q.query('DROP VIEW sync_state_whole');
    await q.query('DROP TABLE sync_state_part');
  }
}
