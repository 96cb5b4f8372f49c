/**
 * The only file that knows whether Tongban runs on embedded PGlite or on server PostgreSQL.
 * Everything above it sees one Kysely<DB> whose rows read the same on both engines.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { KyselyPGlite } from 'kysely-pglite';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DB } from './schema.js';
import { AppError } from '../../shared/errors.js';

export type Engine = 'pglite' | 'postgresql';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  close(): Promise<void>;
}

export interface DbConfig {
  /** postgres://… for server PostgreSQL. */
  url?: string | undefined;
  /** A directory for PGlite, or 'memory://' for a throw-away database (tests). */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/** int8 and count(*) as a JS number; refuse silently losing precision beyond 2^53. */
function parseSafeInt8(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${v} exceeds 2^53`);
  return n;
}

/** One parser table for both drivers (OIDs from pg_type), so a row reads the same everywhere. */
const PARSERS: Record<number, (v: string) => unknown> = {
  20: parseSafeInt8, // int8
  1700: String, // numeric: exact decimal as a string (fees)
  1082: String, // date: 'YYYY-MM-DD', never shifted by a time zone
};

/**
 * A statement that begins with the comment `/* prepared:NAME *\/` is prepared once per connection
 * and then run by name: PostgreSQL plans an unnamed statement on every execution, and for a
 * large statement on a hot path (the exchange's batch) planning costs more than running it.
 * The text under one name must never change (pg refuses a second text for a name).
 */
export const PREPARED_MARK = /^\/\* prepared:([a-z0-9_]+) \*\//;

class PreparingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [text, values, ...rest] = args;
    const name = typeof text === 'string' ? PREPARED_MARK.exec(text)?.[1] : undefined;
    const forward = name ? [{ name, text, values }, ...rest] : args;
    return (pg.Client.prototype.query as (...a: unknown[]) => never).apply(this, forward);
  }
}

export async function createDb(config: DbConfig): Promise<Database> {
  if (config.url) {
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        PARSERS[oid] ?? (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format),
    };
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10, types: types as pg.CustomTypesConfig, Client: PreparingClient });
    // an idle connection dropped by the server (restart, failover) is replaced on next use; without
    // a listener pg would crash the process (node-postgres docs: "Pool error event")
    pool.on('error', (e) => console.error(`PostgreSQL idle connection lost: ${e.message}`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgresql', close: () => db.destroy() };
  }

  const dataDir = config.dataDir ?? 'memory://';
  const release = dataDir.startsWith('memory://') ? () => {} : lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(dataDir.startsWith('memory://') ? undefined : dataDir, { parsers: PARSERS });
    const db = new Kysely<DB>({ dialect: new KyselyPGlite(pglite).dialect });
    return {
      db,
      engine: 'pglite',
      close: async () => {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * PGlite is single-process: two processes writing one data directory corrupt it. A lock file
 * holding the owner's pid makes the second process stop with a clear error instead; a lock left
 * by a process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'tongban.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          `数据目录 ${dataDir} 正由进程 ${owner} 使用：嵌入式数据库（PGlite）只允许一个进程打开。请先停止该进程，或用 TONGBAN_DATA_DIR 指定另一个目录，或用 DATABASE_URL 连接 PostgreSQL。`,
          { dataDir, ownerPid: owner },
        );
      }
      rmSync(lockPath, { force: true }); // stale lock of a dead process
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
