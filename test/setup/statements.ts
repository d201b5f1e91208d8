import { DataSource, Logger } from 'typeorm';
import type { PreparedStatement } from '../../src/db/prepared';

/**
 * Runs `fn` and returns how many SQL statements the data source sent meanwhile, with their texts (a
 * prepared statement reaches the logger as its { name, text }).
 */
export async function countStatements<T>(ds: DataSource, fn: () => Promise<T>): Promise<{ count: number; statements: string[]; result: T }> {
  const statements: string[] = [];
  const original = ds.logger;
  const counting: Logger = {
    logQuery: (query: string | PreparedStatement) => void statements.push(typeof query === 'string' ? query : query.text),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  (ds as { logger: Logger }).logger = counting;
  try {
    const result = await fn();
    return { count: statements.length, statements, result };
  } finally {
    (ds as { logger: Logger }).logger = original;
  }
}

/** The journal as a teacher's app opens it (the bench's query): depth 5, a list at every level. */
export const JOURNAL_NESTED = `query($courseId: ID!, $termId: ID!) {
  journal(courseId: $courseId, termId: $termId) {
    course { subject { name } teachers { shortName } classGroup { name homeroomTeacher { shortName } } }
    lessons { date number topic teacher { shortName } }
    rows {
      student { shortName }
      cells { lesson { id } marks { value weight workKind { name } enteredBy { shortName } } attendance { status } }
      average
      termMark { value }
    }
  }
}`;
