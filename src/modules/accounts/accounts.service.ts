import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, badInput, notFound } from '../../common/errors';
import { SchoolKey } from '../../db/batch';
import { preparedStatement, queryPrepared } from '../../db/prepared';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { key, Role, SchoolRole, Viewer } from '../../policy/viewer';
import { recordAudit } from '../audit/audit.service';
import { Guardian, Staff, StaffPosition, Student } from '../people/person.entity';
import { ClassGroup } from '../schools/class-group.entity';
import { AccessGrant, AccessGrantKind, Account, AccountRole, DirectorateMember, Session } from './account.entity';
import { loginBase } from './logins';
import { hashPassword, oneTimePassword, passwordProblem, verifyDecoy, verifyPassword } from './passwords';
import { attemptSucceeded, takeAttempt } from './sign-in-throttle';
import { newToken, tokenHash } from './tokens';

export interface SignedIn {
  token: string;
  expiresAt: Date;
  account: Account;
}

export interface PersonName {
  lastName: string;
  firstName: string;
  middleName: string | null;
}

export interface CredentialCount {
  role: Role;
  /** Null for the school's total of the role. */
  classGroup: ClassGroup | null;
  issued: number;
  activated: number;
}

export interface IssuedCredentials {
  account: Account;
  /** Null when the role was added to an account the person already had (same login and password). */
  oneTimePassword: string | null;
}

/** Which staff positions may hold which role. */
const STAFF_ROLE_POSITIONS: Partial<Record<Role, StaffPosition[]>> = {
  [Role.TEACHER]: [StaffPosition.TEACHER],
  [Role.SCHOOL_ADMIN]: [StaffPosition.DIRECTOR, StaffPosition.DEPUTY_DIRECTOR],
  [Role.SCHOOL_IT]: [StaffPosition.IT],
};

const invalidCredentials = () => new AppError('UNAUTHENTICATED', 'AUTH_INVALID_CREDENTIALS', 'Wrong login or password.');

/** Who a session token belongs to: one statement, since it runs before every signed-in request. */
const VIEWER_OF_TOKEN = preparedStatement('viewer_of_token', `
  WITH viewer AS (
    SELECT s.id AS session_id, s.last_seen_at < now() - interval '1 minute' AS stale, a.id AS account_id, a.login,
           a.must_change_password, dm.account_id IS NOT NULL AS directorate
      FROM session s
      JOIN account a ON a.id = s.account_id
      LEFT JOIN directorate_member dm ON dm.account_id = a.id
     WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now() AND a.disabled_at IS NULL),
  teacher AS (
    SELECT r.school_id, r.staff_id FROM account_role r JOIN viewer v ON v.account_id = r.account_id WHERE r.role = 'teacher'),
  scope AS (
    SELECT 'student' AS kind, g.school_id, g.student_id AS id
      FROM access_grant g JOIN viewer v ON v.account_id = g.account_id JOIN school sc ON sc.id = g.school_id
     WHERE g.ends_at IS NULL AND g.starts_at <= now()
       AND EXISTS (SELECT 1 FROM enrollment e JOIN student st ON st.school_id = e.school_id AND st.id = e.student_id
                    WHERE e.school_id = g.school_id AND e.student_id = g.student_id
                      AND e.deleted_in_source_at IS NULL AND st.deleted_in_source_at IS NULL
                      AND e.starts_on <= (now() AT TIME ZONE sc.time_zone)::date
                      AND (e.ends_on IS NULL OR e.ends_on >= (now() AT TIME ZONE sc.time_zone)::date))
    UNION ALL
    SELECT 'course', ct.school_id, ct.course_id FROM course_teacher ct JOIN teacher t USING (school_id, staff_id)
    UNION
    SELECT 'class', c.school_id, c.class_group_id
      FROM course_teacher ct JOIN teacher t USING (school_id, staff_id)
      JOIN course c ON c.school_id = ct.school_id AND c.id = ct.course_id AND c.deleted_in_source_at IS NULL
    UNION
    SELECT 'class', cg.school_id, cg.id FROM class_group cg JOIN teacher t ON t.school_id = cg.school_id AND t.staff_id = cg.homeroom_teacher_id
     WHERE cg.deleted_in_source_at IS NULL)
  SELECT v.*,
         coalesce((SELECT json_agg(json_build_object('schoolId', r.school_id, 'role', r.role,
                            'personId', coalesce(r.staff_id, r.student_id, r.guardian_id)))
                     FROM account_role r WHERE r.account_id = v.account_id), '[]') AS roles,
         coalesce((SELECT json_agg(json_build_object('kind', kind, 'schoolId', school_id, 'id', id)) FROM scope), '[]') AS scope
    FROM viewer v`);

interface ViewerRow {
  session_id: string;
  stale: boolean;
  account_id: string;
  login: string;
  must_change_password: boolean;
  directorate: boolean;
  roles: SchoolRole[];
  scope: { kind: 'student' | 'course' | 'class'; schoolId: string; id: string }[];
}

/** Accounts, sessions, issued credentials and access grants. */
export class AccountsService {
  constructor(
    private readonly ds: DataSource,
    private readonly sessionTtlHours: number,
  ) {}

  async signIn(login: string, password: string, clientAddress: string): Promise<SignedIn> {
    const normalized = login.trim().toLowerCase();
    const keys = [{ kind: 'login' as const, value: normalized }, { kind: 'address' as const, value: clientAddress }];
    await takeAttempt(this.ds, keys);
    const account = await this.ds.getRepository(Account).findOneBy({ login: normalized });
    const ok = account ? await verifyPassword(account.passwordHash, password) : await verifyDecoy(password);
    if (!account || !ok || account.disabledAt) {
      await recordAudit(this.ds.manager, [{
        action: 'auth.sign_in_failed', schoolId: null, actorAccountId: account?.id ?? null, clientAddress,
        details: { reason: !account ? 'unknown_login' : account.disabledAt ? 'disabled' : 'wrong_password' },
      }]);
      throw invalidCredentials();
    }
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.sessionTtlHours * 3600_000);
    await this.ds.transaction(async (em) => {
      await attemptSucceeded(em, keys);
      await em.insert(Session, { id: randomUUID(), accountId: account.id, tokenHash: tokenHash(token), expiresAt, lastSeenAt: new Date(), clientAddress });
      await recordAudit(em, [{ action: 'auth.signed_in', schoolId: null, actorAccountId: account.id, clientAddress }]);
    });
    return { token, expiresAt, account };
  }

  async signOut(viewer: Viewer, clientAddress: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`UPDATE session SET ended_at = now(), ended_reason = 'signed_out' WHERE id = $1 AND ended_at IS NULL`, [viewer.sessionId]);
      await recordAudit(em, [{ action: 'auth.signed_out', schoolId: null, actorAccountId: viewer.accountId, clientAddress }]);
    });
  }

  /**
   * Sets a new password. The first change after issued credentials activates the account; every
   * other session of the account ends (a stolen session does not survive a password change).
   */
  async changePassword(viewer: Viewer, currentPassword: string, newPassword: string, clientAddress: string): Promise<Account> {
    const account = await this.ds.getRepository(Account).findOneByOrFail({ id: viewer.accountId });
    if (!(await verifyPassword(account.passwordHash, currentPassword))) {
      throw badInput('AUTH_CURRENT_PASSWORD_WRONG', { currentPassword: 'is not the account’s password' });
    }
    const problem = passwordProblem(newPassword, account.login);
    if (problem) throw badInput('AUTH_PASSWORD_TOO_WEAK', { newPassword: problem });
    if (newPassword === currentPassword) throw badInput('AUTH_PASSWORD_UNCHANGED', { newPassword: 'must differ from the current password' });
    const passwordHash = await hashPassword(newPassword);
    return this.ds.transaction(async (em) => {
      const activating = account.mustChangePassword && account.activatedAt === null;
      await em.update(Account, { id: account.id }, {
        passwordHash, mustChangePassword: false, passwordChangedAt: new Date(), ...(activating ? { activatedAt: new Date() } : {}),
      });
      await em.query(
        `UPDATE session SET ended_at = now(), ended_reason = 'password_changed' WHERE account_id = $1 AND id <> $2 AND ended_at IS NULL`,
        [account.id, viewer.sessionId],
      );
      await recordAudit(em, [{ action: activating ? 'auth.activated' : 'auth.password_changed', schoolId: null, actorAccountId: account.id, clientAddress }]);
      return em.findOneByOrFail(Account, { id: account.id });
    });
  }

  /**
   * Resolves a bearer token to the viewer, with the access scope the policy needs: one prepared
   * statement, and once a minute a second one marking the session as seen, whatever the request goes on
   * to read. Null for an unknown, ended or expired token.
   */
  async viewerForToken(token: string): Promise<Viewer | null> {
    const [row] = await queryPrepared<ViewerRow>(this.ds, VIEWER_OF_TOKEN, [tokenHash(token)]);
    if (!row) return null;
    const { roles, scope } = row;
    if (row.stale) await this.ds.query('UPDATE session SET last_seen_at = now() WHERE id = $1', [row.session_id]);
    const setOf = (kind: string) => new Set(scope.filter((s) => s.kind === kind).map((s) => key(s.schoolId, s.id)));
    return {
      accountId: row.account_id,
      sessionId: row.session_id,
      login: row.login,
      mustChangePassword: row.must_change_password,
      directorate: row.directorate,
      roles,
      grantedStudents: setOf('student'),
      taughtCourses: setOf('course'),
      taughtClassGroups: setOf('class'),
    };
  }

  async revokeSessions(ctx: Context, accountId: string): Promise<number> {
    const roles = await this.ds.getRepository(AccountRole).findBy({ accountId });
    const isDirectorate = await this.ds.getRepository(DirectorateMember).existsBy({ accountId });
    if (roles.length === 0 && !isDirectorate && !(await this.ds.getRepository(Account).existsBy({ id: accountId }))) {
      throw notFound('account', accountId);
    }
    const viewer = policy.revokeSessions(ctx.viewer, roles.map((r) => r.schoolId));
    if (isDirectorate && !viewer.directorate) throw policy.refusal();
    return this.ds.transaction(async (em) => {
      const [, ended] = await em.query(
        `UPDATE session SET ended_at = now(), ended_reason = 'revoked' WHERE account_id = $1 AND ended_at IS NULL`, [accountId]);
      await recordAudit(em, [{
        action: 'auth.sessions_revoked', schoolId: null, actorAccountId: viewer.accountId, subjectType: 'account', subjectId: accountId,
        clientAddress: ctx.clientAddress, details: { sessions: ended },
      }]);
      return ended as number;
    });
  }

  /**
   * Issues a login and a one-time password to a person of a school for a role (the order's
   * "individual logins and passwords"). Issuing again to the same person resets the password to a
   * new one-time password. With `accountId`, the role joins an account the person already has
   * (a parent with children in two schools keeps one login).
   */
  async issueCredentials(ctx: Context, schoolId: string, role: Role, personId: string): Promise<IssuedCredentials> {
    const viewer = policy.administerSchool(ctx.viewer, schoolId);
    if (role === Role.DIRECTORATE) throw badInput('CREDENTIALS_ROLE_NOT_OF_SCHOOL', { role: 'directorate accounts are created with `npm run accounts`' });
    const person = await this.personFor(schoolId, role, personId);
    return this.ds.transaction(async (em) => {
      const issued = await this.provisionAccount(em, { schoolId, role, personId, person, accountId: null, resetExisting: true });
      await recordAudit(em, [{
        action: issued.existed ? 'credentials.reissued' : 'credentials.issued', schoolId, actorAccountId: viewer.accountId,
        subjectType: 'account', subjectId: issued.account.id, studentId: role === Role.STUDENT ? personId : null,
        clientAddress: ctx.clientAddress, details: { role },
      }]);
      return issued;
    });
  }

  /**
   * The account a person of a school acts through for a role, in the caller's transaction: the one
   * the person already has (its password reset to a new one-time password when `resetExisting`),
   * or `accountId` given the role — only the account a parent was signed in with when applying —
   * or a new account with a generated login and one-time password.
   */
  async provisionAccount(
    em: EntityManager,
    o: { schoolId: string; role: Role; personId: string; person: PersonName; accountId: string | null; resetExisting: boolean },
  ): Promise<IssuedCredentials & { existed: boolean }> {
    const personColumn = o.role === Role.PARENT ? 'guardian_id' : o.role === Role.STUDENT ? 'student_id' : 'staff_id';
    const [existing] = await em.query(
      `SELECT account_id FROM account_role WHERE school_id = $1 AND role = $2 AND ${personColumn} = $3 FOR UPDATE`,
      [o.schoolId, o.role, o.personId],
    );
    let account: Account;
    let password: string | null = null;
    if (existing) {
      account = await em.findOneByOrFail(Account, { id: existing.account_id });
      if (o.resetExisting) {
        // A school resets only an account that is wholly its own: never one that also acts for the
        // directorate or in another school (that would hand this school someone else's account).
        if (!(await this.ownedWhollyBy(em, account.id, o.schoolId))) {
          throw new AppError('FORBIDDEN', 'CREDENTIALS_ACCOUNT_SHARED',
            'This person’s account also acts for the directorate or in another school; its password is reset there or with `npm run accounts`.');
        }
        password = oneTimePassword();
        await em.update(Account, { id: account.id }, { passwordHash: await hashPassword(password), mustChangePassword: true });
        await em.query(`UPDATE session SET ended_at = now(), ended_reason = 'revoked' WHERE account_id = $1 AND ended_at IS NULL`, [account.id]);
      }
    } else if (o.accountId) {
      // Joining an existing account is for parents only (one login for children in several schools),
      // and never an account of staff or of the directorate.
      const found = await em.findOneBy(Account, { id: o.accountId });
      const [staffOrDirectorate] = found ? await em.query(
        `SELECT 1 FROM account_role WHERE account_id = $1 AND role <> 'parent' UNION ALL SELECT 1 FROM directorate_member WHERE account_id = $1 LIMIT 1`,
        [o.accountId]) : [];
      if (!found || o.role !== Role.PARENT || staffOrDirectorate) {
        throw badInput('CREDENTIALS_ACCOUNT_NOT_JOINABLE', { accountId: 'only a parent’s role can join an existing account, and only a parent’s account' });
      }
      account = found;
    } else {
      password = oneTimePassword();
      account = em.create(Account, {
        id: randomUUID(),
        login: await this.freeLogin(em, loginBase(o.person)),
        displayName: [o.person.lastName, o.person.firstName, o.person.middleName].filter(Boolean).join(' '),
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      });
      await em.insert(Account, account);
    }
    if (!existing) {
      await em.insert(AccountRole, {
        schoolId: o.schoolId, accountId: account.id, role: o.role,
        staffId: personColumn === 'staff_id' ? o.personId : null,
        studentId: personColumn === 'student_id' ? o.personId : null,
        guardianId: personColumn === 'guardian_id' ? o.personId : null,
      });
    }
    return { account: await em.findOneByOrFail(Account, { id: account.id }), oneTimePassword: password, existed: Boolean(existing) };
  }

  async grantAccess(ctx: Context, studentKey: SchoolKey, accountId: string, kind: AccessGrantKind, note: string | null): Promise<AccessGrant> {
    const viewer = policy.administerSchool(ctx.viewer, studentKey.schoolId);
    if (!(await this.ds.getRepository(Student).existsBy({ schoolId: studentKey.schoolId, id: studentKey.id }))) throw notFound('student', studentKey.id);
    if (kind === AccessGrantKind.GUARDIAN) {
      const [link] = await this.ds.query(
        `SELECT 1 FROM account_role r JOIN student_guardian sg ON sg.school_id = r.school_id AND sg.guardian_id = r.guardian_id
          WHERE r.account_id = $1 AND r.school_id = $2 AND r.role = 'parent' AND sg.student_id = $3`,
        [accountId, studentKey.schoolId, studentKey.id],
      );
      if (!link) throw badInput('GRANT_NOT_A_GUARDIAN', { accountId: 'is not the parent account of a guardian of this student' });
    } else if (!(await this.ds.getRepository(DirectorateMember).existsBy({ accountId }))) {
      throw badInput('GRANT_NOT_DIRECTORATE', { accountId: 'is not a directorate account' });
    }
    return this.ds.transaction(async (em) => {
      const grant = await this.openGrant(em, { schoolId: studentKey.schoolId, accountId, studentId: studentKey.id, kind, grantedById: viewer.accountId, note });
      if (!grant.opened) throw new AppError('CONFLICT', 'GRANT_ALREADY_ACTIVE', 'This account already has access to this student.');
      await recordAudit(em, [{
        action: 'grant.given', schoolId: studentKey.schoolId, actorAccountId: viewer.accountId, subjectType: 'access_grant',
        subjectId: grant.id, studentId: studentKey.id, clientAddress: ctx.clientAddress, details: { kind, accountId },
      }]);
      return grant;
    });
  }

  /** Opens an access grant in the caller's transaction, or returns the active one (opened: false). */
  async openGrant(
    em: EntityManager,
    o: { schoolId: string; accountId: string; studentId: string; kind: AccessGrantKind; grantedById: string; note: string | null },
  ): Promise<AccessGrant & { opened: boolean }> {
    const [active] = await em.query(
      `SELECT id FROM access_grant WHERE school_id = $1 AND account_id = $2 AND student_id = $3 AND ends_at IS NULL FOR UPDATE`,
      [o.schoolId, o.accountId, o.studentId],
    );
    if (active) return Object.assign(await em.findOneByOrFail(AccessGrant, { schoolId: o.schoolId, id: active.id }), { opened: false });
    const id = randomUUID();
    await em.insert(AccessGrant, {
      schoolId: o.schoolId, id, accountId: o.accountId, studentId: o.studentId, kind: o.kind,
      startsAt: new Date(), grantedById: o.grantedById, note: o.note?.trim() || null,
    });
    return Object.assign(await em.findOneByOrFail(AccessGrant, { schoolId: o.schoolId, id }), { opened: true });
  }

  async endAccessGrant(ctx: Context, grantKey: SchoolKey, reason: string): Promise<AccessGrant> {
    const viewer = policy.administerSchool(ctx.viewer, grantKey.schoolId);
    reason = reason.trim();
    if (reason.length === 0 || reason.length > 200) throw badInput('GRANT_REASON_INVALID', { reason: 'must be 1 to 200 characters' });
    return this.ds.transaction(async (em) => {
      const grant = await em.findOne(AccessGrant, { where: { schoolId: grantKey.schoolId, id: grantKey.id }, lock: { mode: 'pessimistic_write' } });
      if (!grant) throw notFound('access grant', grantKey.id);
      if (grant.endsAt) throw new AppError('CONFLICT', 'GRANT_ALREADY_ENDED', 'This access grant has already ended.');
      await em.update(AccessGrant, { schoolId: grant.schoolId, id: grant.id }, { endsAt: new Date(), endedReason: reason });
      await recordAudit(em, [{
        action: 'grant.ended', schoolId: grant.schoolId, actorAccountId: viewer.accountId, subjectType: 'access_grant',
        subjectId: grant.id, studentId: grant.studentId, clientAddress: ctx.clientAddress, details: { reason },
      }]);
      return em.findOneByOrFail(AccessGrant, { schoolId: grant.schoolId, id: grant.id });
    });
  }

  account(id: string): Promise<Account | null> {
    return this.ds.getRepository(Account).findOneBy({ id });
  }

  async rolesOf(accountId: string): Promise<SchoolRole[]> {
    const rows = await this.ds.getRepository(AccountRole).findBy({ accountId });
    return rows.map((r) => ({ schoolId: r.schoolId, role: r.role, personId: (r.staffId ?? r.studentId ?? r.guardianId)! }));
  }

  isDirectorate(accountId: string): Promise<boolean> {
    return this.ds.getRepository(DirectorateMember).existsBy({ accountId });
  }

  /**
   * Issued and activated credentials of a school, per role and per class: a student counts in the
   * class they are in today, a parent in each class one of their children is in today (so a parent
   * of two children in two classes counts in both), staff in no class.
   */
  async credentialStats(ctx: Context, schoolId: string): Promise<CredentialCount[]> {
    policy.readSchoolFigures(ctx.viewer, schoolId);
    const rows: { role: Role; class_group_id: string | null; issued: number; activated: number }[] = await this.ds.query(
      `WITH today AS (SELECT (now() AT TIME ZONE time_zone)::date AS d FROM school WHERE id = $1),
       current AS (
         SELECT e.student_id, e.class_group_id FROM enrollment e, today
          WHERE e.school_id = $1 AND e.starts_on <= today.d AND (e.ends_on IS NULL OR e.ends_on >= today.d) AND e.deleted_in_source_at IS NULL),
       counted AS (
         SELECT r.role, r.account_id, a.activated_at, NULL::uuid AS class_group_id
           FROM account_role r JOIN account a ON a.id = r.account_id WHERE r.school_id = $1
         UNION ALL
         SELECT r.role, r.account_id, a.activated_at, c.class_group_id
           FROM account_role r JOIN account a ON a.id = r.account_id
           JOIN current c ON c.student_id = r.student_id
          WHERE r.school_id = $1 AND r.role = 'student'
         UNION ALL
         SELECT DISTINCT r.role, r.account_id, a.activated_at, c.class_group_id
           FROM account_role r JOIN account a ON a.id = r.account_id
           JOIN student_guardian sg ON sg.school_id = r.school_id AND sg.guardian_id = r.guardian_id
           JOIN current c ON c.student_id = sg.student_id
          WHERE r.school_id = $1 AND r.role = 'parent')
       SELECT role, class_group_id, count(*) AS issued, count(activated_at) AS activated
         FROM counted GROUP BY role, class_group_id ORDER BY role, class_group_id NULLS FIRST`,
      [schoolId],
    );
    const groups = await ctx.loaders.classGroup.loadMany(
      rows.filter((r) => r.class_group_id).map((r) => ({ schoolId, id: r.class_group_id! })),
    );
    const byId = new Map(groups.filter((g): g is ClassGroup => g instanceof ClassGroup).map((g) => [g.id, g]));
    return rows.map((r) => ({
      role: r.role,
      classGroup: r.class_group_id ? byId.get(r.class_group_id) ?? null : null,
      issued: r.issued,
      activated: r.activated,
    }));
  }

  async displayNames(accountIds: (string | null)[]): Promise<Map<string, string>> {
    const ids = [...new Set(accountIds.filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const rows: { id: string; display_name: string }[] = await this.ds.query('SELECT id, display_name FROM account WHERE id = ANY($1)', [ids]);
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  private async personFor(schoolId: string, role: Role, personId: string): Promise<PersonName> {
    const where = { schoolId, id: personId };
    if (role === Role.PARENT) {
      const guardian = await this.ds.getRepository(Guardian).findOneBy(where);
      if (!guardian) throw badInput('CREDENTIALS_PERSON_UNKNOWN', { personId: 'is not a guardian of this school' });
      return guardian;
    }
    if (role === Role.STUDENT) {
      const student = await this.ds.getRepository(Student).findOneBy(where);
      if (!student) throw badInput('CREDENTIALS_PERSON_UNKNOWN', { personId: 'is not a student of this school' });
      return student;
    }
    const staff = await this.ds.getRepository(Staff).findOneBy(where);
    if (!staff) throw badInput('CREDENTIALS_PERSON_UNKNOWN', { personId: 'is not a staff member of this school' });
    const allowed = STAFF_ROLE_POSITIONS[role]!;
    if (!staff.positions.some((p) => allowed.includes(p))) {
      throw badInput('CREDENTIALS_ROLE_NOT_HELD', { role: `needs a staff member with the position ${allowed.join(' or ')}` });
    }
    return staff;
  }

  /** Whether every role of the account is in this school and it does not act for the directorate. */
  private async ownedWhollyBy(em: EntityManager, accountId: string, schoolId: string): Promise<boolean> {
    const [other] = await em.query(
      `SELECT 1 FROM account_role WHERE account_id = $1 AND school_id <> $2 UNION ALL SELECT 1 FROM directorate_member WHERE account_id = $1 LIMIT 1`,
      [accountId, schoolId]);
    return !other;
  }

  /** The base login, or the base with the lowest free number (ivanova.ap2, ivanova.ap3, …). */
  private async freeLogin(em: EntityManager, base: string): Promise<string> {
    const taken = new Set<string>(
      (await em.query(`SELECT login FROM account WHERE login = $1 OR login ~ ('^' || $2 || '[0-9]+$')`, [base, base.replace(/\./g, '\\.')]))
        .map((r: { login: string }) => r.login),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
  }
}
