import 'reflect-metadata';
import { types } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';
import { SnakeNamingStrategy } from './naming-strategy';

// A calendar date stays the string "YYYY-MM-DD" (DESIGN rule 7); pg would turn it into a local-midnight Date.
types.setTypeParser(types.builtins.DATE, (value) => value);
// bigint counts (count(*)) fit a JS number in every table this hub will hold.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export interface DatabaseLimits {
  poolMax: number;
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_LIMITS: DatabaseLimits = {
  poolMax: 10,
  connectionTimeoutMs: 3000,
  statementTimeoutMs: 15000,
  lockTimeoutMs: 5000,
  idleInTransactionTimeoutMs: 30000,
};

/**
 * The one DataSource shape used by the server, the CLI and the tests. Every timeout is finite
 * (PostgreSQL and node-postgres default them all to "forever"), so an overloaded server answers with
 * an error instead of queueing without bound. `synchronize` is never on: the schema is the migrations'.
 */
export function createDataSource(url: string, limits: DatabaseLimits = DEFAULT_LIMITS): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migration',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: 'journal-hub',
    extra: {
      max: limits.poolMax,
      connectionTimeoutMillis: limits.connectionTimeoutMs,
      idleTimeoutMillis: 10_000,
      statement_timeout: limits.statementTimeoutMs,
      lock_timeout: limits.lockTimeoutMs,
      idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
      // A client-side guard a little above the server's, for a server that stops answering at all.
      query_timeout: limits.statementTimeoutMs + 2000,
    },
  });
}
