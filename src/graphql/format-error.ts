import { unwrapResolverError } from '@apollo/server/errors';
import { randomUUID } from 'node:crypto';
import { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { QueryFailedError } from 'typeorm';
import { AppError } from '../common/errors';
import type { Logger } from '../common/logger';

/** PostgreSQL errors a request can run into, and what they mean to the client. */
const PG_ERRORS: Record<string, { code: string; reason: string; message: string }> = {
  '23505': { code: 'CONFLICT', reason: 'ALREADY_EXISTS', message: 'This conflicts with data that already exists.' },
  '23P01': { code: 'CONFLICT', reason: 'OVERLAPS_EXISTING', message: 'This overlaps data that already exists.' },
  '23503': { code: 'BAD_USER_INPUT', reason: 'REFERENCE_UNKNOWN', message: 'This refers to something that does not exist.' },
  '23514': { code: 'BAD_USER_INPUT', reason: 'VALUE_NOT_ALLOWED', message: 'A value is not allowed here.' },
  '22P02': { code: 'BAD_USER_INPUT', reason: 'VALUE_MALFORMED', message: 'A value is not of the expected type.' },
  '22021': { code: 'BAD_USER_INPUT', reason: 'VALUE_MALFORMED', message: 'A text contains characters that cannot be stored (such as a NUL byte).' },
  '22001': { code: 'BAD_USER_INPUT', reason: 'VALUE_TOO_LONG', message: 'A text is too long.' },
  '57014': { code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_TIMEOUT', message: 'The database took too long; try again.' },
  '55P03': { code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_BUSY', message: 'The data is being changed by someone else; try again.' },
  '40001': { code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_BUSY', message: 'The data is being changed by someone else; try again.' },
  '40P01': { code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_BUSY', message: 'The data is being changed by someone else; try again.' },
};

/**
 * The one place where errors become GraphQL errors (DESIGN rule 8). Known errors keep their code,
 * reason and offending fields; anything else is masked as INTERNAL_SERVER_ERROR with an id that
 * is also logged, so an operator can find it without the client seeing internals.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return {
        message: original.message,
        path: formatted.path,
        extensions: { code: original.code, reason: original.reason, ...original.details },
      };
    }
    if (original instanceof ArgumentValidationError) {
      const fields: Record<string, string> = {};
      const walk = (errors: typeof original.extensions.validationErrors, prefix: string) => {
        for (const e of errors) {
          const path = prefix ? `${prefix}.${e.property}` : e.property;
          if (e.constraints) fields[path] = Object.values(e.constraints).join('; ');
          if (e.children?.length) walk(e.children, path);
        }
      };
      walk(original.extensions.validationErrors, '');
      return {
        message: `Invalid input: ${Object.entries(fields).map(([f, m]) => `${f}: ${m}`).join('; ')}`,
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT', reason: 'INPUT_INVALID', fields },
      };
    }
    const pgCode = original instanceof QueryFailedError ? (original.driverError as { code?: string }).code : undefined;
    const known = pgCode ? PG_ERRORS[pgCode] : undefined;
    if (known) {
      const constraint = (original as QueryFailedError & { driverError: { constraint?: string } }).driverError.constraint;
      return { message: known.message, path: formatted.path, extensions: { code: known.code, reason: known.reason, ...(constraint ? { constraint } : {}) } };
    }
    if (/timeout exceeded when trying to connect/i.test((original as Error)?.message ?? '')) {
      return { message: 'The server is busy; try again.', path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_POOL_EXHAUSTED' } };
    }
    // Errors of GraphQL itself (syntax, validation, variable coercion) are the client's and safe to show.
    const code = formatted.extensions?.code;
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    const errorId = randomUUID();
    logger.error({ err: original, errorId, path: formatted.path }, 'internal error');
    return { message: `Internal error; quote this id when reporting it: ${errorId}`, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } };
  };
}
