import { Role } from '../../src/policy/viewer';
import { SyncQueue } from '../../src/sync/sync.jobs';
import { Fixture } from '../factories/fixture';
import { useTestHub } from '../setup/hub';
import { fakeAdapter, smallSchool, SourceData } from './fake-adapter';

/** The small school with 30 more marks, or with none when the vendor's export is broken. */
const source: { marks: boolean } = { marks: true };
function school(): SourceData {
  const s = smallSchool();
  for (let i = 0; i < 30; i++) s.marks!.push({ sourceId: `m${i}`, lessonSourceId: `l${i % 4}`, studentSourceId: `st${i % 6}`, scale: 'five_point', value: '5' });
  return source.marks ? s : { ...s, marks: [] };
}

describe('sync jobs on the PostgreSQL queue (pg-boss)', () => {
  const adapter = fakeAdapter(school, { readsWhole: ['marks'] });
  const hub = useTestHub({ adapters: [adapter] });
  let schoolId: string;
  let itToken: string;
  const queues: SyncQueue[] = [];
  const queue = async (work: boolean) => {
    const q = new SyncQueue(hub.databaseUrl, hub.services.sync);
    await q.start({ work, pollingIntervalSeconds: 0.5 });
    queues.push(q);
    return q;
  };
  const runs = () => hub.dataSource.query('SELECT status, trigger FROM sync_run WHERE school_id = $1 ORDER BY started_at', [schoolId]);
  const until = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await done()); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await done()).toBe(true);
  };

  beforeAll(async () => {
    const f = new Fixture(hub.dataSource);
    schoolId = await f.school({ systemOfRecord: 'fake-vendor' });
    itToken = (await f.account([{ role: Role.SCHOOL_IT, person: await f.staff(schoolId, ['it']) }])).token;
    await hub.dataSource.query(`INSERT INTO sync_connection (school_id, adapter_id) VALUES ($1, 'fake-vendor')`, [schoolId]);
  });
  afterAll(async () => {
    for (const q of queues) await q.stop();
  });

  it('keeps one job waiting per school however often a sync is asked for', async () => {
    const api = await queue(false);
    hub.services.sync.useQueue(api);
    const ask = () => hub.gql('mutation($s: ID!) { runSync(schoolId: $s) { queued run { status } } }', { s: schoolId }, itToken);
    expect((await ask()).data.runSync).toEqual({ queued: true, run: null });
    expect((await ask()).data.runSync).toEqual({ queued: true, run: null });
    expect(await api.request({ schoolId, trigger: 'manual' })).toBeNull();
    // A retry of the quarantine is not swallowed by the ordinary sync waiting.
    expect(await api.request({ schoolId, trigger: 'retry' })).toEqual(expect.any(String));
    expect(await runs()).toEqual([]);
  });

  it('runs the queued sync in a worker process of its own', async () => {
    await queue(true);
    await until(async () => (await runs()).filter((r: { status: string }) => r.status === 'succeeded').length === 2);
    expect(await runs()).toEqual(expect.arrayContaining([{ status: 'succeeded', trigger: 'manual' }, { status: 'succeeded', trigger: 'retry' }]));
    // The worker brought the school's learning figures up to date with the synced marks.
    const [fresh] = await hub.dataSource.query(
      `SELECT r.data_version = v.version AS fresh FROM learning_rollup_state r JOIN learning_data_version v USING (school_id) WHERE r.school_id = $1`, [schoolId]);
    expect(fresh).toEqual({ fresh: true });
    expect(adapter.reads).toBe(1);
  });

  it('runs an approved held run again through the queue', async () => {
    source.marks = false;
    await hub.gql('mutation($s: ID!) { runSync(schoolId: $s) { queued } }', { s: schoolId }, itToken);
    await until(async () => (await runs()).some((r: { status: string }) => r.status === 'held'));
    const [held] = await hub.dataSource.query(`SELECT id FROM sync_run WHERE school_id = $1 AND status = 'held'`, [schoolId]);
    const review = 'mutation($s: ID!, $r: ID!, $a: Boolean!) { reviewHeldSyncRun(schoolId: $s, runId: $r, approve: $a) { queued } }';
    expect((await hub.gql(review, { s: schoolId, r: held.id, a: true }, itToken)).data.reviewHeldSyncRun).toEqual({ queued: true });
    await until(async () => (await runs()).some((r: { trigger: string; status: string }) => r.trigger === 'approval' && r.status === 'succeeded'));
    expect((await runs()).filter((r: { trigger: string }) => r.trigger !== 'retry')).toEqual([
      { status: 'succeeded', trigger: 'manual' }, { status: 'approved', trigger: 'manual' }, { status: 'succeeded', trigger: 'approval' },
    ]);
    expect(await hub.dataSource.query('SELECT count(*)::int AS n FROM mark WHERE school_id = $1', [schoolId])).toEqual([{ n: 0 }]);
    // A run reviewed once cannot be reviewed again.
    const again = await hub.gql(review, { s: schoolId, r: held.id, a: false }, itToken);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'SYNC_RUN_NOT_HELD' });
    const audit = await hub.dataSource.query(`SELECT action FROM audit_event WHERE school_id = $1 AND action LIKE 'sync.%' ORDER BY occurred_at`, [schoolId]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['sync.requested', 'sync.requested', 'sync.requested', 'sync.hold_approved']);
  });
});
