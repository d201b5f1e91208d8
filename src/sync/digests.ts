import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { StreamName } from '../../adapters/contract';
import { STREAM_SPECS } from './streams';
import type { Prepared } from './writer';

type Queryable = Pick<EntityManager, 'query'>;

/**
 * What each stream read whole brought the last time it landed whole (`sync_stream_digest`): a digest
 * of its records as the engine took them in — normalised (the municipality's subjects resolved), with
 * their vendor ids, stamps and references — and of how the stream lands in its table.
 *
 * A stream read whole is written again only when its digest moved. Adapters read the small collections
 * (years, terms, classes, courses, their teachers) whole on every run to learn what the vendor removed,
 * and upserting them to find them unchanged was a sixth of a small re-sync. Whenever the rows could
 * differ from what the records say, the stream is written as usual: a digest is kept only for a stream
 * that landed whole in one write with nothing quarantined, deferred or found missing, and it is dropped
 * whenever the stream is written otherwise; a stream with quarantined records or pending deletions is
 * always written (those are resolved by its records coming again).
 */
export class StreamDigests {
  private constructor(private readonly saved: Map<StreamName, string>) {}

  static async read(db: Queryable, schoolId: string, adapterId: string): Promise<StreamDigests> {
    const rows: { stream: StreamName; digest: string }[] = await db.query(
      'SELECT stream, digest FROM sync_stream_digest WHERE school_id = $1 AND adapter_id = $2', [schoolId, adapterId]);
    return new StreamDigests(new Map(rows.map((r) => [r.stream, r.digest])));
  }

  static of(stream: StreamName, records: Prepared[]): string {
    const spec = STREAM_SPECS[stream];
    const hash = createHash('sha256').update(JSON.stringify(spec));
    for (const { record, normalized } of records) {
      const r = record as Record<string, unknown>;
      hash.update(JSON.stringify([r.sourceId, r.updatedAt, normalized, spec.refs.map((ref) => r[ref.field])]));
    }
    return hash.digest('base64');
  }

  /** Whether `digest` (or none: null) is not what the stream last landed whole with. */
  differs(stream: StreamName, digest: string | null): boolean {
    return (this.saved.get(stream) ?? null) !== digest;
  }

  /** Keeps (digest) or drops (null) each stream's digest, in the caller's transaction. */
  static async write(db: Queryable, schoolId: string, adapterId: string, changes: Map<StreamName, string | null>): Promise<void> {
    const kept = [...changes].filter((c): c is [StreamName, string] => c[1] !== null);
    await db.query(
      `WITH dropped AS (DELETE FROM sync_stream_digest WHERE school_id = $1 AND adapter_id = $2 AND stream = ANY($3::text[]))
       INSERT INTO sync_stream_digest (school_id, adapter_id, stream, digest) SELECT $1, $2, * FROM unnest($4::text[], $5::text[])
       ON CONFLICT (school_id, adapter_id, stream) DO UPDATE SET digest = EXCLUDED.digest, updated_at = now()`,
      [schoolId, adapterId, [...changes].filter((c) => c[1] === null).map((c) => c[0]), kept.map((c) => c[0]), kept.map((c) => c[1])],
    );
  }

  /** Takes in changes once they are committed. */
  apply(changes: Map<StreamName, string | null>): void {
    for (const [stream, digest] of changes) {
      if (digest === null) this.saved.delete(stream);
      else this.saved.set(stream, digest);
    }
  }
}
