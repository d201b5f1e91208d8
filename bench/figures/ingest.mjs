// Figure 1: sync ingest. Marks per second through adapter → engine → database, against the same mark
// rows loaded with a server-side COPY into the same table in the same run; then a re-sync with no
// change and an incremental re-sync with 1 % of the marks changed.
//
// Every source runs the same protocol (measureSource); a source is an adapter, its configuration and
// a way to change 1 % of its marks; another adapter is one more entry in the list in ingestFigures.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dist } from '../lib/paths.mjs';
import { median, now, secondsText } from '../lib/stats.mjs';

const { SyncEngine } = dist('src/sync/engine.js');
const { STREAM_SPECS } = dist('src/sync/streams.js');
const { OneRosterSimulator } = dist('adapters/oneroster/rest/simulator/index.js');
const { oneRosterRestAdapter } = dist('adapters/oneroster/rest/index.js');
const { OneRosterCsvExporter } = dist('adapters/oneroster/csv/simulator/index.js');
const { oneRosterCsvAdapter } = dist('adapters/oneroster/csv/index.js');
const { TABLE_NAMES } = dist('src/seed/rows.js');

/** Sizes per bench scale: the in-memory school and the simulator's school. */
const SIZES = {
  small: { records: { classes: 10, studentsPerClass: 20, coursesPerClass: 6, lessonsPerCourse: 40 }, rest: { classesPerGrade: 1, studentsPerClass: 20, weeks: 8 } },
  city: { records: { classes: 20, studentsPerClass: 25, coursesPerClass: 8, lessonsPerCourse: 100 }, rest: { classesPerGrade: 2, studentsPerClass: 25, weeks: 20 } },
};

/** The sources by the name `--sources` takes, in the order they run. */
const SOURCES = {
  records: (size, catalog) => recordsSource(size.records, catalog),
  rest: (size) => restSimulatorSource(size.rest),
  csv: (size) => csvExportSource(size.rest),
};
export const INGEST_SOURCES = Object.keys(SOURCES);

export async function ingestFigures({ ds, report, scale, sources: names = INGEST_SOURCES, log }) {
  const size = SIZES[scale];
  const catalog = await catalogOf(ds);
  // Each source is built when its turn comes and dropped after: the in-memory school's 400,000 marks
  // kept alive made every full garbage collection of the bench's process (where the OneRoster adapters
  // and simulators run) mark them again, and those pauses were timed as the next sources' syncs.
  for (const name of INGEST_SOURCES.filter((n) => names.includes(n))) {
    const source = SOURCES[name](size, catalog);
    log(`Ingest: ${source.label}`);
    await measureSource({ ds, report, source, log });
  }
}

/** 1 % re-syncs timed per source, each after another 1 % changed. */
const RESYNC_ROUNDS = 5;

async function measureSource({ ds, report, source, log }) {
  const group = `ingest: ${source.label}`;
  const walScope = await walScopeOf(ds);
  const config = await source.start();
  try {
    const schoolId = await newSchool(ds, source.adapter.manifest.id, source.label);
    const engine = new SyncEngine(ds);
    if (source.prepare) await source.prepare(engine, schoolId, config, log);

    // Full sync (for the in-memory source, of the marks alone: its roster and lessons are in place).
    const full = await timedRun(ds, walScope, () => engine.run(schoolId, source.adapter, config));
    const marks = await markCount(ds, schoolId);
    log(`  full sync: ${marks} marks in ${secondsText(full.ms)} (${Math.round(marks / (full.ms / 1000))} marks/s)`);
    if (full.result.status !== 'succeeded') throw new Error(`the full sync failed: ${full.result.error?.message}`);

    // The same rows, COPY'd into the same table for a twin school with the same roster and lessons.
    const copy = await copyBaseline(ds, walScope, schoolId);
    log(`  COPY of the same ${copy.rows} mark rows: ${secondsText(copy.ms)}; WAL written: sync ${mib(full.walBytes)}${full.walScope === 'server' ? ' (whole server)' : ''}, COPY ${mib(copy.walBytes)}`);
    await vacuumSynced(ds);
    const copyRate = { value: copy.rows / (copy.ms / 1000), what: 'COPY of the same rows, same table' };
    const rate = marks / (full.ms / 1000);
    report.add({
      group, name: source.fullName ?? 'full sync, marks/s', value: rate, unit: 'marks/s', baseline: copyRate,
      target: `≥ ${source.target}× COPY`, met: rate / copyRate.value >= source.target,
      detail: { marks, fullSyncMs: full.ms, copyMs: copy.ms, walBytes: full.walBytes, copyWalBytes: copy.walBytes, counts: full.result.counts.marks },
    });

    // A re-sync with nothing changed must write nothing and be quicker than the full sync.
    // The first read of rows after a checkpoint sets their hint bits, which with data checksums on (the
    // default since PostgreSQL 18) writes each page to the WAL once more, whoever reads. The COPY above
    // has just forced a checkpoint, so the school's marks are read once first: the WAL counted below is
    // what the re-sync itself writes, not what the first reader of new rows pays.
    await ds.query('SELECT count(*) FROM mark WHERE school_id = $1 AND value IS NOT NULL', [schoolId]);
    const again = await timedRun(ds, walScope, () => engine.run(schoolId, source.adapter, config));
    const written = Object.values(again.result.counts).reduce((n, c) => n + c.inserted + c.updated, 0);
    log(`  no-change re-sync: ${secondsText(again.ms)}, ${written} rows written, ${again.walBytes} WAL bytes`);
    report.add({
      group, name: 'no-change re-sync time', value: again.ms, unit: 'ms', baseline: { value: full.ms, what: 'full sync' },
      // "Writes nothing": no row changed, and next to no WAL (a run log row and a checkpoint; rows that are
      // only locked, as INSERT … ON CONFLICT DO UPDATE … WHERE false does, still write WAL and count here).
      target: 'writes nothing (0 rows, WAL < 2 % of the full sync), < 1× full sync',
      met: written === 0 && again.walBytes < 0.02 * full.walBytes && again.ms < full.ms,
      detail: { rowsWritten: written, walBytes: again.walBytes, walScope: again.walScope, fullSyncWalBytes: full.walBytes, read: source.noChangeRead },
    });

    // 1 % of the marks changed at the source, RESYNC_ROUNDS times over (another 1 % each time): only
    // those are read and written. A run of some 100 ms is timed several times and the median reported,
    // as one sample on a shared machine is as likely to time a neighbour's burst as the run.
    const rounds = [];
    for (let round = 0; round < RESYNC_ROUNDS; round++) {
      const changed = await source.changeOnePercent(round);
      const delta = await timedRun(ds, walScope, () => engine.run(schoolId, source.adapter, config));
      rounds.push({ ms: delta.ms, changed, updated: delta.result.counts.marks?.updated ?? 0, walBytes: delta.walBytes, walScope: delta.walScope });
    }
    const typical = median(rounds.map((r) => r.ms));
    const allLanded = rounds.every((r) => r.updated === r.changed);
    log(`  1 % changed (${rounds[0].changed} marks), ${RESYNC_ROUNDS} times: median ${secondsText(typical)} [${rounds.map((r) => r.ms.toFixed(0)).join(', ')} ms]${allLanded ? '' : ', NOT every changed mark updated'}`);
    report.add({
      group, name: `incremental re-sync, 1 % changed (median of ${RESYNC_ROUNDS})`, value: typical, unit: 'ms', baseline: { value: full.ms, what: 'full sync' },
      target: '< 0.05× full sync', met: typical < 0.05 * full.ms && allLanded,
      detail: { rounds },
    });
  } finally {
    await source.stop?.();
  }
}

/** Runs a sync and returns its result, its time and the WAL it wrote (the checkpoint and run log included). */
async function timedRun(ds, walScope, fn) {
  const [{ lsn: before }] = await ds.query('SELECT pg_current_wal_lsn() AS lsn');
  const started = now();
  const result = await fn();
  const ms = now() - started;
  return { result, ms, ...(await walSince(ds, walScope, before)) };
}

/**
 * 'database' when pg_walinspect can tell this database's WAL from the rest of the server's: on a shared
 * server (BENCH_DATABASE_URL) other databases write meanwhile, and a position difference counts their
 * WAL too (1.2 MB of another database's during a 78 ms re-sync that wrote 14 kB). Else 'server'.
 */
async function walScopeOf(ds) {
  try {
    await ds.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    return 'database';
  } catch {
    return 'server';
  }
}

/**
 * WAL written since `before`: the records on this database's relations (commit records, which name
 * none, left out: tens of bytes each), or the server's position difference. A range whose files the
 * server has recycled already (a long run) falls back to the latter.
 */
async function walSince(ds, walScope, before) {
  const [{ after, bytes }] = await ds.query('SELECT pg_current_wal_lsn() AS after, pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint AS bytes', [before]);
  if (walScope === 'database') {
    try {
      const [{ mine }] = await ds.query(
        `SELECT coalesce(sum(record_length), 0)::bigint AS mine FROM pg_get_wal_block_info($1, $2, false)
          WHERE block_id = 0 AND reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())`, [before, after]);
      return { walBytes: Number(mine), walScope };
    } catch {
      // Recycled: the whole server's.
    }
  }
  return { walBytes: Number(bytes), walScope: 'server' };
}

/**
 * What the full sync and the COPY wrote is vacuumed (and analysed) before the re-syncs, outside any timing.
 * Left to autovacuum, the vacuum of the mark table (after the in-memory source's 400,000 marks and their
 * COPY) ran during the next source's re-syncs and was counted as theirs: 57 of the 58 MB of WAL of a
 * "no-change" re-sync were Heap2/VISIBLE, PRUNE_VACUUM_SCAN and FPI_FOR_HINT records on mark (pg_walinspect), and the
 * vacuum took CPU and disk from the run being timed.
 */
async function vacuumSynced(ds) {
  const tables = [...new Set([...Object.values(STREAM_SPECS).map((s) => s.table), 'mark_history', 'sync_deletion', 'sync_quarantine', 'sync_run', 'sync_state_part'])];
  await ds.query(`VACUUM (ANALYZE) ${tables.join(', ')}`);
  await ds.query('CHECKPOINT');
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function markCount(ds, schoolId) {
  const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM mark WHERE school_id = $1', [schoolId]);
  return n;
}

async function newSchool(ds, systemOfRecord, label) {
  const [{ id: municipalityId }] = await ds.query('SELECT id FROM municipality LIMIT 1');
  const id = randomUUID();
  await ds.query(
    `INSERT INTO school (id, municipality_id, full_name, short_name, system_of_record) VALUES ($1, $2, $3, $4, $5)`,
    [id, municipalityId, `Бенчмарк: ${label}`, `bench-${id.slice(0, 8)}`, systemOfRecord],
  );
  return id;
}

/**
 * L_ingest: a copy of the school's roster and lessons under a new school id (primary keys start with
 * school_id, so the row ids can stay), then its marks written to a file and loaded with one
 * server-side COPY into the mark table: the raw limit for the same rows, indexes and constraints.
 */
async function copyBaseline(ds, walScope, schoolId) {
  const twin = await newSchool(ds, 'bench-copy', 'COPY');
  const schoolOwned = new Set((await ds.query(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'school_id'`)).map((r) => r.table_name));
  const columnsOf = async (table) => (await ds.query(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table])).map((r) => r.column_name);
  // Up to lessons, in dependency order; marks and what comes after them are what is measured or not needed.
  const cloned = TABLE_NAMES.slice(0, TABLE_NAMES.indexOf('mark')).filter((t) => schoolOwned.has(t));
  for (const table of cloned) {
    const columns = await columnsOf(table);
    const select = columns.map((c) => (c === 'school_id' ? '$2::uuid' : c));
    await ds.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${select.join(', ')} FROM ${table} WHERE school_id = $1`, [schoolId, twin]);
  }
  const columns = await columnsOf('mark');
  // Written and read by the PostgreSQL server itself (COPY … FROM a file, as perf-security.md 1.6 defines L_ingest).
  const file = path.join(os.tmpdir(), `journal-hub-bench-marks-${process.pid}.csv`);
  await ds.query(`COPY (SELECT ${columns.map((c) => (c === 'school_id' ? `'${twin}'::uuid` : c)).join(', ')} FROM mark WHERE school_id = '${schoolId}') TO '${file}' WITH (FORMAT csv)`);
  await ds.query('CHECKPOINT');
  const [{ lsn }] = await ds.query('SELECT pg_current_wal_lsn() AS lsn');
  const started = now();
  await ds.query(`COPY mark (${columns.join(', ')}) FROM '${file}' WITH (FORMAT csv)`);
  const ms = now() - started;
  const { walBytes } = await walSince(ds, walScope, lsn);
  const [{ rows }] = await ds.query('SELECT count(*)::int AS rows FROM mark WHERE school_id = $1', [twin]);
  await fs.rm(file, { force: true }).catch(() => ds.query(`COPY (SELECT 1 WHERE false) TO '${file}'`));
  return { rows, ms, walBytes };
}

async function catalogOf(ds) {
  const subjects = (await ds.query('SELECT name FROM subject ORDER BY code')).map((s) => s.name);
  return { subjects };
}

// ── Source: canonical records held in memory (the engine alone, no vendor parsing) ───────────────

/**
 * A school built directly as canonical records: classes × students, courses per class, a lesson per
 * course per school day, every student marked in every lesson. Its roster and lessons are synced
 * first (not timed); the timed sync is of the marks alone, which isolates the engine's mark path.
 */
function recordsSource(size, catalog) {
  const school = canonicalSchool(size, catalog);
  let marks = school.marks;
  let phase = 'roster';
  const adapter = {
    manifest: {
      id: 'bench-records', displayName: 'In-memory canonical records', vendor: 'bench', version: '1',
      config: [], capabilities: { streams: [], incremental: [], deletions: [] },
    },
    check: async () => ({ ok: true, problems: [] }),
    discoverSchools: async () => [],
    async *read() {
      if (phase === 'roster') {
        for (const [stream, records] of Object.entries(school.roster)) for (const record of records) yield { type: 'record', stream, record };
      } else {
        for (const record of marks) yield { type: 'record', stream: 'marks', record };
      }
      yield { type: 'checkpoint', state: { phase } };
    },
  };
  return {
    label: 'records → engine',
    fullName: 'full sync of the marks, marks/s',
    adapter,
    target: 0.5,
    noChangeRead: 'every mark again',
    start: async () => ({}),
    async prepare(engine, schoolId, config, log) {
      const started = now();
      const result = await engine.run(schoolId, adapter, config);
      if (result.status !== 'succeeded') throw new Error(`the roster sync failed: ${result.error?.message}`);
      log(`  roster and ${school.roster.lessons.length} lessons synced first (not timed): ${secondsText(now() - started)}`);
      phase = 'marks';
    },
    async changeOnePercent(round) {
      // As a vendor's delta would: only the changed marks, with a newer stamp.
      const changed = school.marks.filter((_, i) => i % 100 === round).map((m) => ({ ...m, value: m.value === '5' ? '4' : '5', updatedAt: `2026-12-01T1${round}:00:00Z` }));
      marks = changed;
      return changed.length;
    },
  };
}

function canonicalSchool({ classes, studentsPerClass, coursesPerClass, lessonsPerCourse }, catalog) {
  if (catalog.subjects.length < coursesPerClass) throw new Error(`the subject table has ${catalog.subjects.length} subjects, fewer than ${coursesPerClass}`);
  const stamp = '2026-11-01T00:00:00Z';
  const days = schoolDays('2026-09-01', lessonsPerCourse);
  const roster = {
    academicYears: [{ sourceId: 'y', label: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31' }],
    staff: [], students: [], classGroups: [], courses: [], courseTeachers: [], enrollments: [], lessons: [],
  };
  const marks = [];
  const values = ['5', '4', '3', '5', '4', '4-', '2', '5+'];
  for (let c = 0; c < classes; c++) {
    const teacher = `t${c}`;
    roster.staff.push({ sourceId: teacher, lastName: `Учителева${c}`, firstName: 'Анна', positions: ['teacher'], updatedAt: stamp });
    const grade = 1 + (c % 11);
    roster.classGroups.push({ sourceId: `c${c}`, academicYearSourceId: 'y', gradeLevel: grade, letter: 'АБВГДЕЖЗИК'[Math.floor(c / 11)], homeroomTeacherSourceId: teacher, updatedAt: stamp });
    const students = Array.from({ length: studentsPerClass }, (_, s) => `s${c}-${s}`);
    for (const [s, student] of students.entries()) {
      roster.students.push({ sourceId: student, lastName: `Ученова${s}`, firstName: 'Мария', birthDate: '2015-03-01', updatedAt: stamp });
      roster.enrollments.push({ sourceId: `e-${student}`, studentSourceId: student, classGroupSourceId: `c${c}`, startsOn: '2026-09-01', updatedAt: stamp });
    }
    for (let k = 0; k < coursesPerClass; k++) {
      const course = `k${c}-${k}`;
      roster.courses.push({ sourceId: course, classGroupSourceId: `c${c}`, subjectName: catalog.subjects[k], updatedAt: stamp });
      roster.courseTeachers.push({ sourceId: `ct-${course}`, courseSourceId: course, staffSourceId: teacher, updatedAt: stamp });
      for (const [l, date] of days.entries()) {
        const lesson = `l${c}-${k}-${l}`;
        roster.lessons.push({ sourceId: lesson, courseSourceId: course, date, number: k + 1, topic: `Тема ${l + 1}`, teacherSourceId: teacher, updatedAt: stamp });
        for (const [s, student] of students.entries()) {
          marks.push({
            sourceId: `m-${lesson}-${s}`, lessonSourceId: lesson, studentSourceId: student, scale: 'five_point',
            value: values[(s + l + k) % values.length], workKind: l % 10 === 9 ? 'control_work' : 'class_answer', updatedAt: stamp,
          });
        }
      }
    }
  }
  return { roster, marks };
}

/** `count` weekdays from `from`. */
function schoolDays(from, count) {
  const days = [];
  for (let d = new Date(`${from}T00:00:00Z`); days.length < count; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

// ── Source: the OneRoster 1.2 REST simulator, through the real adapter over HTTP ────────────────

function restSimulatorSource(size) {
  const simulator = new OneRosterSimulator({ seed: 7, schools: 1, grades: [5, 6, 7, 8, 9, 10, 11], ...size });
  return {
    label: 'OneRoster REST simulator → engine',
    fullName: 'full sync end to end (all streams), marks/s',
    adapter: oneRosterRestAdapter,
    target: 0.3,
    noChangeRead: "the adapter's delta read (nothing changed since its watermark)",
    async start() {
      const base = await simulator.start();
      // The provider's data is as of its clock's start (half the gradebook is stamped at that instant); the
      // hub syncs an hour later, not in the same instant, which would oblige it to read all of that again.
      simulator.clock.advance(3_600_000);
      return { baseUrl: base, tokenUrl: `${base}/token`, clientId: 'hub', clientSecret: 'secret', schoolSourcedId: simulator.records('schools')[0].sourcedId };
    },
    async changeOnePercent(round) {
      simulator.clock.advance(3_600_000);
      const marked = simulator.records('results').filter((r) => r.status === 'active' && r.scoreStatus !== 'exempt' && typeof r.score === 'number' && !r.textScore);
      const chosen = marked.filter((_, i) => i % 100 === round);
      for (const r of chosen) simulator.update('results', r.sourcedId, { score: r.score === 5 ? 4 : 5 });
      return chosen.length;
    },
    stop: () => simulator.stop(),
  };
}

/** The same generated school as a OneRoster 1.2 CSV export (a ZIP, as a vendor's nightly job writes it); the 1 % change is a delta export. */
function csvExportSource(size) {
  const vendor = new OneRosterCsvExporter({ seed: 7, schools: 1, grades: [5, 6, 7, 8, 9, 10, 11], ...size });
  let dir;
  return {
    label: 'OneRoster CSV export → engine',
    fullName: 'full sync end to end from the ZIP (all streams), marks/s',
    adapter: oneRosterCsvAdapter,
    target: 0.3,
    noChangeRead: 'the same export read again (already applied: skipped)',
    async start() {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-oneroster-csv-'));
      await vendor.write(path.join(dir, 'export.zip'), 'bulk');
      return { path: path.join(dir, 'export.zip') };
    },
    async changeOnePercent(round) {
      vendor.clock.advance(3_600_000);
      const marked = vendor.records('results').filter((r) => r.status === 'active' && r.scoreStatus !== 'exempt' && typeof r.score === 'number' && !r.textScore);
      const chosen = marked.filter((_, i) => i % 100 === round);
      for (const r of chosen) vendor.update('results', r.sourcedId, { score: r.score === 5 ? 4 : 5 });
      await vendor.write(path.join(dir, 'export.zip'), 'delta');
      return chosen.length;
    },
    stop: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
