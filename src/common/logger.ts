import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stdout. Personal data never goes to logs (DESIGN rule 9): we log ids,
 * counts and codes, and the redaction list below catches the usual carriers if one slips in.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'journal-hub' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A database error carries the statement's parameters and the row's values (names, phones):
    // log what kind of error it was and where, never the data.
    serializers: { err: (error: unknown) => describeError(error) },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization',
        'variables.password', 'variables.input.password', 'phone', '*.phone', 'email', '*.email'],
      censor: '[redacted]',
    },
  }, destination);
}

function describeError(error: unknown) {
  if (!(error instanceof Error)) return { message: String(error) };
  const pg = (error as { driverError?: { code?: string; constraint?: string; table?: string } }).driverError ?? (error as { code?: string });
  return {
    type: error.constructor.name,
    message: error.message,
    code: (pg as { code?: string }).code,
    constraint: (pg as { constraint?: string }).constraint,
    stack: error.stack,
  };
}
