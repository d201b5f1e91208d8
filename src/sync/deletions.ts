import { EntityManager } from 'typeorm';
import type { StreamName } from '../../adapters/contract';
import { STREAM_SPECS } from './streams';
import { HISTORY_INSERT, MARK_TYPES, markState, WriteScope } from './writer';

/**
 * Deletions in source. A deletion the vendor reports (a tombstone), or a row missing from a stream
 * read whole, first waits in sync_deletion, written in the same transaction as the data before it;
 * at the end of the run the pending deletions are applied together — or, when they would take more
 * than the connection's share of a table, held for IT staff to review (see engine.ts).
 */

type Em = Pick<EntityManager, 'query'>;

const PENDING = 'd.applied_at IS NULL AND d.discarded_at IS NULL';
/** Pending deletions of this school's rows from this source system. */
const pendingOf = (alias = 'd') =>
  `${alias}.school_id = $1 AND ${PENDING.replace(/d\./g, `${alias}.`)}
   AND ${alias}.run_id IN (SELECT id FROM sync_run WHERE school_id = $1 AND adapter_id = $2)`;
const live = (stream: StreamName) => (STREAM_SPECS[stream].softDeleted ? ' AND t.deleted_in_source_at IS NULL' : '');

/**
 * Records as pending the deletion of the stream's rows that `which` selects (a condition on t.source_id
 * with $4 bound to `ids`): only rows the hub holds and still shows, and only once. Returns how many.
 */
async function recordPending(em: Em, scope: WriteScope, stream: StreamName, which: string, ids: string[]): Promise<number> {
  const [{ recorded }] = await em.query(
    `WITH recorded AS (
       INSERT INTO sync_deletion (school_id, run_id, stream, source_id)
       SELECT $1, $3, $5, t.source_id FROM ${STREAM_SPECS[stream].table} t
        WHERE t.school_id = $1 AND t.source_system = $2 AND ${which}${live(stream)}
          AND NOT EXISTS (SELECT 1 FROM sync_deletion d WHERE ${pendingOf()} AND d.stream = $5 AND d.source_id = t.source_id)
       RETURNING 1)
     SELECT count(*)::int AS recorded FROM recorded`,
    [scope.schoolId, scope.sourceSystem, scope.runId, ids, stream],
  );
  return recorded;
}

/** The vendor's tombstones. */
export const recordReported = (em: Em, scope: WriteScope, stream: StreamName, sourceIds: string[]) =>
  recordPending(em, scope, stream, 't.source_id = ANY($4)', sourceIds);

/** The rows of a stream read whole that the read did not see. */
export const recordMissing = (em: Em, scope: WriteScope, stream: StreamName, seen: string[]) =>
  recordPending(em, scope, stream, 't.source_id <> ALL($4)', seen);

/** The streams of which the school has deletions pending from this source system. */
export async function streamsWithPendingDeletions(em: Em, scope: Pick<WriteScope, 'schoolId' | 'sourceSystem'>): Promise<Set<StreamName>> {
  const rows: { stream: StreamName }[] = await em.query(`SELECT DISTINCT d.stream FROM sync_deletion d WHERE ${pendingOf()}`, [scope.schoolId, scope.sourceSystem]);
  return new Set(rows.map((r) => r.stream));
}

/** Records the source holds again are no longer to be deleted. */
export async function withdrawPending(em: Em, scope: WriteScope, stream: StreamName, sourceIds: string[]) {
  await em.query(
    `DELETE FROM sync_deletion d WHERE ${pendingOf()} AND d.stream = $3 AND d.source_id = ANY($4)`,
    [scope.schoolId, scope.sourceSystem, stream, sourceIds],
  );
}

export interface PendingDeletions {
  stream: StreamName;
  /** Rows the deletions would take. */
  rows: number;
  /** Rows of the stream the school has now. */
  of: number;
  /** A few of the vendor's ids, for IT staff to look up. */
  sample: string[];
}

/** The school's pending deletions per stream, against the rows each stream has. */
export async function pendingDeletions(em: Em, scope: Pick<WriteScope, 'schoolId' | 'sourceSystem'>): Promise<PendingDeletions[]> {
  const pending: { stream: StreamName; rows: number; sample: string[] }[] = await em.query(
    `SELECT d.stream, count(*)::int AS rows, (array_agg(d.source_id ORDER BY d.source_id))[1:10] AS sample
       FROM sync_deletion d WHERE ${pendingOf()} GROUP BY d.stream ORDER BY d.stream`,
    [scope.schoolId, scope.sourceSystem],
  );
  return Promise.all(pending.map(async (p) => ({ ...p, of: await liveRows(em, scope, p.stream) })));
}

/** Rows of a stream the school holds from this source and still shows; with `upTo`, counted no further than that. */
export async function liveRows(em: Em, scope: Pick<WriteScope, 'schoolId' | 'sourceSystem'>, stream: StreamName, upTo?: number): Promise<number> {
  const [{ n }] = await em.query(
    `SELECT count(*)::int AS n FROM (SELECT FROM ${STREAM_SPECS[stream].table} t WHERE t.school_id = $1 AND t.source_system = $2${live(stream)} LIMIT $3) t`,
    [scope.schoolId, scope.sourceSystem, upTo ?? null],
  );
  return n;
}

/** Applies the school's pending deletions in the caller's transaction; returns the rows deleted per stream. */
export async function applyDeletions(em: Em, scope: Pick<WriteScope, 'schoolId' | 'sourceSystem'>): Promise<Map<StreamName, number>> {
  const applied = new Map<StreamName, number>();
  const streams: { stream: StreamName }[] = await em.query(
    `SELECT DISTINCT d.stream FROM sync_deletion d WHERE ${pendingOf()}`, [scope.schoolId, scope.sourceSystem]);
  for (const { stream } of streams) {
    const spec = STREAM_SPECS[stream];
    const matched = `t.school_id = $1 AND t.source_system = $2 AND d.stream = $3 AND d.source_id = t.source_id AND ${pendingOf()}`;
    const change = spec.softDeleted
      ? `UPDATE ${spec.table} t SET deleted_in_source_at = now(), updated_at = now() FROM sync_deletion d WHERE ${matched} AND t.deleted_in_source_at IS NULL RETURNING t.*`
      : `DELETE FROM ${spec.table} t USING sync_deletion d WHERE ${matched} RETURNING t.*`;
    // A removed mark's history keeps what it was, written in the same statement.
    const markType = MARK_TYPES[stream];
    const history = markType
      ? `, history AS (${HISTORY_INSERT} SELECT $1, '${markType}', c.id, c.student_id, 'removed', ${markState('c', markType)}, NULL, 'sync' FROM changed c)`
      : '';
    const [{ rows }] = await em.query(`WITH changed AS (${change})${history} SELECT count(*)::int AS rows FROM changed`, [scope.schoolId, scope.sourceSystem, stream]);
    if (rows > 0) applied.set(stream, rows);
  }
  await em.query(`UPDATE sync_deletion d SET applied_at = now() WHERE ${pendingOf()}`, [scope.schoolId, scope.sourceSystem]);
  return applied;
}

/** IT staff decided the pending deletions are not to be applied (a broken export): they are kept as discarded. */
export async function discardDeletions(em: Em, scope: Pick<WriteScope, 'schoolId' | 'sourceSystem'>): Promise<void> {
  await em.query(`UPDATE sync_deletion d SET discarded_at = now() WHERE ${pendingOf()}`, [scope.schoolId, scope.sourceSystem]);
}
