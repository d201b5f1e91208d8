import { Role } from '../../src/policy/viewer';
import { Fixture } from '../factories/fixture';
import { useTestHub } from '../setup/hub';
import { fakeAdapter, smallSchool } from './fake-adapter';

const CONFIGURE = `mutation($i: ConfigureSyncInput!) { configureSync(input: $i) { adapterId config secretsSet } }`;

describe('sync configuration and runs through GraphQL (school IT staff)', () => {
  const adapter = fakeAdapter(() => {
    const s = smallSchool();
    s.marks!.push({ sourceId: 'bad', lessonSourceId: 'l0', studentSourceId: 'ghost', scale: 'five_point', value: '5' });
    return s;
  });
  const hub = useTestHub({ adapters: [adapter] });
  let schoolId: string;
  let itToken: string;
  let teacherToken: string;
  let otherItToken: string;

  beforeAll(async () => {
    const f = new Fixture(hub.dataSource);
    schoolId = await f.school();
    itToken = (await f.account([{ role: Role.SCHOOL_IT, person: await f.staff(schoolId, ['it']) }])).token;
    teacherToken = (await f.account([{ role: Role.TEACHER, person: await f.staff(schoolId, ['teacher']) }])).token;
    const other = await f.school();
    otherItToken = (await f.account([{ role: Role.SCHOOL_IT, person: await f.staff(other, ['it']) }])).token;
  });

  it('lists the adapters with their configuration forms', async () => {
    const res = await hub.gql('{ adapters { id config { name type required secret } } }', {}, itToken);
    expect(res.data.adapters).toEqual([{ id: 'fake-vendor', config: [
      { name: 'baseUrl', type: 'url', required: true, secret: false },
      { name: 'clientSecret', type: 'string', required: true, secret: true },
    ] }]);
  });

  it('refuses a configuration naming what is wrong, and changes nothing', async () => {
    const res = await hub.gql(CONFIGURE, { i: { schoolId, adapterId: 'fake-vendor', config: { baseUrl: 'not a url', extra: 1 } } }, itToken);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: {
      'config.baseUrl': expect.stringContaining('URL'), 'config.clientSecret': 'is required', 'config.extra': expect.any(String),
    } });
    expect(await hub.dataSource.query('SELECT 1 FROM sync_connection WHERE school_id = $1', [schoolId])).toHaveLength(0);
    const unknown = await hub.gql(CONFIGURE, { i: { schoolId, adapterId: 'no-such', config: {} } }, itToken);
    expect(unknown.errors?.[0].extensions.fields).toHaveProperty('adapterId');
    // The hub's own machine and private networks are off limits (server-side request forgery): its
    // database, the cloud's metadata service.
    for (const baseUrl of ['http://127.0.0.1:54329', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:4000', 'http://localhost/', 'http://10.0.0.7', 'http://[::ffff:192.168.0.1]/']) {
      const refused = await hub.gql(CONFIGURE, { i: { schoolId, adapterId: 'fake-vendor', config: { baseUrl, clientSecret: 'x' } } }, itToken);
      expect({ baseUrl, fields: refused.errors?.[0].extensions.fields }).toEqual({ baseUrl, fields: { 'config.baseUrl': expect.stringContaining('SYNC_ALLOW_PRIVATE_ADDRESSES') } });
    }
  });

  it('stores the secret encrypted, never returns it, and gives it to the adapter', async () => {
    const res = await hub.gql(CONFIGURE, { i: { schoolId, adapterId: 'fake-vendor', config: { baseUrl: 'https://vendor.example', clientSecret: 's3cr3t-value' } } }, itToken);
    expect(res.data.configureSync).toEqual({ adapterId: 'fake-vendor', config: { baseUrl: 'https://vendor.example' }, secretsSet: ['clientSecret'] });
    const [row] = await hub.dataSource.query('SELECT secrets, config FROM sync_connection WHERE school_id = $1', [schoolId]);
    expect(row.secrets.includes(Buffer.from('s3cr3t-value'))).toBe(false);
    expect(JSON.stringify(row.config)).not.toContain('s3cr3t');
    const [school] = await hub.dataSource.query('SELECT system_of_record FROM school WHERE id = $1', [schoolId]);
    expect(school.system_of_record).toBe('fake-vendor');
    // Saving again without the secret keeps it.
    const again = await hub.gql(CONFIGURE, { i: { schoolId, adapterId: 'fake-vendor', config: { baseUrl: 'https://vendor2.example' } } }, itToken);
    expect(again.data.configureSync.secretsSet).toEqual(['clientSecret']);
    expect((await hub.gql('mutation($s: ID!) { testSyncConnection(schoolId: $s) { ok problems } }', { s: schoolId }, itToken)).data.testSyncConnection).toEqual({ ok: true, problems: [] });
  });

  it('runs a sync and shows the run and its quarantine grouped by cause', async () => {
    const res = await hub.gql('mutation($s: ID!) { runSync(schoolId: $s) { queued run { status trigger counts finishedAt } } }', { s: schoolId }, itToken);
    expect(res.errors).toBeUndefined();
    // A hub without workers runs the sync in the request.
    expect(res.data.runSync).toMatchObject({ queued: false, run: { status: 'succeeded', trigger: 'manual' } });
    expect(res.data.runSync.run.counts.marks).toMatchObject({ inserted: 3, quarantined: 1 });
    expect(adapter.lastConfig).toEqual({ baseUrl: 'https://vendor2.example', clientSecret: 's3cr3t-value' });
    const q = await hub.gql('query($s: ID!) { syncQuarantine(schoolId: $s) { causes { stream field cause records } records { sourceId reason payload } } }', { s: schoolId }, itToken);
    expect(q.data.syncQuarantine.causes).toEqual([{ stream: 'marks', field: 'studentSourceId', cause: 'refers to an unknown student "…"', records: 1 }]);
    expect(q.data.syncQuarantine.records[0]).toMatchObject({ sourceId: 'bad', payload: expect.objectContaining({ studentSourceId: 'ghost' }) });
    const runs = await hub.gql('query($s: ID!) { syncRuns(schoolId: $s) { status adapterId } }', { s: schoolId }, itToken);
    expect(runs.data.syncRuns).toEqual([{ status: 'succeeded', adapterId: 'fake-vendor' }]);
  });

  it('refuses everyone but the school’s IT staff and administration', async () => {
    for (const token of [teacherToken, otherItToken]) {
      for (const [query, variables] of [
        ['query($s: ID!) { syncConnection(schoolId: $s) { adapterId } }', { s: schoolId }],
        ['query($s: ID!) { syncRuns(schoolId: $s) { status } }', { s: schoolId }],
        ['query($s: ID!) { syncQuarantine(schoolId: $s) { causes { records } } }', { s: schoolId }],
        ['mutation($s: ID!) { runSync(schoolId: $s) { queued } }', { s: schoolId }],
        ['mutation($s: ID!) { retryQuarantinedRecords(schoolId: $s) { queued } }', { s: schoolId }],
        ['mutation($s: ID!, $r: ID!) { reviewHeldSyncRun(schoolId: $s, runId: $r, approve: true) { queued } }', { s: schoolId, r: '00000000-0000-4000-8000-000000000000' }],
        ['mutation($s: ID!) { setSyncSchedule(schoolId: $s, everyMinutes: 60) { everyMinutes } }', { s: schoolId }],
        [CONFIGURE, { i: { schoolId, adapterId: 'fake-vendor', config: { baseUrl: 'https://evil.example' } } }],
      ] as const) {
        const res = await hub.gql(query, variables, token);
        expect(res.errors?.[0].extensions.code).toBe('FORBIDDEN');
      }
    }
    const [row] = await hub.dataSource.query('SELECT config, every_minutes FROM sync_connection WHERE school_id = $1', [schoolId]);
    expect(row).toEqual({ config: { baseUrl: 'https://vendor2.example' }, every_minutes: null });
    for (const token of [teacherToken, otherItToken]) {
      const csv = await fetch(hub.url.replace(/\/graphql$/, `/documents/schools/${schoolId}/sync-quarantine.csv`), { headers: { authorization: `Bearer ${token}` } });
      expect(csv.status).toBe(403);
    }
  });

  it('downloads the quarantine as CSV that a spreadsheet reads, and retries it once the cause is fixed', async () => {
    const res = await fetch(hub.url.replace(/\/graphql$/, `/documents/schools/${schoolId}/sync-quarantine.csv`), { headers: { authorization: `Bearer ${itToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, line] = text.slice(1).split(/\r?\n/);
    expect(header).toBe('stream,source id,field,reason,record as sent,run,quarantined at');
    expect(line).toMatch(/^marks,bad,studentSourceId,"refers to an unknown student ""ghost""","\{.*""studentSourceId"": ?""ghost"".*\}",/);

    // The missing student turns up (entered in the vendor's system and synced); the quarantined mark now lands.
    await hub.dataSource.query(
      `INSERT INTO student (school_id, last_name, first_name, source_system, source_id) VALUES ($1, 'Призраков', 'Пётр', 'fake-vendor', 'ghost')`, [schoolId]);
    const retry = await hub.gql('mutation($s: ID!) { retryQuarantinedRecords(schoolId: $s) { queued run { status trigger counts } } }', { s: schoolId }, itToken);
    expect(retry.data.retryQuarantinedRecords).toMatchObject({ queued: false, run: { status: 'succeeded', trigger: 'retry' } });
    expect(retry.data.retryQuarantinedRecords.run.counts.marks).toMatchObject({ inserted: 1, quarantined: 0 });
    const q = await hub.gql('query($s: ID!) { syncQuarantine(schoolId: $s) { causes { records } } }', { s: schoolId }, itToken);
    expect(q.data.syncQuarantine.causes).toEqual([]);
    // A retry reads the quarantine, not the vendor.
    expect(adapter.reads).toBe(1);
  });

  it('sets the schedule and the hold share, refusing values out of range', async () => {
    const bad = await hub.gql('mutation($s: ID!) { setSyncSchedule(schoolId: $s, everyMinutes: 5, holdShare: 1.5) { everyMinutes } }', { s: schoolId }, itToken);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { everyMinutes: expect.any(String), holdShare: expect.any(String) } });
    const ok = await hub.gql('mutation($s: ID!) { setSyncSchedule(schoolId: $s, everyMinutes: 60, holdShare: 0.3) { everyMinutes holdShare lastSyncedAt } }', { s: schoolId }, itToken);
    expect(ok.data.setSyncSchedule).toEqual({ everyMinutes: 60, holdShare: 0.3, lastSyncedAt: expect.any(String) });
    // The same freshness on the school, for the directorate's list of schools.
    const schools = await hub.gql('{ schools(first: 10) { edges { node { id lastSyncedAt } } } }', {}, teacherToken);
    const fresh = schools.data.schools.edges.map((e: { node: { id: string; lastSyncedAt: string | null } }) => e.node);
    expect(fresh).toContainEqual({ id: schoolId, lastSyncedAt: ok.data.setSyncSchedule.lastSyncedAt });
    expect(fresh.filter((s: { lastSyncedAt: string | null }) => s.lastSyncedAt === null)).toHaveLength(1);
    // It ran within the hour: not due yet.
    expect(await hub.services.sync.dueSchools()).not.toContain(schoolId);
    await hub.dataSource.query(`UPDATE sync_run SET started_at = started_at - interval '2 hours' WHERE school_id = $1`, [schoolId]);
    expect(await hub.services.sync.dueSchools()).toContain(schoolId);
    const [audit] = await hub.dataSource.query(`SELECT details FROM audit_event WHERE school_id = $1 AND action = 'sync.scheduled'`, [schoolId]);
    expect(audit.details).toEqual({ everyMinutes: 60, holdShare: 0.3 });
  });

  it('lets school IT staff add another name of a subject, refusing one that names a subject already and anyone else', async () => {
    const ADD = 'mutation($a: String!, $c: String!) { addSubjectAlias(alias: $a, subjectCode: $c) { alias subject { code } } }';
    expect((await hub.gql(ADD, { a: 'Физ-ра (девочки)', c: 'physical_education' }, teacherToken)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const bad = await hub.gql(ADD, { a: 'ИЗО', c: 'no_such' }, itToken);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { alias: expect.stringContaining('«Изобразительное искусство»'), subjectCode: expect.any(String) } });
    const ok = await hub.gql(ADD, { a: '  Физ-ра  (девочки) ', c: 'physical_education' }, itToken);
    expect(ok.data.addSubjectAlias).toEqual({ alias: 'физ-ра (девочки)', subject: { code: 'physical_education' } });
    const list = await hub.gql('{ subjectAliases { alias subject { code } } }', {}, teacherToken);
    expect(list.data.subjectAliases).toContainEqual({ alias: 'физ-ра (девочки)', subject: { code: 'physical_education' } });
    const [audit] = await hub.dataSource.query(`SELECT details FROM account_event WHERE action = 'subject.alias_added'`);
    expect(audit.details).toEqual({ alias: 'физ-ра (девочки)', subjectCode: 'physical_education' });
  });
});
