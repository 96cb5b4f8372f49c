/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a retried submission with the same
 * key and the same body gets the first answer; the same key with another body is a 409. Two ways
 * to claim the key, both never creating twice:
 * - `idempotent`: the key row is claimed at the start of the creating transaction, so a
 *   concurrent duplicate waits on it and then reads the committed answer;
 * - `idempotentStatement`, for a creation that is ONE statement (a filing): that statement inserts
 *   the key row itself, its answer included (`claimsInsertFrom`), so the key is taken and the answer
 *   kept exactly when the resource is created, without a transaction around them (BEGIN, claim …
 *   store the answer, COMMIT: four round trips fewer).
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
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

function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** The key's row as its first request left it, if the key was used. */
function priorOf(ctx: Ctx, scope: string, key: string) {
  return ctx.db.selectFrom('idempotency_keys').select(['request_hash', 'status_code', 'response', 'resource']).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
}

function conflict(key: string): AppError {
  return new AppError('CONFLICT', '同一 Idempotency-Key 已用于另一份不同的请求；新的提交请换一个新的 Key', { idempotencyKey: key });
}

export async function idempotent<T>(
  ctx: Ctx,
  scope: string,
  key: string | undefined,
  request: unknown,
  create: (tx: Ctx) => Promise<{ status: number; body: T }>,
): Promise<Stored<T>> {
  if (!key) return { ...(await inTransaction(ctx, create)), replayed: false };
  const hash = requestHash(request);
  return inTransaction(ctx, async (tx) => {
    const claimed = await tx.db
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: hash, status_code: 0, response: JSON.stringify(null), created_at: tx.now() })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const prior = (await priorOf(tx, scope, key))!;
      if (prior.request_hash !== hash) throw conflict(key);
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

/** A key to claim in the statement that creates the resource (see idempotentStatement). */
export interface KeyClaim {
  scope: string;
  key: string;
  requestHash: string;
  /** The status the creation answers with, stored with the answer. */
  status: number;
}

/**
 * The INSERT of key rows, for the statement that creates the resources: each claimed, naming its
 * resource, with its answer already stored. `from` (over the statement's own rows) yields, for
 * each key, `k.scope`, `k.key`, `k.request_hash` and `k.status_code` (the claim's, see KeyClaim),
 * and the expressions of `row`: the answer, that the caller's `decode` turns back into it; when
 * it was made; the resource.
 */
export function claimsInsertFrom(
  ctx: Ctx,
  from: RawBuilder<unknown>,
  row: { response: Expression<unknown>; createdAt: Expression<Date>; resource: Expression<string> },
) {
  return ctx.db
    .insertInto('idempotency_keys')
    .columns(['scope', 'key', 'request_hash', 'status_code', 'response', 'created_at', 'resource'])
    .expression(sql`SELECT k.scope, k.key, k.request_hash, k.status_code, ${row.response}, ${row.createdAt}, ${row.resource} FROM ${from}`);
}

/**
 * `create` makes the resource in one statement that includes the key's `claimsInsertFrom` (given a
 * claim; none without a key), so the key is taken and the answer stored exactly when the resource
 * is created. The primary key on (scope, key) makes a second creation with a used key fail as a
 * whole, nothing written; the caller then gets the first answer, made again by `decode` from what
 * was stored (or 409 for another body). A key claimed without an answer — a row of the time when
 * the answer was stored by a statement of its own — is answered by `resume` from the resource, as
 * it is now.
 */
export async function idempotentStatement<T>(
  ctx: Ctx,
  scope: string,
  key: string | undefined,
  request: unknown,
  status: number,
  create: (claim: KeyClaim | undefined) => Promise<T>,
  replay: { decode: (response: unknown) => Promise<T>; resume: (resource: string) => Promise<T> },
): Promise<Stored<T>> {
  // inside a transaction a refused statement would abort it, and the key could not be read after
  if (ctx.inTransaction) throw new Error('idempotentStatement runs outside a transaction (use idempotent inside one)');
  if (!key) return { status, body: await create(undefined), replayed: false };
  const hash = requestHash(request);
  try {
    return { status, body: await create({ scope, key, requestHash: hash, status }), replayed: false };
  } catch (e) {
    // the key's statement refused (the key is used), or a retry that no longer passes the checks
    // of a first send (the guide changed since): a used key answers as it first did either way
    const prior = await priorOf(ctx, scope, key);
    if (!prior) throw e;
    if (prior.request_hash !== hash) throw conflict(key);
    if (prior.status_code > 0) return { status: prior.status_code, body: await replay.decode(prior.response), replayed: true };
    if (prior.resource === null) throw e;
    return { status, body: await replay.resume(prior.resource), replayed: true };
  }
}

/**
 * Deletes the keys made before `before`, with their answers, at most `batch` at a time; how many.
 * A retry after that is a new request (draft-ietf-httpapi-idempotency-key-header: a key expires),
 * and an answer can hold the applicant's personal data, which is not kept longer than needed.
 */
export async function pruneKeys(db: Kysely<DB>, before: Date, batch = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await sql`
      DELETE FROM idempotency_keys k
       USING (SELECT scope, key FROM idempotency_keys WHERE created_at < ${before} ORDER BY created_at LIMIT ${batch}) old
       WHERE k.scope = old.scope AND k.key = old.key
      RETURNING 1`.execute(db);
    const n = r.rows.length;
    total += n;
    if (n < batch) return total;
  }
}
