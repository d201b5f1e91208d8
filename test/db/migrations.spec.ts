import { createDataSource } from '../../src/db/data-source';
import { migrations } from '../../migrations';
import { createTestDatabase, dropTestDatabase } from '../setup/database';

describe('migrations', () => {
  it('apply to an empty database, revert one by one to nothing, and apply again', async () => {
    const { name, url } = await createTestDatabase({ empty: true });
    const ds = createDataSource(url);
    await ds.initialize();
    try {
      const tables = async () =>
        (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'typeorm\_%'`)).length;

      expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(migrations.length);
      const applied = await tables();
      expect(applied).toBeGreaterThan(15);

      for (let i = 0; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await tables()).toBe(0);

      await ds.runMigrations({ transaction: 'each' });
      expect(await tables()).toBe(applied);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
      await dropTestDatabase(name);
    }
  });
});
