/**
 * Certificates and the data exchange (issue 5), in one run:
 *
 * 1. Library: `verifyDocument` over N signed certificates, beside bare `crypto.verify` of the same
 *    signatures over the same (pre-encoded) bytes — the overhead ratio (target ≤ 1.5×). SM2/SM3
 *    verification through the same function, for scale.
 * 2. API: POST /api/v1/certificates/verify on a real listening server (127.0.0.1), concurrent
 *    clients with keep-alive.
 * 3. Exchange on PostgreSQL over HTTP: signed GET /api/v1/exchange/… calls with the grant check,
 *    the access record and the audit entry, from concurrent clients — throughput; then latency at
 *    low concurrency beside an unsigned, unlogged read of the same row through the same server
 *    (a route added to this benchmark's app only), interleaved, and the p99 that signing, the
 *    grant check and logging add (targets ≥ 2,000 calls/s on 2 cores, < 5 ms added at p99).
 *
 * The clients run in a worker thread written in plain JavaScript — a second, independent
 * implementation of the request signing, as a department system would write it — so that they
 * do not share the server's event loop (they share the machine's cores, as does PostgreSQL).
 * A fresh database tongban_bench_<random> is created and dropped. Loops are bounded by count and
 * time. Knobs: BENCH_DATABASE_URL (the local server, through its Unix socket when it has one:
 * test/databases.ts benchPostgres),
 * BENCH_SHARING_SECONDS (5, per timed phase), BENCH_SHARING_CONCURRENCY (32), BENCH_SHARING_VERIFY_N (3000),
 * BENCH_SHARING_WORKERS (2: the signed calls again against `npm start`'s server run as a cluster
 * of that many processes, TONGBAN_WORKERS, on the same database).
 */
import { createPublicKey, randomBytes, verify as cryptoVerify } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { loadConfig } from '../server/core/config.js';
import { inTransaction, makeCtx, type Ctx } from '../server/core/ctx.js';
import type { Actor } from '../server/core/actor.js';
import { openRuntime, type OpenRuntime } from '../server/runtime.js';
import { buildApp } from '../server/http/app.js';
import { findDepartmentByKind } from '../server/modules/regions/index.js';
import { createApiClient } from '../server/modules/identity/index.js';
import {
  ed25519Signer,
  issueCertificate,
  keyRing,
  signedBytes,
  sm2Signer,
  verifyDocument,
  type CertificateDocument,
  type CertificatePayload,
  type PublishedKey,
} from '../server/modules/certificates/index.js';
import { decideGrant, registerClientKey, requestGrant } from '../server/modules/sharing/index.js';
import type { Figures } from './run.js';
import { startServer } from '../test/process.js';
import { benchPostgres } from '../test/databases.js';
import { staffActor as staffOf } from '../test/items.js';

export const name = 'sharing';
export const description = 'e-certificate verification (library vs bare crypto, API) and the signed exchange on PostgreSQL over HTTP';

const PG_BASE = benchPostgres();
const SECONDS = Number(process.env.BENCH_SHARING_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_SHARING_CONCURRENCY ?? 32);
const VERIFY_N = Number(process.env.BENCH_SHARING_VERIFY_N ?? 3000);
const LATENCY_CONCURRENCY = 4;
const CLUSTER_WORKERS = Number(process.env.BENCH_SHARING_WORKERS ?? 2);
const SUBJECT = '130102199003071233';
const PURPOSE = '食品经营许可：核验申请人身份与住址';
const FIELDS = ['name', 'address'];

const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

// ── 1. the library against bare crypto.verify ──────────────────────────────────────────────

function syntheticDocuments(n: number, signer = ed25519Signer) {
  const pair = signer.generate();
  const key: PublishedKey = {
    keyId: `${signer.algorithm}-bench000000000000`,
    departmentId: '11111111-1111-4111-8111-111111111111',
    departmentName: '长安区市场监督管理局',
    regionCode: '130102',
    algorithm: signer.algorithm,
    publicKey: pair.publicKey,
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: null,
    retiredAt: null,
  };
  const docs: CertificateDocument[] = [];
  for (let i = 0; i < n; i++) {
    const payload: CertificatePayload = {
      certNo: `SPJY-130102-2026-${String(i).padStart(7, '0')}X`,
      type: 'food_business_licence',
      typeName: '食品经营许可证',
      holder: { kind: 'business', creditCode: '91130102MA0DXQ7K30', name: '石家庄市长安区通办餐饮有限公司' },
      fields: { premises: `石家庄市长安区中山东路 ${i} 号`, mainBusiness: '餐饮服务经营者', businessItems: '热食类食品制售', legalRepresentative: '李四' },
      issuer: { departmentId: key.departmentId, name: key.departmentName, regionCode: '130102', keyId: key.keyId },
      issuedAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      validUntil: '2031-10-31T16:00:00.000Z',
    };
    docs.push({ certificate: payload, signature: signer.sign(pair.privateKey, signedBytes(payload)).toString('base64'), keyId: key.keyId, algorithm: signer.algorithm });
  }
  return { key, docs };
}

function libraryVersusBare(): Figures {
  const { key, docs } = syntheticDocuments(VERIFY_N);
  const ring = keyRing([key]);
  const publicKey = createPublicKey(key.publicKey);
  const bytes = docs.map((d) => signedBytes(d.certificate));
  const sigs = docs.map((d) => Buffer.from(d.signature, 'base64'));
  const now = new Date('2026-11-26T00:00:00Z');
  const bare = () => {
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i++) if (!cryptoVerify(null, bytes[i]!, publicKey, sigs[i]!)) throw new Error('bare verify failed');
    return performance.now() - t0;
  };
  const library = () => {
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i++) if (!verifyDocument(docs[i], ring, { now }).valid) throw new Error('library verify failed');
    return performance.now() - t0;
  };
  bare();
  library(); // warm-up (JIT, key cache)
  const b: number[] = [];
  const l: number[] = [];
  for (let r = 0; r < 5; r++) {
    b.push(bare());
    l.push(library());
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const bareMs = median(b);
  const libMs = median(l);

  const sm2 = syntheticDocuments(200, sm2Signer());
  const sm2Ring = keyRing([sm2.key]);
  const t0 = performance.now();
  for (const d of sm2.docs) if (!verifyDocument(d, sm2Ring, { now }).valid) throw new Error('sm2 verify failed');
  const sm2Ms = performance.now() - t0;
  return {
    verify_documents: VERIFY_N,
    bare_crypto_verify_per_s: round((VERIFY_N / bareMs) * 1000),
    library_verify_per_s: round((VERIFY_N / libMs) * 1000),
    library_over_bare_ratio: round(libMs / bareMs, 3),
    library_sm2_verify_per_s: round((sm2.docs.length / sm2Ms) * 1000),
  };
}

// ── the clients: a worker thread in plain JavaScript ───────────────────────────────────────

const CLIENT_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
// canonical JSON as shared/canonical-json.ts defines it: sorted keys, no whitespace
function canonical(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (typeof v === 'object') return '{' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
  return JSON.stringify(v);
}
const w = workerData;
const key = w.privateKey ? crypto.createPrivateKey(w.privateKey) : null;
function exchangeRequest() {
  return { method: 'GET', path: '/api/v1/exchange/' + w.resource, subject: w.subject, client: w.clientId,
    timestamp: new Date().toISOString(), nonce: crypto.randomBytes(18).toString('base64url'), purpose: w.purpose,
    fields: [...w.fields].sort(), caseNo: w.caseNo };
}
function headersOf(request, signature, chain) {
  return { authorization: 'Bearer ' + w.token, 'x-tongban-client': w.clientId, 'x-tongban-timestamp': request.timestamp,
    'x-tongban-nonce': request.nonce, 'x-tongban-purpose': encodeURIComponent(w.purpose), 'x-tongban-fields': w.fields.join(','),
    'x-tongban-case': w.caseNo, 'x-tongban-signature': signature, ...(chain ? { 'x-tongban-signature-chain': chain } : {}) };
}
// each request signed alone
function signedHeaders() {
  const request = exchangeRequest();
  return headersOf(request, crypto.sign(null, Buffer.from(canonical(request), 'utf8'), key).toString('base64'));
}
// batch signatures, as sharing.protocol.ts defines them (X-Road's hash chains): the requests a
// system makes in the same turn of its event loop are signed together, once
const sha = (...parts) => { const h = crypto.createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
let waiting = [];
function batchSignedHeaders() {
  const request = exchangeRequest();
  return new Promise((resolve) => {
    waiting.push({ request, resolve });
    if (waiting.length === 1) setImmediate(signWaiting);
  });
}
function signWaiting() {
  const batch = waiting;
  waiting = [];
  if (batch.length === 1) {
    const { request, resolve } = batch[0];
    return resolve(headersOf(request, crypto.sign(null, Buffer.from(canonical(request), 'utf8'), key).toString('base64')));
  }
  const chains = batch.map(() => []);
  let level = batch.map((b, i) => ({ hash: sha(Buffer.from([0]), Buffer.from(canonical(b.request), 'utf8')), members: [i] }));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i], b = level[i + 1];
      if (!b) { next.push(a); continue; }
      for (const m of a.members) chains[m].push('r:' + b.hash.toString('hex'));
      for (const m of b.members) chains[m].push('l:' + a.hash.toString('hex'));
      next.push({ hash: sha(Buffer.from([1]), a.hash, b.hash), members: a.members.concat(b.members) });
    }
    level = next;
  }
  const signature = crypto.sign(null, Buffer.from('tongban-exchange-batch-v1:' + level[0].hash.toString('hex'), 'ascii'), key).toString('base64');
  batch.forEach((b, i) => b.resolve(headersOf(b.request, signature, chains[i].join(','))));
}
// node:http with a keep-alive agent: lighter than fetch, so the clients take less of the cores the
// server needs (undici's Pool was no lighter here: 0.25 ms per call either way)
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(w.base);
function request(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: () => Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.end(body); else req.end();
  });
}
async function one(mode) {
  if (mode === 'signed') return request('GET', '/api/v1/exchange/' + w.resource + '?subject=' + w.subject, await batchSignedHeaders());
  if (mode === 'signed-alone') return request('GET', '/api/v1/exchange/' + w.resource + '?subject=' + w.subject, signedHeaders());
  if (mode === 'plain') return request('GET', '/bench/plain/' + w.resource + '?subject=' + w.subject, {});
  const body = w.documents[Math.floor(Math.random() * w.documents.length)];
  return request('POST', '/api/v1/certificates/verify', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, body);
}
parentPort.on('message', async (job) => {
  const latencies = [];
  let errors = 0, firstError = null;
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  const until = started + job.ms;
  let issued = 0;
  await Promise.all(Array.from({ length: job.concurrency }, async () => {
    while (performance.now() < until && issued < job.max) {
      issued++;
      const mode = job.modes[issued % job.modes.length];
      const t0 = performance.now();
      try {
        const res = await one(mode);
        const body = res.text();
        if (res.status !== 200) { errors++; firstError ??= res.status + ' ' + body.slice(0, 300); continue; }
        if (mode === 'verify' && !body.includes('"valid":true')) { errors++; firstError ??= body.slice(0, 300); continue; }
      } catch (e) { errors++; firstError ??= String(e); continue; }
      latencies.push([mode, performance.now() - t0]);
    }
  }));
  parentPort.postMessage({ elapsed: performance.now() - started, latencies, errors, firstError, busyMs: performance.eventLoopUtilization(elu).active });
});
`;

interface JobResult {
  elapsed: number;
  latencies: [string, number][];
  errors: number;
  firstError: string | null;
  /** The client thread's busy milliseconds over the job (signing, node:http). */
  busyMs: number;
}

function client(data: Record<string, unknown>) {
  const worker = new Worker(CLIENT_SOURCE, { eval: true, workerData: data });
  const run = (job: { ms: number; concurrency: number; max: number; modes: string[] }) =>
    new Promise<JobResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(job);
    });
  return { run, stop: () => worker.terminate() };
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

// ── 2 and 3: the server on PostgreSQL ──────────────────────────────────────────────────────

const staffActor = (rt: OpenRuntime, username: string): Promise<Actor> => staffOf(rt.db, username);

async function serverFigures(rt: OpenRuntime, dbUrl: string): Promise<Figures> {
  const operator: Ctx = makeCtx(rt, { kind: 'console', operator: 'bench' });
  const amr = (await findDepartmentByKind(operator, '130102', 'amr'))!;
  const { client: apiClient, token } = await createApiClient(operator, { departmentId: amr.id, name: '基准测试：市场监管审批系统', scopes: ['exchange:read'] });
  const pair = ed25519Signer.generate();
  await registerClientKey(operator, { clientId: apiClient.id, departmentId: amr.id, publicKey: pair.publicKey });
  const grant = await requestGrant(makeCtx(rt, await staffActor(rt, 'head.amr')), {
    resource: 'public_security.household',
    fields: FIELDS,
    purpose: PURPOSE,
    legalBasis: '《食品经营许可和备案管理办法》第十二条',
  });
  await decideGrant(makeCtx(rt, await staffActor(rt, 'steward')), { id: grant.id, decision: 'approve', reason: '基准测试' });
  const documents: string[] = [];
  const reviewer = makeCtx(rt, await staffActor(rt, 'reviewer.amr'));
  for (let i = 0; i < 50; i++) {
    const c = await inTransaction(reviewer, (tx) =>
      issueCertificate(tx, {
        type: 'food_business_licence',
        holder: { kind: 'business', creditCode: '91130102MA0DXQ7K30', name: '石家庄市长安区通办餐饮有限公司' },
        fields: { premises: `石家庄市长安区中山东路 ${i} 号`, businessItems: '热食类食品制售' },
        issuerDepartmentId: amr.id,
        validUntil: '2031-11-25T16:00:00.000Z',
      }),
    );
    documents.push(JSON.stringify(c.document));
  }

  // the benchmark's clients all come from 127.0.0.1: lift the per-IP limit of the public verify endpoint
  process.env.TONGBAN_VERIFY_RATE_LIMIT = String(10_000_000);
  const app = await buildApp(rt);
  // the baseline: the same row, unsigned, unauthenticated, unlogged — on this benchmark's app only
  app.get('/bench/plain/:code', async (req) => {
    const { code } = req.params as { code: string };
    const { subject } = req.query as { subject: string };
    const r = await rt.db.selectFrom('data_records').select(['fields', 'as_of']).where('resource_code', '=', code).where('subject', '=', subject).executeTakeFirstOrThrow();
    const f = r.fields as Record<string, unknown>;
    return { fields: Object.fromEntries(FIELDS.map((k) => [k, f[k] ?? null])), asOf: r.as_of.toISOString() };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const workerData = { base, token, clientId: apiClient.id, privateKey: pair.privateKey, resource: 'public_security.household', subject: SUBJECT, fields: FIELDS, purpose: PURPOSE, caseNo: 'SP-130102-2026-000001', documents };
  const worker = client(workerData);
  try {
    const ms = SECONDS * 1000;
    const check = (r: JobResult, what: string) => {
      if (r.errors > 0) throw new Error(`${what}: ${r.errors} failed requests, first: ${r.firstError}`);
      return r;
    };
    // warm-up: JIT, pool, plans, the provider's signing key
    check(await worker.run({ ms: 1500, concurrency: 8, max: 5000, modes: ['signed', 'plain', 'verify'] }), 'warm-up');

    const verify = check(await worker.run({ ms, concurrency: CONCURRENCY, max: 500_000, modes: ['verify'] }), 'API verify');
    // the server's event loop: busy milliseconds per call (what one core spends on a call)
    const busy = async (f: () => Promise<JobResult>) => {
      const before = performance.eventLoopUtilization();
      const r = await f();
      return { r, busyMs: performance.eventLoopUtilization(before).active / r.latencies.length };
    };
    const { r: signed, busyMs: signedBusy } = await busy(async () => check(await worker.run({ ms, concurrency: CONCURRENCY, max: 500_000, modes: ['signed'] }), 'signed exchange'));
    const { r: alone, busyMs: aloneBusy } = await busy(async () => check(await worker.run({ ms, concurrency: CONCURRENCY, max: 500_000, modes: ['signed-alone'] }), 'signed exchange, each request signed alone'));
    const { r: plain, busyMs: plainBusy } = await busy(async () => check(await worker.run({ ms, concurrency: CONCURRENCY, max: 500_000, modes: ['plain'] }), 'plain read'));
    // latency at low load, the two kinds interleaved so that both see the same machine
    const mixed = check(await worker.run({ ms: ms * 1.5, concurrency: LATENCY_CONCURRENCY, max: 500_000, modes: ['signed', 'plain'] }), 'latency');
    const lat = (mode: string) => mixed.latencies.filter(([m]) => m === mode).map(([, v]) => v);
    const signedLat = lat('signed');
    const plainLat = lat('plain');
    const sat = (r: JobResult) => r.latencies.map(([, v]) => v);

    // the same signed calls against the real server run as a cluster (TONGBAN_WORKERS), as a
    // 2-core production machine would: Node runs JavaScript on one core per process
    const cluster = await startServer({ DATABASE_URL: dbUrl, TONGBAN_WORKERS: String(CLUSTER_WORKERS), LOG_LEVEL: 'warn' });
    const clusterClient = client({ ...workerData, base: cluster.url });
    let clustered: JobResult;
    try {
      check(await clusterClient.run({ ms: 1500, concurrency: 8, max: 5000, modes: ['signed'] }), 'cluster warm-up');
      clustered = check(await clusterClient.run({ ms, concurrency: CONCURRENCY, max: 500_000, modes: ['signed'] }), 'signed exchange (cluster)');
    } finally {
      await clusterClient.stop();
      await cluster.stop('SIGTERM');
    }

    const accessRecords = await rt.db.selectFrom('access_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await rt.sealer.flush();
    const audited = await rt.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'data.accessed').executeTakeFirstOrThrow();
    if (audited.n !== accessRecords.n) throw new Error(`access records ${accessRecords.n} but audit entries ${audited.n}`);

    return {
      api_verify_per_s: round((verify.latencies.length / verify.elapsed) * 1000),
      api_verify_p99_ms: round(percentile(sat(verify), 99), 2),
      exchange_signed_calls_per_s: round((signed.latencies.length / signed.elapsed) * 1000),
      exchange_signed_p50_ms_at_saturation: round(percentile(sat(signed), 50), 2),
      exchange_signed_p99_ms_at_saturation: round(percentile(sat(signed), 99), 2),
      exchange_signed_server_busy_ms_per_call: round(signedBusy, 3),
      // the load generator shares the 2 cores: what it spends per call is not the server's
      exchange_signed_client_busy_ms_per_call: round(signed.busyMs / signed.latencies.length, 3),
      // the same calls from a client that signs every request on its own (no batch signatures)
      exchange_signed_alone_calls_per_s: round((alone.latencies.length / alone.elapsed) * 1000),
      exchange_signed_alone_p99_ms_at_saturation: round(percentile(sat(alone), 99), 2),
      exchange_signed_alone_server_busy_ms_per_call: round(aloneBusy, 3),
      exchange_signed_alone_client_busy_ms_per_call: round(alone.busyMs / alone.latencies.length, 3),
      [`exchange_signed_calls_per_s_cluster_of_${CLUSTER_WORKERS}`]: round((clustered.latencies.length / clustered.elapsed) * 1000),
      [`exchange_signed_p99_ms_at_saturation_cluster_of_${CLUSTER_WORKERS}`]: round(percentile(sat(clustered), 99), 2),
      plain_read_per_s: round((plain.latencies.length / plain.elapsed) * 1000),
      plain_read_server_busy_ms_per_call: round(plainBusy, 3),
      [`latency_concurrency`]: LATENCY_CONCURRENCY,
      signed_p50_ms: round(percentile(signedLat, 50), 2),
      signed_p99_ms: round(percentile(signedLat, 99), 2),
      plain_p50_ms: round(percentile(plainLat, 50), 2),
      plain_p99_ms: round(percentile(plainLat, 99), 2),
      added_p99_ms: round(percentile(signedLat, 99) - percentile(plainLat, 99), 2),
      access_records_written: accessRecords.n,
    };
  } finally {
    await worker.stop();
    await app.close();
  }
}

async function adminQuery(sqlText: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_BASE });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

async function onPostgres(): Promise<Figures> {
  const dbName = `tongban_bench_${randomBytes(6).toString('hex')}`;
  try {
    await adminQuery(`CREATE DATABASE ${dbName}`);
  } catch (e) {
    return { postgresql: `skipped: cannot create a database on ${PG_BASE} (${(e as Error).message})` };
  }
  try {
    const url = new URL(PG_BASE);
    url.pathname = `/${dbName}`;
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: '' }, { auditSealIntervalMs: 200 });
    const rt = await openRuntime({ config, db: { url: url.toString(), poolSize: 16 }, demo: true });
    try {
      return await serverFigures(rt, url.toString());
    } finally {
      await rt.close();
    }
  } finally {
    // pool.end() resolves before the ended connections' server processes exit: let them go first
    await new Promise((r) => setTimeout(r, 500));
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

export async function run(): Promise<Figures> {
  return {
    ...libraryVersusBare(),
    concurrency: CONCURRENCY,
    seconds_per_phase: SECONDS,
    ...(await onPostgres()),
  };
}
