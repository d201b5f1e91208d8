import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { createLogger } from '../common/logger';
import { openDatabase } from '../db/database';
import { createServices } from '../graphql/services';
import { secretBoxFor } from '../sync/secrets';
import { SyncQueue } from '../sync/sync.jobs';

/**
 * `npm run worker`: a process that only syncs schools, for when one API process is not enough. Start as
 * many as the vendors and the database allow, each taking SYNC_WORKERS schools at once (at least one);
 * they share the queue in PostgreSQL, and a school is never synced by two at once. Needs DATABASE_URL:
 * with the embedded PostgreSQL the API process runs the workers itself.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    console.error('npm run worker needs DATABASE_URL (the database the API uses). With the embedded PostgreSQL, the API process syncs schools itself (SYNC_WORKERS).');
    process.exit(2);
  }
  const db = await openDatabase(config, logger);
  const services = createServices(db.dataSource, {
    sessionTtlHours: config.sessionTtlHours, mail: { smtpUrl: config.smtpUrl ?? null, from: config.mailFrom }, logger,
    secrets: await secretBoxFor(config.secretsKey, null), sourceLimits: { allowPrivateAddresses: config.syncAllowPrivateAddresses, filesDir: config.syncFilesDir! },
  });
  const queue = new SyncQueue(db.url, services.sync, logger);
  await queue.start({ work: true, concurrency: Math.max(1, config.syncWorkers) });
  logger.info({ database: db.location, concurrency: Math.max(1, config.syncWorkers) }, 'sync worker started');
  const stop = async () => {
    logger.info('sync worker stopping: finishing the runs in progress');
    await queue.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
