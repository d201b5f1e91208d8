import { createServices } from '../../src/graphql/services';
import { createDemoVendorSchools, startDemoVendors } from '../../src/seed/demo-vendors';
import { createLogger } from '../../src/common/logger';
import { SecretBox } from '../../src/sync/secrets';
import { SyncQueue } from '../../src/sync/sync.jobs';
import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';

describe('the demo’s schools on vendor systems', () => {
  const db = useTestDatabase();
  let queue: SyncQueue;
  let vendors: { stop(): Promise<void> };
  afterAll(async () => {
    await queue?.stop();
    await vendors?.stop();
  });

  it('start with the hub and sync from their simulators: ЭлЖур, «Сетевой город» and Дневник.ру side by side', async () => {
    await new Fixture(db.dataSource).school();
    await db.dataSource.transaction((em) => createDemoVendorSchools(em));
    const secrets = new SecretBox(SecretBox.generateKey());
    const services = createServices(db.dataSource, { sessionTtlHours: 1, mail: { smtpUrl: null, from: 'demo@test.local' }, secrets });
    queue = new SyncQueue(db.url, services.sync);
    await queue.start({ work: true, concurrency: 2, pollingIntervalSeconds: 0.5 });
    vendors = await startDemoVendors(db.dataSource, secrets, queue, createLogger('silent'));

    const runs = () => db.dataSource.query(
      `SELECT s.system_of_record AS system, r.status, r.error FROM sync_run r JOIN school s ON s.id = r.school_id ORDER BY 1`);
    for (let i = 0; i < 300 && (await runs()).filter((r: { status: string }) => r.status !== 'running').length < 3; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await runs()).toEqual(['dnevnik', 'eljur', 'netschool'].map((system) => ({ system, status: 'succeeded', error: null })));
    const landed = await db.dataSource.query(
      `SELECT s.system_of_record AS system, (SELECT count(*)::int FROM mark m WHERE m.school_id = s.id) AS marks,
              (SELECT count(*)::int FROM sync_quarantine q WHERE q.school_id = s.id) AS quarantined, c.every_minutes
         FROM school s JOIN sync_connection c ON c.school_id = s.id ORDER BY 1`);
    for (const school of landed) expect(school).toEqual({ system: school.system, marks: expect.any(Number), quarantined: 0, every_minutes: 60 });
    expect(landed.every((s: { marks: number }) => s.marks > 500)).toBe(true);
    // The directorate's learning figures hold every vendor school beside the others (the worker refreshes
    // them right after each sync, once the run is logged).
    const refreshed = () => db.dataSource.query(`SELECT count(*)::int AS n FROM learning_rollup_state WHERE data_version > 0`);
    for (let i = 0; i < 100 && (await refreshed())[0].n < 3; i++) await new Promise((r) => setTimeout(r, 200));
    const figured = await db.dataSource.query(
      `SELECT s.system_of_record AS system, sum(r.marks)::int AS marks FROM learning_rollup r JOIN school s ON s.id = r.school_id
        WHERE r.term_id IS NULL AND r.grade_level IS NULL AND r.subject_id IS NULL GROUP BY 1 ORDER BY 1`);
    expect(figured.map((f: { system: string }) => f.system)).toEqual(['dnevnik', 'eljur', 'netschool']);
    expect(figured.every((f: { marks: number }) => f.marks > 0)).toBe(true);
    // The vendors' credentials are stored sealed, as any school's.
    const [connection] = await db.dataSource.query(`SELECT secrets, secret_fields FROM sync_connection c JOIN school s ON s.id = c.school_id WHERE s.system_of_record = 'eljur'`);
    expect(connection.secret_fields).toEqual(['devkey', 'password']);
    expect(secrets.open(connection.secrets)).toEqual({ devkey: expect.any(String), password: expect.any(String) });
  }, 120_000);
});
