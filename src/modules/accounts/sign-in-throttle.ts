import { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors';

/**
 * Brute-force protection for sign-in, kept in PostgreSQL so that it holds across processes.
 * Failures are counted per login and per client address within a window; past a first threshold
 * each further attempt must wait (doubling, up to a minute), past a second the key is locked.
 */
const RULES = {
  login: { slowAfter: 5, lockAfter: 10 },
  address: { slowAfter: 20, lockAfter: 50 },
};
const WINDOW_MINUTES = 15;
const LOCK_MINUTES = 15;

export type ThrottleKey = { kind: 'login' | 'address'; value: string };
const keyString = (k: ThrottleKey) => `${k.kind}:${k.value.toLowerCase()}`;

/** Refuses the attempt when any of the keys is waiting or locked, saying until when. */
export async function assertNotThrottled(em: EntityManager, keys: ThrottleKey[]): Promise<void> {
  const rows: { key: string; wait: number }[] = await em.query(
    `SELECT key, ceil(extract(epoch FROM locked_until - now()))::int AS wait
       FROM sign_in_throttle WHERE key = ANY($1) AND locked_until > now()`,
    [keys.map(keyString)],
  );
  if (rows.length === 0) return;
  const wait = Math.max(...rows.map((r) => r.wait));
  const until = new Date(Date.now() + wait * 1000).toISOString();
  const what = rows.some((r) => r.key.startsWith('login:')) ? 'this login' : 'your address';
  throw new AppError(
    'TOO_MANY_REQUESTS',
    'AUTH_THROTTLED',
    `Too many failed sign-ins for ${what}. Try again in ${wait} s (after ${until}).`,
    { retryAfterSeconds: wait },
  );
}

export async function recordFailure(em: EntityManager, keys: ThrottleKey[]): Promise<void> {
  for (const k of keys) {
    const { slowAfter, lockAfter } = RULES[k.kind];
    await em.query(
      `INSERT INTO sign_in_throttle AS t (key, failures, first_failure_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.first_failure_at < now() - make_interval(mins => $2) THEN 1 ELSE t.failures + 1 END,
         first_failure_at = CASE WHEN t.first_failure_at < now() - make_interval(mins => $2) THEN now() ELSE t.first_failure_at END`,
      [keyString(k), WINDOW_MINUTES],
    );
    await em.query(
      `UPDATE sign_in_throttle SET locked_until = CASE
          WHEN failures >= $2 THEN now() + make_interval(mins => $4)
          WHEN failures >= $3 THEN now() + make_interval(secs => least(60, power(2, failures - $3)))
          ELSE NULL END
        WHERE key = $1`,
      [keyString(k), lockAfter, slowAfter, LOCK_MINUTES],
    );
  }
}

/** A successful sign-in clears the login's count (not the address's: one good account must not reset an attacker's). */
export async function clearFailures(em: EntityManager, login: string): Promise<void> {
  await em.query('DELETE FROM sign_in_throttle WHERE key = $1', [keyString({ kind: 'login', value: login })]);
}
