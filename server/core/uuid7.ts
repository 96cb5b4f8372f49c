/**
 * UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random bits. Ids made in
 * time order land at the right edge of a B-tree, so a table of cases and every index keyed by
 * a case id (its steps, materials and timeline) is appended to instead of written at random
 * pages: fewer pages touched, fewer full-page images in the WAL after each checkpoint, and the
 * recent cases that are acted on stay in a few hot pages. The random bits keep ids unguessable
 * enough for their use (they are never a secret: access is checked on every read).
 */
import { randomFillSync } from 'node:crypto';

const POOL = 16 * 256;
let pool = Buffer.alloc(0);
let at = POOL;

export function uuid7(now: number = Date.now()): string {
  if (at >= POOL) {
    pool = randomFillSync(Buffer.alloc(POOL));
    at = 0;
  }
  const b = pool.subarray(at, at + 16);
  at += 16;
  // 48-bit big-endian milliseconds
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
