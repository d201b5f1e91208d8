// Start-up: from launching the server to its first answer, on the run's (already migrated) database
// and fresh — an empty data folder, so the embedded PostgreSQL is initialised, migrated and the demo
// loaded — against a bare node:http process launched the same way.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, startHubProcess } from '../lib/hub.mjs';
import { now } from '../lib/stats.mjs';

const FRESH_TARGET_MS = 60_000;

export async function startupFigures({ report, log, databaseUrl }) {
  const bare = await bareNodeStart();
  const existing = await startHubProcess({ DATABASE_URL: databaseUrl });
  await existing.stop();
  log(`  on the run's database: ${existing.startMs.toFixed(0)} ms to the first answer`);
  report.add({
    group: 'start-up', name: "to the first answer, on the seeded database", value: existing.startMs, unit: 'ms',
    baseline: { value: bare, what: 'a bare node:http process' },
  });

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'journal-hub-bench-fresh-'));
  // As root, the embedded server runs as "postgres", which must be able to enter the folder.
  await fs.chmod(dataDir, 0o755);
  try {
    const fresh = await startHubProcess({ DATABASE_URL: '', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), DEMO_DATA: 'true' }, { timeoutMs: 180_000 });
    await fresh.stop();
    log(`  fresh (new data folder, PostgreSQL initialised, migrations, demo): ${fresh.startMs.toFixed(0)} ms`);
    report.add({
      group: 'start-up', name: 'fresh: empty data folder to the first answer', value: fresh.startMs, unit: 'ms',
      baseline: { value: bare, what: 'a bare node:http process' }, target: '< 60 s', met: fresh.startMs < FRESH_TARGET_MS,
      detail: { includes: 'initdb of the embedded PostgreSQL, all migrations, the demo municipality and its sign-ins; not npm run build' },
    });
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** Launch to first answer of `node -e` with a bare node:http server. */
async function bareNodeStart() {
  const port = await freePort();
  const started = now();
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q, s) => s.end('{}')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  try {
    for (;;) {
      if (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)) return now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill();
  }
}
