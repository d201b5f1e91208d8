import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Adapter, AdapterConfig, AdapterError, AdapterState, createHttpClient, STREAMS, StreamName } from '../../adapters/contract';
import { AppError } from '../common/errors';
import type { Logger } from '../common/logger';
import { markLearningDataChanged } from '../modules/metrics/learning-rollups';
import { applyDeletions, liveRows, pendingDeletions, recordMissing, recordReported, streamsWithPendingDeletions, withdrawPending } from './deletions';
import { StreamDigests } from './digests';
import { Catalog, subjectKey } from './normalize';
import { SavedState, StateChange } from './state';
import { Counts, noCounts, prepare, Prepared, writeBatch } from './writer';

export type RunStatus = 'succeeded' | 'failed' | 'held';

/** What a held run would have done, for IT staff to review: per stream, the rows it would delete or change of the rows there are. */
export interface Hold {
  reason: 'deletions' | 'changes';
  streams: { stream: StreamName; rows: number; of: number; sample?: string[] }[];
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  counts: Partial<Record<StreamName, Counts>>;
  error?: { kind: string; message: string };
  hold?: Hold;
}

export interface RunOptions {
  /** Why the run: asked for now, the school's schedule, IT staff approving a held run, or retrying quarantined records. */
  trigger?: 'manual' | 'schedule' | 'approval' | 'retry';
  /** The share of a stream's rows a run may delete or change before it is held (the connection's setting). */
  holdShare?: number;
  /** IT staff approved what a held run would do: this run deletes and changes whatever the source says. */
  approved?: boolean;
}

/** Where a run can be cut off: inside a batch's transaction, while saving its checkpoint, or between two batches. */
export type CrashPoint = 'batch' | 'checkpoint' | 'between-batches';

export interface EngineOptions {
  /** Records buffered before they are written (each write is its own transaction); DEFAULT_BATCH_SIZE by default. */
  batchSize?: number;
  logger?: Logger;
  /** For the crash tests: an exception thrown here cuts the run off at that point, as a killed process would. */
  crashAt?: (point: CrashPoint) => void;
}

/**
 * A write's statements and its commit cost about the same for 1,000 records as for 5,000: at 5,000 a
 * first sync of a school's marks took about a tenth less time than at 1,000 (measured at small scale).
 * A record refused by the database costs a few statements whatever the size (see upsertApart in writer.ts).
 */
export const DEFAULT_BATCH_SIZE = 5000;

export const DEFAULT_HOLD_SHARE = 0.2;
/** Below this many rows nothing is held: a small table's ordinary week can touch most of it. */
export const HOLD_MIN_ROWS = 10;

class Held extends Error {
  constructor(readonly hold: Hold) {
    super('held for review');
  }
}

/** What one write takes: the records buffered per stream, the vendor's deletions, and the streams read whole (with every id they brought). */
interface Batch {
  records: Map<StreamName, Prepared[]>;
  reported: Map<StreamName, string[]>;
  completed: [StreamName, string[]][];
  /** The adapter's latest progress message not in the run log yet. */
  progress: string | null;
}

/** Records taken in between two turns given to the write under way (its statements' answers, its next statement). */
const YIELD_EVERY = 50;

/**
 * The adapter's progress goes to the run log with the next write, or on its own when the log's last
 * word is older than this: each one committed on its own cost a commit per message (five of the
 * dozen commits of a small re-sync), and IT staff read the log by the second, not the millisecond.
 */
export const PROGRESS_EVERY_MS = 1000;

const overShare = (rows: number, of: number, share: number) => rows >= HOLD_MIN_ROWS && rows > share * of;

/** Rows enough for `rows` changes to be within the share (by a margin no rounding undoes): a count for the hold may stop there. */
const rowsEnoughFor = (rows: number, share: number) => (rows < HOLD_MIN_ROWS ? 0 : Math.ceil(rows / share) + 1);

/**
 * Runs an adapter for one school and writes what it yields. Guarantees:
 * - one run per school at a time (a PostgreSQL advisory lock, so across processes too);
 * - records are written in batches, one transaction at a time and in order, while the adapter reads
 *   the next batch; a checkpoint's state (as it was yielded) is saved in the same transaction as the
 *   data before it, so a crash anywhere resumes from the last checkpoint with nothing lost and,
 *   the upserts being idempotent by origin, nothing duplicated;
 * - a record that cannot be taken in is quarantined with its reason and the run goes on;
 * - deletions (the vendor's tombstones, and rows missing from a stream read whole) wait until the
 *   data is in and are then applied together; a run that would delete or change more than the
 *   hold share of a stream's rows stops and is held for IT staff to approve or discard;
 * - the run log keeps the status, the counts per stream, the error or the hold.
 */
export class SyncEngine {
  private readonly batchSize: number;

  constructor(private readonly ds: DataSource, private readonly options: EngineOptions = {}) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  async run(schoolId: string, adapter: Adapter, config: AdapterConfig, runOptions: RunOptions = {}): Promise<RunResult> {
    const lock = this.ds.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [`sync:${schoolId}`]);
      if (!locked) throw new AppError('CONFLICT', 'SYNC_ALREADY_RUNNING', 'A sync of this school is already running.');
      try {
        return await this.runLocked(schoolId, adapter, config, runOptions);
      } finally {
        await lock.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`sync:${schoolId}`]);
      }
    } finally {
      await lock.release();
    }
  }

  private async runLocked(schoolId: string, adapter: Adapter, config: AdapterConfig, runOptions: RunOptions): Promise<RunResult> {
    const sourceSystem = adapter.manifest.id;
    const runId = randomUUID();
    const share = runOptions.holdShare ?? DEFAULT_HOLD_SHARE;
    const guarded = !runOptions.approved;
    const crashAt = this.options.crashAt ?? (() => undefined);
    const counts: Partial<Record<StreamName, Counts>> = {};
    const total = (stream: StreamName) => (counts[stream] ??= noCounts());
    const scope = { schoolId, sourceSystem, runId };
    // The run log's row and what the run starts from, read meanwhile (a commit and four reads at once).
    //
    // The streams that may have quarantined records to resolve, or deletions pending to withdraw, when
    // their records come again: as the run starts, and as it quarantines and records deletions. The
    // others skip those two statements in every batch (the run holds the school's lock: no one else
    // quarantines or records deletions for it meanwhile).
    const [, catalog, saved, quarantined, pending, digests] = await Promise.all([
      // Holding the school's lock, any run still marked running was cut off (a crash, a restart).
      this.ds.query(
        `WITH interrupted AS (
           UPDATE sync_run SET status = 'failed', finished_at = now(), error_kind = 'system', error = 'interrupted' WHERE school_id = $1 AND status = 'running')
         INSERT INTO sync_run (school_id, id, adapter_id, status, trigger) VALUES ($1, $2, $3, 'running', $4)`,
        [schoolId, runId, sourceSystem, runOptions.trigger ?? 'manual']),
      this.catalog(),
      SavedState.read(this.ds, schoolId, sourceSystem),
      this.ds.query(`SELECT DISTINCT stream FROM sync_quarantine WHERE school_id = $1 AND resolved_at IS NULL`, [schoolId])
        .then((rows: { stream: StreamName }[]) => new Set(rows.map((r) => r.stream))),
      streamsWithPendingDeletions(this.ds.manager, scope),
      StreamDigests.read(this.ds, schoolId, sourceSystem),
    ]);
    /** What was read and is not written yet. */
    let buffers = new Map<StreamName, Prepared[]>();
    let reported = new Map<StreamName, string[]>();
    let completed: StreamName[] = [];
    let buffered = 0;
    /** The streams with records in a write of this run already: what a later write brings of them is not the stream whole. */
    const writtenBefore = new Set<StreamName>();
    /** Every id read per stream in this run: what a stream read whole did not bring is gone from the source. */
    const seen = new Map<StreamName, Set<string>>();
    /** Per stream, the rows it had as the run began, as far as the hold has counted them: exactly, or at least this many. */
    const rowsAtStart = new Map<StreamName, { rows: number; exact: boolean }>();
    const abort = new AbortController();
    /** The adapter's latest progress message; whether the run log has it; when the log last got one. */
    let progress: string | null = null;
    let progressLogged = true;
    let progressLoggedAt = 0;

    /**
     * The rows a stream had as the run began, counted no further than `enough` (a count of all of a
     * school's marks took 7 ms of a 1 % re-sync). The run holds the school's lock, a synced school's rows
     * change only through its runs, and deletions wait for the run's end: the rows at the start are the
     * rows now but those this run inserted, the batch being written included. A later batch with more
     * changes may need more than was counted, and counts again.
     */
    const rowsAtStartFor = async (em: EntityManager, stream: StreamName, enough: number, inserted: number) => {
      const known = rowsAtStart.get(stream) ?? { rows: 0, exact: false };
      if (known.exact || known.rows >= enough) return known.rows;
      const now = await liveRows(em, scope, stream, enough + inserted);
      const counted = { rows: now - inserted, exact: now < enough + inserted };
      rowsAtStart.set(stream, counted);
      return counted.rows;
    };

    /**
     * Writes a batch in one transaction, parents before children, then the deletions read before it,
     * then the checkpoint's state when there is one. Records whose references are not written yet wait
     * for the next write — until a checkpoint (or the end), where they are quarantined.
     */
    const write = async (batch: Batch, state: StateChange | null, final: boolean) => {
      const written = new Map<StreamName, Counts>();
      const waiting = new Map<StreamName, Prepared[]>();
      /** The streams' digests this write keeps (or drops: null), and the streams it found as they last landed. */
      const landed = new Map<StreamName, string | null>();
      const asBefore = new Set<StreamName>();
      const readWhole = new Set(batch.completed.map(([stream]) => stream));
      await this.ds.transaction(async (em) => {
        for (const stream of STREAMS) {
          const records = batch.records.get(stream);
          if (!records?.length) continue;
          // Read whole, and all of it in this write: its digest tells whether it is as it last landed.
          const whole = readWhole.has(stream) && !batch.reported.has(stream) && !writtenBefore.has(stream);
          const digest = whole ? StreamDigests.of(stream, records) : null;
          if (digest !== null && !quarantined.has(stream) && !pending.has(stream) && !digests.differs(stream, digest)) {
            written.set(stream, { ...noCounts(), unchanged: records.length });
            asBefore.add(stream);
            continue;
          }
          const { counts: c, deferred } = await writeBatch(em, scope, stream, records, final, quarantined.has(stream));
          const next = c.quarantined === 0 && deferred.length === 0 ? digest : null;
          if (digests.differs(stream, next)) landed.set(stream, next);
          if (c.quarantined > 0) quarantined.add(stream);
          written.set(stream, c);
          if (deferred.length) waiting.set(stream, deferred);
          if (pending.has(stream)) await withdrawPending(em, scope, stream, records.map((r) => sourceIdOf(r.record)).filter((id): id is string => id !== null));
          crashAt('batch');
          if (guarded && c.updated > 0) {
            const changing = total(stream).updated + c.updated;
            const of = await rowsAtStartFor(em, stream, rowsEnoughFor(changing, share), total(stream).inserted + c.inserted);
            if (overShare(changing, of, share)) throw new Held({ reason: 'changes', streams: [{ stream, rows: changing, of }] });
          }
        }
        if ([...written.values()].some((c) => c.inserted + c.updated > 0)) await markLearningDataChanged(em, schoolId);
        for (const [stream, ids] of batch.reported) {
          if (await recordReported(em, scope, stream, ids)) pending.add(stream);
          if (digests.differs(stream, null)) landed.set(stream, null);
        }
        for (const [stream, ids] of batch.completed) {
          if (asBefore.has(stream)) continue;
          if (await recordMissing(em, scope, stream, ids)) {
            pending.add(stream);
            if (digests.differs(stream, null)) landed.set(stream, null);
          }
        }
        if (landed.size > 0) await StreamDigests.write(em, schoolId, sourceSystem, landed);
        if (batch.progress !== null) await this.logProgress(em, schoolId, runId, batch.progress);
        if (state !== null) {
          await SavedState.write(em, schoolId, sourceSystem, state);
          crashAt('checkpoint');
        }
      });
      if (state !== null) saved.apply(state);
      digests.apply(landed);
      for (const stream of batch.records.keys()) writtenBefore.add(stream);
      // Counted only once committed: a rolled-back batch is not in the run's figures.
      for (const [stream, c] of written) {
        const t = total(stream);
        t.inserted += c.inserted;
        t.updated += c.updated;
        t.unchanged += c.unchanged;
        t.quarantined += c.quarantined;
      }
      // Ahead of what was read since: of two records with one id, the later one wins.
      for (const [stream, records] of waiting) {
        buffers.set(stream, [...records, ...(buffers.get(stream) ?? [])]);
        buffered += records.length;
      }
      crashAt('between-batches');
    };

    /**
     * The write under way. Writes go one at a time and in order, each starting once the one before has
     * committed; meanwhile the adapter reads on and the next batch is checked, so that the adapter's
     * work and the engine's overlap with the database's.
     */
    let writing: Promise<void> = Promise.resolve();

    /** Hands what is buffered (and the checkpoint's state) to the next write. */
    const flush = async (state: AdapterState | null, final: boolean) => {
      // The write before must be done: its failure ends the run here, and the records it left waiting go first.
      await writing;
      // The state as it is now (an adapter may go on changing the object it yielded while the write is
      // under way), as far as it changed: a re-sync that found nothing new writes none.
      const newState = state === null ? null : saved.changeTo(state);
      if (buffered === 0 && reported.size === 0 && completed.length === 0 && newState === null) return;
      const batch: Batch = {
        records: buffers, reported, completed: completed.map((stream) => [stream, [...(seen.get(stream) ?? [])]]), progress: progressLogged ? null : progress,
      };
      if (!progressLogged) {
        progressLogged = true;
        progressLoggedAt = Date.now();
      }
      buffers = new Map();
      reported = new Map();
      completed = [];
      buffered = 0;
      writing = write(batch, newState, final);
      // Handled where it is awaited: by the next flush, or at the end of the run.
      writing.catch(() => undefined);
    };

    try {
      const ctx = {
        http: createHttpClient(undefined, abort.signal),
        signal: abort.signal,
        log: (message: string, details?: Record<string, unknown>) => this.options.logger?.info({ schoolId, runId, ...details }, message),
      };
      for await (const message of adapter.read(config, saved.value(), ctx)) {
        if (message.type === 'record') {
          if (!(STREAMS as readonly string[]).includes(message.stream)) {
            await this.quarantineUnknownStream(schoolId, runId, message.stream, message.record);
            continue;
          }
          const id = sourceIdOf(message.record);
          if (id !== null) (seen.get(message.stream) ?? seen.set(message.stream, new Set()).get(message.stream)!).add(id);
          const list = buffers.get(message.stream) ?? [];
          list.push(prepare(message.stream, message.record, catalog));
          buffers.set(message.stream, list);
          if (++buffered >= this.batchSize) await flush(null, false);
          // An adapter whose records are at hand (in memory, a file already read) never waits on I/O, and
          // the write under way would wait for this loop to reach the next batch to send its next statement.
          else if (buffered % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        } else if (message.type === 'checkpoint') {
          await flush(message.state, true);
        } else if (message.type === 'deleted') {
          (reported.get(message.stream) ?? reported.set(message.stream, []).get(message.stream)!).push(message.sourceId);
        } else if (message.type === 'complete') {
          completed.push(message.stream);
        } else if (message.type === 'progress') {
          ctx.log(message.message);
          progress = message.message.slice(0, 500);
          progressLogged = false;
          if (Date.now() - progressLoggedAt >= PROGRESS_EVERY_MS) {
            progressLogged = true;
            progressLoggedAt = Date.now();
            // After the write under way, which may carry an earlier message: the log never goes back in time.
            await writing;
            await this.logProgress(this.ds.manager, schoolId, runId, progress);
          }
        }
      }
      await flush(null, true);
      await writing;
      // Nothing recorded as pending, by this run or one before it: nothing to look for.
      const hold = pending.size > 0 ? await this.applyDeletions(scope, share, guarded, counts) : null;
      const status: RunStatus = hold ? 'held' : 'succeeded';
      await this.finish(schoolId, runId, status, counts, null, hold, progress);
      return { runId, status, counts, ...(hold && { hold }) };
    } catch (thrown) {
      abort.abort();
      // A write still under way finishes first; when it fails, that is the run's error (its data came first).
      const error = (await writing.then(() => undefined, (e: unknown) => e)) ?? thrown;
      if (error instanceof Held) {
        this.options.logger?.warn({ schoolId, runId, hold: error.hold }, 'sync held for review');
        await this.finish(schoolId, runId, 'held', counts, null, error.hold, progress);
        return { runId, status: 'held', counts, hold: error.hold };
      }
      const kind = error instanceof AdapterError ? error.kind : 'system';
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger?.warn({ schoolId, runId, kind }, 'sync failed');
      await this.finish(schoolId, runId, 'failed', counts, { kind, message }, null, progress);
      return { runId, status: 'failed', counts, error: { kind, message } };
    }
  }

  /** Applies the school's pending deletions in one transaction, or returns the hold when they are too many. */
  private async applyDeletions(scope: { schoolId: string; sourceSystem: string }, share: number, guarded: boolean, counts: Partial<Record<StreamName, Counts>>) {
    const pending = await pendingDeletions(this.ds.manager, scope);
    if (pending.length === 0) return null;
    if (guarded && pending.some((p) => overShare(p.rows, p.of, share))) return { reason: 'deletions' as const, streams: pending };
    await this.ds.transaction(async (em) => {
      const applied = await applyDeletions(em, scope);
      if (applied.size > 0) await markLearningDataChanged(em, scope.schoolId);
      for (const [stream, n] of applied) (counts[stream] ??= noCounts()).deleted += n;
    });
    return null;
  }

  private async quarantineUnknownStream(schoolId: string, runId: string, stream: string, record: unknown) {
    await this.ds.query(
      `INSERT INTO sync_quarantine (school_id, run_id, stream, source_id, field, reason, payload) VALUES ($1, $2, $3, $4, 'stream', $5, $6)`,
      [schoolId, runId, stream, (record as { sourceId?: string })?.sourceId ?? null, `"${stream}" is not a stream of the canonical model`, JSON.stringify(record)],
    );
  }

  private async logProgress(em: Pick<DataSource['manager'], 'query'>, schoolId: string, runId: string, progress: string) {
    await em.query('UPDATE sync_run SET progress = $3 WHERE school_id = $1 AND id = $2', [schoolId, runId, progress]);
  }

  /** The run's end in its log, with the adapter's last progress message (those that came since the last write included). */
  private async finish(
    schoolId: string, runId: string, status: RunStatus, counts: object, error: { kind: string; message: string } | null, hold: Hold | null, progress: string | null,
  ) {
    await this.ds.query(
      `UPDATE sync_run SET status = $3, finished_at = now(), counts = $4, error_kind = $5, error = $6, hold = $7, progress = coalesce($8, progress)
        WHERE school_id = $1 AND id = $2`,
      [schoolId, runId, status, JSON.stringify(counts), error?.kind ?? null, error?.message ?? null, hold && JSON.stringify(hold), progress],
    );
  }

  private async catalog(): Promise<Catalog> {
    const [subjects, kinds] = await Promise.all([
      this.ds.query('SELECT id, name FROM subject UNION ALL SELECT subject_id, alias FROM subject_alias'),
      this.ds.query('SELECT code FROM work_kind'),
    ]);
    return {
      subjects: new Map(subjects.map((s: { id: string; name: string }) => [subjectKey(s.name), s.id])),
      workKinds: new Set(kinds.map((k: { code: string }) => k.code)),
    };
  }
}

const sourceIdOf = (record: unknown): string | null => {
  const id = (record as { sourceId?: unknown } | null)?.sourceId;
  return typeof id === 'string' ? id : null;
};
