/**
 * The certificates module's settings, read from the environment in this one place:
 * - TONGBAN_CERT_ALGORITHM = ed25519 (default) | sm2 — the algorithm of new department keys;
 * - TONGBAN_SM2_USER_ID — the SM2 signer ID (default 1234567812345678, GM/T 0009-2012);
 * - TONGBAN_KEY_ENCRYPTION_KEY — the key-encryption key for private signing keys at rest
 *   (≥ 32 characters; any secret string, stretched with HKDF-SHA-256). When it is not set, private
 *   keys are stored unencrypted (marked so in `certificate_keys.encrypted`) outside production, and
 *   a production server refuses to create a key: 等保 2.0 (GB/T 22239-2019) level 3 requires the
 *   confidentiality of key material at rest. Keep the KEK outside the database (an env file, a
 *   secrets manager or an HSM in front of it).
 * - TONGBAN_PUBLIC_URL — the origin printed in QR codes and share links (else the request's).
 * - TONGBAN_VERIFY_RATE_LIMIT — requests per minute per IP to the public verify and share-link
 *   endpoints (default 600): certificate numbers are sequential, so unlimited lookups would let
 *   anyone walk the register (masked, but still who holds what).
 * They are not in core/config.ts because only this module (and sharing, through it) reads them.
 */
import { AppError } from '../../../shared/errors.js';
import { isAlgorithm, SM2_DEFAULT_USER_ID, type Algorithm } from './certificates.signer.js';

export interface CertificateSettings {
  algorithm: Algorithm;
  sm2UserId: string;
  keyEncryptionKey: string | undefined;
  production: boolean;
  publicUrl: string | undefined;
  verifyRateLimit: number;
}

let memo: { key: string; settings: CertificateSettings } | undefined;

/** Read on every use (tests switch the algorithm at run time), parsed only when a value changed. */
export function certificateSettings(env: NodeJS.ProcessEnv = process.env): CertificateSettings {
  const key = [env.TONGBAN_CERT_ALGORITHM, env.TONGBAN_KEY_ENCRYPTION_KEY, env.TONGBAN_SM2_USER_ID, env.NODE_ENV, env.TONGBAN_PUBLIC_URL, env.TONGBAN_VERIFY_RATE_LIMIT].join('\u0000');
  if (memo?.key === key) return memo.settings;
  const settings = parseSettings(env);
  memo = { key, settings };
  return settings;
}

function parseSettings(env: NodeJS.ProcessEnv): CertificateSettings {
  const algorithm = (env.TONGBAN_CERT_ALGORITHM || 'ed25519').toLowerCase();
  if (!isAlgorithm(algorithm)) {
    throw new AppError('INTERNAL', `TONGBAN_CERT_ALGORITHM=${env.TONGBAN_CERT_ALGORITHM} 无效：应为 ed25519 或 sm2`);
  }
  const kek = env.TONGBAN_KEY_ENCRYPTION_KEY || undefined;
  if (kek !== undefined && kek.length < 32) {
    throw new AppError('INTERNAL', 'TONGBAN_KEY_ENCRYPTION_KEY 太短：至少 32 个字符（建议 `openssl rand -base64 32`）');
  }
  return {
    algorithm,
    sm2UserId: env.TONGBAN_SM2_USER_ID || SM2_DEFAULT_USER_ID,
    keyEncryptionKey: kek,
    production: env.NODE_ENV === 'production',
    publicUrl: env.TONGBAN_PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    verifyRateLimit: Number(env.TONGBAN_VERIFY_RATE_LIMIT) > 0 ? Number(env.TONGBAN_VERIFY_RATE_LIMIT) : 600,
  };
}
