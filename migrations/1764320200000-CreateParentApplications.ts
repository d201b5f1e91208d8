import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parent applications for e-diary access (Appendix 4 of the order): the form's content and consent,
 * registration numbers in sequence per school and academic year, the match to a student, the
 * credentials issued and the access grant they opened; the application's history; and the outbox
 * through which one-time passwords reach parents by phone or e-mail.
 */
export class CreateParentApplications1764320200000 implements MigrationInterface {
  name = 'CreateParentApplications1764320200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parent_application (
        school_id uuid NOT NULL,
        id uuid NOT NULL,
        status text NOT NULL,
        applicant_last_name text NOT NULL,
        applicant_first_name text NOT NULL,
        applicant_middle_name text,
        address_city text NOT NULL,
        address_street text NOT NULL,
        address_house text NOT NULL,
        address_apartment text,
        applicant_phone text,
        applicant_email text,
        child_last_name text NOT NULL,
        child_first_name text NOT NULL,
        child_middle_name text,
        child_class_label text NOT NULL,
        relation text NOT NULL,
        system_name text NOT NULL,
        consent_given_at timestamptz NOT NULL,
        consent_applicant_data text[] NOT NULL,
        consent_child_data text[] NOT NULL,
        delivery_channel text NOT NULL,
        delivery_phone text,
        delivery_email text,
        signed_on date NOT NULL,
        signature text NOT NULL,
        submitted_via text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        submitted_by_account_id uuid,
        submitted_from text,
        academic_year_id uuid NOT NULL,
        registration_number integer,
        registered_on date,
        registered_by_account_id uuid,
        student_id uuid,
        guardian_id uuid,
        account_id uuid,
        access_grant_id uuid,
        credentials_issued_at timestamptz,
        rejected_reason text,
        withdrawn_at timestamptz,
        withdrawn_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT parent_application_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT parent_application_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT parent_application_academic_year_id_fkey FOREIGN KEY (school_id, academic_year_id) REFERENCES academic_year (school_id, id),
        CONSTRAINT parent_application_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        CONSTRAINT parent_application_guardian_id_fkey FOREIGN KEY (school_id, guardian_id) REFERENCES guardian (school_id, id),
        CONSTRAINT parent_application_access_grant_id_fkey FOREIGN KEY (school_id, access_grant_id) REFERENCES access_grant (school_id, id),
        CONSTRAINT parent_application_account_id_fkey FOREIGN KEY (account_id) REFERENCES account (id),
        CONSTRAINT parent_application_submitted_by_account_id_fkey FOREIGN KEY (submitted_by_account_id) REFERENCES account (id),
        CONSTRAINT parent_application_registered_by_account_id_fkey FOREIGN KEY (registered_by_account_id) REFERENCES account (id),
        CONSTRAINT parent_application_school_id_academic_year_id_registration_number_uq UNIQUE (school_id, academic_year_id, registration_number),
        CONSTRAINT parent_application_status_check CHECK (status IN ('submitted', 'registered', 'credentials_issued', 'rejected', 'withdrawn')),
        CONSTRAINT parent_application_relation_check CHECK (relation IN ('son', 'daughter', 'ward')),
        CONSTRAINT parent_application_delivery_channel_check CHECK (delivery_channel IN ('in_person', 'phone', 'email')),
        CONSTRAINT parent_application_delivery_reachable_check CHECK (
          (delivery_channel <> 'phone' OR delivery_phone IS NOT NULL) AND (delivery_channel <> 'email' OR delivery_email IS NOT NULL)),
        CONSTRAINT parent_application_signature_check CHECK (signature IN ('paper', 'electronic')),
        CONSTRAINT parent_application_submitted_via_check CHECK (submitted_via IN ('client_app', 'paper')),
        CONSTRAINT parent_application_registration_check CHECK (
          (registration_number IS NULL) = (registered_on IS NULL) AND (registration_number IS NULL OR registration_number > 0)),
        CONSTRAINT parent_application_registered_status_check CHECK (status = 'submitted' OR status IN ('rejected', 'withdrawn') OR registration_number IS NOT NULL),
        CONSTRAINT parent_application_issued_check CHECK (
          (status = 'credentials_issued') <= (student_id IS NOT NULL AND account_id IS NOT NULL AND access_grant_id IS NOT NULL)),
        CONSTRAINT parent_application_rejected_check CHECK ((status = 'rejected') = (rejected_reason IS NOT NULL)),
        CONSTRAINT parent_application_withdrawn_check CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX parent_application_school_id_status_idx ON parent_application (school_id, status)`);
    await q.query(`CREATE INDEX parent_application_school_id_student_id_idx ON parent_application (school_id, student_id)`);
    await q.query(`CREATE INDEX parent_application_submitted_from_idx ON parent_application (submitted_from, submitted_at)`);

    // The last registration number given per school and year; taking the next one locks the row,
    // so two registrations at the same moment get consecutive numbers, never the same one.
    await q.query(`
      CREATE TABLE application_number (
        school_id uuid NOT NULL,
        academic_year_id uuid NOT NULL,
        last_number integer NOT NULL,
        CONSTRAINT application_number_pkey PRIMARY KEY (school_id, academic_year_id),
        CONSTRAINT application_number_academic_year_id_fkey FOREIGN KEY (school_id, academic_year_id) REFERENCES academic_year (school_id, id),
        CONSTRAINT application_number_last_number_check CHECK (last_number > 0)
      )`);

    await q.query(`
      CREATE TABLE parent_application_event (
        school_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        application_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_account_id uuid,
        from_status text,
        to_status text NOT NULL,
        note text,
        CONSTRAINT parent_application_event_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT parent_application_event_application_id_fkey FOREIGN KEY (school_id, application_id) REFERENCES parent_application (school_id, id),
        CONSTRAINT parent_application_event_actor_account_id_fkey FOREIGN KEY (actor_account_id) REFERENCES account (id)
      )`);
    await q.query(`CREATE INDEX parent_application_event_school_id_application_id_idx ON parent_application_event (school_id, application_id)`);
    await q.query(`CREATE TRIGGER parent_application_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON parent_application_event FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

    // Messages for parents (one-time passwords by SMS or e-mail). The secret in a message is erased
    // once the message is delivered: the outbox is not a password store.
    await q.query(`
      CREATE TABLE outbox_message (
        school_id uuid NOT NULL,
        id uuid NOT NULL,
        channel text NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        application_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        delivered_by text,
        CONSTRAINT outbox_message_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT outbox_message_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT outbox_message_application_id_fkey FOREIGN KEY (school_id, application_id) REFERENCES parent_application (school_id, id),
        CONSTRAINT outbox_message_channel_check CHECK (channel IN ('sms', 'email')),
        CONSTRAINT outbox_message_status_check CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
        CONSTRAINT outbox_message_delivered_check CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX outbox_message_status_idx ON outbox_message (status, created_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbox_message', 'parent_application_event', 'application_number', 'parent_application']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
