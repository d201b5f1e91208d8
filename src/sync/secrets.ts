import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Vendor credentials at rest (DESIGN rule 9): AES-256-GCM with a key from the environment
 * (SECRETS_KEY, 32 bytes in base64). Stored as nonce (12 bytes) ‖ tag (16 bytes) ‖ ciphertext.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyBase64: string) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`).');
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(value: Record<string, string>): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): Record<string, string> {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8'));
  }
}

/**
 * The key: SECRETS_KEY when set; with the embedded PostgreSQL, a key generated once and kept beside
 * its data (readable by the owner only), so that a school's single-machine install needs no setup;
 * otherwise none, and storing credentials is refused with a message saying to set SECRETS_KEY.
 */
export async function secretBoxFor(secretsKey: string | undefined, embeddedDataDir: string | null): Promise<SecretBox | null> {
  if (secretsKey) return new SecretBox(secretsKey);
  if (!embeddedDataDir) return null;
  const file = path.join(embeddedDataDir, 'secrets.key');
  const existing = await fs.readFile(file, 'utf8').catch(() => null);
  if (existing) return new SecretBox(existing.trim());
  const key = SecretBox.generateKey();
  await fs.writeFile(file, `${key}\n`, { mode: 0o600 });
  return new SecretBox(key);
}
