import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { hashPassword } from '../modules/accounts/passwords';
import { createCampaignWithDefaults } from '../modules/rollout/rollout.service';

/**
 * The rollout as the demo tells it: a campaign of 2026 with the order's defaults, and schools at
 * different stages — parents' registered applications, issued logins and activation at 80/60/35 %,
 * 70/45/20 % — so that the directorate's figures differ from school to school.
 */
const STAGES = [
  { applied: 80, activated: 70, readiness: ['local_acts', 'network', 'staff_access', 'computer_class', 'staffroom_access', 'access_schedule', 'help_regulation'] },
  { applied: 60, activated: 45, readiness: ['local_acts', 'network', 'staff_access'] },
  { applied: 35, activated: 20, readiness: ['network'] },
];

export async function createDemoRollout(em: EntityManager): Promise<void> {
  const [municipality] = await em.query('SELECT id FROM municipality ORDER BY created_at LIMIT 1');
  const campaign = await createCampaignWithDefaults(em, municipality.id, 'Введение электронных дневников, 2026', 2026, null);
  const schools: { id: string }[] = await em.query('SELECT id FROM school ORDER BY short_name');
  // The demo parents never sign in: one unusable password serves them all (hashing thousands would take minutes).
  const unusable = await hashPassword(randomBytes(24).toString('base64url'));
  for (const [i, school] of schools.entries()) {
    const stage = STAGES[i % STAGES.length];
    await em.query(
      `INSERT INTO school_rollout (school_id, campaign_id, responsible_name, responsible_position, responsible_order_number, responsible_order_date,
         plan_approval_number, plan_approval_date, plan_submitted_on, website_link)
       SELECT s.id, $2, st.last_name || ' ' || st.first_name || coalesce(' ' || st.middle_name, ''), 'заместитель директора', '45-о', '2026-04-08',
              '52-о', '2026-04-16', '2026-04-17', $3
         FROM school s JOIN staff st ON st.school_id = s.id AND 'deputy_director' = ANY(st.positions)
        WHERE s.id = $1 ORDER BY st.last_name LIMIT 1`,
      [school.id, campaign.id, i === 0],
    );
    await em.query(
      `INSERT INTO readiness_answer (school_id, campaign_id, item, satisfied) SELECT $1, $2, unnest($3::text[]), true`,
      [school.id, campaign.id, stage.readiness],
    );
    // Guardians of the students enrolled now, a stable share of them chosen by hashing their ids.
    const chosen = `
      SELECT DISTINCT ON (g.id) g.id AS guardian_id, g.last_name, g.first_name, g.middle_name, sg.student_id, sg.relation,
             abs(hashtext(g.id::text)) % 100 AS draw
        FROM guardian g JOIN student_guardian sg ON sg.school_id = g.school_id AND sg.guardian_id = g.id
        JOIN enrollment e ON e.school_id = sg.school_id AND e.student_id = sg.student_id AND e.ends_on IS NULL
       WHERE g.school_id = $1 AND abs(hashtext(g.id::text)) % 100 < $2
         AND NOT EXISTS (SELECT 1 FROM account_role r JOIN account a ON a.id = r.account_id
                          WHERE r.school_id = g.school_id AND r.guardian_id = g.id AND a.login LIKE 'demo.%')`;
    await em.query(
      `WITH chosen AS (${chosen}),
       accounts AS (
         INSERT INTO account (id, login, display_name, password_hash, must_change_password, activated_at)
         SELECT gen_random_uuid(), 'parent.' || replace(guardian_id::text, '-', ''), last_name || ' ' || first_name, $3,
                draw >= $4, CASE WHEN draw < $4 THEN now() - (draw || ' days')::interval END
           FROM chosen RETURNING id, login),
       roles AS (
         INSERT INTO account_role (school_id, account_id, role, guardian_id)
         SELECT $1, a.id, 'parent', c.guardian_id FROM chosen c JOIN accounts a ON a.login = 'parent.' || replace(c.guardian_id::text, '-', '')
         RETURNING account_id, guardian_id)
       INSERT INTO access_grant (school_id, account_id, student_id, kind, note)
       SELECT $1, r.account_id, c.student_id, 'guardian', 'demo' FROM roles r JOIN chosen c ON c.guardian_id = r.guardian_id`,
      [school.id, stage.applied, unusable, stage.activated],
    );
    await em.query(
      `WITH chosen AS (${chosen})
       INSERT INTO parent_application (school_id, id, status, applicant_last_name, applicant_first_name, applicant_middle_name,
         address_city, address_street, address_house, child_last_name, child_first_name, child_class_label, relation, system_name,
         consent_given_at, consent_applicant_data, consent_child_data, delivery_channel, signed_on, signature, submitted_via,
         academic_year_id, registration_number, registered_on, student_id, guardian_id, account_id, access_grant_id, credentials_issued_at, submitted_at)
       SELECT $1, gen_random_uuid(), 'credentials_issued', c.last_name, c.first_name, c.middle_name,
              'Когалым', 'ул. Мира', '1', s.last_name, s.first_name, cg.name, CASE WHEN c.relation = 'legal_guardian' THEN 'ward' ELSE 'son' END,
              'Электронный журнал и дневник journal-hub', '2026-09-01', ARRAY['фамилия, имя, отчество', 'номер телефона'],
              ARRAY['фамилия, имя, отчество', 'класс', 'отметки', 'посещаемость'], 'in_person', '2026-09-01', 'paper', 'paper',
              y.id, row_number() OVER (ORDER BY c.guardian_id), '2026-09-02', c.student_id, c.guardian_id, r.account_id, ag.id, '2026-09-03', '2026-09-01'
         FROM chosen c
         JOIN student s ON s.school_id = $1 AND s.id = c.student_id
         JOIN enrollment e ON e.school_id = $1 AND e.student_id = c.student_id AND e.ends_on IS NULL
         JOIN class_group cg ON cg.school_id = $1 AND cg.id = e.class_group_id
         JOIN academic_year y ON y.school_id = $1 AND y.id = cg.academic_year_id
         JOIN account_role r ON r.school_id = $1 AND r.role = 'parent' AND r.guardian_id = c.guardian_id
         JOIN access_grant ag ON ag.school_id = $1 AND ag.account_id = r.account_id AND ag.student_id = c.student_id`,
      [school.id, stage.applied],
    );
    await em.query(
      `INSERT INTO application_number (school_id, academic_year_id, last_number)
       SELECT school_id, academic_year_id, max(registration_number) FROM parent_application WHERE school_id = $1 GROUP BY 1, 2`,
      [school.id],
    );
  }
}
