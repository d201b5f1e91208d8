import type { DataSource, EntityManager } from 'typeorm';

/** A statement that runs as a named prepared statement: parsed and planned once per connection. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const declared = new Set<string>();

/**
 * Declares a statement that runs on (nearly) every request. PostgreSQL then parses and plans it once
 * per pooled connection instead of each time: for the diary's main read that was 2 of its 5 ms. Only
 * for statements whose best plan is the same whatever the values (look-ups by key), since after a few
 * runs PostgreSQL may keep one generic plan. A name holds one text (pg keeps them per connection).
 */
export function preparedStatement(name: string, text: string): PreparedStatement {
  declare(name);
  return { name, text };
}

/**
 * A prepared statement whose text is written from the entities' metadata (the columns jsonArray lists),
 * on first use: the same for every data source, as the entities are.
 */
export function preparedStatementOfEntities(name: string, text: (ds: DataSource) => string): (ds: DataSource) => PreparedStatement {
  declare(name);
  let statement: PreparedStatement | undefined;
  return (ds) => (statement ??= { name, text: text(ds) });
}

function declare(name: string) {
  if (declared.has(name)) throw new Error(`a prepared statement named "${name}" is declared already`);
  declared.add(name);
}

/**
 * Runs a prepared statement through TypeORM like any other query (its logging and statement counting
 * see it): pg takes the { name, text } query config where TypeORM passes the query along as it is.
 */
export function queryPrepared<T = Record<string, unknown>>(db: Pick<EntityManager, 'query'>, statement: PreparedStatement, params: unknown[]): Promise<T[]> {
  return db.query(statement as unknown as string, params);
}
