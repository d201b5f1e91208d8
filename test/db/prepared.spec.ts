import { preparedStatement, preparedStatementOfEntities, queryPrepared } from '../../src/db/prepared';
import { useTestDatabase } from '../setup/database';

describe('prepared statements', () => {
  const db = useTestDatabase();

  it('are parsed once per connection and kept there under their name, with the same answers as a plain query', async () => {
    const statement = preparedStatement('test_school_count', 'SELECT count(*)::int AS n FROM school WHERE time_zone <> $1');
    const runner = db.dataSource.createQueryRunner();
    try {
      const plain = await runner.query('SELECT count(*)::int AS n FROM school WHERE time_zone <> $1', ['']);
      expect(await queryPrepared(runner.manager, statement, [''])).toEqual(plain);
      expect(await queryPrepared(runner.manager, statement, ['nothing'])).toEqual(plain);
      const kept = await runner.query(`SELECT name, statement FROM pg_prepared_statements WHERE name = 'test_school_count'`);
      expect(kept).toEqual([{ name: 'test_school_count', statement: statement.text }]);
    } finally {
      await runner.release();
    }
  });

  it('refuses a second statement under a name already declared', () => {
    preparedStatement('test_twice', 'SELECT 1');
    expect(() => preparedStatement('test_twice', 'SELECT 2')).toThrow('a prepared statement named "test_twice" is declared already');
  });

  it('written from the entities, is written once, on first use, and its name is taken when declared', () => {
    let written = 0;
    const statement = preparedStatementOfEntities('test_of_entities', (ds) => `SELECT ${++written} FROM ${ds.getMetadata('School').tableName}`);
    expect(() => preparedStatement('test_of_entities', 'SELECT 2')).toThrow('is declared already');
    expect(written).toBe(0);
    expect(statement(db.dataSource)).toEqual({ name: 'test_of_entities', text: 'SELECT 1 FROM school' });
    expect(statement(db.dataSource)).toBe(statement(db.dataSource));
    expect(written).toBe(1);
  });

  it('fails like any other query when its values are wrong, naming the problem', async () => {
    const statement = preparedStatement('test_by_id', 'SELECT id FROM school WHERE id = $1');
    await expect(queryPrepared(db.dataSource, statement, ['not a uuid'])).rejects.toThrow(/invalid input syntax for type uuid/);
  });
});
