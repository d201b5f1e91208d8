import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Steering the rollout (Appendices 1–3 of the order): a campaign of the municipality holds the
 * directorate's data — the staged plan's activities and deadlines, the reporting dates, the parent
 * activation targets (DESIGN rule 11: figures of the order are data, with the order's defaults) —
 * and each school keeps its plan, readiness answers, local acts, events and reports.
 */
export class CreateRollout1764320300000 implements MigrationInterface {
  name = 'CreateRollout1764320300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rollout_campaign (
        id uuid NOT NULL,
        municipality_id uuid NOT NULL,
        name text NOT NULL,
        responsible_deadline date NOT NULL,
        plan_deadline date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT rollout_campaign_pkey PRIMARY KEY (id),
        CONSTRAINT rollout_campaign_municipality_id_fkey FOREIGN KEY (municipality_id) REFERENCES municipality (id),
        CONSTRAINT rollout_campaign_municipality_id_name_uq UNIQUE (municipality_id, name)
      )`);
    await q.query(`
      CREATE TABLE rollout_activity (
        id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        stage text NOT NULL,
        position smallint NOT NULL,
        title text NOT NULL,
        deadline date,
        CONSTRAINT rollout_activity_pkey PRIMARY KEY (id),
        CONSTRAINT rollout_activity_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES rollout_campaign (id) ON DELETE CASCADE,
        CONSTRAINT rollout_activity_campaign_id_stage_position_uq UNIQUE (campaign_id, stage, position),
        CONSTRAINT rollout_activity_stage_check CHECK (stage IN ('1.1', '1.2', '2', '3')),
        CONSTRAINT rollout_activity_title_check CHECK (btrim(title) <> '')
      )`);
    await q.query(`
      CREATE TABLE reporting_date (
        id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        date date NOT NULL,
        CONSTRAINT reporting_date_pkey PRIMARY KEY (id),
        CONSTRAINT reporting_date_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES rollout_campaign (id) ON DELETE CASCADE,
        CONSTRAINT reporting_date_campaign_id_date_uq UNIQUE (campaign_id, date)
      )`);
    await q.query(`
      CREATE TABLE activation_target (
        id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        by_date date NOT NULL,
        min_percent numeric(5,2) NOT NULL,
        max_percent numeric(5,2) NOT NULL,
        CONSTRAINT activation_target_pkey PRIMARY KEY (id),
        CONSTRAINT activation_target_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES rollout_campaign (id) ON DELETE CASCADE,
        CONSTRAINT activation_target_campaign_id_by_date_uq UNIQUE (campaign_id, by_date),
        CONSTRAINT activation_target_band_check CHECK (0 <= min_percent AND min_percent <= max_percent AND max_percent <= 100)
      )`);

    // A school's side of a campaign: the responsible person (item 3.3 of the order), the plan's
    // approval (3.4) and submission (3.5), and what the report asks that the hub cannot know.
    await q.query(`
      CREATE TABLE school_rollout (
        school_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        responsible_name text,
        responsible_position text,
        responsible_order_number text,
        responsible_order_date date,
        order_copy_received_on date,
        plan_approval_number text,
        plan_approval_date date,
        plan_submitted_on date,
        website_link boolean,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT school_rollout_pkey PRIMARY KEY (school_id, campaign_id),
        CONSTRAINT school_rollout_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT school_rollout_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES rollout_campaign (id)
      )`);
    await q.query(`
      CREATE TABLE school_activity (
        school_id uuid NOT NULL,
        activity_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'planned',
        completed_on date,
        evidence text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT school_activity_pkey PRIMARY KEY (school_id, activity_id),
        CONSTRAINT school_activity_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT school_activity_activity_id_fkey FOREIGN KEY (activity_id) REFERENCES rollout_activity (id),
        CONSTRAINT school_activity_status_check CHECK (status IN ('planned', 'in_progress', 'done', 'not_needed')),
        CONSTRAINT school_activity_completed_check CHECK ((status = 'done') = (completed_on IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE readiness_answer (
        school_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        item text NOT NULL,
        satisfied boolean NOT NULL,
        note text,
        answered_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT readiness_answer_pkey PRIMARY KEY (school_id, campaign_id, item),
        CONSTRAINT readiness_answer_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT readiness_answer_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES rollout_campaign (id),
        CONSTRAINT readiness_answer_item_check CHECK (item IN (
          'local_acts', 'network', 'staff_access', 'computer_class', 'staffroom_access', 'access_schedule', 'help_regulation',
          'access_every_classroom', 'mobile_access_every_teacher'))
      )`);
    await q.query(`
      CREATE TABLE local_act (
        school_id uuid NOT NULL,
        id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        approval_number text,
        approval_date date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT local_act_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT local_act_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT local_act_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES rollout_campaign (id),
        CONSTRAINT local_act_kind_check CHECK (kind IN ('act', 'amendment')),
        CONSTRAINT local_act_title_check CHECK (btrim(title) <> '')
      )`);
    // Parent meetings, familiarisation and training sessions, with how many took part: the report's
    // items 6, 7 and 10 are derived from them.
    await q.query(`
      CREATE TABLE rollout_event (
        school_id uuid NOT NULL,
        id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        kind text NOT NULL,
        audience text NOT NULL,
        form text NOT NULL,
        held_on date NOT NULL,
        participants integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT rollout_event_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT rollout_event_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT rollout_event_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES rollout_campaign (id),
        CONSTRAINT rollout_event_kind_check CHECK (kind IN ('familiarization', 'training')),
        CONSTRAINT rollout_event_audience_check CHECK (audience IN ('teachers', 'parents', 'students')),
        CONSTRAINT rollout_event_participants_check CHECK (participants >= 0)
      )`);
    await q.query(`
      CREATE TABLE rollout_report (
        school_id uuid NOT NULL,
        id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        reporting_date_id uuid NOT NULL,
        status text NOT NULL,
        items jsonb NOT NULL,
        entered jsonb NOT NULL DEFAULT '{}',
        problems jsonb NOT NULL DEFAULT '[]',
        prepared_at timestamptz NOT NULL,
        submitted_at timestamptz,
        reviewed_at timestamptz,
        review_comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT rollout_report_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT rollout_report_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT rollout_report_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES rollout_campaign (id),
        CONSTRAINT rollout_report_reporting_date_id_fkey FOREIGN KEY (reporting_date_id) REFERENCES reporting_date (id),
        CONSTRAINT rollout_report_school_id_reporting_date_id_uq UNIQUE (school_id, reporting_date_id),
        CONSTRAINT rollout_report_status_check CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
        CONSTRAINT rollout_report_submitted_check CHECK (status IN ('draft') OR submitted_at IS NOT NULL),
        CONSTRAINT rollout_report_returned_check CHECK ((status = 'returned') <= (review_comment IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE rollout_report_event (
        school_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        report_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_account_id uuid,
        from_status text,
        to_status text NOT NULL,
        comment text,
        CONSTRAINT rollout_report_event_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT rollout_report_event_report_id_fkey FOREIGN KEY (school_id, report_id) REFERENCES rollout_report (school_id, id),
        CONSTRAINT rollout_report_event_actor_account_id_fkey FOREIGN KEY (actor_account_id) REFERENCES account (id)
      )`);
    await q.query(`CREATE TRIGGER rollout_report_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON rollout_report_event FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'rollout_report_event', 'rollout_report', 'rollout_event', 'local_act', 'readiness_answer', 'school_activity',
      'school_rollout', 'activation_target', 'reporting_date', 'rollout_activity', 'rollout_campaign',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
