// Accounts for the load: real accounts, roles and access grants in the run's database, signed in
// through the API's own signIn mutation so that every request carries a real bearer token.
import { randomUUID } from 'node:crypto';
import { dist } from './paths.mjs';
import { gql } from './hub.mjs';

const { hashPassword } = dist('src/modules/accounts/passwords.js');

const PASSWORD = 'bench-password-not-secret';
const SIGN_IN = 'mutation($login: String!, $password: String!) { signIn(login: $login, password: $password) { token } }';

/** Inserts an account with the bench password (hashed once: argon2 per account would only slow the set-up). */
async function insertAccount(ds, login, displayName, passwordHash) {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO account (id, login, display_name, password_hash, must_change_password, activated_at) VALUES ($1, $2, $3, $4, false, now())`,
    [id, login, displayName, passwordHash],
  );
  return id;
}

/**
 * Parents of `count` students of hub-journal schools who are enrolled on `day` and still are, spread over the
 * schools; each gets a parent account with a guardian's access grant. Returns, per parent, the
 * student and the term (of the student's class) that holds `day`.
 */
export async function createParents(ds, count, day) {
  const picked = await ds.query(`
    WITH candidates AS (
      SELECT DISTINCT ON (e.school_id, sg.guardian_id)
             e.school_id, e.student_id, sg.guardian_id, t.starts_on::text AS term_from, t.ends_on::text AS term_to
        FROM enrollment e
        JOIN school s ON s.id = e.school_id AND s.system_of_record = 'builtin'
        JOIN class_group cg ON cg.school_id = e.school_id AND cg.id = e.class_group_id
        JOIN term t ON t.school_id = cg.school_id AND t.academic_year_id = cg.academic_year_id AND t.kind = cg.term_kind
                   AND $2::date BETWEEN t.starts_on AND t.ends_on
        JOIN LATERAL (SELECT guardian_id FROM student_guardian WHERE school_id = e.school_id AND student_id = e.student_id ORDER BY guardian_id LIMIT 1) sg ON true
       -- Still enrolled today too: a parent's access follows the child's enrollment on the school's today.
       WHERE e.starts_on <= $2::date AND e.ends_on IS NULL AND cg.grade_level >= 2
       ORDER BY e.school_id, sg.guardian_id, md5(e.student_id::text)),
    -- One child per guardian (a parent account per guardian), taken in turn from each school.
    spread AS (SELECT *, row_number() OVER (PARTITION BY school_id ORDER BY md5(student_id::text)) AS n FROM candidates)
    SELECT * FROM spread ORDER BY n, school_id LIMIT $1`, [count, day]);
  const passwordHash = await hashPassword(PASSWORD);
  const parents = [];
  for (const [i, p] of picked.entries()) {
    const accountId = await insertAccount(ds, `bench.parent.${i}`, `Родитель ${i}`, passwordHash);
    await ds.query(`INSERT INTO account_role (school_id, account_id, role, guardian_id) VALUES ($1, $2, 'parent', $3)`, [p.school_id, accountId, p.guardian_id]);
    await ds.query(`INSERT INTO access_grant (school_id, account_id, student_id, kind, note) VALUES ($1, $2, $3, 'guardian', 'bench')`, [p.school_id, accountId, p.student_id]);
    parents.push({ login: `bench.parent.${i}`, schoolId: p.school_id, studentId: p.student_id, apiStudentId: `${p.school_id}:${p.student_id}`, term: { from: p.term_from, to: p.term_to } });
  }
  return parents;
}

/** A teacher account for a staff member of a school. */
export async function createTeacher(ds, schoolId, staffId, login) {
  const accountId = await insertAccount(ds, login, 'Учитель', await hashPassword(PASSWORD));
  await ds.query(`INSERT INTO account_role (school_id, account_id, role, staff_id) VALUES ($1, $2, 'teacher', $3)`, [schoolId, accountId, staffId]);
  return { login };
}

/** A member of the directorate (every school's aggregate figures). */
export async function createDirectorate(ds, login) {
  const accountId = await insertAccount(ds, login, 'Управление образования', await hashPassword(PASSWORD));
  await ds.query(`INSERT INTO directorate_member (account_id, position) VALUES ($1, 'специалист')`, [accountId]);
  return { login, accountId };
}

/** Signs each account in through the API; returns the accounts with their tokens. */
export async function signIn(url, accounts) {
  const signed = [];
  for (const account of accounts) {
    const data = await gql(url, SIGN_IN, { login: account.login, password: PASSWORD });
    signed.push({ ...account, token: data.signIn.token });
  }
  return signed;
}
