/**
 * `npm run bench -- cases`: the case engine, in three parts.
 * 1. In-process lifecycles (submit → accept → two parallel review steps → decision), every step a
 *    committed transaction, on PGlite and PostgreSQL; beside it the same process in bpmn-engine
 *    (in memory, nothing durable).
 * 2. Over HTTP on PostgreSQL with concurrent clients: lifecycles per second and p95 per request.
 * 3. Scale: 100,000 cases waiting at review and the server's memory; a deadline sweep (the
 *    efficiency watch's lights) over 1,000,000 open cases; working-day deadlines per second.
 * Sizes can be lowered for a quick look: BENCH_LIFECYCLES, BENCH_HTTP_LIFECYCLES, BENCH_OPEN_CASES.
 * BENCH_CASES_WORKERS (2): the HTTP part again against `npm start`'s server as a cluster of that
 * many processes (TONGBAN_WORKERS) on the same database.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { benchPostgres, freshPostgres } from '../test/databases.js';
import { startServer } from '../test/process.js';
import { sql } from 'kysely';
import { loadConfig } from '../server/core/config.js';
import { makeCtx, type Ctx } from '../server/core/ctx.js';
import { NATIONAL_CALENDAR, dayNumber } from '../server/core/workdays.js';
import { openRuntime, type OpenRuntime } from '../server/runtime.js';
import { buildApp } from '../server/http/app.js';
import { PARALLEL_REVIEW, publishTestImplementation, publishTestItem } from '../test/items.js';
import { act, fileCase } from '../server/modules/cases/index.js';
import { Case as CaseSchema, CaseActionRequest, FileCase, type Case } from '../shared/contracts/cases.js';
import { AppError } from '../shared/errors.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../server/core/actor.js';

export const name = 'cases';
export const description = 'case lifecycles in-process (vs bpmn-engine) and over HTTP; 100k waiting cases; a deadline sweep over 1M open cases';

const PG_BASE = benchPostgres();
const ITEM = 'HB-BENCH-0001';
const FORM = { entityName: '基准测试有限公司' };

/**
 * Lifecycles under way at once, in-process and over HTTP alike: a province's server has many
 * officers and applicants acting at the same moment, and concurrent actions share one write
 * (cases.writer.ts). The in-process part also reports half as many.
 */
const CONCURRENCY = 16;
/** Lifecycles run before each measurement and not counted (bpmn-engine gets 50 of its own). */
const WARM_UP = 200;

const freshPg = () => freshPostgres(PG_BASE, 'tongban_bench');

async function open(url?: string): Promise<OpenRuntime> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: '' }, { auditSealIntervalMs: 200 });
  return openRuntime({ config, db: url ? { url, poolSize: 12 } : { dataDir: 'memory://' }, demo: true, background: true });
}

/** An item whose review plan has one stage of two parallel steps (市场监管 and 卫健), published in 长安区. */
export async function publishBenchItem(rt: OpenRuntime): Promise<void> {
  const ctx = makeCtx(rt, { kind: 'console', operator: 'bench' });
  await publishTestItem(ctx, ITEM, '并联审批基准事项');
  await publishTestImplementation(ctx, ITEM, { reviewPlan: PARALLEL_REVIEW });
}

export async function actors(rt: OpenRuntime): Promise<Record<string, Actor>> {
  const rows = await rt.db
    .selectFrom('accounts')
    .leftJoin('departments', 'departments.id', 'accounts.department_id')
    .select(['accounts.id', 'accounts.username', 'accounts.kind', 'accounts.roles', 'accounts.department_id', 'departments.region_code', 'accounts.region_code as own_region'])
    .where('username', 'in', ['business', 'window', 'reviewer.amr', 'reviewer.health'])
    .execute();
  const out: Record<string, Actor> = {};
  for (const r of rows) {
    out[r.username] =
      r.kind === 'staff'
        ? { kind: 'staff', accountId: r.id, departmentId: r.department_id!, regionCode: r.region_code!, roles: r.roles as never }
        : { kind: 'business', accountId: r.id, regionCode: r.own_region };
  }
  return out;
}

export async function lifecycle(rt: OpenRuntime, a: Record<string, Actor>): Promise<Case> {
  const as = (u: string): Ctx => makeCtx(rt, a[u]!);
  const c = await fileCase(as('business'), { itemCode: ITEM, regionCode: '130102', form: FORM, materials: [] });
  await act(as('window'), c.caseNo, { action: 'accept' });
  await act(as('reviewer.amr'), c.caseNo, { action: 'claim', step: 'amr' });
  await act(as('reviewer.health'), c.caseNo, { action: 'claim', step: 'health' });
  await act(as('reviewer.amr'), c.caseNo, { action: 'approve', step: 'amr' });
  const done = await act(as('reviewer.health'), c.caseNo, { action: 'approve', step: 'health' });
  if (done.status !== 'concluded') throw new Error(`lifecycle ended in ${done.status}`);
  return done;
}

async function runConcurrently(n: number, concurrency: number, f: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next += 1;
      await f();
    }
  }));
  return (performance.now() - started) / 1000;
}

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <process id="licence" isExecutable="true">
    <startEvent id="submit" />
    <userTask id="accept" />
    <parallelGateway id="fork" />
    <userTask id="reviewAmr" />
    <userTask id="reviewHealth" />
    <parallelGateway id="join" />
    <userTask id="decide" />
    <endEvent id="concluded" />
    <sequenceFlow id="f1" sourceRef="submit" targetRef="accept" />
    <sequenceFlow id="f2" sourceRef="accept" targetRef="fork" />
    <sequenceFlow id="f3" sourceRef="fork" targetRef="reviewAmr" />
    <sequenceFlow id="f4" sourceRef="fork" targetRef="reviewHealth" />
    <sequenceFlow id="f5" sourceRef="reviewAmr" targetRef="join" />
    <sequenceFlow id="f6" sourceRef="reviewHealth" targetRef="join" />
    <sequenceFlow id="f7" sourceRef="join" targetRef="decide" />
    <sequenceFlow id="f8" sourceRef="decide" targetRef="concluded" />
  </process>
</definitions>`;

/**
 * bpmn-engine's lifecycles per second, one at a time (it runs on one thread: 16 at once measured
 * about as fast). `source`: each engine parses the BPMN XML, as its README shows; `parsed`: the
 * definitions are parsed once and every engine gets them (its `moddleContext` option), as a team
 * keeping one process definition would run it — 14–28 % faster in the runs of docs/benchmarks.md.
 */
async function bpmnLifecycles(n: number, definitions: 'source' | 'parsed'): Promise<number> {
  const require = createRequire(import.meta.url);
  const { Engine } = require('bpmn-engine') as { Engine: new (o: object) => { execute(o: object): Promise<unknown>; waitFor(e: string): Promise<unknown> } };
  const BpmnModdle = require('bpmn-moddle') as new () => { fromXML(xml: string): Promise<unknown> };
  const parsed = definitions === 'parsed' ? await new BpmnModdle().fromXML(BPMN) : undefined;
  const one = async () => {
    const listener = new EventEmitter();
    listener.on('wait', (api: { signal: () => void }) => api.signal());
    const engine = new Engine({ name: randomUUID(), ...(parsed ? { moddleContext: parsed } : { source: BPMN }) });
    const ended = engine.waitFor('end');
    await engine.execute({ listener });
    await ended;
  };
  for (let i = 0; i < 50; i++) await one(); // warm-up
  const started = performance.now();
  for (let i = 0; i < n; i++) await one();
  return n / ((performance.now() - started) / 1000);
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * The HTTP clients, in a worker thread written in plain JavaScript with node:http and keep-alive
 * (as a department system or a load tester would be): they do not share the server's event loop
 * (they share the machine's cores, as PostgreSQL does).
 */
const CLIENT_SOURCE = String.raw`
const { parentPort, workerData: w } = require('node:worker_threads');
const http = require('node:http');
const crypto = require('node:crypto');
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(w.base);
function post(path, body, headers) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, method: 'POST', path, agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
(async () => {
  const cookie = {};
  for (const u of ['business', 'window', 'reviewer.amr', 'reviewer.health']) {
    const r = await post('/api/v1/auth/login', { username: u, password: 'tongban-demo' }, {});
    cookie[u] = String(r.headers['set-cookie']).split(';')[0];
  }
  const latencies = [];
  const call = async (u, path, body, headers = {}) => {
    const t0 = performance.now();
    const r = await post(path, body, { cookie: cookie[u], ...headers });
    latencies.push(performance.now() - t0);
    if (r.status >= 300) throw new Error(path + ': ' + r.status + ' ' + r.text.slice(0, 300));
    return JSON.parse(r.text);
  };
  const lifecycle = async () => {
    const c = await call('business', w.api + '/cases', { itemCode: w.item, regionCode: '130102', form: w.form, materials: [] }, { 'idempotency-key': crypto.randomUUID() });
    const no = c.caseNo;
    await call('window', w.api + '/cases/' + no + '/actions', { action: 'accept' });
    await Promise.all([
      call('reviewer.amr', w.api + '/cases/' + no + '/actions', { action: 'claim', step: 'amr' }),
      call('reviewer.health', w.api + '/cases/' + no + '/actions', { action: 'claim', step: 'health' }),
    ]);
    await call('reviewer.amr', w.api + '/cases/' + no + '/actions', { action: 'approve', step: 'amr' });
    const done = await call('reviewer.health', w.api + '/cases/' + no + '/actions', { action: 'approve', step: 'health' });
    if (done.status !== 'concluded') throw new Error('lifecycle ended in ' + done.status);
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: w.clients }, async () => { while (next < w.n) { next++; await lifecycle(); } }));
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000, latencies });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

/**
 * Lifecycles over HTTP against `base` (a server in this process, or `npm start`'s as a cluster);
 * `api`: where the case routes are (FLOOR_API for the floor, see httpFloor).
 */
export async function httpLifecycles(base: string, n: number, clients: number, api = '/api/v1') {
  const worker = new Worker(CLIENT_SOURCE, { eval: true, workerData: { base, n, clients, item: ITEM, form: FORM, api } });
  try {
    const r = await new Promise<{ seconds: number; latencies: number[]; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (r.error) throw new Error(`HTTP lifecycles: ${r.error}`);
    const latencies = [...r.latencies].sort((a, b) => a - b);
    return { perSecond: n / r.seconds, p50: pct(latencies, 50), p95: pct(latencies, 95), requests: latencies.length };
  } finally {
    await worker.terminate();
  }
}

/** Lifecycles over HTTP against `app` (by default the app of `rt`) served in this process, after a warm-up. */
async function serveLifecycles(rt: OpenRuntime, n: number, app?: Awaited<ReturnType<typeof buildApp>>, api = '/api/v1') {
  const served = app ?? (await buildApp(rt));
  await served.listen({ port: 0, host: '127.0.0.1' });
  try {
    const base = `http://127.0.0.1:${(served.server.address() as { port: number }).port}`;
    await httpLifecycles(base, WARM_UP, CONCURRENCY, api);
    return await httpLifecycles(base, n, CONCURRENCY, api);
  } finally {
    await served.close();
  }
}

const FLOOR_API = '/api/v1/bench-floor';

/**
 * The floor under part 2: the same clients, requests and answers through the same HTTP stack
 * (plugins, the session, zod on the request and the answer, the security headers), with the case
 * engine taken out — both routes answer `answer`, a concluded case. What is left for the engine
 * and PostgreSQL on these cores is what the floor does not take.
 */
async function httpFloor(rt: OpenRuntime, answer: Case, n: number): Promise<number> {
  const app = await buildApp(rt);
  const engineFree = async (req: { ctx: Ctx }) => {
    if (req.ctx.actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', '请先登录');
    return answer;
  };
  await app.register(async (api) => {
    const typed = api.withTypeProvider<ZodTypeProvider>();
    typed.post('/cases', { schema: { body: FileCase, response: { 201: CaseSchema } } }, async (req, reply) => reply.status(201).send(await engineFree(req)));
    typed.post('/cases/:caseNo/actions', { schema: { params: z.object({ caseNo: z.string() }), body: CaseActionRequest, response: { 200: CaseSchema } } }, engineFree);
  }, { prefix: FLOOR_API });
  return (await serveLifecycles(rt, n, app, FLOOR_API)).perSecond;
}

/** Inserts `n` open cases at review (with one active step each) straight in SQL, for the scale figures. */
async function bulkOpenCases(rt: OpenRuntime, n: number, offset = 0): Promise<void> {
  const ref = await sql<{ department_id: string; applicant: string; impl: string }>`
    SELECT c.department_id, c.applicant_account_id AS applicant, c.implementation_version_id AS impl FROM cases c LIMIT 1`.execute(rt.db);
  const r = ref.rows[0]!;
  for (let done = 0; done < n; done += 100_000) {
    const m = Math.min(100_000, n - done);
    await sql`
      INSERT INTO cases (case_no, query_code, item_code, item_name, implementation_version_id, implementation_version, region_code, department_id,
                         applicant_account_id, applicant_kind, applicant_name, filed_by, channel, status, form, promised_days, submitted_at, intake_deadline,
                         accepted_at, deadline)
      SELECT 'B' || lpad((${offset + done} + g)::text, 12, '0'), 'BENCHQC1', ${ITEM}, '并联审批基准事项', ${r.impl}, 1, '130102', ${r.department_id}::uuid,
             ${r.applicant}::uuid, 'business', '基准测试有限公司', ${r.applicant}::uuid, 'online', 'in_review', '{}'::jsonb, 10, now(), current_date,
             now(), current_date + ((g % 40) - 10)
        FROM generate_series(1, ${m}) AS g`.execute(rt.db);
  }
  await sql`ANALYZE cases`.execute(rt.db);
}

export async function run(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const lifecycles = Number(process.env.BENCH_LIFECYCLES ?? 20_000);
  const pgliteLifecycles = Math.min(lifecycles, Number(process.env.BENCH_PGLITE_LIFECYCLES ?? 2_000));
  const httpN = Number(process.env.BENCH_HTTP_LIFECYCLES ?? 2_000);

  // 1. in-process
  const bpmn = await bpmnLifecycles(Math.min(lifecycles, 5_000), 'source');
  figures['bpmn_engine_lifecycles_per_s (in memory)'] = Math.round(bpmn);
  const bpmnParsed = await bpmnLifecycles(Math.min(lifecycles, 5_000), 'parsed');
  figures['bpmn_engine_lifecycles_per_s (in memory, definitions parsed once)'] = Math.round(bpmnParsed);
  {
    const rt = await open();
    await publishBenchItem(rt);
    const a = await actors(rt);
    const s = await runConcurrently(pgliteLifecycles, 1, () => lifecycle(rt, a));
    figures['tongban_pglite_lifecycles'] = pgliteLifecycles;
    figures['tongban_pglite_lifecycles_per_s (durable)'] = Math.round(pgliteLifecycles / s);
    await rt.close();
  }
  // 2. HTTP, on a database of its own, measured before the in-process part on PostgreSQL: after
  // it, the server also paid for that part's 40,000 lifecycles — autovacuum cleaning up after
  // them took a sixth to a fifth of its rate (docs/benchmarks.md). That figure is given too,
  // after part 1, on part 1's database.
  const httpDb = await freshPg();
  try {
    const rt2 = await open(httpDb.url);
    await publishBenchItem(rt2);
    const h = await serveLifecycles(rt2, httpN);
    figures['http_lifecycles'] = httpN;
    figures[`http_lifecycles_per_s (${CONCURRENCY} clients, PostgreSQL)`] = Math.round(h.perSecond);
    figures['http_request_p50_ms'] = Math.round(h.p50 * 10) / 10;
    figures['http_request_p95_ms'] = Math.round(h.p95 * 10) / 10;
    await rt2.close();
    // the same against the real server run as a cluster (TONGBAN_WORKERS): one process per core
    const workers = Number(process.env.BENCH_CASES_WORKERS ?? 2);
    const server = await startServer({ DATABASE_URL: httpDb.url, TONGBAN_WORKERS: String(workers), TONGBAN_AUTH_RATE_LIMIT: '100000', LOG_LEVEL: 'warn' });
    try {
      await httpLifecycles(server.url, WARM_UP, CONCURRENCY);
      const c = await httpLifecycles(server.url, httpN, CONCURRENCY);
      figures[`http_lifecycles_per_s (${CONCURRENCY} clients, cluster of ${workers})`] = Math.round(c.perSecond);
      figures[`http_request_p95_ms (cluster of ${workers})`] = Math.round(c.p95 * 10) / 10;
    } finally {
      await server.stop('SIGTERM');
    }
  } finally {
    await httpDb.drop();
  }
  // 1, continued: in-process on PostgreSQL
  const pgdb = await freshPg();
  try {
    const rt = await open(pgdb.url);
    await publishBenchItem(rt);
    const a = await actors(rt);
    // warmed up as bpmn-engine is: the JIT, the pool's connections and the prepared statements
    const concluded = await lifecycle(rt, a);
    await runConcurrently(WARM_UP, CONCURRENCY, () => lifecycle(rt, a));
    const s = await runConcurrently(lifecycles, CONCURRENCY, () => lifecycle(rt, a));
    figures['tongban_postgresql_lifecycles'] = lifecycles;
    figures[`tongban_postgresql_lifecycles_per_s (durable, ${CONCURRENCY} concurrent)`] = Math.round(lifecycles / s);
    figures['ratio_postgresql_to_bpmn_engine'] = Math.round(((lifecycles / s) / bpmn) * 100) / 100;
    figures['ratio_postgresql_to_bpmn_engine (definitions parsed once)'] = Math.round(((lifecycles / s) / bpmnParsed) * 100) / 100;
    // the same with half as many at once, on the table the run above has grown
    const s8 = await runConcurrently(lifecycles, CONCURRENCY / 2, () => lifecycle(rt, a));
    figures[`tongban_postgresql_lifecycles_per_s (durable, ${CONCURRENCY / 2} concurrent)`] = Math.round(lifecycles / s8);

    // 2, continued: over HTTP on part 1's database, after its lifecycles
    const after = await serveLifecycles(rt, httpN);
    figures[`http_lifecycles_per_s (${CONCURRENCY} clients, on part 1's database after its lifecycles)`] = Math.round(after.perSecond);
    figures[`http_floor_lifecycles_per_s (the same requests and answers, no case engine)`] = Math.round(await httpFloor(rt, concluded, httpN));

    // 3. scale
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    await bulkOpenCases(rt, 100_000);
    // the server holds no per-case state: touching the workbench and alerts does not load them into memory
    const ctx = makeCtx(rt, { kind: 'console', operator: 'bench' });
    const { alerts } = await import('../server/modules/cases/index.js');
    await alerts(ctx, '130102', 200);
    global.gc?.();
    figures['heap_growth_mb_with_100k_waiting_cases'] = Math.round(((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024) * 10) / 10;
    const open1m = Number(process.env.BENCH_OPEN_CASES ?? 1_000_000);
    await bulkOpenCases(rt, open1m - 100_000, 100_000);
    const t0 = performance.now();
    const lights = await sql<{ red: number; yellow: number }>`
      SELECT count(*) FILTER (WHERE deadline < current_date)::int8 AS red,
             count(*) FILTER (WHERE deadline >= current_date AND deadline <= current_date + 1)::int8 AS yellow
        FROM cases WHERE status IN ('in_review','awaiting_applicant') AND paused_since IS NULL`.execute(rt.db);
    figures['open_cases_swept'] = open1m;
    figures['deadline_sweep_1m_open_cases_ms'] = Math.round(performance.now() - t0);
    figures['sweep_red'] = lights.rows[0]!.red;
    figures['sweep_yellow'] = lights.rows[0]!.yellow;
    await rt.close();
  } finally {
    await pgdb.drop();
  }

  // working-day deadlines
  const from = dayNumber('2025-01-01');
  let sink = 0;
  const N = 5_000_000;
  const t1 = performance.now();
  for (let i = 0; i < N; i++) sink += NATIONAL_CALENDAR.addWorkingDays(from + (i % 700), 1 + (i % 30));
  figures['workday_deadlines_per_s'] = Math.round(N / ((performance.now() - t1) / 1000));
  if (sink === 0) console.log('');
  return figures;
}
