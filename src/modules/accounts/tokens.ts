import { createHash, randomBytes } from 'node:crypto';

/** A bearer token: 256 random bits. Only its SHA-256 is stored (a fast hash suffices for a random secret). */
export const newToken = () => randomBytes(32).toString('base64url');

export const tokenHash = (token: string) => createHash('sha256').update(token).digest();
