import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';

/** Argon2id at OWASP's current minimum (19 MiB, 2 passes, 1 lane). */
const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2ID);

export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false);

/** Verifying against this costs what a real verify costs, so an unknown login takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;
export const verifyDecoy = async (password: string) => {
  decoyHash ??= hashPassword('decoy password that no account has');
  await verifyPassword(await decoyHash, password);
  return false;
};

const COMMON = new Set([
  'password', 'password1', 'password123', 'qwerty123', 'qwertyuiop', '1234567890', '123456789', '12345678', 'iloveyou',
  'йцукенгшщз', 'пароль123', 'qwerty12345', '1q2w3e4r5t', '1q2w3e4r', 'zaq12wsx', 'admin12345', 'welcome123',
]);

/**
 * The password policy (NIST SP 800-63B in spirit): long enough, not a well-known password, not the
 * login, and either a long passphrase or a mix of kinds of characters. Returns what is wrong, or null.
 */
export function passwordProblem(password: string, login: string): string | null {
  if (password.length < 10) return 'must be at least 10 characters long';
  if (password.length > 128) return 'must be at most 128 characters long';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is one of the most common passwords';
  if (lower.includes(login.toLowerCase())) return 'must not contain the login';
  if (/^(.)\1+$/.test(password)) return 'must not repeat one character';
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter((re) => re.test(password)).length;
  if (password.length < 16 && kinds < 3) {
    return 'must mix at least three of: lower-case letters, capital letters, digits, other characters (or be 16 characters or longer)';
  }
  return null;
}

/** Letters and digits that cannot be mistaken for each other when read from a printed slip. */
const SLIP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time password for issued credentials: 12 characters, about 69 bits. */
export function oneTimePassword(): string {
  return Array.from({ length: 12 }, () => SLIP_ALPHABET[randomInt(SLIP_ALPHABET.length)]).join('');
}
