import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: session ids and API tokens (OWASP: ≥128 bits of entropy). */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Only hashes are stored: a leaked table does not leak live sessions or tokens. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const SESSION_COOKIE = 'tb_session';
export const API_TOKEN_PREFIX = 'tbk_';
