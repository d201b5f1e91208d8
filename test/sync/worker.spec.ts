import { spawn } from 'node:child_process';
import path from 'node:path';
import { OneRosterSimulator } from '../../adapters/oneroster/rest/simulator';
import { SecretBox } from '../../src/sync/secrets';
import { SyncQueue } from '../../src/sync/sync.jobs';
import { Fixture } from '../factories/fixture';
import { useTestHub } from '../setup/hub';

const WORKER = path.join(__dirname, '../../dist/src/cli/worker.js');

/** `npm run worker`, as a separate process: it takes the queue's sync jobs and stops cleanly on SIGTERM. */
describe('npm run worker', () => {
  const hub = useTestHub();
  const simulator = new OneRosterSimulator({ studentsPerClass: 5, weeks: 1 });
  let queue: SyncQueue;
  afterAll(async () => {
    await queue?.stop();
    await simulator.stop();
  });

  const run = (env: Record<string, string>) => {
    const child = spawn(process.execPath, [WORKER], { env: { ...process.env, LOG_LEVEL: 'warn', DEMO_DATA: 'false', ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { child, exited, output: () => output };
  };

  it('refuses to start without the database the API uses', async () => {
    const worker = run({ DATABASE_URL: '' });
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toContain('needs DATABASE_URL');
  });

  it('syncs a school whose sync was asked for, then stops on SIGTERM', async () => {
    const base = await simulator.start();
    const key = SecretBox.generateKey();
    const schoolId = await new Fixture(hub.dataSource).school({ systemOfRecord: 'oneroster-rest' });
    await hub.dataSource.query(
      `INSERT INTO sync_connection (school_id, adapter_id, config, secrets, secret_fields) VALUES ($1, 'oneroster-rest', $2, $3, '{clientSecret}')`,
      [schoolId, JSON.stringify({ baseUrl: base, tokenUrl: `${base}/token`, clientId: 'hub', schoolSourcedId: simulator.records('schools')[0].sourcedId }),
        new SecretBox(key).seal({ clientSecret: 'secret' })],
    );
    queue = new SyncQueue(hub.databaseUrl, hub.services.sync);
    await queue.start({ work: false });
    expect(await queue.request({ schoolId, trigger: 'manual' })).toEqual(expect.any(String));

    const worker = run({ DATABASE_URL: hub.databaseUrl, SECRETS_KEY: key });
    const runs = () => hub.dataSource.query('SELECT status, error FROM sync_run WHERE school_id = $1', [schoolId]);
    for (let i = 0; i < 150 && !(await runs()).some((r: { status: string }) => r.status !== 'running'); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await runs()).toEqual([{ status: 'succeeded', error: null }]);
    expect((await hub.dataSource.query('SELECT count(*)::int AS n FROM mark WHERE school_id = $1', [schoolId]))[0].n).toBeGreaterThan(0);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 60_000);
});
