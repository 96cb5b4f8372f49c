/**
 * The audit chain under concurrent writers (docs/adr/0003-audit-chain-sealed-in-batches.md):
 * W async writers record N entries, each in its own transaction, as services do; then the
 * sealer links them into the hash chain and verifyChain recomputes it. On PGlite (in memory)
 * and on server PostgreSQL (a throw-away database). A last pass writes again with the sealer
 * running at its production interval, to measure what a running sealer costs the writers. A warm-up of
 * 3,000 entries goes first on each engine and is not counted: PGlite's WASM engine speeds up
 * markedly over its first thousands of transactions as V8 optimises it.
 *
 * Knobs: BENCH_AUDIT_ENTRIES (5000), BENCH_AUDIT_WRITERS (8), BENCH_AUDIT_WARMUP (3000), BENCH_DATABASE_URL
 * (the local server, through its Unix socket when it has one; the benchmark creates and drops its own database).
 */
import { onPglite, onPostgres } from './engines.js';
import type { OpenRuntime } from '../server/runtime.js';
import { inTransaction, makeCtx, type Runtime } from '../server/core/ctx.js';
import { AuditSealer, record, sealPending, verifyChain } from '../server/core/audit.js';
import type { Figures } from './run.js';

export const name = 'audit';
export const description = 'audit chain: concurrent writes, sealing and verification, on PGlite and PostgreSQL';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 5_000);
const WRITERS = Number(process.env.BENCH_AUDIT_WRITERS ?? 8);
/** The production default of TONGBAN_AUDIT_SEAL_MS, for the live pass. */
const LIVE_SEAL_MS = 200;
const WARMUP = Number(process.env.BENCH_AUDIT_WARMUP ?? 3_000);

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);

/**
 * W writers share one counter, so a slow writer never leaves entries unwritten at the end. The
 * first failure stops every writer, and all have stopped before it is rethrown, so nothing is
 * left using the database when the caller closes it.
 */
async function writeEntries(runtime: Runtime, count: number, writers: number, batch: string): Promise<number> {
  let next = 0;
  let failed = false;
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: writers }, async (_, writer) => {
      try {
        for (let i = next++; i < count && !failed; i = next++) {
          const ctx = makeCtx(runtime, { kind: 'console', operator: 'bench' });
          await inTransaction(ctx, (tx) =>
            record(tx, {
              action: 'bench.recorded',
              subject: { batch, entry: i },
              details: { writer, note: '基准测试条目', phone: '13800138000' },
            }),
          );
        }
      } catch (e) {
        failed = true;
        throw e;
      }
    }),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return performance.now() - started;
}

async function measure(runtime: OpenRuntime, engine: string): Promise<Figures> {
  // 0. Warm-up (JIT, connection pool, table pages), sealed and not counted.
  await writeEntries(runtime, WARMUP, WRITERS, 'warmup');
  await sealPending(runtime.db, runtime.now);

  // 1. Writes alone: the runtime's sealer is held off (its interval is set to a day).
  const writeMs = await writeEntries(runtime, ENTRIES, WRITERS, 'isolated');

  // 2. Sealing everything written, in batches, as the sealer does after commit.
  let started = performance.now();
  const sealed = await sealPending(runtime.db, runtime.now);
  const sealMs = performance.now() - started;
  if (sealed < ENTRIES) throw new Error(`${engine}: sealed ${sealed} of ${ENTRIES} entries`);

  // 3. Verifying the whole chain against its checkpoints.
  started = performance.now();
  const verification = await verifyChain(runtime.db);
  const verifyMs = performance.now() - started;
  if (!verification.ok) throw new Error(`${engine}: chain does not verify: ${JSON.stringify(verification.problems.slice(0, 3))}`);

  // 4. Writes again, with a sealer poked after every commit as in production; then the time to drain.
  const live = new AuditSealer(runtime.db, LIVE_SEAL_MS, runtime.now);
  const liveMs = await writeEntries({ ...runtime, sealer: live }, ENTRIES, WRITERS, 'live');
  started = performance.now();
  await live.stop();
  const drainMs = performance.now() - started;
  const after = await verifyChain(runtime.db);
  if (!after.ok || after.unsealed !== 0) throw new Error(`${engine}: after the live pass ok=${after.ok} unsealed=${after.unsealed}`);

  return {
    [`${engine}_write_entries_per_s`]: perSecond(ENTRIES, writeMs),
    [`${engine}_seal_entries_per_s`]: perSecond(sealed, sealMs),
    [`${engine}_verify_entries_per_s`]: perSecond(verification.sealed, verifyMs),
    [`${engine}_write_with_live_sealer_entries_per_s`]: perSecond(ENTRIES, liveMs),
    [`${engine}_live_sealer_drain_ms`]: Math.round(drainMs),
    [`${engine}_chain_length`]: after.sealed,
  };
}

export async function run(): Promise<Figures> {
  return {
    entries: ENTRIES,
    writers: WRITERS,
    ...(await onPglite(measure)),
    ...(await onPostgres(measure)),
  };
}
