import { recordAudit } from '../../src/modules/audit/audit.service';
import { Role } from '../../src/policy/viewer';
import { Fixture, Ref } from '../factories/fixture';
import { useTestHub } from '../setup/hub';

const EVENTS = `query($school: ID!, $student: ID, $action: String, $after: String) {
  auditEvents(schoolId: $school, studentId: $student, action: $action, first: 2, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { action actorAccountId subjectType studentId clientAddress occurredAt } }
  }
}`;

describe('audit trail', () => {
  const hub = useTestHub();
  let f: Fixture;
  let school: string;
  let child: Ref;
  let admin: { id: string; token: string };
  let parent: { id: string; token: string };
  let directorateToken: string;

  beforeAll(async () => {
    f = new Fixture(hub.dataSource);
    school = await f.school();
    const year = await f.year(school);
    const cls = await f.classGroup(year, 2, 'А');
    child = await f.student(school);
    await f.enroll(child, cls, '2026-09-01');
    admin = await f.account([{ role: Role.SCHOOL_ADMIN, person: await f.staff(school, ['director']) }]);
    parent = await f.account([{ role: Role.PARENT, person: await f.guardian(child) }]);
    await f.grant(child, parent.id);
    directorateToken = (await f.account([], { directorate: true })).token;
  });

  it('records who read a child’s diary, when and from where, readable page by page by the school and the directorate', async () => {
    for (let i = 0; i < 3; i++) {
      await hub.gql(`query($id: ID!) { diary(studentId: $id, from: "2026-11-02", to: "2026-11-08") { days { date } } }`, { id: Fixture.apiId(child) }, parent.token);
    }
    const page1 = await hub.gql(EVENTS, { school, student: Fixture.apiId(child), action: 'diary.read' }, admin.token);
    expect(page1.errors).toBeUndefined();
    expect(page1.data.auditEvents.totalCount).toBe(3);
    expect(page1.data.auditEvents.edges[0].node).toMatchObject({
      action: 'diary.read', actorAccountId: parent.id, subjectType: 'student', studentId: child.id, clientAddress: expect.stringContaining('127.0.0.1'),
    });
    expect(page1.data.auditEvents.pageInfo.hasNextPage).toBe(true);
    const page2 = await hub.gql(EVENTS, { school, student: Fixture.apiId(child), action: 'diary.read', after: page1.data.auditEvents.pageInfo.endCursor }, directorateToken);
    expect(page2.data.auditEvents.edges).toHaveLength(1);
    expect(page2.data.auditEvents.pageInfo.hasNextPage).toBe(false);
  });

  it('writes a read’s entry without waiting for the disk, for that one statement only', async () => {
    const runner = hub.dataSource.createQueryRunner();
    try {
      await runner.query('SET synchronous_commit = on'); // the test server's default is off
      await recordAudit(runner.manager, [{ action: 'diary.read', schoolId: school, actorAccountId: parent.id, studentId: child.id, subjectType: 'student', subjectId: child.id }], { waitForDisk: false });
      // The same connection's next statement waits for the disk again.
      expect(await runner.query('SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'on' }]);
      const [{ count }] = await runner.query(`SELECT count(*)::int AS count FROM audit_event WHERE school_id = $1 AND actor_account_id = $2 AND subject_id = $3`, [school, parent.id, child.id]);
      expect(count).toBeGreaterThan(0);
    } finally {
      await runner.release();
    }
  });

  it('records sign-ins and their failures, readable by the directorate', async () => {
    await hub.dataSource.query('DELETE FROM sign_in_throttle');
    await hub.gql('mutation { signIn(login: "nobody.known", password: "wrong-password") { token } }');
    const res = await hub.gql(`{ accountEvents(action: "auth.sign_in_failed") { totalCount edges { node { action clientAddress details } } } }`, {}, directorateToken);
    expect(res.errors).toBeUndefined();
    expect(res.data.accountEvents.edges.at(-1).node).toMatchObject({
      action: 'auth.sign_in_failed', clientAddress: expect.stringContaining('127.0.0.1'), details: { reason: 'unknown_login' },
    });
  });

  it('offers no way to change or delete an entry', async () => {
    const res = await hub.gql('{ __schema { mutationType { fields { name } } } }');
    const names: string[] = res.data.__schema.mutationType.fields.map((m: { name: string }) => m.name);
    expect(names.filter((n) => /audit/i.test(n))).toEqual([]);
    await expect(hub.dataSource.query(`DELETE FROM audit_event WHERE school_id = $1`, [school])).rejects.toThrow(/append-only/);
  });

  it('refuses a bad cursor with a clear error', async () => {
    const res = await hub.gql(EVENTS, { school, after: 'not-a-cursor' }, admin.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PAGINATION_CURSOR_INVALID', fields: { after: expect.any(String) } });
  });
});
