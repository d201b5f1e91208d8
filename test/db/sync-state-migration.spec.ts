import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';

/**
 * SyncStateAsPlainJson and SyncStateInParts: saved states move from jsonb to uncompressed json, then
 * to one uncompressed row per entry, and back, unchanged.
 */
describe('migrations of the saved sync state', () => {
  const db = useTestDatabase();

  const column = async (table: string, name: string) =>
    (await db.dataSource.query(
      `SELECT format_type(atttypid, atttypmod) AS type, attstorage AS storage FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2`, [table, name],
    ))[0];
  /** Large enough to be stored out of line and, were it compressible, compressed: an index of 20,000 line items. */
  const large = { watermark: '2026-11-02T10:00:00.000Z', index: Array.from({ length: 20_000 }, (_, i) => [`li-${i}`, i % 40, 'cat-1']) };

  it('keep the states saved before them, stored uncompressed, one row per entry', async () => {
    const ds = db.dataSource;
    /** Undoes the latest migrations down to `name`, that one included. */
    const undoThrough = async (name: string) => {
      for (let last = ''; last !== name;) {
        [{ name: last }] = await ds.query('SELECT name FROM typeorm_migration ORDER BY id DESC LIMIT 1');
        await ds.undoLastMigration({ transaction: 'each' });
      }
    };
    const state = async (school: string) => (await ds.query('SELECT state FROM sync_state WHERE school_id = $1', [school]))[0].state;
    await undoThrough('SyncStateAsPlainJson1764321100000');
    expect(await column('sync_state', 'state')).toEqual({ type: 'jsonb', storage: 'x' });
    const school = await new Fixture(ds).school();
    await ds.query(`INSERT INTO sync_state (school_id, adapter_id, state) VALUES ($1, 'oneroster-rest', $2)`, [school, JSON.stringify(large)]);

    await ds.runMigrations({ transaction: 'each' });
    expect(await column('sync_state_part', 'value')).toEqual({ type: 'json', storage: 'e' });
    const parts = await ds.query(
      `SELECT part, adapter_id, pg_column_compression(value) AS compression, pg_column_size(value) AS stored, octet_length(value::text) AS length
         FROM sync_state_part WHERE school_id = $1 ORDER BY part`,
      [school],
    );
    expect(parts.map((p: { part: string; adapter_id: string }) => [p.part, p.adapter_id])).toEqual([['index', 'oneroster-rest'], ['watermark', 'oneroster-rest']]);
    expect(parts[0].compression).toBeNull();
    expect(parts[0].stored).toBe(parts[0].length);
    // The view puts the parts together again.
    expect(await state(school)).toEqual(large);

    await undoThrough('SyncStateInParts1764321200000');
    expect(await column('sync_state', 'state')).toEqual({ type: 'json', storage: 'e' });
    expect(await state(school)).toEqual(large);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await column('sync_state', 'state')).toEqual({ type: 'jsonb', storage: 'x' });
    expect(await state(school)).toEqual(large);
    await ds.runMigrations({ transaction: 'each' });
  });
});
