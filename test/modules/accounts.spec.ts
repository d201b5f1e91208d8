import { createHash } from 'node:crypto';
import { hashPassword, passwordProblem } from '../../src/modules/accounts/passwords';
import { Role } from '../../src/policy/viewer';
import { Fixture, Ref } from '../factories/fixture';
import { useTestHub } from '../setup/hub';

const SIGN_IN = `mutation($login: String!, $password: String!) { signIn(login: $login, password: $password) { token expiresAt account { login mustChangePassword } } }`;
const ME = `{ me { login mustChangePassword activatedAt directorate roles { role } } }`;
const SCHOOLS = `{ schools(first: 1) { totalCount } }`;
const ISSUE = `mutation($input: IssueCredentialsInput!) { issueCredentials(input: $input) { oneTimePassword account { id login mustChangePassword activatedAt } } }`;
const CHANGE = `mutation($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) { mustChangePassword activatedAt } }`;
const STATS = `query($school: ID!) { credentialStats(schoolId: $school) { role classGroup { name } issued activated } }`;

describe('accounts and sign-in', () => {
  const hub = useTestHub();
  let f: Fixture;
  let school: string;
  let otherSchool: string;
  let student: Ref;
  let guardian: Ref;
  let adminToken: string;
  let otherAdminToken: string;
  const password = 'Correct-Horse-7';

  beforeAll(async () => {
    f = new Fixture(hub.dataSource);
    school = await f.school();
    otherSchool = await f.school();
    const year = await f.year(school);
    const cls = await f.classGroup(year, 3, 'Б');
    student = await f.student(school, 'Смирнова', 'Алиса');
    await f.enroll(student, cls, '2026-09-01');
    guardian = await f.guardian(student);
    adminToken = (await f.account([{ role: Role.SCHOOL_ADMIN, person: await f.staff(school, ['director']) }])).token;
    otherAdminToken = (await f.account([{ role: Role.SCHOOL_ADMIN, person: await f.staff(otherSchool, ['director']) }])).token;
  });

  beforeEach(() => hub.dataSource.query('DELETE FROM sign_in_throttle'));

  async function accountWithPassword(login: string) {
    return f.account([{ role: Role.TEACHER, person: await f.staff(school) }], { login, passwordHash: await hashPassword(password) });
  }

  it('signs in with a login and password, storing only a hash of the token', async () => {
    const { id } = await accountWithPassword('teacher.one');
    const res = await hub.gql(SIGN_IN, { login: 'Teacher.One', password });
    expect(res.errors).toBeUndefined();
    const { token } = res.data.signIn;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sessions = await hub.dataSource.query('SELECT token_hash FROM session WHERE account_id = $1 AND client_address IS NOT NULL', [id]);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].token_hash).toEqual(createHash('sha256').update(token).digest());
    expect((await hub.gql(ME, {}, token)).data.me).toMatchObject({ login: 'teacher.one', roles: [{ role: 'TEACHER' }], directorate: false });
    const [hash] = await hub.dataSource.query('SELECT password_hash FROM account WHERE id = $1', [id]);
    expect(hash.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('answers a wrong password and an unknown login alike, and audits both', async () => {
    await accountWithPassword('teacher.two');
    const wrong = await hub.gql(SIGN_IN, { login: 'teacher.two', password: 'not-the-password' });
    const unknown = await hub.gql(SIGN_IN, { login: 'nobody.here', password });
    for (const res of [wrong, unknown]) {
      expect(res.errors?.[0]).toMatchObject({ message: 'Wrong login or password.', extensions: { code: 'UNAUTHENTICATED', reason: 'AUTH_INVALID_CREDENTIALS' } });
    }
    const failures = await hub.dataSource.query(`SELECT details->>'reason' AS reason FROM account_event WHERE action = 'auth.sign_in_failed' ORDER BY id DESC LIMIT 2`);
    expect(failures.map((r: { reason: string }) => r.reason).sort()).toEqual(['unknown_login', 'wrong_password']);
  });

  it('ends a session on sign-out and on expiry', async () => {
    await accountWithPassword('teacher.three');
    const a = (await hub.gql(SIGN_IN, { login: 'teacher.three', password })).data.signIn.token;
    expect((await hub.gql(SCHOOLS, {}, a)).errors).toBeUndefined();
    expect((await hub.gql('mutation { signOut }', {}, a)).data.signOut).toBe(true);
    expect((await hub.gql(SCHOOLS, {}, a)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');

    const b = (await hub.gql(SIGN_IN, { login: 'teacher.three', password })).data.signIn.token;
    await hub.dataSource.query(`UPDATE session SET expires_at = now() - interval '1 second' WHERE ended_at IS NULL AND account_id = (SELECT id FROM account WHERE login = 'teacher.three')`);
    expect((await hub.gql(SCHOOLS, {}, b)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('lets a school administrator revoke all sessions of an account of the school, and nobody from another school', async () => {
    const { id } = await accountWithPassword('teacher.four');
    const t1 = (await hub.gql(SIGN_IN, { login: 'teacher.four', password })).data.signIn.token;
    const t2 = (await hub.gql(SIGN_IN, { login: 'teacher.four', password })).data.signIn.token;
    const refused = await hub.gql(`mutation($id: ID!) { revokeSessions(accountId: $id) }`, { id }, otherAdminToken);
    expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await hub.gql(SCHOOLS, {}, t1)).errors).toBeUndefined();
    const revoked = await hub.gql(`mutation($id: ID!) { revokeSessions(accountId: $id) }`, { id }, adminToken);
    expect(revoked.data.revokeSessions).toBe(3); // two sign-ins and the fixture's session
    for (const t of [t1, t2]) expect((await hub.gql(SCHOOLS, {}, t)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('issues credentials; the first sign-in must set a new password, which activates the account', async () => {
    const issued = await hub.gql(ISSUE, { input: { schoolId: school, role: 'PARENT', personId: guardian.id } }, adminToken);
    expect(issued.errors).toBeUndefined();
    const { oneTimePassword, account } = issued.data.issueCredentials;
    expect(oneTimePassword).toMatch(/^[a-zA-Z2-9]{12}$/);
    expect(account).toMatchObject({ login: expect.stringMatching(/^roditeleva\d*\.a$/), mustChangePassword: true, activatedAt: null });

    const token = (await hub.gql(SIGN_IN, { login: account.login, password: oneTimePassword })).data.signIn.token;
    const blocked = await hub.gql(SCHOOLS, {}, token);
    expect(blocked.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'AUTH_PASSWORD_CHANGE_REQUIRED' });

    const weak = await hub.gql(CHANGE, { current: oneTimePassword, next: 'qwerty123' }, token);
    expect(weak.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'AUTH_PASSWORD_TOO_WEAK', fields: { newPassword: expect.any(String) } });
    const changed = await hub.gql(CHANGE, { current: oneTimePassword, next: 'Moya-Doch-Alisa-2026' }, token);
    expect(changed.data.changePassword).toEqual({ mustChangePassword: false, activatedAt: expect.any(String) });
    expect((await hub.gql(SCHOOLS, {}, token)).errors).toBeUndefined();
    expect((await hub.gql(SIGN_IN, { login: account.login, password: oneTimePassword })).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');

    const stats = await hub.gql(STATS, { school }, adminToken);
    expect(stats.data.credentialStats).toEqual(expect.arrayContaining([
      { role: 'PARENT', classGroup: null, issued: 1, activated: 1 },
      { role: 'PARENT', classGroup: { name: '3Б' }, issued: 1, activated: 1 },
    ]));
    expect((await hub.gql(STATS, { school }, otherAdminToken)).errors?.[0].extensions.code).toBe('FORBIDDEN');

    const again = await hub.gql(ISSUE, { input: { schoolId: school, role: 'PARENT', personId: guardian.id } }, adminToken);
    expect(again.data.issueCredentials.account.login).toBe(account.login);
    expect(again.data.issueCredentials.oneTimePassword).not.toBe(oneTimePassword);
    expect((await hub.gql(SCHOOLS, {}, token)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('never lets a school reset or take over an account that also acts elsewhere', async () => {
    // A teacher of this school who is also a parent in another school, and a directorate member who teaches here.
    const teacher = await f.staff(school, ['teacher']);
    const shared = await f.account([{ role: Role.TEACHER, person: teacher }, { role: Role.PARENT, person: await f.guardian(await f.student(otherSchool)) }]);
    const reset = await hub.gql(ISSUE, { input: { schoolId: school, role: 'TEACHER', personId: teacher.id } }, adminToken);
    expect(reset.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CREDENTIALS_ACCOUNT_SHARED' });
    const official = await f.staff(school, ['teacher']);
    await f.account([{ role: Role.TEACHER, person: official }], { directorate: true });
    expect((await hub.gql(ISSUE, { input: { schoolId: school, role: 'TEACHER', personId: official.id } }, adminToken)).errors?.[0].extensions.reason)
      .toBe('CREDENTIALS_ACCOUNT_SHARED');
    const [row] = await hub.dataSource.query('SELECT must_change_password FROM account WHERE id = $1', [shared.id]);
    expect(row.must_change_password).toBe(false);
  });

  it('refuses credentials for a person of another school or a role the person does not hold', async () => {
    const wrongSchool = await hub.gql(ISSUE, { input: { schoolId: otherSchool, role: 'PARENT', personId: guardian.id } }, otherAdminToken);
    expect(wrongSchool.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { personId: expect.any(String) } });
    const teacher = await f.staff(school, ['teacher']);
    const notAdmin = await hub.gql(ISSUE, { input: { schoolId: school, role: 'SCHOOL_ADMIN', personId: teacher.id } }, adminToken);
    expect(notAdmin.errors?.[0].extensions).toMatchObject({ reason: 'CREDENTIALS_ROLE_NOT_HELD', fields: { role: expect.any(String) } });
    const notYours = await hub.gql(ISSUE, { input: { schoolId: school, role: 'TEACHER', personId: teacher.id } }, otherAdminToken);
    expect(notYours.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('slows down repeated failures, then locks the login, saying when to try again', async () => {
    await accountWithPassword('teacher.five');
    const attempt = (pw: string) => hub.gql(SIGN_IN, { login: 'teacher.five', password: pw });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong')).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const slowed = await attempt(password);
    expect(slowed.errors?.[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'AUTH_THROTTLED', retryAfterSeconds: expect.any(Number) });
    expect(slowed.errors?.[0].message).toMatch(/Try again in \d+ s/);
    for (let i = 0; i < 5; i++) {
      // Waiting out each delay: what a patient attacker would do.
      await hub.dataSource.query(`UPDATE sign_in_throttle SET locked_until = now() WHERE key = 'login:teacher.five'`);
      await attempt('wrong');
    }
    const locked = await attempt(password);
    expect(locked.errors?.[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.errors?.[0].extensions.retryAfterSeconds).toBeGreaterThan(14 * 60);
  });

  it('counts concurrent attempts before checking them, so that a burst cannot pass the limit', async () => {
    await accountWithPassword('teacher.six');
    const results = await Promise.all(Array.from({ length: 30 }, () => hub.gql(SIGN_IN, { login: 'teacher.six', password: 'wrong' })));
    const checked = results.filter((r) => r.errors?.[0].extensions.code === 'UNAUTHENTICATED').length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.errors?.[0].extensions.code === 'TOO_MANY_REQUESTS').length).toBe(30 - checked);
  });

  it('does not count successful sign-ins against an address (a whole school signs in from one)', async () => {
    await accountWithPassword('teacher.seven');
    for (let i = 0; i < 60; i++) {
      await hub.dataSource.query(`DELETE FROM sign_in_throttle WHERE key LIKE 'login:%'`);
      expect((await hub.gql(SIGN_IN, { login: 'teacher.seven', password })).errors).toBeUndefined();
    }
  });

  it('locks a client address that tries many logins', async () => {
    for (let i = 0; i < 50; i++) await hub.gql(SIGN_IN, { login: `guess${i}`, password: 'x' });
    const res = await hub.gql(SIGN_IN, { login: 'someone.else', password: 'x' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(res.errors?.[0].message).toContain('your address');
  });
});

describe('password policy', () => {
  it.each([
    ['short1!A', 'at least 10'],
    ['password123', 'most common'],
    ['ivanov.ap-Secret1', 'login'],
    ['alllowercaseletters', null],
    ['onlylowercase', 'mix'],
    ['Mixed-Case-1', null],
  ])('judges "%s"', (password, problem) => {
    const result = passwordProblem(password, 'ivanov.ap');
    if (problem === null) expect(result).toBeNull();
    else expect(result).toContain(problem);
  });
});
