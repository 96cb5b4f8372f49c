import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/support.js';
import { canonicalJson } from '../../../shared/canonical-json.js';
import { idNumberCheckChar } from '../../../shared/identity-numbers.js';
import { inTransaction } from '../../core/ctx.js';
import { verifyChain } from '../../core/audit.js';
import type { Actor, Role } from '../../core/actor.js';
import { ed25519Signer } from '../certificates/index.js';
import { answerSignedBytes, batchSignedRequestHeaders, readForCase, recordAccess, requestHash, signedRequestHeaders } from './index.js';

const ZHANG_SAN = '130102199003071233';
const LI_SI = '130102198506123459';
const BUSINESS = '91130102MA0DXQ7K30';
const PURPOSE = '食品经营许可：核验申请人身份与住址';

let t: TestApp;
let clock = Date.parse('2026-11-26T02:00:00Z'); // a Thursday
beforeAll(async () => {
  t = await testApp({ now: () => new Date(clock) });
});
afterAll(async () => t?.close());

const dept = async (region: string, kind: string) =>
  (await t.runtime.db.selectFrom('departments').select('id').where('region_code', '=', region).where('kind', '=', kind).executeTakeFirstOrThrow()).id;
const get = (url: string, cookie?: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers: { ...headers, ...(cookie ? { cookie } : {}) } });
const post = (url: string, payload: unknown, cookie?: string) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: cookie ? { cookie } : {} });

interface Client {
  id: string;
  token: string;
  privateKey: string;
}

/** A department system: an API client with a registered Ed25519 key. */
async function makeClient(region: string, kind: string, scopes = ['exchange:read'], registerKey = true): Promise<Client> {
  const departmentId = await dept(region, kind);
  const admin = await t.login('admin');
  const res = await post('/api/v1/api-clients', { departmentId, name: `${kind} 审批系统`, scopes }, admin);
  expect(res.statusCode).toBe(201);
  const { client, token } = res.json();
  const pair = ed25519Signer.generate();
  if (registerKey) {
    const k = await post(`/api/v1/exchange/clients/${client.id}/keys`, { departmentId, publicKey: pair.publicKey }, admin);
    expect(k.statusCode).toBe(201);
  }
  return { id: client.id, token, privateKey: pair.privateKey };
}

interface Ask {
  resource?: string;
  subject?: string;
  fields?: string[];
  purpose?: string;
  caseNo?: string | null;
  timestamp?: string;
  nonce?: string;
  signWith?: string;
  tamper?: (h: Record<string, string>) => void;
}

function exchange(c: Client, ask: Ask = {}) {
  const resource = ask.resource ?? 'public_security.household';
  const subject = ask.subject ?? ZHANG_SAN;
  const request = {
    path: `/api/v1/exchange/${resource}`,
    subject,
    client: c.id,
    timestamp: ask.timestamp ?? new Date(clock).toISOString(),
    nonce: ask.nonce ?? randomBytes(16).toString('base64url'),
    purpose: ask.purpose ?? PURPOSE,
    fields: ask.fields ?? ['name', 'address'],
    caseNo: ask.caseNo === undefined ? 'SP-130102-2026-000123' : ask.caseNo,
  };
  const headers = signedRequestHeaders(request, (m) => ed25519Signer.sign(ask.signWith ?? c.privateKey, m));
  ask.tamper?.(headers);
  return {
    request: { method: 'GET' as const, ...request },
    headers: { ...headers, authorization: `Bearer ${c.token}` },
    res: get(`${request.path}?subject=${subject}`, undefined, { ...headers, authorization: `Bearer ${c.token}` }),
  };
}

async function refusal(c: Client, ask: Ask) {
  const res = await exchange(c, ask).res;
  return { status: res.statusCode, ...res.json().error };
}

let amr: Client;
let grantId: string;

beforeAll(async () => {
  amr = await makeClient('130102', 'amr');
  const head = await t.login('head.amr');
  const req = await post('/api/v1/data/grants', { resource: 'public_security.household', fields: ['name', 'address', 'gender'], purpose: PURPOSE, legalBasis: '《食品经营许可和备案管理办法》第十二条' }, head);
  expect(req.statusCode).toBe(201);
  grantId = req.json().id;
  const ok = await post(`/api/v1/data/grants/${grantId}/decision`, { decision: 'approve', reason: '符合共享条件' }, await t.login('steward'));
  expect(ok.statusCode).toBe(200);
});

describe('the data catalogue', () => {
  it('lists the seeded resources with their provider, sharing type and legal basis, to staff only', async () => {
    const res = await get('/api/v1/data/catalogue', await t.login('reviewer.amr'));
    expect(res.statusCode).toBe(200);
    const byCode = new Map((res.json().resources as { code: string }[]).map((r) => [r.code, r]));
    expect([...byCode.keys()]).toEqual(
      expect.arrayContaining(['public_security.household', 'amr.business_registration', 'civil_affairs.marriage', 'hrss.social_insurance', 'health.birth_medical_certificate', 'natural_resources.real_estate']),
    );
    expect(byCode.get('public_security.household')).toMatchObject({ sharingType: 'conditional', provider: { name: '石家庄市公安局', regionCode: '130100' }, legalBasis: expect.stringContaining('户口登记条例') });
    expect(byCode.get('amr.business_registration')).toMatchObject({ sharingType: 'open', subjectKind: 'business' });
    expect(byCode.get('public_security.criminal_record')).toMatchObject({ sharingType: 'closed' });
    expect((await get('/api/v1/data/catalogue')).statusCode).toBe(401);
    expect((await get('/api/v1/data/catalogue', await t.login('citizen'))).statusCode).toBe(403);
  });

  it('refuses, in the database itself, a conditional resource without a legal basis', async () => {
    await expect(
      t.runtime.db.updateTable('data_resources').set({ legal_basis: null }).where('code', '=', 'civil_affairs.marriage').execute(),
    ).rejects.toThrow(/check/i);
  });
});

describe('sharing grants', () => {
  it('grants an open resource at once', async () => {
    const res = await post('/api/v1/data/grants', { resource: 'amr.business_registration', fields: ['name', 'status'], purpose: '核验市场主体登记状态' }, await t.login('reviewer.amr'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'granted', deadline: null, decisionReason: expect.stringContaining('无条件共享') });
  });

  it('refuses a closed resource with its basis', async () => {
    const res = await post('/api/v1/data/grants', { resource: 'public_security.criminal_record', fields: ['hasRecord'], purpose: '从业资格审查', legalBasis: '内部规定' }, await t.login('head.amr'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'refused', decisionReason: expect.stringContaining('公通字〔2021〕19号') });
  });

  it('puts a conditional request before the provider’s steward with a deadline of 10 working days', async () => {
    const res = await post('/api/v1/data/grants', { resource: 'civil_affairs.marriage', fields: ['maritalStatus'], purpose: '公积金提取：核验婚姻状况', legalBasis: '《住房公积金管理条例》第二十四条' }, await t.login('head.amr'));
    expect(res.statusCode).toBe(201);
    // Thursday 2026-11-26, the start day not counted: 10 working days end on Thursday 2026-12-10
    expect(res.json()).toMatchObject({ status: 'pending', deadline: '2026-12-10', overdue: false, provider: { name: '石家庄市民政局' } });
  });

  it.each([
    ['no legal basis for a conditional resource', { resource: 'hrss.social_insurance', fields: ['status'], purpose: '核验参保' }, 'legalBasis'],
    ['a field the resource does not have', { resource: 'hrss.social_insurance', fields: ['salary'], purpose: '核验参保', legalBasis: '某条例' }, 'fields'],
  ])('refuses %s (400, naming the field)', async (_what, body, field) => {
    const res = await post('/api/v1/data/grants', body, await t.login('head.amr'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe(field);
  });

  it('refuses the same request twice while it is pending or in force (409)', async () => {
    const body = { resource: 'public_security.household', fields: ['gender', 'address', 'name'], purpose: PURPOSE, legalBasis: 'x' };
    expect((await post('/api/v1/data/grants', body, await t.login('head.amr'))).statusCode).toBe(409);
  });

  it('lets only the provider’s data steward decide, and requires reasons for a refusal', async () => {
    const res = await post('/api/v1/data/grants', { resource: 'hrss.social_insurance', fields: ['status'], purpose: '核验参保情况', legalBasis: '《社会保险法》' }, await t.login('head.amr'));
    const id = res.json().id;
    expect((await post(`/api/v1/data/grants/${id}/decision`, { decision: 'approve' }, await t.login('head.amr'))).statusCode).toBe(403);
    expect((await post(`/api/v1/data/grants/${id}/decision`, { decision: 'approve' }, await t.login('steward'))).statusCode).toBe(403); // 公安 steward, 人社 data
    expect((await post(`/api/v1/data/grants/${id}/decision`, { decision: 'refuse' }, await t.login('steward'))).statusCode).toBe(403);
  });

  it('shows overdue pending requests to both sides and to the efficiency officer, not to others', async () => {
    const res = await post('/api/v1/data/grants', { resource: 'public_security.household', fields: ['ethnicity'], purpose: '少数民族照顾政策核验', legalBasis: '《民族区域自治法》' }, await t.login('head.amr'));
    const id = res.json().id;
    clock += 20 * 86_400_000;
    try {
      const overdue = async (user: string) => {
        const r = await get('/api/v1/data/grants?status=pending&overdue=true', await t.login(user));
        expect(r.statusCode).toBe(200);
        return (r.json().grants as { id: string; overdue: boolean }[]).filter((g) => g.id === id);
      };
      expect(await overdue('head.amr')).toEqual([expect.objectContaining({ id, overdue: true })]);
      expect(await overdue('steward')).toHaveLength(1);
      expect(await overdue('efficiency')).toHaveLength(1);
      expect(await overdue('reviewer.health')).toHaveLength(0);
    } finally {
      clock -= 20 * 86_400_000;
    }
  });
});

describe('the exchange: a granted read', () => {
  it('answers only the requested granted fields, signed by the provider and bound to the request', async () => {
    const { request, res } = exchange(amr);
    const r = await res;
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.data.fields).toEqual({ name: '张三', address: '河北省石家庄市长安区建设北大街 15 号' });
    expect(body.data).toMatchObject({ resource: 'public_security.household', grant: grantId, provider: { name: '石家庄市公安局' }, requestHash: requestHash(request) });
    const keys = (await get('/api/v1/certificates/keys')).json().keys as { keyId: string; publicKey: string; departmentName: string }[];
    const key = keys.find((k) => k.keyId === body.signature.keyId)!;
    expect(key.departmentName).toBe('石家庄市公安局');
    expect(ed25519Signer.verify(key.publicKey, Buffer.from(canonicalJson(body.data)), Buffer.from(body.signature.value, 'base64'))).toBe(true);
    const changed = { ...body.data, fields: { ...body.data.fields, name: '李四' } };
    expect(ed25519Signer.verify(key.publicKey, Buffer.from(canonicalJson(changed)), Buffer.from(body.signature.value, 'base64'))).toBe(false);
  });

  it('writes an access record the person sees, with its audit entry', async () => {
    const r = await (await exchange(amr).res).json();
    const records = (await get('/api/v1/me/access-records', await t.login('citizen'))).json().records as { id: string }[];
    const rec = records.find((x) => x.id === r.data.accessRecord);
    expect(rec).toMatchObject({
      channel: 'exchange',
      resource: { code: 'public_security.household', name: '户籍信息' },
      reader: { name: '长安区市场监督管理局', kind: 'system', id: amr.id },
      fields: ['address', 'name'],
      purpose: PURPOSE,
      caseNo: 'SP-130102-2026-000123',
    });
    const business = (await get('/api/v1/me/access-records', await t.login('business'))).json().records as { id: string }[];
    expect(business.map((x) => x.id)).not.toContain(r.data.accessRecord);
    await t.runtime.sealer.flush();
    const entry = await t.runtime.db.selectFrom('audit_log').select(['details', 'actor']).where('action', '=', 'data.accessed').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.stringify(entry.details)).not.toContain(ZHANG_SAN); // masked in the chain
    expect(entry.actor).toMatchObject({ kind: 'system', client: amr.id });
    expect(entry.details).toMatchObject({ channel: 'exchange', found: true, purpose: PURPOSE });
    // the entry written with the read joins the hash chain like any other
    expect((await verifyChain(t.runtime.db)).ok).toBe(true);
  });

  it('lets a business see reads of its credit code', async () => {
    const head = await t.login('head.amr');
    await post('/api/v1/data/grants', { resource: 'amr.business_registration', fields: ['name', 'legalRepresentative'], purpose: '食品经营许可：核验主体资格' }, head);
    const r = await exchange(amr, { resource: 'amr.business_registration', subject: BUSINESS, fields: ['legalRepresentative'], purpose: '食品经营许可：核验主体资格', caseNo: null }).res;
    expect(r.statusCode).toBe(200);
    expect(r.json().data.fields).toEqual({ legalRepresentative: '李四' });
    const records = (await get('/api/v1/me/access-records', await t.login('business'))).json().records as { id: string }[];
    expect(records.map((x) => x.id)).toContain(r.json().data.accessRecord);
  });

  it('records a read of a subject with no record, and answers 404', async () => {
    const nobody = '13010219800101001' + idNumberCheckChar('13010219800101001');
    const r = await exchange(amr, { subject: nobody }).res;
    expect(r.statusCode).toBe(404);
    expect(r.json().error.details.reason).toBe('no_record');
    const rec = await t.runtime.db.selectFrom('access_records').select(['found', 'fields']).where('subject', '=', nobody).executeTakeFirstOrThrow();
    expect(rec).toEqual({ found: false, fields: ['address', 'name'] });
  });

  it('decides and records reads arriving together (one batch) each on its own: answers, refusals, replays, records', async () => {
    const count = async (action?: string) => {
      await t.runtime.sealer.flush();
      const q = action
        ? t.runtime.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action)
        : t.runtime.db.selectFrom('access_records').select((eb) => eb.fn.countAll<number>().as('n'));
      return (await q.executeTakeFirstOrThrow()).n;
    };
    const [records0, accessed0, refused0] = [await count(), await count('data.accessed'), await count('exchange.refused')];
    const nobody = '13010219800101002' + idNumberCheckChar('13010219800101002');
    const twice = { nonce: randomBytes(16).toString('base64url'), timestamp: new Date(clock).toISOString() };
    const calls = [
      ...Array.from({ length: 8 }, () => exchange(amr)),
      exchange(amr, { subject: LI_SI, fields: ['name'] }),
      exchange(amr, twice),
      exchange(amr, twice), // the same signed request again, in the same batch: a replay
      exchange(amr, { fields: ['name', 'idNumber'] }), // not granted
      exchange(amr, { subject: nobody }), // granted, no record
    ];
    const res = await Promise.all(calls.map((c) => c.res));
    const status = res.map((r) => r.statusCode);
    expect(status.slice(0, 9)).toEqual(Array(9).fill(200));
    expect([status[9], status[10]].sort()).toEqual([200, 401]);
    expect(res[status[9] === 401 ? 9 : 10]!.json().error.details.reason).toBe('replayed_nonce');
    expect(status[11]).toBe(403);
    expect(status[12]).toBe(404);
    // each answer is its own: its subject's fields, its own access record, bound to its own request
    const ok = res.flatMap((r, i) => (r.statusCode === 200 ? [{ body: r.json(), request: calls[i]!.request }] : []));
    expect(ok).toHaveLength(10);
    for (const { body, request } of ok) {
      expect(body.data.requestHash).toBe(requestHash(request));
      expect(body.data.subject).toBe(request.subject);
    }
    expect(ok.find((o) => o.request.subject === LI_SI)!.body.data.fields).toEqual({ name: '李四' });
    const ids = ok.map((o) => o.body.data.accessRecord as string);
    expect(new Set(ids).size).toBe(10);
    const stored = await t.runtime.db.selectFrom('access_records').select(['id', 'request_hash', 'subject']).where('id', 'in', ids).execute();
    for (const { body } of ok) expect(stored.find((s) => s.id === body.data.accessRecord)).toMatchObject({ request_hash: body.data.requestHash, subject: body.data.subject });
    // 10 answered + 1 without a record are recorded, each with its audit entry; the replay and the ungranted read are refused and logged
    expect(await count()).toBe(records0 + 11);
    expect(await count('data.accessed')).toBe(accessed0 + 11);
    expect(await count('exchange.refused')).toBe(refused0 + 2);
    expect((await verifyChain(t.runtime.db)).ok).toBe(true);
  });
});

describe('the exchange: batch-signed requests (hash chains)', () => {
  /** `n` requests of `amr` signed together by one signature. */
  const batch = (n: number, subjects: string[] = [ZHANG_SAN, LI_SI]) => {
    const rs = Array.from({ length: n }, (_, i) => ({
      path: '/api/v1/exchange/public_security.household',
      subject: subjects[i % subjects.length]!,
      client: amr.id,
      timestamp: new Date(clock).toISOString(),
      nonce: randomBytes(16).toString('base64url'),
      purpose: PURPOSE,
      fields: ['name'],
      caseNo: 'SP-130102-2026-000123',
    }));
    let signatures = 0;
    const headers = batchSignedRequestHeaders(rs, (m) => (signatures++, ed25519Signer.sign(amr.privateKey, m)));
    expect(signatures).toBe(1);
    const send = (i: number, h: Record<string, string> = headers[i]!, subject = rs[i]!.subject) =>
      get(`${rs[i]!.path}?subject=${subject}`, undefined, { ...h, authorization: `Bearer ${amr.token}` });
    return { rs, headers, send };
  };

  it('answers each request of a batch signed once, each with its own access record, bound to its own request', async () => {
    const b = batch(5);
    const res = await Promise.all(b.rs.map((_, i) => b.send(i)));
    expect(res.map((r) => r.statusCode)).toEqual(Array(5).fill(200));
    const bodies = res.map((r) => r.json());
    bodies.forEach((body, i) => {
      expect(body.data.requestHash).toBe(requestHash({ method: 'GET', ...b.rs[i]! }));
      expect(body.data.fields).toEqual({ name: b.rs[i]!.subject === LI_SI ? '李四' : '张三' });
    });
    expect(new Set(bodies.map((body) => body.data.accessRecord)).size).toBe(5);
    // every answer verifies with the provider's published key, alone or through its chain, and
    // none once changed
    const keys = (await get('/api/v1/certificates/keys')).json().keys as { keyId: string; publicKey: string }[];
    for (const body of bodies) {
      const key = keys.find((k) => k.keyId === body.signature.keyId)!;
      const value = Buffer.from(body.signature.value, 'base64');
      expect(ed25519Signer.verify(key.publicKey, answerSignedBytes(body)!, value)).toBe(true);
      const changed = { ...body, data: { ...body.data, fields: { name: '王五' } } };
      expect(ed25519Signer.verify(key.publicKey, answerSignedBytes(changed)!, value)).toBe(false);
      if (body.signature.chain) {
        // a batched answer does not verify as if signed alone
        expect(ed25519Signer.verify(key.publicKey, Buffer.from(canonicalJson(body.data)), value)).toBe(false);
      }
    }
    // answers recorded by one statement are signed together: fewer signatures than answers
    expect(bodies.some((body) => body.signature.chain)).toBe(true);
    expect(new Set(bodies.map((body) => body.signature.value)).size).toBeLessThan(5);
    // each nonce of the batch is its own: sent again, a request is a replay
    const again = await b.send(2);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.details.reason).toBe('replayed_nonce');
  });

  it('refuses a batch-signed request that was changed, moved to another subject, or given another chain', async () => {
    const b = batch(4);
    const reason = async (p: Promise<{ statusCode: number; json: () => { error: { details: { reason: string } } } }>) => {
      const r = await p;
      return [r.statusCode, r.json().error.details.reason];
    };
    // a field changed after signing
    expect(await reason(b.send(0, { ...b.headers[0]!, 'x-tongban-fields': 'name,address' }))).toEqual([401, 'bad_signature']);
    // its headers presented for another person (the first request is 张三's)
    expect(await reason(b.send(0, b.headers[0]!, LI_SI))).toEqual([401, 'bad_signature']);
    // another request's chain, and its own chain with one side flipped
    expect(await reason(b.send(1, { ...b.headers[1]!, 'x-tongban-signature-chain': b.headers[2]!['x-tongban-signature-chain']! }))).toEqual([401, 'bad_signature']);
    const flipped = b.headers[3]!['x-tongban-signature-chain']!.replace(/^([lr])/, (s) => (s === 'l' ? 'r' : 'l'));
    expect(await reason(b.send(3, { ...b.headers[3]!, 'x-tongban-signature-chain': flipped }))).toEqual([401, 'bad_signature']);
    // without its chain, the batch signature is not the request's own
    const { 'x-tongban-signature-chain': _, ...bare } = b.headers[3]!;
    expect(await reason(b.send(3, bare))).toEqual([401, 'bad_signature']);
    // a malformed chain is named
    const bad = await b.send(3, { ...b.headers[3]!, 'x-tongban-signature-chain': 'up:1234' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('x-tongban-signature-chain');
    // the untouched requests of the batch still pass (a refusal burns no nonce of theirs)
    const ok = await Promise.all([b.send(1), b.send(2)]);
    expect(ok.map((r) => r.statusCode)).toEqual([200, 200]);
  });
});

describe('the exchange: refused, each with its reason, and logged', () => {
  const refusedCount = async () => {
    await t.runtime.sealer.flush();
    return (await t.runtime.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'exchange.refused').executeTakeFirstOrThrow()).n;
  };

  it('refuses a replayed request', async () => {
    const nonce = randomBytes(16).toString('base64url');
    const timestamp = new Date(clock).toISOString();
    expect((await exchange(amr, { nonce, timestamp }).res).statusCode).toBe(200);
    const before = await refusedCount();
    const again = await refusal(amr, { nonce, timestamp });
    expect(again).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', details: { reason: 'replayed_nonce' } });
    expect(await refusedCount()).toBe(before + 1);
  });

  it('refuses a stale timestamp (outside ±5 minutes) either way', async () => {
    expect(await refusal(amr, { timestamp: new Date(clock - 6 * 60_000).toISOString() })).toMatchObject({ status: 401, details: { reason: 'stale_timestamp' } });
    expect(await refusal(amr, { timestamp: new Date(clock + 6 * 60_000).toISOString() })).toMatchObject({ status: 401, details: { reason: 'stale_timestamp' } });
  });

  it('refuses a field the grant does not cover, naming it', async () => {
    const r = await refusal(amr, { fields: ['name', 'idNumber'] });
    expect(r).toMatchObject({ status: 403, code: 'FORBIDDEN', details: { reason: 'fields_not_granted', fields: ['idNumber'] } });
    expect(r.message).toContain('idNumber');
  });

  it('refuses a department reading without a grant', async () => {
    expect(await refusal(amr, { resource: 'natural_resources.real_estate', fields: ['location'] })).toMatchObject({ status: 403, details: { reason: 'no_grant' } });
    const health = await makeClient('130102', 'health');
    expect(await refusal(health, {})).toMatchObject({ status: 403, details: { reason: 'no_grant' } });
  });

  it('refuses another purpose than the grant’s', async () => {
    expect(await refusal(amr, { purpose: '市场营销' })).toMatchObject({ status: 403, details: { reason: 'purpose_not_granted' } });
  });

  it('refuses a signature from another key, and a request changed after signing', async () => {
    const other = ed25519Signer.generate();
    expect(await refusal(amr, { signWith: other.privateKey })).toMatchObject({ status: 401, details: { reason: 'bad_signature' } });
    expect(await refusal(amr, { tamper: (h) => void (h['x-tongban-fields'] = 'name,address,gender') })).toMatchObject({ status: 401, details: { reason: 'bad_signature' } });
    // the same signed headers, sent for another person's ID number
    const signed = exchange(amr, {});
    const swapped = await get(`/api/v1/exchange/public_security.household?subject=${LI_SI}`, undefined, signed.headers);
    expect(swapped.statusCode).toBe(401);
    expect(swapped.json().error.details.reason).toBe('bad_signature');
  });

  it('refuses a person’s data without a case number', async () => {
    expect(await refusal(amr, { caseNo: null })).toMatchObject({ status: 400, details: { reason: 'case_required' } });
  });

  it('refuses a closed resource', async () => {
    expect(await refusal(amr, { resource: 'public_security.criminal_record', fields: ['hasRecord'] })).toMatchObject({ status: 403, details: { reason: 'closed_resource' } });
  });

  it('refuses a client without the exchange scope or without a registered key, and a staff session', async () => {
    const noScope = await makeClient('130102', 'amr', ['catalogue:read']);
    expect(await refusal(noScope, {})).toMatchObject({ status: 403, details: { reason: 'missing_scope' } });
    const noKey = await makeClient('130102', 'amr', ['exchange:read'], false);
    expect(await refusal(noKey, {})).toMatchObject({ status: 401, details: { reason: 'no_client_key' } });
    const staff = await get(`/api/v1/exchange/public_security.household?subject=${ZHANG_SAN}`, await t.login('reviewer.amr'));
    expect(staff.statusCode).toBe(403);
    expect((await get(`/api/v1/exchange/public_security.household?subject=${ZHANG_SAN}`)).statusCode).toBe(401);
  });

  it('refuses a request signed with a key its department revoked', async () => {
    const c = await makeClient('130102', 'amr');
    const head = await t.login('head.amr');
    const amrId = await dept('130102', 'amr');
    const grantForC = await exchange(c, {}).res; // same department: the department's grant covers every one of its systems
    expect(grantForC.statusCode).toBe(200);
    const keys = (await get(`/api/v1/exchange/clients/${c.id}/keys?department=${amrId}`, head)).json().keys as { keyId: string }[];
    expect(keys).toHaveLength(1);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/exchange/clients/${c.id}/keys/${keys[0]!.keyId}?department=${amrId}`, headers: { cookie: head } });
    expect(del.statusCode).toBe(204);
    // this process cached the key: the statement that records the read finds it revoked
    expect(await refusal(c, {})).toMatchObject({ status: 401, details: { reason: 'revoked_key' } });
    expect(await refusal(c, {})).toMatchObject({ status: 401, details: { reason: 'no_client_key' } });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/exchange/clients/${c.id}/keys/${keys[0]!.keyId}?department=${amrId}`, headers: { cookie: await t.login('reviewer.amr') } })).statusCode).toBe(403);
  });

  it('refuses a request missing its protocol headers (400), naming them', async () => {
    const r = await get(`/api/v1/exchange/public_security.household?subject=${ZHANG_SAN}`, undefined, { authorization: `Bearer ${amr.token}` });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ details: { reason: 'malformed_request' }, message: expect.stringContaining('x-tongban-signature') });
  });

  it('refuses after the provider withdraws the grant, and after a grant expires', async () => {
    const head = await t.login('head.amr');
    const steward = await t.login('steward');
    const purpose = '户籍迁移：核验户主关系';
    const g = (await post('/api/v1/data/grants', { resource: 'public_security.household', fields: ['householdRelation'], purpose, legalBasis: '《户口登记条例》', validUntil: new Date(clock + 3 * 86_400_000).toISOString() }, head)).json();
    expect((await post(`/api/v1/data/grants/${g.id}/decision`, { decision: 'approve' }, steward)).json().status).toBe('granted');
    expect((await exchange(amr, { fields: ['householdRelation'], purpose }).res).statusCode).toBe(200);
    clock += 4 * 86_400_000;
    try {
      expect(await refusal(amr, { fields: ['householdRelation'], purpose })).toMatchObject({ status: 403, details: { reason: 'grant_expired' } });
    } finally {
      clock -= 4 * 86_400_000;
    }
    expect((await post(`/api/v1/data/grants/${g.id}/withdraw`, { reason: '发现超范围使用' }, head)).statusCode).toBe(403);
    expect((await post(`/api/v1/data/grants/${g.id}/withdraw`, { reason: '发现超范围使用' }, steward)).json().status).toBe('withdrawn');
    expect(await refusal(amr, { fields: ['householdRelation'], purpose })).toMatchObject({ status: 403, details: { reason: 'grant_withdrawn' } });
  });
});

describe('who read my data', () => {
  it('takes an objection to the provider’s steward, who answers it', async () => {
    const r = (await (await exchange(amr).res).json()).data.accessRecord as string;
    const citizen = await t.login('citizen');
    expect((await post(`/api/v1/me/access-records/${r}/objections`, { reason: '我没有申请食品经营许可' }, await t.login('business'))).statusCode).toBe(404);
    const o = await post(`/api/v1/me/access-records/${r}/objections`, { reason: '我没有申请食品经营许可' }, citizen);
    expect(o.statusCode).toBe(201);
    const list = (await get('/api/v1/data/objections', await t.login('steward'))).json().objections as { id: string; subjectMasked: string; accessRecord: { readerDepartment: string } }[];
    const mine = list.find((x) => x.id === o.json().id)!;
    expect(mine).toMatchObject({ subjectMasked: '1301**********1233', accessRecord: { readerDepartment: '长安区市场监督管理局' } });
    expect((await get('/api/v1/data/objections', await t.login('reviewer.amr'))).statusCode).toBe(403);
    expect((await post(`/api/v1/data/objections/${mine.id}/answer`, { answer: '经核实，系长安区市场监管局办理您名下个体户变更时核验' }, await t.login('steward'))).statusCode).toBe(204);
    const after = (await get('/api/v1/me/access-records', citizen)).json().records as { id: string; objection: { status: string } | null }[];
    expect(after.find((x) => x.id === r)!.objection).toMatchObject({ status: 'answered' });
  });

  it('records a staff view of a case’s personal data through recordAccess (for the cases module)', async () => {
    const u = await t.runtime.db
      .selectFrom('accounts')
      .innerJoin('departments', 'departments.id', 'accounts.department_id')
      .select(['accounts.id', 'accounts.department_id', 'accounts.roles', 'departments.region_code'])
      .where('username', '=', 'reviewer.amr')
      .executeTakeFirstOrThrow();
    const actor: Actor = { kind: 'staff', accountId: u.id, departmentId: u.department_id!, regionCode: u.region_code, roles: u.roles as Role[] };
    await expect(recordAccess(t.ctx(actor), { subjectKind: 'person', subject: ZHANG_SAN, fields: ['idNumber'], purpose: 'x' })).rejects.toThrow(/inside/);
    const id = await inTransaction(t.ctx(actor), (tx) =>
      recordAccess(tx, { subjectKind: 'person', subject: ZHANG_SAN, fields: ['idNumber', 'phone'], purpose: '审核办件：查看申请人信息', caseNo: 'SP-130102-2026-000123' }),
    );
    const records = (await get('/api/v1/me/access-records', await t.login('citizen'))).json().records as { id: string }[];
    expect(records.find((x) => x.id === id)).toMatchObject({ channel: 'case_view', reader: { kind: 'staff', name: '长安区市场监督管理局' }, fields: ['idNumber', 'phone'] });
  });

  it('shows the provider’s steward who read its data, subjects masked, and nobody else', async () => {
    await (await exchange(amr).res).json();
    const res = await get('/api/v1/data/access-records?resource=public_security.household', await t.login('steward'));
    expect(res.statusCode).toBe(200);
    const records = res.json().records as { subjectMasked: string; reader: { name: string }; grant: string | null }[];
    expect(records[0]).toMatchObject({ subjectMasked: '1301**********1233', reader: { name: '长安区市场监督管理局' }, grant: grantId });
    expect(res.body).not.toContain(ZHANG_SAN);
    expect((await get('/api/v1/data/access-records', await t.login('reviewer.amr'))).statusCode).toBe(403);
  });

  it('shows access records only to their data subject', async () => {
    expect((await get('/api/v1/me/access-records', await t.login('reviewer.amr'))).statusCode).toBe(403);
    expect((await get('/api/v1/me/access-records')).statusCode).toBe(401);
  });
});

describe('免提交: reads that satisfy a material', () => {
  it('shows the applicant their own record with its source and as-of date, and nobody else’s', async () => {
    const res = await get('/api/v1/me/data/public_security.household?fields=name,address', await t.login('citizen'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      resource: { code: 'public_security.household', name: '户籍信息' },
      provider: { name: '石家庄市公安局' },
      fields: { name: '张三', address: '河北省石家庄市长安区建设北大街 15 号' },
      asOf: expect.any(String),
    });
    expect((await get('/api/v1/me/data/amr.business_registration', await t.login('business'))).json().fields).toMatchObject({ legalRepresentative: '李四' });
    expect((await get('/api/v1/me/data/amr.business_registration', await t.login('citizen'))).statusCode).toBe(404);
    expect((await get('/api/v1/me/data/public_security.household', await t.login('reviewer.amr'))).statusCode).toBe(403);
  });

  it('lets a department read for a case under its grant, recording the access, and refuses without one', async () => {
    const u = await t.runtime.db
      .selectFrom('accounts')
      .innerJoin('departments', 'departments.id', 'accounts.department_id')
      .select(['accounts.id', 'accounts.department_id', 'accounts.roles', 'departments.region_code'])
      .where('username', '=', 'reviewer.amr')
      .executeTakeFirstOrThrow();
    const actor: Actor = { kind: 'staff', accountId: u.id, departmentId: u.department_id!, regionCode: u.region_code, roles: u.roles as Role[] };
    const read = await readForCase(t.ctx(actor), { resourceCode: 'public_security.household', subject: ZHANG_SAN, fields: ['address'], purpose: PURPOSE, caseNo: 'SP-130102-2026-000777' });
    expect(read).toMatchObject({ fields: { address: '河北省石家庄市长安区建设北大街 15 号' }, grant: grantId, provider: { name: '石家庄市公安局' } });
    const records = (await get('/api/v1/me/access-records', await t.login('citizen'))).json().records as { id: string; caseNo: string }[];
    expect(records.find((r) => r.id === read.accessRecord)).toMatchObject({ caseNo: 'SP-130102-2026-000777', reader: { kind: 'staff' } });
    await expect(
      readForCase(t.ctx(actor), { resourceCode: 'natural_resources.real_estate', subject: ZHANG_SAN, fields: ['location'], purpose: PURPOSE, caseNo: 'SP-130102-2026-000777' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'no_grant' } });
  });
});
