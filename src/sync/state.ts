import type { EntityManager } from 'typeorm';
import type { AdapterState } from '../../adapters/contract';

type Queryable = Pick<EntityManager, 'query'>;

/** What a checkpoint changes in the saved state: the entries whose json changed, and the names of all it has. */
export interface StateChange {
  changed: [string, string][];
  parts: string[];
}

/**
 * An adapter's state as the engine saves it: one row per top-level entry (`sync_state_part`), and a
 * checkpoint rewrites only the entries whose json changed. Adapters keep large things that rarely
 * change next to a cursor that moves at every checkpoint — the OneRoster CSV adapter's index of the
 * school (0.8 MB for the bench's school) next to the export it applied and how far it got: saved
 * whole, the index was rewritten at each checkpoint of a long read, and was the largest write of a
 * small re-sync.
 */
export class SavedState {
  private constructor(private readonly parts: Map<string, string>) {}

  static async read(db: Queryable, schoolId: string, adapterId: string): Promise<SavedState> {
    const rows: { part: string; value: string }[] = await db.query(
      'SELECT part, value::text AS value FROM sync_state_part WHERE school_id = $1 AND adapter_id = $2', [schoolId, adapterId]);
    return new SavedState(new Map(rows.map((r) => [r.part, r.value])));
  }

  /** The state as the adapter is given it: null when none was saved (an empty one reads as none). */
  value(): AdapterState | null {
    if (this.parts.size === 0) return null;
    return Object.fromEntries([...this.parts].map(([part, text]) => [part, JSON.parse(text)]));
  }

  /** What saving `state` would change: null when nothing (the checkpoint writes no state). */
  changeTo(state: AdapterState): StateChange | null {
    const changed: [string, string][] = [];
    const parts: string[] = [];
    for (const [part, value] of Object.entries(state)) {
      // As JSON.stringify of the whole object would: an entry without a json value is left out.
      const text = JSON.stringify(value) as string | undefined;
      if (text === undefined) continue;
      parts.push(part);
      if (this.parts.get(part) !== text) changed.push([part, text]);
    }
    const dropped = [...this.parts.keys()].some((part) => !parts.includes(part));
    return changed.length > 0 || dropped ? { changed, parts } : null;
  }

  /** Writes a change, in the caller's transaction (that of the data before the checkpoint). */
  static async write(db: Queryable, schoolId: string, adapterId: string, change: StateChange): Promise<void> {
    // The changed entries go as one json object put together from their texts, not stringified again.
    const changed = `{${change.changed.map(([part, text]) => `${JSON.stringify(part)}:${text}`).join(',')}}`;
    await db.query(
      `WITH dropped AS (DELETE FROM sync_state_part WHERE school_id = $1 AND adapter_id = $2 AND part <> ALL($4::text[]))
       INSERT INTO sync_state_part (school_id, adapter_id, part, value) SELECT $1, $2, e.key, e.value FROM json_each($3::json) e
       ON CONFLICT (school_id, adapter_id, part) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [schoolId, adapterId, changed, change.parts],
    );
  }

  /** Takes in a change once it is committed. */
  apply(change: StateChange): void {
    for (const part of [...this.parts.keys()]) if (!change.parts.includes(part)) this.parts.delete(part);
    for (const [part, text] of change.changed) this.parts.set(part, text);
  }
}
