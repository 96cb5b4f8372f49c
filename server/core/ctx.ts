import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Engine } from '../db/create-db.js';
import type { Config } from './config.js';
import type { Actor } from './actor.js';
import type { AuditSealer } from './audit.js';

/** What lives as long as the process: one per server. */
export interface Runtime {
  db: Kysely<DB>;
  engine: Engine;
  config: Config;
  sealer: AuditSealer;
  /** The clock; tests inject a fixed or moving one. */
  now: () => Date;
}

/** What a service call receives: who acts, on which connection (a transaction inside inTransaction), when. */
export interface Ctx {
  runtime: Runtime;
  db: Kysely<DB>;
  actor: Actor;
  requestId: string;
  now: () => Date;
  /** True inside inTransaction: nested calls join the outer transaction. */
  inTransaction: boolean;
  /** Inside inTransaction: what to do once it has committed (never after a rollback). */
  afterCommit?: (() => void)[];
}

export function makeCtx(runtime: Runtime, actor: Actor, requestId: string = randomUUID()): Ctx {
  return { runtime, db: runtime.db, actor, requestId, now: runtime.now, inTransaction: false };
}

/** Same runtime and request, another actor (a flow acting on behalf of the system). */
export function withActor(ctx: Ctx, actor: Actor): Ctx {
  return { ...ctx, actor };
}

/**
 * Runs `fn` in one transaction: everything it writes, its audit entries included, commits or
 * rolls back together. Nested calls join the outer transaction. After commit the audit sealer
 * is nudged so the new entries join the hash chain shortly, and what the transaction left in
 * `afterCommit` runs.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  const afterCommit: (() => void)[] = [];
  const result = await ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx, inTransaction: true, afterCommit }));
  ctx.runtime.sealer.poke();
  for (const f of afterCommit) f();
  return result;
}
