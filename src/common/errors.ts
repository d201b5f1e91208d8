/**
 * The hub's errors. Services throw `AppError`s; `src/graphql/format-error.ts` is the one place that
 * turns them (and everything else) into GraphQL errors (DESIGN rule 8). `code` is the GraphQL
 * `extensions.code`; `reason` names the precise rule broken (SCREAMING_SNAKE, prefixed by area), so a
 * client can react to it without parsing the message.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FAILED_PRECONDITION'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

export interface ErrorDetails {
  /** For BAD_USER_INPUT: the offending input fields (dotted paths) and what is wrong with each. */
  fields?: Record<string, string>;
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (reason: string, fields: Record<string, string>, message?: string) =>
  new AppError('BAD_USER_INPUT', reason, message ?? Object.entries(fields).map(([f, m]) => `${f}: ${m}`).join('; '), { fields });

export const notFound = (what: string, id: string) =>
  new AppError('NOT_FOUND', `${what.toUpperCase().replace(/\W+/g, '_')}_NOT_FOUND`, `No ${what} with id ${id}.`);

/** Refusals say only that access is refused: never whether the thing exists or what it holds. */
export const forbidden = (message = 'You do not have access to this.') => new AppError('FORBIDDEN', 'ACCESS_DENIED', message);

export const unauthenticated = (message = 'Sign in first: send "Authorization: Bearer <token>".') =>
  new AppError('UNAUTHENTICATED', 'AUTH_REQUIRED', message);
