import { DataSource, EntityManager } from 'typeorm';
import { startDnevnikSimulator } from '../../adapters/dnevnik/simulator';
import { startEljurSimulator } from '../../adapters/eljur/simulator';
import { startNetSchoolSimulator } from '../../adapters/netschool/simulator';
import type { Logger } from '../common/logger';
import { todayIn } from '../common/dates';
import type { SecretBox } from '../sync/secrets';
import type { SyncQueue } from '../sync/sync.jobs';

/** A vendor system as the demo runs it: its simulator, started with the hub, and the configuration that reads it. */
interface DemoVendor {
  adapterId: string;
  shortName: string;
  fullName: string;
  start(today: string): Promise<{ config: Record<string, string | number>; secrets: Record<string, string>; stop(): Promise<void> }>;
}

/** Weeks of the school year up to today (its lessons and marks are generated for them). */
const weeksSoFar = (today: string) =>
  Math.max(1, Math.min(39, Math.ceil((Date.parse(today) - Date.parse(`${today.slice(0, 4)}-09-01`)) / (7 * 86_400_000)) + 1));

const DEMO_VENDORS: DemoVendor[] = [
  {
    adapterId: 'eljur',
    shortName: 'Гимназия (ЭлЖур)',
    fullName: 'Муниципальное автономное общеобразовательное учреждение «Гимназия» (демо: журнал в ЭлЖур)',
    async start(today) {
      const { simulator, config } = await startEljurSimulator({ seed: 4, grades: [5, 6, 7], classesPerGrade: 1, studentsPerClass: 12, weeks: weeksSoFar(today), today });
      const { devkey, password, ...plain } = config;
      // A local simulator answers as fast as it is asked.
      return { config: { ...plain, requestsPerSecond: 200, parallelism: 8 }, secrets: { devkey, password }, stop: () => simulator.stop() };
    },
  },
  {
    adapterId: 'netschool',
    shortName: 'СОШ №7 (Сетевой город)',
    fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа №7» (демо: «Сетевой город. Образование»)',
    async start(today) {
      const { simulator, url } = await startNetSchoolSimulator({ seed: 7, classes: 3, studentsPerClass: 12, today });
      return {
        config: { serverUrl: url, school: simulator.school.loginName, login: simulator.options.login, requestsPerSecond: 200, parallelism: 8 },
        secrets: { password: simulator.options.password },
        stop: () => simulator.stop(),
      };
    },
  },
  {
    adapterId: 'dnevnik',
    shortName: 'Лицей (Дневник.ру)',
    fullName: 'Муниципальное автономное общеобразовательное учреждение «Лицей» (демо: журнал в Дневник.ру)',
    async start(today) {
      const { simulator, config } = await startDnevnikSimulator({ seed: 9, size: 'small', grades: [5, 6, 7], studentsPerClass: 12, weeks: weeksSoFar(today) });
      const { accessToken, ...plain } = config;
      return { config: { ...plain, requestsPerSecond: 100, parallelism: 8 }, secrets: { accessToken }, stop: () => simulator.stop() };
    },
  },
];

/** The demo's schools on vendor systems, created with the rest of the demo municipality (their data comes by sync). */
export async function createDemoVendorSchools(em: EntityManager): Promise<void> {
  const [municipality] = await em.query('SELECT id FROM municipality ORDER BY created_at LIMIT 1');
  for (const vendor of DEMO_VENDORS) {
    await em.query(
      `INSERT INTO school (municipality_id, full_name, short_name, system_of_record) VALUES ($1, $2, $3, $4)`,
      [municipality.id, vendor.fullName, vendor.shortName, vendor.adapterId],
    );
  }
}

/**
 * Starts the simulators of the demo's vendor schools (on 127.0.0.1, a free port each start), points each
 * school's connection at its simulator and asks for a sync; they are synced every hour after that. The
 * simulators are deterministic, so a saved sync state stays valid from one start to the next.
 */
export async function startDemoVendors(ds: DataSource, secrets: SecretBox | null, queue: SyncQueue, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const running: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(running.map((r) => r.stop()));
  };
  if (!secrets) return { stop };
  try {
    for (const vendor of DEMO_VENDORS) {
      const [school] = await ds.query('SELECT id, time_zone FROM school WHERE short_name = $1 AND system_of_record = $2', [vendor.shortName, vendor.adapterId]);
      if (!school) continue;
      const started = await vendor.start(todayIn(school.time_zone));
      running.push(started);
      // Written directly, not through configureSync: the demo's vendors live on 127.0.0.1, which a school's
      // IT staff may not point the hub at, and the saved sync state stays valid as the port changes.
      await ds.query(
        `INSERT INTO sync_connection (school_id, adapter_id, config, secrets, secret_fields, every_minutes) VALUES ($1, $2, $3, $4, $5, 60)
         ON CONFLICT (school_id) DO UPDATE SET config = EXCLUDED.config, secrets = EXCLUDED.secrets, updated_at = now()`,
        [school.id, vendor.adapterId, JSON.stringify(started.config), secrets.seal(started.secrets), Object.keys(started.secrets)],
      );
      await queue.request({ schoolId: school.id, trigger: 'schedule' });
      logger.info({ schoolId: school.id, adapterId: vendor.adapterId }, 'demo vendor system started; sync requested');
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
