import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Adapter, AdapterConfig, AdapterError, AdapterState, createHttpClient, STREAMS, StreamName } from '../../adapters/contract';
import { AppError } from '../common/errors';
import type { Logger } from '../common/logger';
import { markLearningDataChanged } from '../modules/metrics/learning-rollups';
import { Catalog, subjectKey } from './normalize';
import { Counts, noCounts, writeBatch } from './writer';

const noCountsByStream = () => new Map<StreamName, Counts>();

export interface RunResult {
  runId: string;
  status: 'succeeded' | 'failed';
  counts: Partial<Record<StreamName, Counts>>;
  error?: { kind: string; message: string };
}

export interface EngineOptions {
  /** Records buffered before they are written (each write is its own transaction). */
  batchSize?: number;
  logger?: Logger;
}

/**
 * Runs an adapter for one school and writes what it yields. Guarantees:
 * - one run per school at a time (a PostgreSQL advisory lock, so across processes too);
 * - records are written in batches; a checkpoint's state is saved in the same transaction as the
 *   data before it, so a crash anywhere resumes from the last checkpoint with nothing lost and,
 *   the upserts being idempotent by origin, nothing duplicated;
 * - a record that cannot be taken in is quarantined with its reason and the run goes on;
 * - the run log keeps the status, the counts per stream and the error.
 */
export class SyncEngine {
  private readonly batchSize: number;

  constructor(private readonly ds: DataSource, private readonly options: EngineOptions = {}) {
    this.batchSize = options.batchSize ?? 1000;
  }

  async run(schoolId: string, adapter: Adapter, config: AdapterConfig): Promise<RunResult> {
    const sourceSystem = adapter.manifest.id;
    const lock = this.ds.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [`sync:${schoolId}`]);
      if (!locked) throw new AppError('CONFLICT', 'SYNC_ALREADY_RUNNING', 'A sync of this school is already running.');
      try {
        return await this.runLocked(schoolId, adapter, config, sourceSystem);
      } finally {
        await lock.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`sync:${schoolId}`]);
      }
    } finally {
      await lock.release();
    }
  }

  private async runLocked(schoolId: string, adapter: Adapter, config: AdapterConfig, sourceSystem: string): Promise<RunResult> {
    const runId = randomUUID();
    // Holding the school's lock, any run still marked running was cut off (a crash, a restart).
    await this.ds.query(
      `UPDATE sync_run SET status = 'failed', finished_at = now(), error_kind = 'system', error = 'interrupted' WHERE school_id = $1 AND status = 'running'`,
      [schoolId],
    );
    await this.ds.query(`INSERT INTO sync_run (school_id, id, adapter_id, status) VALUES ($1, $2, $3, 'running')`, [schoolId, runId, sourceSystem]);
    const counts: Partial<Record<StreamName, Counts>> = {};
    const scope = { schoolId, sourceSystem, runId };
    const catalog = await this.catalog();
    const [saved] = await this.ds.query('SELECT state FROM sync_state WHERE school_id = $1 AND adapter_id = $2', [schoolId, sourceSystem]);
    const buffers = new Map<StreamName, unknown[]>();
    const deletions: { stream: string; sourceId: string }[] = [];
    let buffered = 0;
    const abort = new AbortController();

    /**
     * Writes what is buffered in one transaction, parents before children, with the checkpoint's
     * state when there is one. Records whose references are not written yet wait for the next
     * write — until a checkpoint (or the end), where they are quarantined.
     */
    const flush = async (state: AdapterState | null, final: boolean) => {
      if (buffered === 0 && deletions.length === 0 && state === null) return;
      const batch = noCountsByStream();
      const waiting = new Map<StreamName, unknown[]>();
      await this.ds.transaction(async (em) => {
        for (const stream of STREAMS) {
          const records = buffers.get(stream);
          if (!records?.length) continue;
          const { counts: c, deferred } = await writeBatch(em, scope, stream, records, catalog, final);
          batch.set(stream, c);
          if (deferred.length) waiting.set(stream, deferred);
        }
        if ([...batch.values()].some((c) => c.inserted + c.updated > 0)) await markLearningDataChanged(em, schoolId);
        if (deletions.length > 0) {
          await em.query(
            `INSERT INTO sync_deletion (school_id, run_id, stream, source_id) SELECT $1, $2, * FROM unnest($3::text[], $4::text[])`,
            [schoolId, runId, deletions.map((d) => d.stream), deletions.map((d) => d.sourceId)],
          );
        }
        if (state !== null) {
          await em.query(
            `INSERT INTO sync_state (school_id, adapter_id, state) VALUES ($1, $2, $3)
             ON CONFLICT (school_id, adapter_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
            [schoolId, sourceSystem, JSON.stringify(state)],
          );
        }
      });
      // Counted only once committed: a rolled-back batch is not in the run's figures.
      for (const [stream, c] of batch) {
        const total = (counts[stream] ??= noCounts());
        total.inserted += c.inserted;
        total.updated += c.updated;
        total.unchanged += c.unchanged;
        total.quarantined += c.quarantined;
      }
      buffers.clear();
      deletions.length = 0;
      buffered = 0;
      for (const [stream, records] of waiting) {
        buffers.set(stream, records);
        buffered += records.length;
      }
    };

    try {
      const ctx = {
        http: createHttpClient(undefined, abort.signal),
        signal: abort.signal,
        log: (message: string, details?: Record<string, unknown>) => this.options.logger?.info({ schoolId, runId, ...details }, message),
      };
      for await (const message of adapter.read(config, saved?.state ?? null, ctx)) {
        if (message.type === 'record') {
          if (!(STREAMS as readonly string[]).includes(message.stream)) {
            await this.quarantineUnknownStream(schoolId, runId, message.stream, message.record);
            continue;
          }
          const list = buffers.get(message.stream) ?? [];
          list.push(message.record);
          buffers.set(message.stream, list);
          if (++buffered >= this.batchSize) await flush(null, false);
        } else if (message.type === 'checkpoint') {
          await flush(message.state, true);
        } else if (message.type === 'deleted') {
          // Kept with the data they follow; applying them (marked deleted in source, with a hold on
          // mass deletions) is the next step of the engine.
          deletions.push({ stream: message.stream, sourceId: message.sourceId });
        }
      }
      await flush(null, true);
      await this.finish(schoolId, runId, 'succeeded', counts, null);
      return { runId, status: 'succeeded', counts };
    } catch (error) {
      abort.abort();
      const kind = error instanceof AdapterError ? error.kind : 'system';
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger?.warn({ schoolId, runId, kind }, 'sync failed');
      await this.finish(schoolId, runId, 'failed', counts, { kind, message });
      return { runId, status: 'failed', counts, error: { kind, message } };
    }
  }

  private async quarantineUnknownStream(schoolId: string, runId: string, stream: string, record: unknown) {
    await this.ds.query(
      `INSERT INTO sync_quarantine (school_id, run_id, stream, source_id, field, reason, payload) VALUES ($1, $2, $3, $4, 'stream', $5, $6)`,
      [schoolId, runId, stream, (record as { sourceId?: string })?.sourceId ?? null, `"${stream}" is not a stream of the canonical model`, JSON.stringify(record)],
    );
  }

  private async finish(schoolId: string, runId: string, status: string, counts: object, error: { kind: string; message: string } | null) {
    await this.ds.query(
      `UPDATE sync_run SET status = $3, finished_at = now(), counts = $4, error_kind = $5, error = $6 WHERE school_id = $1 AND id = $2`,
      [schoolId, runId, status, JSON.stringify(counts), error?.kind ?? null, error?.message ?? null],
    );
  }

  private async catalog(): Promise<Catalog> {
    const [subjects, kinds] = await Promise.all([
      this.ds.query('SELECT id, name FROM subject'),
      this.ds.query('SELECT code FROM work_kind'),
    ]);
    return {
      subjects: new Map(subjects.map((s: { id: string; name: string }) => [subjectKey(s.name), s.id])),
      workKinds: new Set(kinds.map((k: { code: string }) => k.code)),
    };
  }
}
