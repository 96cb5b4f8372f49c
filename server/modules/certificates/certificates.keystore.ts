/**
 * Private signing keys at rest: AES-256-GCM under a key derived (HKDF-SHA-256) from
 * TONGBAN_KEY_ENCRYPTION_KEY, bound to the key's id as associated data so an encrypted key
 * cannot be swapped onto another key row. Envelope: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * Without a KEK the key is kept as `plain.<base64url>` — see certificates.settings.ts.
 * Nothing here logs, returns or audits a private key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';

const derived = new Map<string, Buffer>();

function kekBytes(secret: string): Buffer {
  let k = derived.get(secret);
  if (!k) {
    k = Buffer.from(hkdfSync('sha256', secret, 'tongban', 'certificate-key-encryption/v1', 32));
    derived.set(secret, k);
  }
  return k;
}

export function sealPrivateKey(privateKey: string, keyId: string, kek: string | undefined): { sealed: string; encrypted: boolean } {
  if (!kek) return { sealed: `plain.${Buffer.from(privateKey).toString('base64url')}`, encrypted: false };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kekBytes(kek), iv);
  cipher.setAAD(Buffer.from(keyId));
  const ct = Buffer.concat([cipher.update(privateKey, 'utf8'), cipher.final()]);
  return { sealed: ['v1', iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.'), encrypted: true };
}

export function openPrivateKey(sealed: string, keyId: string, kek: string | undefined): string {
  const parts = sealed.split('.');
  if (parts[0] === 'plain' && parts.length === 2) return Buffer.from(parts[1]!, 'base64url').toString('utf8');
  if (parts[0] !== 'v1' || parts.length !== 4) throw new AppError('INTERNAL', `签名密钥 ${keyId} 的存储格式无法识别`);
  if (!kek) throw new AppError('SERVICE_UNAVAILABLE', `签名密钥 ${keyId} 已加密存储，但未设置 TONGBAN_KEY_ENCRYPTION_KEY`);
  try {
    const [, iv, tag, ct] = parts.map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', kekBytes(kek), iv!);
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ct!), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('SERVICE_UNAVAILABLE', `签名密钥 ${keyId} 无法解密：TONGBAN_KEY_ENCRYPTION_KEY 与加密时不同，或密钥记录被改动`);
  }
}
