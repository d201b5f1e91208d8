import PgBoss from 'pg-boss';
import type { Logger } from '../common/logger';
import type { RunOptions, RunResult } from './engine';

/** What a sync job carries: the school, and why it runs. */
export interface SyncJob {
  schoolId: string;
  trigger: NonNullable<RunOptions['trigger']>;
  approved?: boolean;
}

/** What the queue needs of the sync service: who is due, and running one school. */
export interface SyncRunner {
  dueSchools(): Promise<string[]>;
  execute(job: SyncJob): Promise<RunResult>;
}

const SYNC = 'sync';
const DUE = 'sync-due';

export interface SyncQueueOptions {
  /** Take jobs in this process (the API process by default; `npm run worker` for more). */
  work: boolean;
  /** Schools synced at once by this process. */
  concurrency?: number;
  /** How often workers look for jobs; the API's "sync now" is taken within this. */
  pollingIntervalSeconds?: number;
}

/**
 * Sync runs as jobs on a queue kept in PostgreSQL (pg-boss), so no other infrastructure is needed:
 * - a "sync now" and each school's schedule put a job on the `sync` queue; the queue is `stately`,
 *   so a school has at most one job waiting and one running, however often it is asked;
 * - every minute one `sync-due` job (pg-boss's cron, taken by one worker across processes) puts the
 *   schools whose schedule has come round on the queue;
 * - a run that fails for a transient reason (the vendor down) is retried with backoff; a run that
 *   retrying cannot cure (wrong credentials) is not.
 */
export class SyncQueue {
  private readonly boss: PgBoss;

  constructor(databaseUrl: string, private readonly runner: SyncRunner, private readonly logger?: Logger) {
    this.boss = new PgBoss({ connectionString: databaseUrl, max: 4, application_name: 'journal-hub jobs' });
    this.boss.on('error', (error) => this.logger?.error({ err: error }, 'job queue error'));
  }

  async start(options: SyncQueueOptions): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(SYNC, { name: SYNC, policy: 'stately', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInHours: 6 });
    await this.boss.createQueue(DUE, { name: DUE, policy: 'singleton', expireInSeconds: 300 });
    await this.boss.schedule(DUE, '* * * * *');
    if (!options.work) return;
    const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      await this.boss.work<SyncJob>(SYNC, polling, async ([job]) => {
        const result = await this.runner.execute(job.data);
        // Thrown, so that pg-boss retries it later; other failures are final and already in the run log.
        if (result.status === 'failed' && result.error?.kind === 'transient') throw new Error(result.error.message);
        return { runId: result.runId, status: result.status };
      });
    }
    await this.boss.work(DUE, polling, async () => {
      for (const schoolId of await this.runner.dueSchools()) await this.request({ schoolId, trigger: 'schedule' });
    });
  }

  /**
   * Puts a sync of the school on the queue; null when one like it is already waiting. An approval or a
   * retry of quarantined records waits on its own, so that a waiting ordinary sync does not swallow it
   * (if both come due together, one waits for the other's lock and is retried).
   */
  request(job: SyncJob): Promise<string | null> {
    const ordinary = job.trigger === 'manual' || job.trigger === 'schedule';
    return this.boss.send(SYNC, job, { singletonKey: ordinary ? job.schoolId : `${job.schoolId}:${job.trigger}` });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
