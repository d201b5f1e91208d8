import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables synced from vendor systems: they learn when the vendor last changed each row. */
const SYNCED = [
  'academic_year', 'term', 'staff', 'student', 'guardian', 'student_guardian', 'class_group', 'course', 'course_teacher',
  'course_student', 'enrollment', 'lesson', 'mark', 'attendance', 'final_mark',
];

/**
 * The sync engine's own tables: a school's connection to its vendor system, the adapter's saved
 * state (written in the same transaction as the data it follows), the run log, and quarantined
 * records with the reason they could not be taken in.
 */
export class CreateSyncEngine1764320500000 implements MigrationInterface {
  name = 'CreateSyncEngine1764320500000';

  async up(q: QueryRunner): Promise<void> {
    // An older payload must never overwrite a newer one: upserts compare this.
    for (const table of SYNCED) await q.query(`ALTER TABLE ${table} ADD COLUMN source_updated_at timestamptz`);

    await q.query(`
      CREATE TABLE sync_connection (
        school_id uuid NOT NULL,
        adapter_id text NOT NULL,
        config jsonb NOT NULL DEFAULT '{}',
        -- The secret fields of the configuration, as AES-256-GCM ciphertext (DESIGN rule 9), and their names.
        secrets bytea,
        secret_fields text[] NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_connection_pkey PRIMARY KEY (school_id),
        CONSTRAINT sync_connection_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT sync_connection_adapter_id_check CHECK (adapter_id ~ '^[a-z][a-z0-9-]*$')
      )`);
    await q.query(`
      CREATE TABLE sync_state (
        school_id uuid NOT NULL,
        adapter_id text NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_state_pkey PRIMARY KEY (school_id, adapter_id),
        CONSTRAINT sync_state_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id)
      )`);
    await q.query(`
      CREATE TABLE sync_run (
        school_id uuid NOT NULL,
        id uuid NOT NULL,
        adapter_id text NOT NULL,
        status text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        counts jsonb NOT NULL DEFAULT '{}',
        error_kind text,
        error text,
        CONSTRAINT sync_run_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT sync_run_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT sync_run_status_check CHECK (status IN ('running', 'succeeded', 'failed')),
        CONSTRAINT sync_run_finished_check CHECK ((status = 'running') = (finished_at IS NULL)),
        CONSTRAINT sync_run_error_kind_check CHECK (error_kind IN ('config', 'transient', 'data', 'system'))
      )`);
    await q.query(`CREATE INDEX sync_run_school_id_started_at_idx ON sync_run (school_id, started_at)`);
    await q.query(`
      CREATE TABLE sync_quarantine (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL,
        stream text NOT NULL,
        source_id text,
        field text,
        reason text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        CONSTRAINT sync_quarantine_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT sync_quarantine_run_id_fkey FOREIGN KEY (school_id, run_id) REFERENCES sync_run (school_id, id)
      )`);
    await q.query(`CREATE INDEX sync_quarantine_school_id_run_id_idx ON sync_quarantine (school_id, run_id)`);
    await q.query(`CREATE INDEX sync_quarantine_school_id_stream_source_id_idx ON sync_quarantine (school_id, stream, source_id) WHERE resolved_at IS NULL`);
    // Deletions the vendor reported, kept (in the same transaction as the checkpoint that passes them)
    // until the engine applies them: a deletion reported once is never lost.
    await q.query(`
      CREATE TABLE sync_deletion (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL,
        stream text NOT NULL,
        source_id text NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now(),
        applied_at timestamptz,
        CONSTRAINT sync_deletion_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT sync_deletion_run_id_fkey FOREIGN KEY (school_id, run_id) REFERENCES sync_run (school_id, id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sync_deletion', 'sync_quarantine', 'sync_run', 'sync_state', 'sync_connection']) await q.query(`DROP TABLE ${table}`);
    for (const table of SYNCED) await q.query(`ALTER TABLE ${table} DROP COLUMN source_updated_at`);
  }
}
