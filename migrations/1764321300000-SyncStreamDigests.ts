import { MigrationInterface, QueryRunner } from 'typeorm';

/** What each stream read whole brought when it last landed whole (see src/sync/digests.ts). */
export class SyncStreamDigests1764321300000 implements MigrationInterface {
  name = 'SyncStreamDigests1764321300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_stream_digest (
        school_id uuid NOT NULL,
        adapter_id text NOT NULL,
        stream text NOT NULL,
        digest text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_stream_digest_pkey PRIMARY KEY (school_id, adapter_id, stream),
        CONSTRAINT sync_stream_digest_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sync_stream_digest');
  }
}
