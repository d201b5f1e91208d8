import { EntityManager } from 'typeorm';

/** One entry of the append-only audit trail. Details hold ids and codes, never personal data. */
export interface AuditEntry {
  /** "<area>.<verb>", e.g. "mark.created", "diary.read", "auth.sign_in_failed". */
  action: string;
  /** Null for an event of an account with no school (a sign-in): it goes to account_event. */
  schoolId: string | null;
  actorAccountId: string | null;
  subjectType?: string;
  subjectId?: string;
  /** The child whose data was read or changed, when there is one. */
  studentId?: string | null;
  clientAddress?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditOptions {
  /**
   * False for the entries of reads, written outside any transaction: their commit does not wait for the
   * disk (synchronous_commit off for that one statement), which spares every diary or journal read an
   * fsync. Such an entry is lost only if the database server itself stops within a fraction of a second
   * of the read (wal_writer_delay); the entries of changes always wait, with the change they describe.
   */
  waitForDisk?: boolean;
}

/**
 * Writes audit entries, in the caller's transaction when given one so that an action and its entry
 * commit or roll back together. Many entries go in one statement per table.
 */
export async function recordAudit(em: EntityManager, entries: AuditEntry[], { waitForDisk = true }: AuditOptions = {}): Promise<void> {
  // set_config(..., true) lasts for the statement's own transaction, so only this commit is relaxed.
  const relaxed = waitForDisk ? { cte: '', from: '' } : { cte: `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) `, from: ', relaxed' };
  const school = entries.filter((e) => e.schoolId !== null);
  const global = entries.filter((e) => e.schoolId === null);
  const cols = (e: AuditEntry) => [e.actorAccountId, e.action, e.subjectType ?? null, e.subjectId ?? null, e.clientAddress ?? null, JSON.stringify(e.details ?? {})];
  if (school.length > 0) {
    const rows = school.map((e) => [e.schoolId, e.studentId ?? null, ...cols(e)]);
    await em.query(
      `${relaxed.cte}INSERT INTO audit_event (school_id, student_id, actor_account_id, action, subject_type, subject_id, client_address, details)
       SELECT e.* FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[]) e${relaxed.from}`,
      transpose(rows, 8),
    );
  }
  if (global.length > 0) {
    await em.query(
      `${relaxed.cte}INSERT INTO account_event (actor_account_id, action, subject_type, subject_id, client_address, details)
       SELECT e.* FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) e${relaxed.from}`,
      transpose(global.map(cols), 6),
    );
  }
}

function transpose(rows: unknown[][], width: number): unknown[][] {
  return Array.from({ length: width }, (_, i) => rows.map((r) => r[i]));
}
