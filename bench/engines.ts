/**
 * Runs a measurement on each engine with the real runtime: PGlite in memory, and PostgreSQL in a
 * throw-away database (BENCH_DATABASE_URL, default the local server), dropped afterwards. The
 * sealer is held off (a day) so a benchmark decides when to seal.
 */
import { loadConfig } from '../server/core/config.js';
import { openRuntime, type OpenRuntime } from '../server/runtime.js';
import { benchPostgres, freshPostgres, type ThrowAwayDatabase } from '../test/databases.js';
import type { Figures } from './run.js';

export const PG_BASE = benchPostgres();

function benchConfig() {
  return loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: '', TONGBAN_AUDIT_SEAL_MS: String(24 * 3600 * 1000) });
}

type Measure = (runtime: OpenRuntime, engine: 'pglite' | 'postgresql') => Promise<Figures>;

export async function onPglite(measure: Measure): Promise<Figures> {
  const runtime = await openRuntime({ config: benchConfig(), db: { dataDir: 'memory://' }, demo: false });
  try {
    return await measure(runtime, 'pglite');
  } finally {
    await runtime.close();
  }
}

export async function onPostgres(measure: Measure): Promise<Figures> {
  let db: ThrowAwayDatabase;
  try {
    db = await freshPostgres(PG_BASE, 'tongban_bench');
  } catch (e) {
    return { postgresql: `skipped: cannot create a database on ${PG_BASE} (${(e as Error).message})` };
  }
  try {
    const runtime = await openRuntime({ config: benchConfig(), db: { url: db.url }, demo: false });
    try {
      return await measure(runtime, 'postgresql');
    } finally {
      await runtime.close();
    }
  } finally {
    await db.drop();
  }
}
