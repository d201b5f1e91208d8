import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';

/** SyncStateAsPlainJson: saved states move from jsonb to uncompressed json and back, unchanged. */
describe('migration SyncStateAsPlainJson', () => {
  const db = useTestDatabase();

  const column = async () =>
    (await db.dataSource.query(
      `SELECT format_type(atttypid, atttypmod) AS type, attstorage AS storage FROM pg_attribute WHERE attrelid = 'sync_state'::regclass AND attname = 'state'`,
    ))[0];
  /** Large enough to be stored out of line and, were it compressible, compressed: an index of 20,000 line items. */
  const large = { watermark: '2026-11-02T10:00:00.000Z', index: Array.from({ length: 20_000 }, (_, i) => [`li-${i}`, i % 40, 'cat-1']) };

  it('keeps the states saved before it, and stores them uncompressed from then on', async () => {
    const ds = db.dataSource;
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await column()).toEqual({ type: 'jsonb', storage: 'x' });
    const school = await new Fixture(ds).school();
    await ds.query(`INSERT INTO sync_state (school_id, adapter_id, state) VALUES ($1, 'oneroster-rest', $2)`, [school, JSON.stringify(large)]);

    await ds.runMigrations({ transaction: 'each' });
    expect(await column()).toEqual({ type: 'json', storage: 'e' });
    const [row] = await ds.query(
      `SELECT state, pg_column_compression(state) AS compression, pg_column_size(state) AS stored, octet_length(state::text) AS length FROM sync_state WHERE school_id = $1`,
      [school],
    );
    expect(row.state).toEqual(large);
    expect(row.compression).toBeNull();
    expect(row.stored).toBe(row.length);

    await ds.undoLastMigration({ transaction: 'each' });
    expect(await column()).toEqual({ type: 'jsonb', storage: 'x' });
    expect((await ds.query('SELECT state FROM sync_state WHERE school_id = $1', [school]))[0].state).toEqual(large);
    await ds.runMigrations({ transaction: 'each' });
  });
});
