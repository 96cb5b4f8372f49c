/**
 * Cases are the records people depend on. Concurrent submissions and reviews run against a real
 * server, which is killed with SIGKILL part-way and restarted on the same storage. Every
 * acknowledged case is there exactly once, retried submissions get their first answer, the audit
 * chain is intact, and no case is stuck between states. On PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { freshPostgres } from './databases.js';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './process.js';
import { fillForm } from './forms.js';
import { tinyPdf } from './multipart.js';

const servers: ServerProcess[] = [];
let dropDb: (() => Promise<void>) | undefined;
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
  await dropDb?.();
});

async function storage(): Promise<Record<string, string>> {
  const base = process.env.TEST_DATABASE_URL;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongban-fault-'));
  if (!base) return { TONGBAN_DATA_DIR: dataDir };
  const db = await freshPostgres(base, 'tongban_fault');
  dropDb = db.drop;
  return { DATABASE_URL: db.url, TONGBAN_DEMO: '1', TONGBAN_DATA_DIR: dataDir };
}

class Client {
  cookie = '';
  constructor(public base: string) {}
  async login(username: string) {
    const r = await fetch(`${this.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'tongban-demo' }) });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
    this.cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    return this;
  }
  async json(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
    const r = await fetch(`${this.base}${p}`, {
      method,
      headers: { cookie: this.cookie, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json().catch(() => null)) as any };
  }
  async upload() {
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(tinyPdf(randomUUID()))], { type: 'application/pdf' }), 'm.pdf');
    const r = await fetch(`${this.base}/api/v1/uploads`, { method: 'POST', headers: { cookie: this.cookie }, body: fd });
    return (await r.json()).id as string;
  }
}

describe('a server killed part-way through concurrent cases', () => {
  it('loses no acknowledged case, duplicates none, and keeps the audit chain intact', async () => {
    const env = await storage();
    const s1 = await startServer(env);
    servers.push(s1);
    const applicant = await new Client(s1.url).login('business');
    const found = await applicant.json('GET', `/api/v1/items?q=${encodeURIComponent('食品经营许可')}&region=130102`);
    const itemCode = found.body.items[0].itemCode as string;
    const guide = (await applicant.json('GET', `/api/v1/items/${itemCode}/guide?region=130102`)).body;
    const form = fillForm(guide.formSchema);

    const attempts = new Map<string, unknown>(); // key → body
    const acked = new Map<string, string>(); // key → caseNo
    let stop = false;
    const submitter = async () => {
      const c = await new Client(s1.url).login('business');
      while (!stop) {
        try {
          const materials = [];
          for (const m of guide.materials.filter((x: { required: boolean }) => x.required)) materials.push({ materialId: m.id, uploadId: await c.upload() });
          const key = randomUUID();
          const body = { itemCode, regionCode: '130102', form, materials };
          attempts.set(key, body);
          const r = await c.json('POST', '/api/v1/cases', body, { 'idempotency-key': key });
          if (r.status === 201) acked.set(key, r.body.caseNo);
        } catch {
          return; // the server died under us
        }
      }
    };
    const reviewer = async (username: string, work: (c: Client, task: any) => Promise<void>) => {
      const c = await new Client(s1.url).login(username);
      while (!stop) {
        try {
          const tasks = (await c.json('GET', '/api/v1/workbench/tasks?limit=20')).body?.tasks ?? [];
          for (const task of tasks) await work(c, task);
          await new Promise((r) => setTimeout(r, 20));
        } catch {
          return;
        }
      }
    };
    const runs = [
      submitter(),
      submitter(),
      reviewer('window', async (c, t) => {
        if (t.kind === 'intake') await c.json('POST', `/api/v1/cases/${t.caseNo}/actions`, { action: 'accept' });
      }),
      reviewer('reviewer.amr', async (c, t) => {
        if (t.kind !== 'review') return;
        if (!t.claimedByMe) await c.json('POST', `/api/v1/cases/${t.caseNo}/actions`, { action: 'claim', step: t.step });
        await c.json('POST', `/api/v1/cases/${t.caseNo}/actions`, { action: 'approve', step: t.step });
      }),
    ];
    await new Promise((r) => setTimeout(r, 4000));
    expect(acked.size).toBeGreaterThan(0);
    await s1.stop('SIGKILL');
    stop = true;
    await Promise.allSettled(runs);

    const s2 = await startServer(env);
    servers.push(s2);
    const again = await new Client(s2.url).login('business');
    const caseNos = new Set<string>();
    for (const [key, body] of attempts) {
      const r = await again.json('POST', '/api/v1/cases', body, { 'idempotency-key': key });
      expect(r.status).toBe(201);
      if (acked.has(key)) expect(r.body.caseNo).toBe(acked.get(key)); // the first answer, not a new case
      caseNos.add(r.body.caseNo);
    }
    expect(caseNos.size).toBe(attempts.size); // one case per submission, none twice
    const mine = (await again.json('GET', '/api/v1/me/cases?limit=500')).body.cases as { caseNo: string }[];
    expect(mine.filter((c) => caseNos.has(c.caseNo))).toHaveLength(caseNos.size);

    for (const no of caseNos) {
      const c = (await again.json('GET', `/api/v1/cases/${no}`)).body;
      const live = c.steps.filter((s: { status: string }) => ['active', 'claimed'].includes(s.status)).length;
      const waiting = c.steps.filter((s: { status: string }) => s.status === 'waiting').length;
      if (c.status === 'submitted') expect(live).toBe(0);
      if (c.status === 'in_review') expect(live + waiting).toBeGreaterThan(0);
      if (c.status === 'concluded') expect(live + waiting).toBe(0);
      if (c.status === 'in_review') expect(c.deadline).not.toBeNull();
    }
    const admin = await new Client(s2.url).login('admin');
    const audit = (await admin.json('GET', '/api/v1/audit/verify')).body;
    expect(audit).toMatchObject({ ok: true, problems: [] });
    await s2.stop();
  });
});
