/** argon2id (RFC 9106) with OWASP's parameters: 19 MiB, 2 passes, 1 lane. */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of a random password: verifying against it costs what a real verification costs. */
let dummyHash: Promise<string> | undefined;

/**
 * Verifies `password` against `stored`, or against a dummy hash when there is no account, so an
 * unknown user and a wrong password take the same time (no account enumeration by timing).
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= hashPassword(`no-such-account-${Math.random()}`);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
