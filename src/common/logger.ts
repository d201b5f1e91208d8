import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stdout. Personal data never goes to logs (DESIGN rule 9): we log ids,
 * counts and codes, and the redaction list below catches the usual carriers if one slips in.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'journal-hub' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization',
        'variables.password', 'variables.input.password', 'phone', '*.phone', 'email', '*.email'],
      censor: '[redacted]',
    },
  });
}
