import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors';

/**
 * Brute-force protection for sign-in, kept in PostgreSQL so that it holds across processes.
 * Every attempt is counted before its password is checked, under the keys' row locks, so that
 * concurrent attempts cannot all slip past the limit; a successful attempt is then uncounted.
 * Past a first threshold each further attempt must wait (doubling, up to a minute); past a second
 * the key is locked. Addresses get higher thresholds: a whole school may sign in from one address.
 */
const RULES = {
  login: { slowAfter: 5, lockAfter: 10 },
  address: { slowAfter: 50, lockAfter: 200 },
};
const WINDOW_MINUTES = 15;
const LOCK_MINUTES = 15;

export type ThrottleKey = { kind: 'login' | 'address'; value: string };
const keyString = (k: ThrottleKey) => `${k.kind}:${k.value.toLowerCase()}`;

/** Counts an attempt in its own transaction, or refuses it when a key is waiting or locked, saying until when. */
export async function takeAttempt(ds: DataSource, keys: ThrottleKey[]): Promise<void> {
  await ds.transaction(async (em) => {
    const names = keys.map(keyString);
    await em.query('INSERT INTO sign_in_throttle (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING', [names]);
    const rows: { key: string; failures: number; expired: boolean; wait: number | null }[] = await em.query(
      `SELECT key, failures, first_failure_at < now() - make_interval(mins => $2::int) AS expired,
              CASE WHEN locked_until > now() THEN ceil(extract(epoch FROM locked_until - now()))::int END AS wait
         FROM sign_in_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
      [names, WINDOW_MINUTES],
    );
    const waiting = rows.filter((r) => r.wait !== null);
    if (waiting.length > 0) {
      const wait = Math.max(...waiting.map((r) => r.wait!));
      const what = waiting.some((r) => r.key.startsWith('login:')) ? 'this login' : 'your address';
      throw new AppError('TOO_MANY_REQUESTS', 'AUTH_THROTTLED',
        `Too many failed sign-ins for ${what}. Try again in ${wait} s (after ${new Date(Date.now() + wait * 1000).toISOString()}).`,
        { retryAfterSeconds: wait });
    }
    for (const row of rows) {
      const { slowAfter, lockAfter } = RULES[row.key.startsWith('login:') ? 'login' : 'address'];
      const failures = row.expired ? 1 : row.failures + 1;
      await em.query(
        `UPDATE sign_in_throttle SET failures = $2::int,
           first_failure_at = CASE WHEN $3::boolean THEN now() ELSE first_failure_at END,
           locked_until = CASE WHEN $2::int >= $4::int THEN now() + make_interval(mins => $6::int)
                               WHEN $2::int >= $5::int THEN now() + make_interval(secs => least(60, power(2, $2::int - $5::int)))
                               ELSE NULL END
         WHERE key = $1`,
        [row.key, failures, row.expired, lockAfter, slowAfter, LOCK_MINUTES],
      );
    }
  });
}

/** A successful sign-in clears the login's count and uncounts its attempt from the address. */
export async function attemptSucceeded(em: EntityManager, keys: ThrottleKey[]): Promise<void> {
  const login = keys.find((k) => k.kind === 'login');
  const address = keys.find((k) => k.kind === 'address');
  if (login) await em.query('DELETE FROM sign_in_throttle WHERE key = $1', [keyString(login)]);
  if (address) {
    await em.query('UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0), locked_until = NULL WHERE key = $1 AND failures <= 1', [keyString(address)]);
    await em.query('UPDATE sign_in_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 1', [keyString(address)]);
  }
}
