import { useTestDatabase } from '../setup/database';

/** The TypeORM entities describe the tables the migrations made: same columns, same nullability. */
describe('entities and migrations', () => {
  const db = useTestDatabase();

  it('agree on every table and column', async () => {
    const columns: { table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }[] = await db.dataSource.query(
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const actual = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c.is_nullable === 'YES']));
    const mismatches: string[] = [];
    for (const entity of db.dataSource.entityMetadatas) {
      for (const column of entity.columns) {
        const name = `${entity.tableName}.${column.databaseName}`;
        if (!actual.has(name)) mismatches.push(`${name} is mapped but not in the database`);
        else if (actual.get(name) !== column.isNullable) mismatches.push(`${name}: entity nullable=${column.isNullable}, database nullable=${actual.get(name)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
