import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { createLogger } from '../../src/common/logger';
import { createErrorFormatter } from '../../src/graphql/format-error';

describe('error formatting', () => {
  const capture = () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    return { lines, logger: createLogger('info', stream) };
  };

  it('masks an internal error and logs it without the personal data of its statement', () => {
    const { lines, logger } = capture();
    const failure = new QueryFailedError('INSERT INTO guardian (last_name, phone) VALUES ($1, $2)', ['Иванова', '+79120000000'],
      Object.assign(new Error('something broke'), { code: 'XX000', detail: 'Failing row contains (Иванова, +79120000000).' }));
    const formatted = createErrorFormatter(logger)({ message: 'x', path: ['submitApplication'] }, failure);
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) });
    const log = lines.join('');
    expect(log).toContain(String(formatted.extensions!.errorId));
    expect(log).toContain('XX000');
    expect(log).not.toMatch(/Иванова|79120000000|INSERT INTO/);
  });

  it('turns a malformed value reaching the database into BAD_USER_INPUT', () => {
    const { logger } = capture();
    const failure = new QueryFailedError('SELECT', [], Object.assign(new Error('invalid input syntax'), { code: '22P02' }));
    expect(createErrorFormatter(logger)({ message: 'x' }, failure).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'VALUE_MALFORMED' });
  });
});
