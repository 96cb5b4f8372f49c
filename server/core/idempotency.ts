/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a retried submission with the same
 * key and the same body gets the first answer; the same key with another body is a 409. The key
 * row is claimed at the start of the creating transaction, so a concurrent duplicate waits on it
 * and then reads the committed answer — never a second case.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { inTransaction, type Ctx } from './ctx.js';

export interface Stored<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export function checkKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{8,128}$/.test(key)) {
    throw AppError.validation([{ path: 'headers.idempotency-key', message: 'Idempotency-Key 应为 8–128 个可见 ASCII 字符（建议 UUID）' }]);
  }
  return key;
}

export async function idempotent<T>(
  ctx: Ctx,
  scope: string,
  key: string | undefined,
  request: unknown,
  create: (tx: Ctx) => Promise<{ status: number; body: T }>,
): Promise<Stored<T>> {
  if (!key) return { ...(await inTransaction(ctx, create)), replayed: false };
  const hash = createHash('sha256').update(canonicalJson(request)).digest('hex');
  return inTransaction(ctx, async (tx) => {
    const claimed = await tx.db
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: hash, status_code: 0, response: JSON.stringify(null), created_at: tx.now() })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const prior = await tx.db
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'status_code', 'response'])
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (prior.request_hash !== hash) {
        throw new AppError('CONFLICT', '同一 Idempotency-Key 已用于另一份不同的请求；新的提交请换一个新的 Key', { idempotencyKey: key });
      }
      return { status: prior.status_code, body: prior.response as T, replayed: true };
    }
    const result = await create(tx);
    await tx.db
      .updateTable('idempotency_keys')
      .set({ status_code: result.status, response: JSON.stringify(result.body) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    return { ...result, replayed: false };
  });
}
