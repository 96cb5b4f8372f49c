/**
 * Throw-away PostgreSQL databases for tests and benchmarks: created on the server named by a base
 * URL, dropped afterwards — only once their backends are gone, since pg's Pool.end() resolves
 * before its sockets close and DROP … WITH (FORCE) would otherwise kill a connection a closed pool
 * still listens to.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';

export const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The local server for the benchmarks (BENCH_DATABASE_URL overrides it): through its Unix socket
 * when there is one, as a server on the same machine is reached in production. On this kind of
 * VM a statement over TCP loopback costs the Node process ~30% more CPU than over the socket
 * (docs/benchmarks.md).
 */
export function benchPostgres(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  return existsSync('/var/run/postgresql/.s.PGSQL.5432') ? 'postgres://postgres@localhost/postgres?host=/var/run/postgresql' : DEFAULT_PG;
}

export interface ThrowAwayDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function freshPostgres(base: string = DEFAULT_PG, prefix = 'tongban_t'): Promise<ThrowAwayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin(base, async (c) => {
        for (let i = 0; i < 50; i++) {
          const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (r.rows[0]?.n === 0) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
