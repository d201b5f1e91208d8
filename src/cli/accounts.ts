import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { createLogger } from '../common/logger';
import { openDatabase } from '../db/database';
import { hashPassword, oneTimePassword } from '../modules/accounts/passwords';

const USAGE = `Usage:
  npm run accounts -- create-directorate --login LOGIN --name "Full Name" [--position TEXT]
  npm run accounts -- reset-password --login LOGIN

Accounts of the directorate are made here (schools issue their own through the API). Both commands
print a one-time password: the first sign-in must change it.`;

/** Bootstraps directorate accounts and resets a password from the server's console. */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { login: { type: 'string' }, name: { type: 'string' }, position: { type: 'string' }, help: { type: 'boolean' } },
  });
  const [command] = positionals;
  if (values.help || !command) return void console.log(USAGE);
  if (!values.login) throw new Error('--login is required');
  const login = values.login.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(login)) throw new Error('--login: 3–64 characters: latin letters, digits, ".", "_" or "-"');

  const config = loadConfig();
  const db = await openDatabase(config, createLogger('warn'));
  try {
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    if (command === 'create-directorate') {
      if (!values.name?.trim()) throw new Error('--name is required');
      await db.dataSource.transaction(async (em) => {
        const id = randomUUID();
        await em.query(`INSERT INTO account (id, login, display_name, password_hash) VALUES ($1, $2, $3, $4)`, [id, login, values.name!.trim(), hash]);
        await em.query(`INSERT INTO directorate_member (account_id, position) VALUES ($1, $2)`, [id, values.position ?? null]);
        await em.query(`INSERT INTO account_event (actor_account_id, action, subject_type, subject_id) VALUES (NULL, 'credentials.issued', 'account', $1)`, [id]);
      });
    } else if (command === 'reset-password') {
      await db.dataSource.transaction(async (em) => {
        const [, changed] = await em.query(`UPDATE account SET password_hash = $2, must_change_password = true WHERE login = $1 RETURNING id`, [login, hash]);
        if (changed === 0) throw new Error(`no account with the login ${login}`);
        await em.query(`UPDATE session SET ended_at = now(), ended_reason = 'revoked' WHERE account_id = (SELECT id FROM account WHERE login = $1) AND ended_at IS NULL`, [login]);
        await em.query(`INSERT INTO account_event (action, subject_type, subject_id) SELECT 'credentials.reissued', 'account', id FROM account WHERE login = $1`, [login]);
      });
    } else {
      throw new Error(`unknown command "${command}"\n${USAGE}`);
    }
    console.log(`login: ${login}\none-time password: ${password}\n(the first sign-in must set a new password)`);
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  const taken = (error as { driverError?: { constraint?: string } }).driverError?.constraint === 'account_login_uq';
  console.error(taken ? 'That login is taken: choose another.' : error instanceof Error ? error.message : error);
  process.exit(1);
});
