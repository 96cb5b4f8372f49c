import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/support.js';
import { staffActor } from '../../../test/items.js';
import { inTransaction } from '../../core/ctx.js';
import type { Actor } from '../../core/actor.js';
import { holderCertificates, issueCertificate, type IssueCertificateInput } from './index.js';

const KEK = 'test-key-encryption-key-0123456789abcdef';
let t: TestApp;
let clock = Date.parse('2026-11-26T02:00:00Z');
beforeAll(async () => {
  process.env.TONGBAN_KEY_ENCRYPTION_KEY = KEK;
  t = await testApp({ now: () => new Date(clock) });
});
afterAll(async () => {
  delete process.env.TONGBAN_KEY_ENCRYPTION_KEY;
  delete process.env.TONGBAN_CERT_ALGORITHM;
  await t?.close();
});

const staff = (username: string): Promise<Actor> => staffActor(t.runtime.db, username);

const dept = async (region: string, kind: string) =>
  (await t.runtime.db.selectFrom('departments').select('id').where('region_code', '=', region).where('kind', '=', kind).executeTakeFirstOrThrow()).id;

async function issue(by: string, input: Partial<IssueCertificateInput> = {}) {
  const actor = await staff(by);
  const amr = await dept('130102', 'amr');
  return inTransaction(t.ctx(actor), (tx) =>
    issueCertificate(tx, {
      type: 'food_business_licence',
      holder: { kind: 'business', creditCode: '91130102MA0DXQ7K30', name: '石家庄市长安区通办餐饮有限公司' },
      fields: { premises: '石家庄市长安区中山东路 100 号', businessItems: '热食类食品制售' },
      issuerDepartmentId: amr,
      validUntil: '2031-11-25T16:00:00.000Z',
      caseNo: 'CASE-TEST-1',
      ...input,
    }),
  );
}

const get = (url: string, cookie?: string) => t.app.inject({ url, headers: cookie ? { cookie } : {} });
const post = (url: string, payload: unknown, cookie?: string) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: cookie ? { cookie } : {} });

describe('issuing (issueCertificate, called by cases in its transaction)', () => {
  it('issues a signed certificate whose number follows the documented format', async () => {
    const c = await issue('reviewer.amr');
    expect(c.certNo).toMatch(/^SPJY-130102-2026-\d{7}[0-9A-Z]$/);
    expect(c.document).toMatchObject({ algorithm: 'ed25519', keyId: expect.stringMatching(/^ed25519-[0-9a-f]{16}$/) });
    expect(c.document.certificate).toMatchObject({ type: 'food_business_licence', typeName: '食品经营许可证', issuer: { name: '长安区市场监督管理局' }, caseNo: 'CASE-TEST-1' });
    const res = await get(`/api/v1/certificates/${c.certNo}/verify`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: true, status: 'valid', type: 'food_business_licence', holder: { kind: 'business', idMasked: '91130102MA0DXQ7K30' } });
  });

  it('refuses to run outside the caller’s transaction', async () => {
    const actor = await staff('reviewer.amr');
    await expect(
      issueCertificate(t.ctx(actor), { type: 'business_licence', holder: { kind: 'business', creditCode: '91130102MA0DXQ7K30', name: 'x' }, fields: {}, issuerDepartmentId: await dept('130102', 'amr') }),
    ).rejects.toThrow(/inside the caller/);
  });

  it('refuses a reviewer of another department (403) and writes nothing', async () => {
    const before = await t.runtime.db.selectFrom('certificates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(issue('reviewer.health')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const after = await t.runtime.db.selectFrom('certificates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('refuses a holder ID number with a wrong check digit, naming the field', async () => {
    await expect(issue('reviewer.amr', { holder: { kind: 'person', idNumber: '130102199003071234', name: '张三' } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'holder.idNumber' })] },
    });
  });

  it('keeps private keys encrypted at rest and out of every response and audit entry', async () => {
    await issue('reviewer.amr');
    const keys = await t.runtime.db.selectFrom('certificate_keys').select(['key_id', 'private_key', 'encrypted']).execute();
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k.encrypted).toBe(true);
      expect(k.private_key).toMatch(/^v1\./);
      expect(k.private_key).not.toContain('PRIVATE KEY');
    }
    const published = await get('/api/v1/certificates/keys');
    expect(published.statusCode).toBe(200);
    expect(published.body).not.toContain('PRIVATE');
    expect(published.json().keys[0]).toMatchObject({ algorithm: 'ed25519', departmentName: '长安区市场监督管理局', publicKey: expect.stringContaining('BEGIN PUBLIC KEY') });
    await t.runtime.sealer.flush();
    const audit = await t.runtime.db.selectFrom('audit_log').select(['details']).execute();
    expect(JSON.stringify(audit)).not.toMatch(/PRIVATE|v1\.[A-Za-z0-9_-]{16}/);
  });
});

describe('verifying a presented document (POST /certificates/verify)', () => {
  it('accepts the document as issued', async () => {
    const c = await issue('reviewer.amr');
    const res = await post('/api/v1/certificates/verify', c.document);
    expect(res.json()).toMatchObject({ valid: true, status: 'valid', certNo: c.certNo, issuer: { name: '长安区市场监督管理局' } });
  });

  it('refuses one with a field changed: signature mismatch', async () => {
    const c = await issue('reviewer.amr');
    const doc = structuredClone(c.document);
    doc.certificate.fields.businessItems = '热食类食品制售；生食类食品制售';
    const res = await post('/api/v1/certificates/verify', doc);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: false, status: 'invalid', reason: 'signature_mismatch', message: expect.stringContaining('被改动') });
  });

  it('refuses one signed with another department’s key: issuer mismatch', async () => {
    const amr = await issue('reviewer.amr');
    const health = await issue('reviewer.health', { type: 'public_place_hygiene_licence', issuerDepartmentId: await dept('130102', 'health') });
    // the health key signs a certificate that names amr as its issuer
    const forged = { ...health.document, certificate: { ...health.document.certificate, issuer: amr.document.certificate.issuer } };
    forged.certificate.issuer = { ...forged.certificate.issuer, keyId: health.document.keyId };
    const res = await post('/api/v1/certificates/verify', forged);
    expect(res.json()).toMatchObject({ valid: false, reason: 'issuer_mismatch' });
  });

  it('refuses a key nobody published', async () => {
    const c = await issue('reviewer.amr');
    const res = await post('/api/v1/certificates/verify', { ...c.document, keyId: 'ed25519-0123456789abcdef' });
    expect(res.json()).toMatchObject({ valid: false, reason: 'unknown_key' });
  });

  it('refuses a validly signed document the registry does not hold', async () => {
    const c = await issue('reviewer.amr');
    await t.runtime.db.deleteFrom('certificates').where('cert_no', '=', c.certNo).execute();
    expect((await post('/api/v1/certificates/verify', c.document)).json()).toMatchObject({ valid: false, reason: 'not_registered' });
  });

  it('answers malformed (200, valid false) for a document of the wrong shape, and 400 for a body that is not one', async () => {
    expect((await post('/api/v1/certificates/verify', { certificate: {}, signature: 'x', keyId: 'k', algorithm: 'ed25519' })).json()).toMatchObject({ valid: false, reason: 'malformed' });
    expect((await post('/api/v1/certificates/verify', { hello: 'world' })).statusCode).toBe(400);
  });
});

describe('revocation', () => {
  it('lets the issuing department revoke with a reason, audited; verification then says revoked', async () => {
    const c = await issue('reviewer.amr');
    const other = await post(`/api/v1/certificates/${c.certNo}/revoke`, { reason: '经营者申请注销' }, await t.login('reviewer.health'));
    expect(other.statusCode).toBe(403);
    const holder = await post(`/api/v1/certificates/${c.certNo}/revoke`, { reason: '经营者申请注销' }, await t.login('business'));
    expect(holder.statusCode).toBe(403);
    const res = await post(`/api/v1/certificates/${c.certNo}/revoke`, { reason: '经营者申请注销' }, await t.login('reviewer.amr'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: false, status: 'revoked', reason: 'revoked', revokedAt: expect.any(String) });
    expect((await get(`/api/v1/certificates/${c.certNo}/verify`)).json()).toMatchObject({ valid: false, status: 'revoked' });
    expect((await post('/api/v1/certificates/verify', c.document)).json()).toMatchObject({ valid: false, status: 'revoked', message: expect.stringContaining('经营者申请注销') });
    const again = await post(`/api/v1/certificates/${c.certNo}/revoke`, { reason: '再次' }, await t.login('head.amr'));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE_TRANSITION');
    const entry = await t.runtime.db.selectFrom('audit_log').select(['subject', 'details']).where('action', '=', 'certificate.revoked').executeTakeFirstOrThrow();
    expect(entry.subject).toEqual({ certificate: c.certNo });
  });
});

describe('expiry', () => {
  it('reports a certificate past its validity as expired once the clock passes it', async () => {
    const c = await issue('reviewer.amr', { validUntil: new Date(clock + 86_400_000).toISOString() });
    expect((await get(`/api/v1/certificates/${c.certNo}/verify`)).json().status).toBe('valid');
    clock += 2 * 86_400_000;
    try {
      expect((await get(`/api/v1/certificates/${c.certNo}/verify`)).json()).toMatchObject({ valid: false, status: 'expired', reason: 'expired' });
      expect((await post('/api/v1/certificates/verify', c.document)).json()).toMatchObject({ valid: false, reason: 'expired' });
    } finally {
      clock -= 2 * 86_400_000;
    }
  });

  it('answers 404 for a number that is not registered and for one whose check character is wrong', async () => {
    const c = await issue('reviewer.amr');
    const wrongCheck = c.certNo.slice(0, -1) + (c.certNo.endsWith('0') ? '1' : '0');
    expect((await get(`/api/v1/certificates/${wrongCheck}/verify`)).statusCode).toBe(404);
    expect((await get('/api/v1/certificates/not-a-number/verify')).statusCode).toBe(400);
  });
});

describe('the wallet (证照夹)', () => {
  it('shows the business its own certificates with their signed documents, and nobody else’s', async () => {
    const c = await issue('reviewer.amr');
    const mine = await get('/api/v1/me/certificates', await t.login('business'));
    expect(mine.statusCode).toBe(200);
    const list = mine.json().certificates as { certNo: string; document: unknown }[];
    expect(list.map((x) => x.certNo)).toContain(c.certNo);
    expect(list.find((x) => x.certNo === c.certNo)!.document).toEqual(c.document);
    const citizen = await get('/api/v1/me/certificates', await t.login('citizen'));
    expect(citizen.json().certificates.map((x: { certNo: string }) => x.certNo)).not.toContain(c.certNo);
    expect((await get('/api/v1/me/certificates')).statusCode).toBe(401);
    expect((await get('/api/v1/me/certificates', await t.login('reviewer.amr'))).statusCode).toBe(403);
  });

  it('holds the demo certificates digitised by the seed', async () => {
    const list = (await get('/api/v1/me/certificates', await t.login('business'))).json().certificates as { type: string }[];
    expect(list.map((c) => c.type)).toEqual(expect.arrayContaining(['business_licence', 'food_business_licence']));
  });
});

describe('share links (亮证)', () => {
  it('lets the holder show a certificate for a while, masked, and withdraw it', async () => {
    const c = await issue('reviewer.amr');
    const business = await t.login('business');
    const res = await post(`/api/v1/me/certificates/${c.certNo}/shares`, { minutes: 10 }, business);
    expect(res.statusCode).toBe(201);
    const share = res.json();
    expect(share.url).toMatch(/\/certificates\/shared\/tbs_/); // the web page; the API answers the same path under /api/v1
    const path = `/api/v1${new URL(share.url).pathname}`;
    const seen = await get(path);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ certNo: c.certNo, valid: true, fields: { businessItems: '热食类食品制售' } });
    const stored = await t.runtime.db.selectFrom('certificate_shares').select('token_hash').where('id', '=', share.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(share.token);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/me/certificates/${c.certNo}/shares/${share.id}`, headers: { cookie: business } })).statusCode).toBe(204);
    expect((await get(path)).statusCode).toBe(404);
  });

  it('expires a link after its minutes', async () => {
    const c = await issue('reviewer.amr');
    const share = (await post(`/api/v1/me/certificates/${c.certNo}/shares`, { minutes: 5 }, await t.login('business'))).json();
    clock += 6 * 60_000;
    try {
      expect((await get(`/api/v1${new URL(share.url).pathname}`)).statusCode).toBe(404);
    } finally {
      clock -= 6 * 60_000;
    }
  });

  it('masks a person holder’s name and ID number', async () => {
    const c = await issue('reviewer.amr', { type: 'business_licence', holder: { kind: 'person', idNumber: '130102199003071233', name: '张三' } });
    const share = (await post(`/api/v1/me/certificates/${c.certNo}/shares`, { minutes: 5 }, await t.login('citizen'))).json();
    const seen = await get(`/api/v1${new URL(share.url).pathname}`);
    expect(seen.json().holder).toEqual({ kind: 'person', name: '张*', idMasked: '1301**********1233' });
    expect(seen.body).not.toContain('130102199003071233');
  });

  it('refuses sharing someone else’s certificate (403) and a link longer than a day (400)', async () => {
    const c = await issue('reviewer.amr');
    expect((await post(`/api/v1/me/certificates/${c.certNo}/shares`, { minutes: 10 }, await t.login('citizen'))).statusCode).toBe(403);
    expect((await post(`/api/v1/me/certificates/${c.certNo}/shares`, { minutes: 2000 }, await t.login('business'))).statusCode).toBe(400);
  });
});

describe('the printable copy', () => {
  it('gives the holder and the issuer a PDF, and nobody else', async () => {
    const c = await issue('reviewer.amr');
    const res = await get(`/api/v1/certificates/${c.certNo}/pdf`, await t.login('business'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(`/api/v1/certificates/${c.certNo}/pdf`, await t.login('head.amr'))).statusCode).toBe(200);
    expect((await get(`/api/v1/certificates/${c.certNo}/pdf`, await t.login('citizen'))).statusCode).toBe(403);
    expect((await get(`/api/v1/certificates/${c.certNo}/pdf`, await t.login('reviewer.health'))).statusCode).toBe(403);
  });
});

describe('digitising paper licences (import)', () => {
  it('lets the issuing department import licences with their numbers, once', async () => {
    const body = {
      type: 'food_business_licence',
      issuerDepartmentId: await dept('130102', 'amr'),
      licences: [
        { originalNo: 'JY11301020012345', holder: { kind: 'business', creditCode: '91130102MA0DXQ7K30', name: '石家庄市长安区通办餐饮有限公司' }, fields: { premises: '中山东路 100 号' } },
        { originalNo: 'JY11301020012346', holder: { kind: 'person', idNumber: '130102199003071233', name: '张三' }, fields: {}, validUntil: '2030-01-01T00:00:00+08:00' },
      ],
    };
    expect((await post('/api/v1/certificates/import', body, await t.login('reviewer.health'))).statusCode).toBe(403);
    const res = await post('/api/v1/certificates/import', body, await t.login('head.amr'));
    expect(res.statusCode).toBe(201);
    const imported = res.json().imported as { originalNo: string; certNo: string }[];
    expect(imported).toHaveLength(2);
    const v = (await get(`/api/v1/certificates/${imported[1]!.certNo}/verify`)).json();
    expect(v).toMatchObject({ valid: true, holder: { kind: 'person', idMasked: '1301**********1233' } });
    const again = await post('/api/v1/certificates/import', body, await t.login('head.amr'));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('JY11301020012345');
  });
});

describe('SM2 with SM3 as the configured provider', () => {
  it('signs new department keys with SM2 and verifies them through the API', async () => {
    process.env.TONGBAN_CERT_ALGORITHM = 'sm2';
    try {
      const c = await issue('reviewer.amr', { type: 'business_licence' });
      expect(c.document.algorithm).toBe('sm2');
      expect(c.document.keyId).toMatch(/^sm2-/);
      expect((await post('/api/v1/certificates/verify', c.document)).json()).toMatchObject({ valid: true });
      const changed = structuredClone(c.document);
      changed.certificate.holder.name = '别家公司';
      expect((await post('/api/v1/certificates/verify', changed)).json()).toMatchObject({ valid: false, reason: 'signature_mismatch' });
      const keys = (await get('/api/v1/certificates/keys')).json().keys as { algorithm: string; publicKey: string }[];
      expect(keys.find((k) => k.algorithm === 'sm2')!.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    } finally {
      delete process.env.TONGBAN_CERT_ALGORITHM;
    }
  });
});

describe('holderCertificates (免提交 by certificate)', () => {
  it('lists what a holder holds, by type, for staff and for the holder only', async () => {
    const c = await issue('reviewer.amr');
    const holder = { kind: 'business' as const, id: '91130102MA0DXQ7K30' };
    const asStaff = await holderCertificates(t.ctx(await staff('reviewer.health')), holder, ['food_business_licence']);
    expect(asStaff.map((x) => x.certNo)).toContain(c.certNo);
    expect(asStaff.every((x) => x.type === 'food_business_licence')).toBe(true);
    const citizen = await t.runtime.db.selectFrom('accounts').select('id').where('username', '=', 'citizen').executeTakeFirstOrThrow();
    await expect(holderCertificates(t.ctx({ kind: 'person', accountId: citizen.id, regionCode: '130102' }), holder)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the public lookups', () => {
  it('are rate limited per IP, so that sequential numbers cannot be walked (429 past the limit)', async () => {
    process.env.TONGBAN_VERIFY_RATE_LIMIT = '3';
    const limited = await testApp({ demo: false });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.app.inject({ url: `/api/v1/certificates/YYZZ-130102-2026-000000${i}0/verify` })).statusCode);
      expect(codes).toEqual([404, 404, 404, 429]);
    } finally {
      delete process.env.TONGBAN_VERIFY_RATE_LIMIT;
      await limited.close();
    }
  });
});

describe('key rotation', () => {
  it('retires the department’s key: what it signed stays valid, new certificates use the new key', async () => {
    const before = await issue('reviewer.amr');
    const amr = await dept('130102', 'amr');
    expect((await post('/api/v1/certificates/keys/rotate', { departmentId: amr }, await t.login('reviewer.amr'))).statusCode).toBe(403);
    expect((await post('/api/v1/certificates/keys/rotate', { departmentId: await dept('130102', 'health') }, await t.login('head.amr'))).statusCode).toBe(403);
    clock += 1000;
    try {
      const res = await post('/api/v1/certificates/keys/rotate', { departmentId: amr }, await t.login('head.amr'));
      expect(res.statusCode).toBe(200);
      const { retired, current } = res.json();
      expect(retired).toContain(before.document.keyId);
      expect(current.keyId).not.toBe(before.document.keyId);
      clock += 1000;
      const after = await issue('reviewer.amr');
      expect(after.document.keyId).toBe(current.keyId);
      expect((await post('/api/v1/certificates/verify', before.document)).json()).toMatchObject({ valid: true });
      expect((await post('/api/v1/certificates/verify', after.document)).json()).toMatchObject({ valid: true });
      const keys = (await get('/api/v1/certificates/keys')).json().keys as { keyId: string; retiredAt: string | null }[];
      expect(keys.find((k) => k.keyId === before.document.keyId)!.retiredAt).not.toBeNull();
    } finally {
      clock -= 2000;
    }
  });
});
