// The benchmark's PostgreSQL: one seeded database per scale, kept between runs, and a fresh copy of it
// for each run, so that what a run writes (accounts, synced schools, audit rows) never piles up.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { dist, root } from './paths.mjs';

const { startEmbeddedPostgres } = dist('src/db/embedded-postgres.js');

/** The seed's arguments per bench scale. Lessons run to the end of May, so the figures do not depend on today's date. */
export const SCALE_ARGS = {
  small: ['--scale', 'small', '--until', '2027-05-31'],
  city: ['--scale', 'city', '--until', '2027-05-31'],
};

/**
 * Starts the embedded PostgreSQL (durable: fsync and synchronous commit on, as in production) under
 * BENCH_DATA_DIR, or uses the server at BENCH_DATABASE_URL. Returns the server URL and a stop function.
 */
export async function startServer() {
  if (process.env.BENCH_DATABASE_URL) return { serverUrl: process.env.BENCH_DATABASE_URL, stop: async () => {}, embedded: false };
  const dataDir = path.resolve(process.env.BENCH_DATA_DIR ?? path.join(root, '.data', 'bench'));
  const port = Number(process.env.BENCH_PG_PORT ?? 54339);
  const server = await startEmbeddedPostgres({ dataDir, port, durable: true });
  return { serverUrl: server.url, stop: () => server.stop(), embedded: true, dataDir };
}

export function databaseUrl(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The seeded database of a scale: reused when it was seeded with the same arguments, else (or with
 * `reseed`) dropped and seeded again with `npm run seed`, whose progress goes to the terminal.
 */
export async function ensureSeeded(serverUrl, scale, { reseed = false, log }) {
  const name = `bench_${scale}_seed`;
  const marker = JSON.stringify({ seedArgs: SCALE_ARGS[scale] });
  const existing = await withClient(serverUrl, async (c) => {
    const { rows } = await c.query(`SELECT shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname = $1`, [name]);
    return rows[0];
  });
  if (existing && existing.marker === marker && !reseed) {
    log(`Reusing the seeded ${scale} municipality (database ${name}); --reseed makes a new one.`);
    return name;
  }
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  log(`Seeding the ${scale} municipality into ${name}: npm run seed -- ${SCALE_ARGS[scale].join(' ')}`);
  const started = Date.now();
  await run(process.execPath, [path.join(root, 'dist/src/cli/seed.js'), ...SCALE_ARGS[scale], '--database-url', databaseUrl(serverUrl, name)]);
  log(`Seeded in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  // Marked only once complete: an interrupted seed is never reused.
  await withClient(serverUrl, (c) => c.query(`COMMENT ON DATABASE ${name} IS ${c.escapeLiteral(marker)}`));
  return name;
}

/**
 * A fresh copy of the seeded database for this run (a file copy: seconds even at city scale), named
 * after the process so that runs against one shared server (BENCH_DATABASE_URL) do not collide.
 */
export async function copyForRun(serverUrl, seedName) {
  const name = `${seedName.replace(/_seed$/, '')}_run_${process.pid}`;
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${seedName} STRATEGY FILE_COPY`);
  });
  return {
    name,
    url: databaseUrl(serverUrl, name),
    drop: () => withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: root, env: { ...process.env, LOG_LEVEL: 'warn' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0])} exited with ${code}`))));
  });
}

export async function fileExists(file) {
  return fs.access(file).then(() => true, () => false);
}
