/**
 * The audit chain (审计日志). Every state change writes one entry inside its own transaction
 * (`record`), without taking any shared lock, so concurrent writers never queue behind each
 * other. Shortly after commit the sealer links the new entries, in the order it finds them
 * committed, into a SHA-256 hash chain and writes a checkpoint of the head — the batching that
 * X-Road uses for its time-stamps. `verify` recomputes everything and names each bad entry by seq.
 * See docs/adr/0003-audit-chain-sealed-in-batches.md.
 */
import { createHash } from 'node:crypto';
import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import type { AuditLogTable, DB } from '../db/schema.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { actorRef } from './actor.js';
import type { Ctx } from './ctx.js';
import { redact } from './redact.js';

export interface AuditInput {
  /** `module.verb`, past tense: `account.registered`, `case.accepted`. */
  action: string;
  /** What the action was done to, by identifiers: `{ account: id }`, `{ case: caseNo }`. */
  subject: Record<string, string | number>;
  details?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);
const SEAL_LOCK = 7_270_001; // pg advisory lock id owned by the sealer
const SEAL_BATCH = 5_000;

/** Writes one audit entry in the caller's transaction. Personal data in `details` is masked. */
export async function record(ctx: Ctx, input: AuditInput): Promise<void> {
  if (!ctx.inTransaction) throw new Error('audit.record must run inside inTransaction (the entry commits with its change)');
  await ctx.db.insertInto('audit_log').values(entryValues(ctx, input)).execute();
}

/**
 * The row `record` writes, for a caller that writes its entries together with its change in one
 * statement (core/write-batch.ts). Several entries of one change go in one INSERT, in order, so
 * their `seq` follow the order they happened in.
 */
export function entryValues(ctx: Ctx, input: AuditInput): Insertable<AuditLogTable> {
  return {
    at: ctx.now(),
    actor: JSON.stringify({ ...actorRef(ctx.actor), request: ctx.requestId }),
    action: input.action,
    subject: JSON.stringify(input.subject),
    details: JSON.stringify(redact(input.details ?? {})),
  };
}

/**
 * The INSERT of `entries`, unexecuted: to run in the same statement as the change (core/write-batch.ts),
 * or at least in its transaction, so the entries commit with it.
 */
export function entriesInsert(ctx: Ctx, entries: readonly AuditInput[]) {
  return ctx.db.insertInto('audit_log').values(entries.map((e) => entryValues(ctx, e)));
}

/**
 * The INSERT of the entries that are the rows of a relation `r(n, at, actor, action, subject,
 * details)` (entryValues' columns as text), in `n`'s order, so their seq follows it: for a
 * statement that writes the entries of several changes at once (the case engine's batched writer).
 */
export function entriesInsertFrom(ctx: Ctx, rows: RawBuilder<unknown>) {
  return ctx.db
    .insertInto('audit_log')
    .columns(['at', 'actor', 'action', 'subject', 'details'])
    .expression(sql`SELECT r.at::timestamptz, r.actor::jsonb, r.action, r.subject::jsonb, r.details::jsonb FROM ${rows} ORDER BY r.n`);
}

interface EntryFields {
  seq: number;
  chain_index: number;
  at: Date;
  actor: unknown;
  action: string;
  subject: unknown;
  details: unknown;
  prev_hash: string;
}

/** The hash of one entry: SHA-256 over the canonical encoding of every field and the previous hash. */
export function entryHash(e: EntryFields): string {
  const canonical = canonicalJson({
    seq: e.seq,
    chainIndex: e.chain_index,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    details: e.details,
    prevHash: e.prev_hash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Links every committed, unsealed entry into the chain. Returns how many were sealed. */
export async function sealPending(db: Kysely<DB>, now: () => Date = () => new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${SEAL_LOCK})`.execute(trx);
      const rows = await trx
        .selectFrom('audit_log')
        .select(['seq', 'at', 'actor', 'action', 'subject', 'details'])
        .where('chain_index', 'is', null)
        .orderBy('seq')
        .limit(SEAL_BATCH)
        .execute();
      if (rows.length === 0) return 0;
      const head = await trx
        .selectFrom('audit_log')
        .select(['chain_index', 'hash'])
        .where('chain_index', 'is not', null)
        .orderBy('chain_index', 'desc')
        .limit(1)
        .executeTakeFirst();
      let index = head?.chain_index ?? 0;
      let prev = head?.hash ?? GENESIS_HASH;
      const seqs: number[] = [];
      const indexes: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        index += 1;
        const hash = entryHash({ ...r, at: r.at, chain_index: index, prev_hash: prev });
        seqs.push(r.seq);
        indexes.push(index);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      const sealedAt = now();
      await sql`
        UPDATE audit_log AS a
           SET chain_index = v.ci, prev_hash = v.ph, hash = v.h, sealed_at = ${sealedAt}
          FROM (SELECT unnest(${seqs}::bigint[]) AS seq, unnest(${indexes}::bigint[]) AS ci,
                       unnest(${prevs}::text[]) AS ph, unnest(${hashes}::text[]) AS h) AS v
         WHERE a.seq = v.seq
           -- the batch's range: lets the plan read just these rows by the primary key. Without it
           -- PostgreSQL joined a sequential scan of the whole log (it estimates the batch's
           -- thousands of probes dearer than reading a log of some 100,000 rows), so every seal
           -- cost more as the log grew: the case benchmark lost a third of its rate over 20,000 lifecycles
           AND a.seq BETWEEN ${seqs[0]!} AND ${seqs[seqs.length - 1]!}`.execute(trx);
      await trx.insertInto('audit_checkpoints').values({ chain_index: index, hash: prev, sealed_at: sealedAt }).execute();
      return rows.length;
    });
    total += n;
    if (n < SEAL_BATCH) return total;
  }
}

export interface AuditProblem {
  seq: number | null;
  chainIndex: number;
  problem: 'altered' | 'missing' | 'relinked' | 'checkpoint_mismatch';
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  sealed: number;
  unsealed: number;
  headIndex: number;
  headHash: string;
  problems: AuditProblem[];
}

/** Recomputes the whole chain and compares it with the checkpoints. */
export async function verifyChain(db: Kysely<DB>, pageSize = 10_000): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let expectedIndex = 1;
  let prev = GENESIS_HASH;
  let lastSeq: number | null = null;
  let sealed = 0;
  const hashAt = new Map<number, string>();
  const checkpoints = await db.selectFrom('audit_checkpoints').select(['chain_index', 'hash']).orderBy('chain_index').execute();
  const wanted = new Set(checkpoints.map((c) => c.chain_index));
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['seq', 'chain_index', 'at', 'actor', 'action', 'subject', 'details', 'prev_hash', 'hash'])
      .where('chain_index', '>', after)
      .orderBy('chain_index')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      const ci = r.chain_index!;
      if (ci !== expectedIndex) {
        problems.push({
          seq: r.seq,
          chainIndex: expectedIndex,
          problem: 'missing',
          message: `链序号 ${expectedIndex}–${ci - 1} 的记录缺失（在 seq ${lastSeq ?? '-'} 与 seq ${r.seq} 之间被删除）`,
        });
      }
      if (r.prev_hash !== prev) {
        problems.push({ seq: r.seq, chainIndex: ci, problem: 'relinked', message: `seq ${r.seq} 的前序哈希与链不符（记录被删除、插入或重排）` });
      }
      const recomputed = entryHash({ ...r, chain_index: ci, prev_hash: r.prev_hash ?? '' });
      if (recomputed !== r.hash) {
        problems.push({ seq: r.seq, chainIndex: ci, problem: 'altered', message: `seq ${r.seq} 的内容与其哈希不符（记录被篡改）` });
      }
      if (wanted.has(ci)) hashAt.set(ci, r.hash ?? '');
      prev = r.hash ?? '';
      lastSeq = r.seq;
      expectedIndex = ci + 1;
      sealed += 1;
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.chain_index!;
  }
  for (const c of checkpoints) {
    const h = hashAt.get(c.chain_index);
    if (h === undefined) {
      problems.push({ seq: null, chainIndex: c.chain_index, problem: 'missing', message: `检查点 ${c.chain_index} 对应的记录缺失（链尾被删除）` });
    } else if (h !== c.hash) {
      problems.push({ seq: null, chainIndex: c.chain_index, problem: 'checkpoint_mismatch', message: `链序号 ${c.chain_index} 的哈希与检查点不符` });
    }
  }
  const unsealed = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chain_index', 'is', null)
    .executeTakeFirstOrThrow();
  return { ok: problems.length === 0, sealed, unsealed: unsealed.n, headIndex: expectedIndex - 1, headHash: prev, problems };
}

/**
 * Seals in batches shortly after commit: `poke()` after a transaction schedules one seal run
 * `delayMs` later, so a burst of commits is sealed together; a slow timer catches entries
 * written by other processes (the CLI).
 */
export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private backstop: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly delayMs: number,
    private readonly now: () => Date = () => new Date(),
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  start(backstopMs = 5_000): void {
    this.backstop = setInterval(() => this.poke(), backstopMs);
    this.backstop.unref();
  }

  poke(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(this.onError);
    }, this.delayMs);
    this.timer.unref();
  }

  /** Seals everything committed so far; calls are serialised. */
  flush(): Promise<number> {
    const run = this.running.then(() => sealPending(this.db, this.now));
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Stops the timers and seals what is left (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.backstop) clearInterval(this.backstop);
    this.timer = undefined;
    await this.flush().catch(this.onError);
  }
}
