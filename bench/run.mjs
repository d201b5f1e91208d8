// npm run bench -- [--scale small|city] [--reseed] [--only ingest,diary,journal,metrics,startup] [--sources records,rest,csv]
//
// Generates (or reuses) a synthetic municipality with `npm run seed`, copies it into a database of its
// own for the run, measures each figure against a baseline taken in the same run on the same machine,
// prints a table and writes bench/results.json (and bench/results.md for the README).
import 'reflect-metadata';
import { dist } from './lib/paths.mjs';
import { copyForRun, ensureSeeded, startServer } from './lib/database.mjs';
import { Report } from './lib/report.mjs';
import { INGEST_SOURCES, ingestFigures } from './figures/ingest.mjs';
import { diaryFigures } from './figures/diary.mjs';
import { journalFigures } from './figures/journal.mjs';
import { metricsFigures } from './figures/metrics.mjs';
import { startupFigures } from './figures/startup.mjs';

const FIGURES = { ingest: ingestFigures, diary: diaryFigures, journal: journalFigures, metrics: metricsFigures, startup: startupFigures };

const USAGE = `Usage: npm run bench -- [options]
  --scale small|city   the municipality to measure on (default city: 10 schools, ~10,000 students, ~2.2M marks)
  --reseed             seed the municipality again even if one of this scale is kept
  --only LIST          some of: ${Object.keys(FIGURES).join(', ')} (comma-separated; default all)
  --sources LIST       the ingest figure's sources, some of: ${INGEST_SOURCES.join(', ')} (comma-separated; default all)
Environment: BENCH_DATA_DIR (embedded PostgreSQL, default .data/bench), BENCH_PG_PORT (54339),
  BENCH_DATABASE_URL (your own PostgreSQL server instead; the role needs CREATEDB and pg_read/write_server_files).`;

function parseArguments(argv) {
  const options = { scale: 'city', reseed: false, only: Object.keys(FIGURES), sources: INGEST_SOURCES };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--scale') options.scale = value();
    else if (flag === '--reseed') options.reseed = true;
    else if (flag === '--only') options.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--sources') options.sources = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--help') options.help = true;
    else throw new Error(`unknown argument "${argv[i]}"\n\n${USAGE}`);
  }
  if (!['small', 'city'].includes(options.scale)) throw new Error(`--scale must be small or city (got "${options.scale}")`);
  const unknown = options.only.filter((f) => !(f in FIGURES));
  if (unknown.length) throw new Error(`--only: no figure ${unknown.join(', ')} (there are ${Object.keys(FIGURES).join(', ')})`);
  const unknownSources = options.sources.filter((s) => !INGEST_SOURCES.includes(s));
  if (unknownSources.length) throw new Error(`--sources: no source ${unknownSources.join(', ')} (there are ${INGEST_SOURCES.join(', ')})`);
  return options;
}

const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.help) return void console.log(USAGE);
  const startedAt = new Date().toISOString();
  const started = Date.now();
  const server = await startServer();
  const { createDataSource } = dist('src/db/data-source.js');
  let run;
  let ds;
  try {
    const seedName = await ensureSeeded(server.serverUrl, options.scale, { reseed: options.reseed, log });
    run = await copyForRun(server.serverUrl, seedName);
    log(`This run works on ${run.name}, a fresh copy of ${seedName}.`);
    ds = createDataSource(run.url, { poolMax: 10, connectionTimeoutMs: 10_000, statementTimeoutMs: 600_000, lockTimeoutMs: 30_000, idleInTransactionTimeoutMs: 600_000 });
    await ds.initialize();
    // A seed kept from an older version of the hub is brought up to the schema being measured.
    const applied = await ds.runMigrations({ transaction: 'each' });
    if (applied.length > 0) log(`Migrated the copy: ${applied.map((m) => m.name).join(', ')}.`);
    const report = new Report(options.scale);
    const context = { ds, report, scale: options.scale, sources: options.sources, log, serverUrl: server.serverUrl, databaseUrl: run.url };
    for (const name of options.only) {
      const figureStarted = Date.now();
      log(`\n== ${name} ==`);
      try {
        await FIGURES[name](context);
      } catch (error) {
        report.note(`${name}: not measured, it failed: ${error.stack ?? error}`);
      }
      log(`(${name}: ${((Date.now() - figureStarted) / 1000).toFixed(0)} s)`);
    }
    const { file } = await report.write(startedAt);
    console.log(`\nFigures at scale ${options.scale}, commit ${report.commit} (${((Date.now() - started) / 1000).toFixed(0)} s in all):\n`);
    console.log(report.table());
    if (report.notes.length) console.log(`\n${report.notes.map((n) => `- ${n}`).join('\n')}`);
    console.log(`\nWritten to ${file} and bench/results.md.`);
  } finally {
    await ds?.destroy();
    await run?.drop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
