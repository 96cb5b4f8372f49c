/**
 * Test support: a fresh database per test file (in-memory PGlite, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL), the real runtime on it, and an HTTP app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshPostgres } from './databases.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../server/core/config.js';
import { openRuntime, type OpenRuntime } from '../server/runtime.js';
import { buildApp } from '../server/http/app.js';
import { makeCtx, type Ctx } from '../server/core/ctx.js';
import type { Actor } from '../server/core/actor.js';

export const DEMO_PASSWORD = 'tongban-demo';

export interface TestEnv {
  runtime: OpenRuntime;
  close(): Promise<void>;
  ctx(actor: Actor): Ctx;
}

export function engineUnderTest(): 'pglite' | 'postgresql' {
  return process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite';
}

/** Opens a runtime on a fresh, migrated database; `demo` loads the demo province. */
export async function testEnv(opts: { demo?: boolean; now?: () => Date; config?: Partial<Config> } = {}): Promise<TestEnv> {
  // files (uploads) go to a fresh directory too
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongban-test-'));
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: '' }, { auditSealIntervalMs: 10, dataDir, ...opts.config });
  const base = process.env.TEST_DATABASE_URL;
  const pgdb = base ? await freshPostgres(base) : undefined;
  const runtime = await openRuntime({
    config,
    db: pgdb ? { url: pgdb.url, poolSize: 5 } : { dataDir: 'memory://' },
    demo: opts.demo ?? false,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    runtime,
    ctx: (actor) => makeCtx(runtime, actor),
    close: async () => {
      await runtime.close();
      await pgdb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends TestEnv {
  app: FastifyInstance;
  /** Signs in and returns the session cookie header for later requests. */
  login(username: string, password?: string): Promise<string>;
}

export async function testApp(opts: Parameters<typeof testEnv>[0] = {}): Promise<TestApp> {
  const env = await testEnv({ demo: true, ...opts, config: { authRateLimit: 1000, ...opts.config } });
  const app = await buildApp(env.runtime);
  await app.ready();
  return {
    ...env,
    app,
    login: async (username, password = DEMO_PASSWORD) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return cookieOf(res);
    },
    close: async () => {
      await app.close();
      await env.close();
    },
  };
}

export function cookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'tb_session');
  if (!c) throw new Error('no session cookie');
  return `tb_session=${c.value}`;
}
