/**
 * Opens everything a Tongban process runs on: the database (PGlite or PostgreSQL), migrations,
 * the GB/T 2260 region tree, the demo province when demo mode is on, and the audit sealer.
 * Used by the server, the CLI, tests and benchmarks alike.
 */
import { createDb, type DbConfig } from './db/create-db.js';
import { migrateToLatest } from './db/migrate.js';
import { loadConfig, type Config } from './core/config.js';
import { AuditSealer } from './core/audit.js';
import { makeCtx, type Runtime } from './core/ctx.js';
import { loadRegionTree } from './modules/regions/index.js';
import { seedDemo } from './db/seed/demo.js';
import { registerFlows } from './flows/index.js';

export interface OpenOptions {
  config?: Config;
  /** Overrides config.databaseUrl/dataDir (tests: 'memory://'). */
  db?: DbConfig;
  now?: () => Date;
  /** Run the demo seed (defaults to config.demo). */
  demo?: boolean;
  /** Start the sealer's background timers (servers: yes; CLI: no). */
  background?: boolean;
  /**
   * Migrate, load the region tree and seed the demo (default). A cluster's workers skip it: the
   * primary prepared the database before forking them.
   */
  prepare?: boolean;
}

export interface OpenRuntime extends Runtime {
  close(): Promise<void>;
}

export async function openRuntime(opts: OpenOptions = {}): Promise<OpenRuntime> {
  registerFlows();
  const config = opts.config ?? loadConfig();
  const database = await createDb(opts.db ?? { url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const prepare = opts.prepare ?? true;
    if (prepare) await migrateToLatest(database.db);
    const now = opts.now ?? (() => new Date());
    const sealer = new AuditSealer(database.db, config.auditSealIntervalMs, now);
    const runtime: Runtime = { db: database.db, engine: database.engine, config, sealer, now };
    const ctx = makeCtx(runtime, { kind: 'console', operator: 'startup' });
    if (prepare) {
      await loadRegionTree(ctx);
      if (opts.demo ?? config.demo) await seedDemo(ctx);
    }
    await sealer.flush();
    if (opts.background ?? false) sealer.start();
    return {
      ...runtime,
      close: async () => {
        await sealer.stop();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
