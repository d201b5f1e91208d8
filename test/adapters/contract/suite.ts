import { createHttpClient } from '../../../adapters/contract';
import { SeededRandom } from '../../../adapters/simulator-kit/random';
import { CrashPoint, EngineOptions, RunResult, SyncEngine } from '../../../src/sync/engine';
import { STREAM_SPECS } from '../../../src/sync/streams';
import { Fixture } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';
import { ContractSource, ContractSubject } from './source';

type Row = Record<string, unknown>;

/** Columns that depend on when or where a row was written, not on what the source says. */
const VOLATILE = new Set(['school_id', 'id', 'created_at', 'updated_at', 'entered_at', 'recorded_at', 'deleted_in_source_at']);

class Crash extends Error {
  constructor(readonly point: CrashPoint) {
    super(`crashed at ${point}`);
  }
}

/** Engine options that cut the run off at the `nth` time it passes `point`. */
export function crashingAt(point: CrashPoint, nth: number): EngineOptions['crashAt'] {
  let passed = 0;
  return (at) => {
    if (at === point && ++passed === nth) throw new Crash(point);
  };
}

/**
 * Every row a school holds from its source, as the source would describe it: the hub's own ids replaced
 * by the vendor's, rows deleted in source left out. Two schools synced from the same data compare equal.
 */
export async function snapshotOf(query: (sql: string, params: unknown[]) => Promise<Row[]>, schoolId: string): Promise<Record<string, Row[]>> {
  const sourceIds = new Map<string, Map<string, string>>();
  const idsOf = async (table: string) => {
    if (!sourceIds.has(table)) {
      const rows = await query(`SELECT id, source_id FROM ${table} WHERE school_id = $1`, [schoolId]);
      sourceIds.set(table, new Map(rows.map((r) => [r.id as string, r.source_id as string])));
    }
    return sourceIds.get(table)!;
  };
  const out: Record<string, Row[]> = {};
  for (const spec of Object.values(STREAM_SPECS)) {
    const rows = await query(
      `SELECT * FROM ${spec.table} WHERE school_id = $1${spec.softDeleted ? ' AND deleted_in_source_at IS NULL' : ''} ORDER BY source_id`, [schoolId]);
    const refs = await Promise.all(spec.refs.map(async (r) => [r.column, await idsOf(r.table)] as const));
    out[spec.table] = rows.map((row) => {
      const described: Row = {};
      for (const [column, value] of Object.entries(row)) if (!VOLATILE.has(column)) described[column] = value;
      for (const [column, ids] of refs) described[column] = row[column] === null ? null : ids.get(row[column] as string) ?? `? ${row[column]}`;
      return described;
    });
  }
  return out;
}

const changedRows = (result: RunResult) =>
  Object.values(result.counts).reduce((n, c) => n + (c?.inserted ?? 0) + (c?.updated ?? 0) + (c?.deleted ?? 0), 0);

/**
 * The contract every adapter passes against its simulator or files (issue: "A contract test suite that
 * every adapter passes"). Each adapter's test folder calls it with its own ContractSubject.
 * `crashRuns`: how many randomized crash runs (CRASH_RUNS in the environment overrides it).
 */
export function runContractSuite(subject: ContractSubject, options: { crashRuns?: number; batchSize?: number } = {}): void {
  const { adapter } = subject;
  const id = adapter.manifest.id;
  const batchSize = options.batchSize ?? 100;

  describe(`adapter contract: ${id}`, () => {
    const db = useTestDatabase();
    const query = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
    const newSchool = () => new Fixture(db.dataSource).school({ systemOfRecord: id });
    const sync = (schoolId: string, source: ContractSource, engine: EngineOptions = {}) =>
      new SyncEngine(db.dataSource, { batchSize, ...engine }).run(schoolId, adapter, source.config);
    const snapshot = (schoolId: string) => snapshotOf(query, schoolId);
    const count = async (table: string, schoolId: string) => (await query(`SELECT count(*)::int AS n FROM ${table} WHERE school_id = $1`, [schoolId]))[0].n;
    const quarantined = (schoolId: string) => query(`SELECT stream, source_id, field, reason FROM sync_quarantine WHERE school_id = $1 AND resolved_at IS NULL`, [schoolId]);
    /** A school synced whole from the source as it is now: what any other way of syncing it must end up with. */
    const reference = async (source: ContractSource) => {
      const schoolId = await newSchool();
      const result = await new SyncEngine(db.dataSource, { batchSize }).run(schoolId, adapter, source.whole ? await source.whole() : source.config);
      expect(result.error).toBeUndefined();
      return snapshot(schoolId);
    };
    let seed = 0;
    const open = () => subject.open(++seed);

    it('reads a whole school, and the same data gives the same rows', async () => {
      const source = await open();
      try {
        const a = await newSchool();
        const result = await sync(a, source);
        expect(result.error).toBeUndefined();
        expect(result.status).toBe('succeeded');
        for (const table of ['student', 'class_group', 'course', 'lesson', 'mark']) expect(await count(table, a)).toBeGreaterThan(0);
        expect(await quarantined(a)).toEqual([]);
        expect(await reference(source)).toEqual(await snapshot(a));
      } finally {
        await source.close();
      }
    });

    it('changes nothing on a re-run of an unchanged source: not a row is rewritten, not even locked', async () => {
      const source = await open();
      try {
        const a = await newSchool();
        await sync(a, source);
        const versions = async () => {
          const out: Row[] = [];
          for (const spec of Object.values(STREAM_SPECS)) out.push(...await query(`SELECT '${spec.table}' AS t, source_id, xmin::text AS v, xmax::text AS locked_by FROM ${spec.table} WHERE school_id = $1 ORDER BY source_id`, [a]));
          return out;
        };
        const before = await versions();
        const again = await sync(a, source);
        expect(again.status).toBe('succeeded');
        expect(changedRows(again)).toBe(0);
        expect(await versions()).toEqual(before);
      } finally {
        await source.close();
      }
    });

    it('picks up exactly the changes on an incremental read', async () => {
      const source = await open();
      try {
        const a = await newSchool();
        await sync(a, source);
        await source.change();
        const result = await sync(a, source);
        expect(result.status).toBe('succeeded');
        expect(changedRows(result)).toBeGreaterThan(0);
        expect(await snapshot(a)).toEqual(await reference(source));
      } finally {
        await source.close();
      }
    });

    it('marks what the source deleted as deleted in source, keeping everything else', async () => {
      const source = await open();
      try {
        const a = await newSchool();
        await sync(a, source);
        const removed = await source.remove();
        expect(removed.length).toBeGreaterThan(0);
        const result = await sync(a, source);
        expect(result.status).toBe('succeeded');
        for (const { stream, sourceId } of removed) {
          const spec = STREAM_SPECS[stream];
          const rows = await query(`SELECT ${spec.softDeleted ? 'deleted_in_source_at IS NOT NULL' : 'false'} AS deleted FROM ${spec.table} WHERE school_id = $1 AND source_id = $2`, [a, sourceId]);
          expect({ stream, sourceId, rows }).toEqual({ stream, sourceId, rows: spec.softDeleted ? [{ deleted: true }] : [] });
        }
        expect(await snapshot(a)).toEqual(await reference(source));
      } finally {
        await source.close();
      }
    });

    it('quarantines a malformed record and lands the rest', async () => {
      const source = await open();
      try {
        const bad = await source.malform();
        const a = await newSchool();
        const result = await sync(a, source);
        expect(result.status).toBe('succeeded');
        expect(await quarantined(a)).toEqual(expect.arrayContaining([expect.objectContaining({ stream: bad.stream, source_id: bad.sourceId })]));
        expect(await count('mark', a)).toBeGreaterThan(0);
      } finally {
        await source.close();
      }
    });

    it('rides out a vendor outage by retrying', async () => {
      const source = await open();
      try {
        source.outage(3);
        const a = await newSchool();
        const result = await sync(a, source);
        expect(result.error).toBeUndefined();
        expect(await snapshot(a)).toEqual(await reference(source));
      } finally {
        await source.close();
      }
    });

    it('fails clearly on wrong credentials, writing nothing', async () => {
      const source = await open();
      try {
        if (source.wrongCredentials === null) return;
        const a = await newSchool();
        const result = await new SyncEngine(db.dataSource).run(a, adapter, source.wrongCredentials);
        expect(result).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.any(String) } });
        expect(await count('mark', a)).toBe(0);
        const abort = new AbortController();
        const check = await adapter.check(source.wrongCredentials, { http: createHttpClient(undefined, abort.signal), signal: abort.signal, log: () => undefined });
        expect(check.ok).toBe(false);
        expect(check.problems.length).toBeGreaterThan(0);
      } finally {
        await source.close();
      }
    });

    it('resumes a run cut off between batches with nothing lost and nothing twice', async () => {
      const source = await open();
      try {
        const a = await newSchool();
        const crashed = await sync(a, source, { crashAt: crashingAt('between-batches', 2) });
        expect(crashed).toMatchObject({ status: 'failed', error: { message: 'crashed at between-batches' } });
        const resumed = await sync(a, source);
        expect(resumed.error).toBeUndefined();
        expect(await snapshot(a)).toEqual(await reference(source));
      } finally {
        await source.close();
      }
    });

    it('never runs two syncs of one school at once', async () => {
      const source = await open();
      try {
        const a = await newSchool();
        const outcomes = await Promise.allSettled([sync(a, source), sync(a, source)]);
        const refused = outcomes.filter((o) => o.status === 'rejected');
        expect(refused).toHaveLength(1);
        expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', reason: 'SYNC_ALREADY_RUNNING' });
        expect(outcomes.some((o) => o.status === 'fulfilled' && o.value.status === 'succeeded')).toBe(true);
      } finally {
        await source.close();
      }
    });

    const crashRuns = Number(process.env.CRASH_RUNS ?? options.crashRuns ?? 3);
    it(`survives being cut off at random points (${crashRuns} runs): the result is always the fault-free one`, async () => {
      const source = await open();
      try {
        const expected = await reference(source);
        const random = new SeededRandom(seed * 7919);
        const draw = () => random.next();
        const points: CrashPoint[] = ['batch', 'checkpoint', 'between-batches'];
        for (let run = 0; run < crashRuns; run++) {
          const a = await newSchool();
          let attempts = 0;
          for (;;) {
            // Each attempt may crash again: a sync that keeps being killed must still converge.
            const crash = draw() < 0.7 ? crashingAt(points[Math.floor(draw() * points.length)], 1 + Math.floor(draw() * 6)) : undefined;
            const result = await sync(a, source, { crashAt: crash });
            if (result.status === 'succeeded') break;
            expect(result.error?.message).toMatch(/^crashed at /);
            expect(++attempts).toBeLessThan(50);
          }
          expect(await snapshot(a)).toEqual(expected);
        }
      } finally {
        await source.close();
      }
    });
  });
}
