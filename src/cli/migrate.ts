import { loadConfig } from '../config/config';
import { createLogger } from '../common/logger';
import { openDatabase } from '../db/database';

/**
 * `npm run migrate` applies every pending migration; `npm run migrate -- --revert` reverts the last one.
 * Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR when it is unset.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger);
  try {
    if (process.argv.includes('--revert')) {
      await db.dataSource.undoLastMigration({ transaction: 'each' });
      logger.info('reverted the last migration');
    }
    const pending = await db.dataSource.showMigrations();
    logger.info({ database: db.location, pending }, pending ? 'migrations are pending' : 'schema is up to date');
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
