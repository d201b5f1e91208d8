import { DataSource } from 'typeorm';
import { Adapter, AdapterMessage, STREAMS } from '../../adapters/contract';

const PAGE = 1000;

/**
 * The school's quarantined records as an adapter: once IT staff have fixed what they lacked (a subject
 * on the municipality's list, the student they refer to), the engine takes them in again like any read.
 * It keeps the school's adapter id, so the rows land with their origin; it saves no state, so the
 * adapter's own cursor is left as it was.
 */
export function quarantineReplay(ds: DataSource, schoolId: string, adapter: Adapter): Adapter {
  return {
    manifest: { ...adapter.manifest, capabilities: { ...adapter.manifest.capabilities, incremental: [], deletions: [] } },
    check: adapter.check,
    discoverSchools: adapter.discoverSchools,
    async *read(): AsyncIterable<AdapterMessage> {
      // Only what was quarantined before: a record quarantined again by this run is not read twice.
      const [{ now: before }] = await ds.query('SELECT now()');
      // Parents before children, each stream in the order it was quarantined, page by page.
      for (const stream of STREAMS) {
        let after: { created_at: Date; id: string } | null = null;
        for (;;) {
          const page: { created_at: Date; id: string; payload: unknown }[] = await ds.query(
            `SELECT q.created_at, q.id, q.payload FROM sync_quarantine q
              WHERE q.school_id = $1 AND q.stream = $2 AND q.resolved_at IS NULL
                AND q.run_id IN (SELECT id FROM sync_run WHERE school_id = $1 AND adapter_id = $3)
                AND q.created_at < $6 AND ($4::timestamptz IS NULL OR (q.created_at, q.id) > ($4, $5::uuid))
              ORDER BY q.created_at, q.id LIMIT ${PAGE}`,
            [schoolId, stream, adapter.manifest.id, after?.created_at ?? null, after?.id ?? null, before],
          );
          for (const row of page) yield { type: 'record', stream, record: row.payload } as AdapterMessage;
          if (page.length < PAGE) break;
          after = page[page.length - 1];
        }
      }
    },
  };
}
