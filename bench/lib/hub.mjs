// The hub as it runs in production: the command of `npm start` (with its Node flags) in a process of its
// own (so that its memory is its own), on the run's database, answering over real HTTP.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { root } from './paths.mjs';
import { now } from './stats.mjs';

/** `npm start`'s command without its `node`: the Node flags it sets and the script. */
const startArguments = () => {
  const [node, ...rest] = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`npm start is expected to run node, not ${node}`);
  return rest;
};

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the hub and waits for its first answer. Returns its URL, the milliseconds from spawn to the
 * first answer, its pid, and stop(). `env` adds to or overrides the environment.
 */
export async function startHubProcess(env, { timeoutMs = 120_000 } = {}) {
  const port = await freePort();
  const started = now();
  // BENCH_CPU_PROF=<folder>: the hub writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...profile, ...startArguments()], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DEMO_DATA: 'false',
      SECRETS_KEY: randomBytes(32).toString('base64'), ...env,
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the hub exited with ${child.exitCode} before answering: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the hub did not answer within ${timeoutMs / 1000} s: ${stderr}`);
    }
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `${url}/graphql`,
    startMs: now() - started,
    pid: child.pid,
    memory: () => memoryOf(child.pid),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 20_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
    },
  };
}

/** Resident memory now and at its peak (VmHWM), in MiB, from /proc (Linux); null elsewhere. */
export function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); null elsewhere. */
export function cpuSecondsOf(pid) {
  return cpuOf(pid)?.own ?? null;
}

/** A process's CPU seconds: its own, and what it collected of its ended children (clock ticks of 1/100 s). */
function cpuOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { own: (Number(fields[11]) + Number(fields[12])) / 100, reaped: (Number(fields[13]) + Number(fields[14])) / 100 };
  } catch {
    return null;
  }
}

/** The CPU of every PostgreSQL process of this machine now (see postgresCpuBetween); null without /proc. */
export function postgresCpu() {
  let pids;
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const processes = new Map();
  for (const pid of pids) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const cpu = cpuOf(pid);
      if (cpu) processes.set(pid, cpu);
    } catch {
      // Ended meanwhile.
    }
  }
  return processes;
}

/**
 * CPU seconds PostgreSQL used between two snapshots: each process's own; for a backend that ended
 * meanwhile (its connection closed), what the server collected of it, less what it had used before.
 */
export function postgresCpuBetween(before, after) {
  let seconds = 0;
  for (const [pid, cpu] of after) {
    const was = before.get(pid);
    seconds += cpu.own - (was?.own ?? 0) + cpu.reaped - (was?.reaped ?? 0);
  }
  for (const [pid, cpu] of before) if (!after.has(pid)) seconds -= cpu.own;
  return seconds;
}

/** Sends one GraphQL operation; throws on an HTTP error or an `errors` answer. */
export async function gql(url, query, variables = {}, token = null) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}

/**
 * The hub's HTTP server inside the bench process, on the bench's own DataSource, so that the SQL
 * statements a request sends can be counted (the way test/setup/statements.ts counts them).
 */
export async function startInProcessHub(ds) {
  const { dist } = await import('./paths.mjs');
  const { createServer } = dist('src/graphql/server.js');
  const { createServices } = dist('src/graphql/services.js');
  const { createLogger } = dist('src/common/logger.js');
  const logger = createLogger('silent');
  const services = createServices(ds, { sessionTtlHours: 12, mail: { smtpUrl: null, from: 'bench@localhost' }, logger, secrets: null });
  const server = await createServer({ dataSource: ds, services, logger, introspection: false, shutdownGraceMs: 1000 });
  const url = await server.listen(0, '127.0.0.1');
  return { url, stop: () => server.stop() };
}

/**
 * Runs fn and returns how many SQL statements the DataSource sent meanwhile (TypeORM's logger sees each;
 * a prepared statement comes as its { name, text }).
 */
export async function countStatements(ds, fn) {
  const statements = [];
  const original = ds.logger;
  const ignore = () => undefined;
  ds.logger = { logQuery: (query) => void statements.push(query.text ?? query), logQueryError: ignore, logQuerySlow: ignore, logSchemaBuild: ignore, logMigration: ignore, log: ignore };
  try {
    const result = await fn();
    return { count: statements.length, statements, result };
  } finally {
    ds.logger = original;
  }
}

/** The deepest nesting of selections in a GraphQL document (a field with no selection counts 0). */
export async function queryDepth(source) {
  const { parse } = await import('graphql');
  const depth = (selectionSet) => !selectionSet ? 0
    : 1 + Math.max(0, ...selectionSet.selections.map((s) => depth(s.selectionSet)));
  return Math.max(...parse(source).definitions.map((d) => depth(d.selectionSet))) - 1;
}
