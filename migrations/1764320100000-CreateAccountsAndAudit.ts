import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, sessions, access grants and the audit trail.
 * - An account is a global identity (one login for a parent with children in two schools); what it
 *   may do in a school comes from its roles there (school-owned rows, DESIGN rule 2).
 * - A parent (or, when explicitly granted, the directorate) reads a child only through an access grant.
 * - audit_event is append-only: a trigger refuses UPDATE and DELETE, whoever asks.
 */
export class CreateAccountsAndAudit1764320100000 implements MigrationInterface {
  name = 'CreateAccountsAndAudit1764320100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        login text NOT NULL,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        must_change_password boolean NOT NULL DEFAULT true,
        password_changed_at timestamptz,
        activated_at timestamptz,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_pkey PRIMARY KEY (id),
        CONSTRAINT account_login_uq UNIQUE (login),
        CONSTRAINT account_login_check CHECK (login ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
        CONSTRAINT account_display_name_check CHECK (btrim(display_name) <> '')
      )`);

    // The directorate sees every school; it is not tied to one.
    await q.query(`
      CREATE TABLE directorate_member (
        account_id uuid NOT NULL,
        position text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT directorate_member_pkey PRIMARY KEY (account_id),
        CONSTRAINT directorate_member_account_id_fkey FOREIGN KEY (account_id) REFERENCES account (id)
      )`);

    // What an account is in one school, and which person of that school it acts as.
    await q.query(`
      CREATE TABLE account_role (
        school_id uuid NOT NULL,
        account_id uuid NOT NULL,
        role text NOT NULL,
        staff_id uuid,
        student_id uuid,
        guardian_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_role_pkey PRIMARY KEY (school_id, account_id, role),
        CONSTRAINT account_role_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT account_role_account_id_fkey FOREIGN KEY (account_id) REFERENCES account (id),
        CONSTRAINT account_role_staff_id_fkey FOREIGN KEY (school_id, staff_id) REFERENCES staff (school_id, id),
        CONSTRAINT account_role_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        CONSTRAINT account_role_guardian_id_fkey FOREIGN KEY (school_id, guardian_id) REFERENCES guardian (school_id, id),
        CONSTRAINT account_role_role_check CHECK (role IN ('parent', 'student', 'teacher', 'school_admin', 'school_it')),
        CONSTRAINT account_role_person_check CHECK (
          (role = 'parent') = (guardian_id IS NOT NULL) AND
          (role = 'student') = (student_id IS NOT NULL) AND
          (role IN ('teacher', 'school_admin', 'school_it')) = (staff_id IS NOT NULL))
      )`);
    // One account per person and role: a second account for the same child would split its history.
    await q.query(`CREATE UNIQUE INDEX account_role_school_id_role_staff_id_uq ON account_role (school_id, role, staff_id) WHERE staff_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX account_role_school_id_student_id_uq ON account_role (school_id, student_id) WHERE student_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX account_role_school_id_guardian_id_uq ON account_role (school_id, guardian_id) WHERE guardian_id IS NOT NULL`);
    await q.query(`CREATE INDEX account_role_account_id_idx ON account_role (account_id)`);

    // Bearer sessions. Only a SHA-256 of the token is stored: a leaked table opens no session.
    await q.query(`
      CREATE TABLE session (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL,
        token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        ended_reason text,
        client_address text,
        CONSTRAINT session_pkey PRIMARY KEY (id),
        CONSTRAINT session_account_id_fkey FOREIGN KEY (account_id) REFERENCES account (id),
        CONSTRAINT session_token_hash_uq UNIQUE (token_hash),
        CONSTRAINT session_ended_check CHECK ((ended_at IS NULL) = (ended_reason IS NULL)),
        CONSTRAINT session_ended_reason_check CHECK (ended_reason IN ('signed_out', 'revoked', 'password_changed', 'disabled'))
      )`);
    await q.query(`CREATE INDEX session_account_id_idx ON session (account_id) WHERE ended_at IS NULL`);

    // Failed sign-ins per login and per client address, for slowing down and locking out brute force.
    await q.query(`
      CREATE TABLE sign_in_throttle (
        key text NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        first_failure_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        CONSTRAINT sign_in_throttle_pkey PRIMARY KEY (key),
        CONSTRAINT sign_in_throttle_failures_check CHECK (failures >= 0)
      )`);

    await q.query(`
      CREATE TABLE access_grant (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL,
        student_id uuid NOT NULL,
        kind text NOT NULL,
        starts_at timestamptz NOT NULL DEFAULT now(),
        ends_at timestamptz,
        ended_reason text,
        granted_by_id uuid,
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT access_grant_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT access_grant_account_id_fkey FOREIGN KEY (account_id) REFERENCES account (id),
        CONSTRAINT access_grant_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        CONSTRAINT access_grant_granted_by_id_fkey FOREIGN KEY (granted_by_id) REFERENCES account (id),
        CONSTRAINT access_grant_kind_check CHECK (kind IN ('guardian', 'directorate')),
        CONSTRAINT access_grant_dates_check CHECK (ends_at IS NULL OR ends_at >= starts_at),
        CONSTRAINT access_grant_ended_check CHECK ((ends_at IS NULL) = (ended_reason IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX access_grant_school_id_account_id_student_id_active_uq ON access_grant (school_id, account_id, student_id) WHERE ends_at IS NULL`);
    await q.query(`CREATE INDEX access_grant_account_id_idx ON access_grant (account_id) WHERE ends_at IS NULL`);

    // Append-only trail. School events carry the school (school-owned, DESIGN rule 2); events of an
    // account with no school (a sign-in, a directorate action over all schools) go to account_event.
    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_event', 'account_event']) {
      const school = table === 'audit_event';
      await q.query(`
        CREATE TABLE ${table} (
          ${school ? 'school_id uuid NOT NULL,' : ''}
          id bigint GENERATED ALWAYS AS IDENTITY,
          occurred_at timestamptz NOT NULL DEFAULT now(),
          actor_account_id uuid,
          action text NOT NULL,
          subject_type text,
          subject_id text,
          ${school ? 'student_id uuid,' : ''}
          client_address text,
          details jsonb NOT NULL DEFAULT '{}',
          CONSTRAINT ${table}_pkey PRIMARY KEY (${school ? 'school_id, ' : ''}id),
          ${school ? `CONSTRAINT ${table}_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),` : ''}
          CONSTRAINT ${table}_actor_account_id_fkey FOREIGN KEY (actor_account_id) REFERENCES account (id),
          CONSTRAINT ${table}_action_check CHECK (action ~ '^[a-z_]+\\.[a-z_]+$')
        )`);
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
      await q.query(`CREATE INDEX ${table}_occurred_at_idx ON ${table} (${school ? 'school_id, ' : ''}occurred_at)`);
    }
    await q.query(`CREATE INDEX audit_event_school_id_student_id_idx ON audit_event (school_id, student_id) WHERE student_id IS NOT NULL`);
    await q.query(`CREATE INDEX account_event_actor_account_id_idx ON account_event (actor_account_id, occurred_at)`);

    // Who changed a mark is now an account (a teacher, or an administrator correcting it).
    await q.query(`ALTER TABLE mark_history ADD COLUMN changed_by_account_id uuid`);
    await q.query(`ALTER TABLE mark_history ADD CONSTRAINT mark_history_changed_by_account_id_fkey FOREIGN KEY (changed_by_account_id) REFERENCES account (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mark_history DROP COLUMN changed_by_account_id`);
    for (const table of ['account_event', 'audit_event', 'access_grant', 'sign_in_throttle', 'session', 'account_role', 'directorate_member', 'account']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION refuse_change()`);
  }
}
