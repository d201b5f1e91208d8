import { EntityManager } from 'typeorm';
import type { StreamName } from '../../adapters/contract';
import { Catalog, normalize, Normalized } from './normalize';
import { STREAM_SPECS, StreamSpec } from './streams';

export interface Counts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  quarantined: number;
}

export const noCounts = (): Counts => ({ inserted: 0, updated: 0, unchanged: 0, deleted: 0, quarantined: 0 });

export interface WriteScope {
  schoolId: string;
  sourceSystem: string;
  runId: string;
}

interface Quarantined {
  stream: StreamName;
  sourceId: string | null;
  field: string;
  reason: string;
  payload: unknown;
}

/** A record as read, with what normalisation made of it: the engine checks each record once, as it takes it in. */
export interface Prepared {
  record: unknown;
  normalized: Normalized;
}

export const prepare = (stream: StreamName, record: unknown, catalog: Catalog): Prepared => ({ record, normalized: normalize(stream, record, catalog) });

/**
 * Writes one batch of a stream in the caller's transaction, set-based: records (checked and
 * normalised by `prepare`) have their references resolved to the school's rows in one statement per
 * referenced table, and the rest are upserted in one statement that rewrites a row only when something
 * changed and never with an older payload. A record that cannot be taken in is quarantined with its
 * reason; the others land.
 */
export async function writeBatch(
  em: EntityManager, scope: WriteScope, stream: StreamName, records: Prepared[], final: boolean,
  /** Whether the school may have quarantined records of this stream not resolved yet (else there is nothing to resolve). */
  quarantineOpen = true,
): Promise<{ counts: Counts; deferred: Prepared[] }> {
  const spec = STREAM_SPECS[stream];
  const quarantine: Quarantined[] = [];
  const deferred: Prepared[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const prepared of records) {
    const { record, normalized: result } = prepared;
    const r = record as Record<string, unknown>;
    if (!result.ok) quarantine.push({ stream, sourceId: typeof r?.sourceId === 'string' ? r.sourceId : null, field: result.field, reason: result.reason, payload: record });
    else rows.push({ ...result.row, source_id: r.sourceId, source_updated_at: r.updatedAt ?? null, _record: record, _prepared: prepared });
  }
  // A reference not yet written may come later in the run; it must come before the next checkpoint.
  const resolved = await resolveRefs(em, scope, spec, rows, final ? quarantine : null, deferred, stream);
  // The last of several records with one id wins: an upsert may not touch a row twice.
  const unique = [...new Map(resolved.map((row) => [row.source_id as string, row])).values()];
  const counts = noCounts();
  const refused = unique.length > 0 ? await upsertApart(em, scope, stream, spec, unique, counts, quarantine) : 0;
  counts.unchanged = unique.length - counts.inserted - counts.updated - refused;
  counts.quarantined = quarantine.length;
  // Whatever came again supersedes its earlier quarantine entry: it landed, or it is quarantined anew below.
  const again = [...unique.map((r) => r.source_id as string), ...quarantine.map((q) => q.sourceId).filter((id): id is string => id !== null)];
  if (quarantineOpen && again.length > 0) {
    await em.query(
      `UPDATE sync_quarantine SET resolved_at = now() WHERE school_id = $1 AND stream = $2 AND source_id = ANY($3) AND resolved_at IS NULL`,
      [scope.schoolId, stream, again],
    );
  }
  if (quarantine.length > 0) {
    await em.query(
      `INSERT INTO sync_quarantine (school_id, run_id, stream, source_id, field, reason, payload)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
      [scope.schoolId, scope.runId, quarantine.map((q) => q.stream), quarantine.map((q) => q.sourceId), quarantine.map((q) => q.field),
        quarantine.map(located), quarantine.map((q) => JSON.stringify(q.payload))],
    );
  }
  return { counts, deferred };
}

/**
 * Upserts the rows in one statement. When one of them breaks a rule only the database knows (an
 * overlapping enrollment, two lessons in one slot), the two halves are tried apart, and so on down to
 * the rows refused, which are quarantined: the others land as they would have one by one, for a few
 * statements per bad record rather than one per row of the batch. Anything else (the disk, the
 * connection, a timeout) is the run's failure, not the records'. Returns how many rows were refused.
 */
async function upsertApart(
  em: EntityManager, scope: WriteScope, stream: StreamName, spec: StreamSpec, rows: Record<string, unknown>[], counts: Counts, quarantine: Quarantined[],
): Promise<number> {
  let refusal: unknown;
  await em.query('SAVEPOINT sync_batch');
  try {
    add(counts, await upsert(em, scope, stream, spec, rows));
    await em.query('RELEASE SAVEPOINT sync_batch');
    return 0;
  } catch (error) {
    if (!isRecordError(error)) throw error;
    refusal = error;
    await em.query('ROLLBACK TO SAVEPOINT sync_batch');
    await em.query('RELEASE SAVEPOINT sync_batch');
  }
  if (rows.length === 1) {
    const constraint = (refusal as { driverError?: { constraint?: string } }).driverError?.constraint;
    quarantine.push({ stream, sourceId: rows[0].source_id as string, field: 'record', reason: `refused by the database (${constraint ?? (refusal as Error).message})`, payload: rows[0]._record });
    return 1;
  }
  const half = Math.ceil(rows.length / 2);
  return (await upsertApart(em, scope, stream, spec, rows.slice(0, half), counts, quarantine))
    + (await upsertApart(em, scope, stream, spec, rows.slice(half), counts, quarantine));
}

/** The reason, led by where the record is in the vendor's files when the adapter says ("results.csv row 1234: …"). */
const located = (q: Quarantined) => {
  const origin = (q.payload as { origin?: unknown } | null)?.origin;
  return typeof origin === 'string' && origin ? `${origin}: ${q.reason}` : q.reason;
};

/** Errors of one record's data: constraint violations (class 23) and malformed values (class 22). */
const isRecordError = (error: unknown) => /^2[23]/.test((error as { driverError?: { code?: string } }).driverError?.code ?? '');

const add = (to: Counts, from: Counts) => {
  to.inserted += from.inserted;
  to.updated += from.updated;
};

/**
 * Replaces each reference's vendor id by the hub's row id. A record with an unknown required
 * reference is quarantined, or, when `quarantine` is null, deferred to the next write.
 */
async function resolveRefs(
  em: EntityManager, scope: WriteScope, spec: StreamSpec, rows: Record<string, unknown>[], quarantine: Quarantined[] | null, deferred: Prepared[], stream: StreamName,
) {
  let kept = rows;
  for (const ref of spec.refs) {
    const wanted = [...new Set(kept.map((r) => (r._record as Record<string, unknown>)[ref.field]).filter((v): v is string => typeof v === 'string'))];
    const found: { source_id: string; id: string }[] = wanted.length === 0 ? [] : await em.query(
      `SELECT source_id, id FROM ${ref.table} WHERE school_id = ${THE_SCHOOL} AND source_system = $2 AND source_id = ANY($3)`,
      [scope.schoolId, scope.sourceSystem, wanted],
    );
    const ids = new Map(found.map((f) => [f.source_id, f.id]));
    kept = kept.filter((row) => {
      const sourceId = (row._record as Record<string, unknown>)[ref.field];
      const id = typeof sourceId === 'string' ? ids.get(sourceId) : undefined;
      if (id === undefined && !(ref.optional && sourceId == null)) {
        if (quarantine) quarantine.push({ stream, sourceId: row.source_id as string, field: ref.field, reason: `refers to an unknown ${ref.table.replace(/_/g, ' ')} "${sourceId ?? ''}"`, payload: row._record });
        else deferred.push(row._prepared as Prepared);
        return false;
      }
      row[ref.column] = id ?? null;
      return true;
    });
  }
  return kept;
}

/**
 * The school ($1) as the sync's lookups give it to the planner: a sub-select, not a constant. A school
 * whose sync is under way may not be in the table's statistics yet (its first sync; a table not analysed
 * since): planned with its id as a constant, its rows look like none, so reading all of them through
 * another index of the school and filtering looks as cheap as probing the origin key
 * (school_id, source_system, source_id) — and at city scale that made each batch of a first sync read
 * every row written before it. Planned as "a school", probing the origin key is the cheaper plan, as it is.
 */
const THE_SCHOOL = '(SELECT $1::uuid)';

const SQL_TYPES: Record<string, string> = { text: 'text', int: 'int', date: 'date', timestamptz: 'timestamptz', numeric: 'numeric', uuid: 'uuid', 'text[]': 'text[]' };

/** One set-based upsert by origin (DESIGN rule 3), the marks' history with it; returns how many rows it inserted and rewrote. */
async function upsert(em: EntityManager, scope: WriteScope, stream: StreamName, spec: StreamSpec, rows: Record<string, unknown>[]): Promise<Counts> {
  const columns = [
    ...spec.columns.map((c) => ({ name: c.column, type: SQL_TYPES[c.type], insertOnly: c.insertOnly ?? false })),
    ...spec.refs.map((r) => ({ name: r.column, type: 'uuid', insertOnly: false })),
  ];
  const names = columns.map((c) => c.name);
  const updated = columns.filter((c) => !c.insertOnly).map((c) => c.name);
  // The batch goes as one array per column, unnested in SQL: half the server's time of parsing the
  // same rows as one JSON document (jsonb_to_recordset), by our measurements. An array column (text[])
  // goes as each row's array literal, since an array of arrays would be unnested whole.
  const fields = [...columns, { name: 'source_id', type: 'text' }, { name: 'source_updated_at', type: 'timestamptz' }];
  const arrays = fields.map((f) => rows.map((row) => (f.type === 'text[]' ? arrayLiteral(row[f.name] as string[] | null) : row[f.name] ?? null)));
  const markType = MARK_TYPES[stream];
  // One statement: the rows the batch already has are found, those that changed are rewritten, the new
  // ones inserted, and the marks' history written, with nothing sent back but two counts.
  //
  // Rewriting only the rows that changed, rather than INSERT … ON CONFLICT DO UPDATE: that one locks (and
  // writes to the WAL for) every existing row it skips, so a re-sync of an unchanged source would still write.
  //
  // The rows held are looked up one by one through the origin key (a LATERAL … LIMIT 1 is not turned into
  // a join that could read all of the school's rows; see THE_SCHOOL for the index it takes), and the
  // changed ones rewritten where they were found (ctid), which leaves the planner no join to choose.
  //
  // The others are inserted without ON CONFLICT: held was read in this statement, and no one else writes
  // this school's rows from this source (the run holds the school's lock). Should a row of that origin
  // appear all the same, the insert is refused and the record quarantined, not silently left out.
  const returned = markType ? `t.id, t.student_id, ${MARK_STATE_COLUMNS[markType].map((c) => `t.${c}`).join(', ')}` : '1';
  const result: { inserted: number; updated: number }[] = await em.query(
    `WITH r AS (
       SELECT ${fields.map((f) => (f.type === 'text[]' ? `u.${f.name}::text[] AS ${f.name}` : `u.${f.name}`)).join(', ')}
         FROM unnest(${fields.map((f, i) => `$${i + 3}::${f.type === 'text[]' ? 'text' : f.type}[]`).join(', ')}) AS u(${fields.map((f) => f.name).join(', ')})),
     held AS MATERIALIZED (
       SELECT h.* FROM r CROSS JOIN LATERAL (
         SELECT t.ctid AS held_at, t.* FROM ${spec.table} t
          WHERE t.school_id = ${THE_SCHOOL} AND t.source_system = $2 AND t.source_id = r.source_id LIMIT 1) h),
     changed AS (
       SELECT r.*, h.held_at FROM r JOIN held h ON h.source_id = r.source_id
        WHERE ((${updated.map((n) => `h.${n}`).join(', ')}) IS DISTINCT FROM (${updated.map((n) => `r.${n}`).join(', ')})
               OR r.source_updated_at > h.source_updated_at${spec.softDeleted ? ' OR h.deleted_in_source_at IS NOT NULL' : ''})
          AND (h.source_updated_at IS NULL OR r.source_updated_at IS NULL OR r.source_updated_at >= h.source_updated_at)),
     updated AS (
       UPDATE ${spec.table} AS t SET
         ${[...updated.map((n) => `${n} = c.${n}`), 'source_updated_at = coalesce(c.source_updated_at, t.source_updated_at)',
           ...(spec.stamped ? ['updated_at = now()'] : []), ...(spec.softDeleted ? ['deleted_in_source_at = NULL'] : [])].join(', ')}
         FROM changed c
        WHERE t.ctid = c.held_at
       RETURNING ${returned}),
     inserted AS (
       INSERT INTO ${spec.table} AS t (school_id, ${spec.hasId ? 'id, ' : ''}${names.join(', ')}, source_system, source_id, source_updated_at)
       SELECT $1, ${spec.hasId ? 'gen_random_uuid(), ' : ''}${names.map((n) => `r.${n}`).join(', ')}, $2, r.source_id, r.source_updated_at FROM r
        WHERE NOT EXISTS (SELECT 1 FROM held h WHERE h.source_id = r.source_id)
       RETURNING ${returned})${markType ? `,
     history AS (
       ${HISTORY_INSERT}
       SELECT $1, '${markType}', u.id, u.student_id, 'changed', ${markState('h', markType)}, ${markState('u', markType)}, 'sync' FROM updated u JOIN held h ON h.id = u.id
       UNION ALL
       SELECT $1, '${markType}', i.id, i.student_id, 'created', NULL, ${markState('i', markType)}, 'sync' FROM inserted i)` : ''}
     SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM updated)::int AS updated`,
    [scope.schoolId, scope.sourceSystem, ...arrays],
  );
  return { ...noCounts(), inserted: result[0].inserted, updated: result[0].updated };
}

/** A text[] value as PostgreSQL reads it ('{"a","b"}'): each element quoted, with its quotes and backslashes escaped. */
const arrayLiteral = (values: string[] | null) =>
  values && `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;

export type MarkType = 'mark' | 'final_mark';

/** The streams whose rows are marks, which keep their history when they come from a vendor too (changed_via 'sync'). */
export const MARK_TYPES: Partial<Record<StreamName, MarkType>> = { marks: 'mark', finalMarks: 'final_mark' };

/** The head of an INSERT of history rows, followed by a SELECT of (school, type, mark, student, action, before, after, via). */
export const HISTORY_INSERT = 'INSERT INTO mark_history (school_id, mark_type, mark_id, student_id, action, before, after, changed_via)';

/** The columns of a mark that its history keeps (see markState). */
const MARK_STATE_COLUMNS: Record<MarkType, string[]> = {
  mark: ['value', 'scale', 'numeric_value', 'lesson_id', 'work_kind', 'weight', 'comment'],
  final_mark: ['value', 'scale', 'numeric_value', 'course_id', 'kind', 'term_id'],
};

/**
 * A mark row (by its alias) as the state its history keeps: the same shape as the journal's history
 * (`snapshot` in journal.service.ts), so that a mark's history reads alike whatever wrote it. Numbers
 * as JSON numbers (3.7, not the column's 3.700), as the journal writes them.
 */
export function markState(alias: string, markType: MarkType): string {
  const common = `'value', ${alias}.value, 'scale', ${alias}.scale, 'numericValue', ${alias}.numeric_value::float8`;
  return markType === 'mark'
    ? `jsonb_build_object(${common}, 'lessonId', ${alias}.lesson_id, 'workKind', ${alias}.work_kind, 'weight', ${alias}.weight::float8, 'comment', ${alias}.comment)`
    : `jsonb_build_object(${common}, 'courseId', ${alias}.course_id, 'kind', ${alias}.kind, 'termId', ${alias}.term_id)`;
}
