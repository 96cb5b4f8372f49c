/**
 * The server as a process: start-up on a fresh data dir, health, OpenAPI, docs, a setting that
 * cannot work, material files in S3, the single-process guard of PGlite, graceful shutdown, the
 * CLI's audit verification and first administrator.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { sql } from 'kysely';
import { createDb } from '../server/db/create-db.js';
import { startServer, tongban, type ServerProcess } from './process.js';
import { multipartFile, tinyPdf } from './multipart.js';
import { startS3 } from './s3.js';
import { freshPostgres } from './databases.js';
import { engineUnderTest } from './support.js';

const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
});

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'tongban-'));
const json = { 'content-type': 'application/json' };

describe('the server process on embedded PGlite', () => {
  const dataDir = tmp();
  let s: ServerProcess;

  it('starts on a fresh data dir, migrates, loads the demo province and reports healthy', async () => {
    s = await startServer({ TONGBAN_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    servers.push(s);
    const health = await (await fetch(`${s.url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', database: 'pglite', version: expect.any(String) });
    const login = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'citizen', password: 'tongban-demo' }) });
    expect(login.status).toBe(200);
    expect(login.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('publishes a valid OpenAPI 3 document with every /api/v1 route, and the docs UI', async () => {
    const doc = await (await fetch(`${s.url}/openapi.json`)).json();
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
    for (const p of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/me', '/api/v1/regions', '/api/v1/regions/{code}', '/api/v1/departments', '/api/v1/audit/verify']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const docs = await fetch(`${s.url}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('answers unknown API paths with the one error shape', async () => {
    const res = await fetch(`${s.url}/api/v1/no-such-thing?subject=130102199003071233`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String), requestId: expect.any(String) } });
    expect(s.output()).toContain('no-such-thing?subject=1301');
    expect(s.output()).not.toContain('130102199003071233'); // ID numbers in query strings are masked in the log
  });

  it('refuses to start on a setting that cannot work, saying which', async () => {
    await expect(startServer({ TONGBAN_DATA_DIR: tmp(), TONGBAN_S3_URL: 'https://oss.example.gov.cn/materials' }, 30_000)).rejects.toThrow(
      /通办启动失败：TONGBAN_S3_URL 无效：缺少访问密钥或秘密密钥/,
    );
  });

  it('keeps material files in the S3-compatible store TONGBAN_S3_URL names, and says so at start', async () => {
    const s3 = await startS3();
    try {
      const started = await startServer({ TONGBAN_DATA_DIR: tmp(), TONGBAN_S3_URL: s3.url('tongban-start', 'shijiazhuang'), LOG_LEVEL: 'info' });
      servers.push(started);
      await vi.waitFor(() => expect(started.output()).toMatch(/材料文件存放于 http:\/\/127\.0\.0\.1:\d+\/tongban-start\/shijiazhuang\//), { timeout: 15_000 });
      const login = await fetch(`${started.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'business', password: 'tongban-demo' }) });
      const m = multipartFile('licence.pdf', tinyPdf());
      const res = await fetch(`${started.url}/api/v1/uploads`, { method: 'POST', headers: { ...m.headers, cookie: login.headers.get('set-cookie')!.split(';')[0]! }, body: m.payload });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      expect((await s3.client.statObject('tongban-start', `shijiazhuang/${id.slice(0, 2)}/${id}`)).metaData['content-type']).toBe('application/pdf');
      await started.stop('SIGTERM');
    } finally {
      await s3.close();
    }
  });

  it('refuses a second process on the same data dir with a clear error', async () => {
    await expect(startServer({ TONGBAN_DATA_DIR: dataDir }, 30_000)).rejects.toThrow(/正由进程 \d+ 使用/);
  });

  it('finishes requests in flight on SIGTERM, then exits 0 and releases the data dir', async () => {
    const bodies = Array.from({ length: 4 }, (_, i) => ({
      kind: 'business', username: `inflight${i}`, password: 'correct horse battery', name: `在途公司${i}`,
      creditCode: ['91130102MA0DXQ7K30', '92130102MA0E1B2C48', '91130102MA0ABCDE1', '91130102MA0ABCDE2'][i],
      legalRepresentative: { name: '李四', idNumber: '130102198506123459' },
    }));
    // all four reach the server before the signal (its log says so); valid or not, each gets its full answer
    const before = (s.output().match(/auth\/register[^\n]*incoming request/g) ?? []).length;
    const inFlight = bodies.map((b) => fetch(`${s.url}/api/v1/auth/register`, { method: 'POST', headers: json, body: JSON.stringify(b) }).then((r) => r.status));
    for (let i = 0; i < 200 && (s.output().match(/auth\/register[^\n]*incoming request/g) ?? []).length < before + 4; i++) await new Promise((r) => setTimeout(r, 10));
    const code = await s.stop('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(statuses.every((x) => [201, 400, 409].includes(x))).toBe(true);
    expect(code).toBe(0);
    const again = await startServer({ TONGBAN_DATA_DIR: dataDir });
    servers.push(again);
    await again.stop();
  });

  it('verifies the audit chain from the CLI, and exits non-zero naming the seq of an edited row', async () => {
    const ok = tongban(['audit', 'verify'], { TONGBAN_DATA_DIR: dataDir });
    expect(ok.out).toContain('intact');
    expect(ok.code).toBe(0);
    const d = await createDb({ dataDir });
    const row = await sql<{ seq: number }>`SELECT seq FROM audit_log WHERE action = 'session.created' ORDER BY seq LIMIT 1`.execute(d.db);
    const seq = row.rows[0]!.seq;
    await sql`UPDATE audit_log SET action = 'session.ended' WHERE seq = ${seq}`.execute(d.db);
    await d.close();
    const bad = tongban(['audit', 'verify'], { TONGBAN_DATA_DIR: dataDir });
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain(`seq ${seq}`);
  });
});

describe('outside demo mode', () => {
  it('has no demo accounts, and `tongban admin create` makes the first administrator', async () => {
    const dataDir = tmp();
    const made = tongban(['admin', 'create', '--username', 'root', '--name', '系统管理员'], { TONGBAN_DATA_DIR: dataDir, TONGBAN_DEMO: '0', TONGBAN_ADMIN_PASSWORD: 'a-long-admin-password' });
    expect(made.code).toBe(0);
    expect(made.out).toContain('第一位管理员');
    const s = await startServer({ TONGBAN_DATA_DIR: dataDir, TONGBAN_DEMO: '0' });
    servers.push(s);
    const demo = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'admin', password: 'tongban-demo' }) });
    expect(demo.status).toBe(401);
    const root = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'root', password: 'a-long-admin-password' }) });
    expect(root.status).toBe(200);
    const cookie = root.headers.get('set-cookie')!.split(';')[0]!;
    const verify = await fetch(`${s.url}/api/v1/audit/verify`, { headers: { cookie } });
    expect(verify.status).toBe(200);
    expect((await verify.json()).ok).toBe(true);
    await s.stop();
  });
});

// once, in the PostgreSQL tier: a cluster needs server PostgreSQL (PGlite is one process by nature)
describe.runIf(engineUnderTest() === 'postgresql')('a cluster of worker processes on PostgreSQL (TONGBAN_WORKERS)', () => {
  const children = (pid: number) => {
    // the workers run the server script too (tsx's esbuild service is a child of its own)
    const r = spawnSync('pgrep', ['-P', String(pid), '-f', 'server/http/server.ts'], { encoding: 'utf8' });
    return r.stdout.split('\n').filter(Boolean).map(Number);
  };

  it('prepares the database once, serves from every worker, replaces a dead one, and stops gracefully', async () => {
    const pgdb = await freshPostgres(process.env.TEST_DATABASE_URL);
    try {
      const s = await startServer({ DATABASE_URL: pgdb.url, TONGBAN_DEMO: '1', TONGBAN_WORKERS: '2', LOG_LEVEL: 'info' });
      servers.push(s);
      expect(await (await fetch(`${s.url}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'postgresql' });
      const workers = children(s.child.pid!);
      expect(workers).toHaveLength(2);
      for (let i = 0; i < 100 && !s.output().includes('with 2 worker processes'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(s.output()).toContain('with 2 worker processes');
      // a session made by one worker is good on every worker: each request on a new connection
      const login = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'citizen', password: 'tongban-demo' }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      for (let i = 0; i < 6; i++) {
        const me = await fetch(`${s.url}/api/v1/me`, { headers: { cookie, connection: 'close' } });
        expect(me.status).toBe(200);
      }
      // the database was prepared once, by the primary: one demo seed, one region load
      const db = await createDb({ url: pgdb.url });
      try {
        const loads = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'regions.loaded'`.execute(db.db);
        expect(loads.rows[0]!.n).toBe(1);
      } finally {
        await db.close();
      }
      // a worker killed outright is replaced
      process.kill(workers[0]!, 'SIGKILL');
      for (let i = 0; i < 100 && !s.output().includes(`(pid ${workers[0]}) exited (SIGKILL); starting another`); i++) await new Promise((r) => setTimeout(r, 100));
      expect(s.output()).toContain(`(pid ${workers[0]}) exited (SIGKILL); starting another`);
      const replaced = () => children(s.child.pid!).length === 2 && !children(s.child.pid!).includes(workers[0]!);
      for (let i = 0; i < 100 && !replaced(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(replaced()).toBe(true);
      for (let i = 0; i < 6; i++) {
        const h = await fetch(`${s.url}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(10_000) });
        expect(h.status).toBe(200);
      }
      const primaryPid = s.child.pid!;
      expect(await s.stop('SIGTERM')).toBe(0);
      expect(children(primaryPid)).toHaveLength(0);
    } finally {
      await pgdb.drop();
    }
  }, 180_000);
});
