import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../common/logger';
import { AccessGrantKind } from '../modules/accounts/account.entity';
import { hashPassword } from '../modules/accounts/passwords';
import { Role } from '../policy/viewer';
import { loadDemoIfEmpty } from './demo';
import { createDemoRollout } from './demo-rollout';
import { createDemoVendorSchools } from './demo-vendors';

/** The demo's one password. Demo accounts exist only where the demo municipality was loaded. */
export const DEMO_PASSWORD = 'journal-hub-demo';

export interface DemoSignIn {
  role: string;
  login: string;
  password: string;
  note: string;
}

/** Loads the demo municipality into an empty database, with a sign-in for each role and a rollout under way. */
export async function loadDemo(ds: DataSource, logger: Logger): Promise<void> {
  const summary = await loadDemoIfEmpty(ds, logger);
  if (summary) {
    await ds.transaction(async (em) => {
      await createDemoAccounts(em);
      await createDemoVendorSchools(em);
      await createDemoRollout(em);
    });
    logger.info('demo sign-ins and rollout created');
  }
}

interface Picked {
  school_id: string;
  director_id: string;
  it_id: string;
  teacher_id: string;
  student_id: string;
  guardian_id: string;
}

async function createDemoAccounts(em: EntityManager): Promise<void> {
  // The first school that keeps its journal in the hub; a teacher of a class that has a student with a
  // guardian, enrolled today.
  const [p]: Picked[] = await em.query(`
    SELECT s.id AS school_id,
           (SELECT id FROM staff WHERE school_id = s.id AND 'director' = ANY(positions) LIMIT 1) AS director_id,
           (SELECT id FROM staff WHERE school_id = s.id AND 'it' = ANY(positions) LIMIT 1) AS it_id,
           ct.staff_id AS teacher_id, e.student_id, sg.guardian_id
      FROM school s
      JOIN course c ON c.school_id = s.id AND c.subgroup = ''
      JOIN course_teacher ct ON ct.school_id = c.school_id AND ct.course_id = c.id
      JOIN class_group cg ON cg.school_id = c.school_id AND cg.id = c.class_group_id AND cg.grade_level = 5
      JOIN enrollment e ON e.school_id = cg.school_id AND e.class_group_id = cg.id AND e.ends_on IS NULL
      JOIN student_guardian sg ON sg.school_id = e.school_id AND sg.student_id = e.student_id
     WHERE s.system_of_record = 'builtin'
     ORDER BY s.short_name, cg.letter, c.id, e.student_id
     LIMIT 1`);
  if (!p) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const account = async (login: string, displayName: string) => {
    const id = randomUUID();
    await em.query(
      `INSERT INTO account (id, login, display_name, password_hash, must_change_password, activated_at) VALUES ($1, $2, $3, $4, false, now())`,
      [id, login, displayName, passwordHash],
    );
    return id;
  };
  const role = (accountId: string, r: Role, column: 'staff_id' | 'student_id' | 'guardian_id', personId: string) =>
    em.query(`INSERT INTO account_role (school_id, account_id, role, ${column}) VALUES ($1, $2, $3, $4)`, [p.school_id, accountId, r, personId]);

  const directorate = await account('demo.directorate', 'Управление образования (демо)');
  await em.query(`INSERT INTO directorate_member (account_id, position) VALUES ($1, 'специалист')`, [directorate]);
  await role(await account('demo.admin', 'Директор (демо)'), Role.SCHOOL_ADMIN, 'staff_id', p.director_id);
  if (p.it_id) await role(await account('demo.it', 'Инженер (демо)'), Role.SCHOOL_IT, 'staff_id', p.it_id);
  await role(await account('demo.teacher', 'Учитель (демо)'), Role.TEACHER, 'staff_id', p.teacher_id);
  await role(await account('demo.student', 'Ученик (демо)'), Role.STUDENT, 'student_id', p.student_id);
  const parent = await account('demo.parent', 'Родитель (демо)');
  await role(parent, Role.PARENT, 'guardian_id', p.guardian_id);
  await em.query(
    `INSERT INTO access_grant (school_id, account_id, student_id, kind, note) VALUES ($1, $2, $3, $4, 'demo')`,
    [p.school_id, parent, p.student_id, AccessGrantKind.GUARDIAN],
  );
}

/** The demo sign-ins present in the database, with who each one is. */
export async function demoSignIns(ds: DataSource): Promise<DemoSignIn[]> {
  const rows: { login: string; role: string | null; directorate: boolean; person: string | null; school: string | null }[] = await ds.query(`
    SELECT a.login, r.role, dm.account_id IS NOT NULL AS directorate, sc.short_name AS school,
           coalesce(st.last_name || ' ' || st.first_name, su.last_name || ' ' || su.first_name, g.last_name || ' ' || g.first_name) AS person
      FROM account a
      LEFT JOIN directorate_member dm ON dm.account_id = a.id
      LEFT JOIN account_role r ON r.account_id = a.id
      LEFT JOIN school sc ON sc.id = r.school_id
      LEFT JOIN staff st ON st.school_id = r.school_id AND st.id = r.staff_id
      LEFT JOIN student su ON su.school_id = r.school_id AND su.id = r.student_id
      LEFT JOIN guardian g ON g.school_id = r.school_id AND g.id = r.guardian_id
     WHERE a.login LIKE 'demo.%'
     ORDER BY a.login`);
  return rows.map((r) => ({
    role: r.directorate ? 'directorate' : r.role ?? '',
    login: r.login,
    password: DEMO_PASSWORD,
    note: r.directorate ? 'all schools' : `${r.person ?? ''}, ${r.school ?? ''}`,
  }));
}
