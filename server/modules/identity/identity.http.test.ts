import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar, creditCodeCheckChar } from '../../../shared/identity-numbers.js';
import { cookieOf, testApp, type TestApp } from '../../../test/support.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

let serial = 0;
function person(overrides: Record<string, unknown> = {}) {
  serial += 1;
  const first17 = `13010219900101${String(100 + serial).slice(-3)}`;
  return {
    kind: 'person',
    username: `person${serial}`,
    password: 'correct horse battery',
    name: '刘洋',
    idNumber: first17 + idNumberCheckChar(first17),
    phone: '13712345678',
    ...overrides,
  };
}

const post = (url: string, payload: unknown, cookie?: string) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: cookie ? { cookie } : {} });

describe('POST /api/v1/auth/register', () => {
  it('registers a person and never returns the full ID number', async () => {
    const body = person();
    const res = await post('/api/v1/auth/register', body);
    expect(res.statusCode).toBe(201);
    const user = res.json().user;
    expect(user).toMatchObject({ kind: 'person', username: body.username, name: '刘洋', phoneMasked: '137****5678' });
    expect(user.idNumberMasked).toBe(`1301**********${(body.idNumber as string).slice(-4)}`);
    expect(res.body).not.toContain(body.idNumber as string);
    expect(res.body).not.toContain('password');
  });

  it('registers a business with its legal representative', async () => {
    const first17 = '91130102MA0ABCDE1';
    const res = await post('/api/v1/auth/register', {
      kind: 'business',
      username: 'acme-food',
      password: 'correct horse battery',
      name: '石家庄测试食品有限公司',
      creditCode: first17 + creditCodeCheckChar(first17),
      legalRepresentative: { name: '王五', idNumber: '130102198801010019' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ kind: 'business', legalRepresentative: { name: '王五', idNumberMasked: '1301**********0019' } });
  });

  it('refuses an ID number with a wrong check digit, naming the field (GB 11643)', async () => {
    const res = await post('/api/v1/auth/register', person({ idNumber: '130102199003071234' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().error.details.issues).toContainEqual({ path: 'idNumber', message: expect.stringContaining('校验码') });
  });

  it('refuses a credit code with a wrong check character (GB 32100), naming the nested field', async () => {
    const res = await post('/api/v1/auth/register', {
      kind: 'business', username: 'badcode', password: 'correct horse battery', name: '某公司',
      creditCode: '91130102MA0DXQ7K31', legalRepresentative: { name: '王五', idNumber: '13010219880101001X' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['creditCode', 'legalRepresentative.idNumber']));
  });

  it.each([
    ['an unknown field', { isAdmin: true }, ''],
    ['a wrong type', { phone: 13712345678 }, 'phone'],
    ['an over-long name', { name: '名'.repeat(51) }, 'name'],
    ['a NUL character', { name: '刘\u0000洋' }, 'name'],
    ['a short password', { password: 'short' }, 'password'],
  ])('answers 400, not 500, for %s', async (_what, patch, field) => {
    const res = await post('/api/v1/auth/register', person(patch));
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.details.issues as { path: string; message: string }[];
    expect(issues.some((i) => i.path === field)).toBe(true);
    expect(res.json().error.requestId).toBeTruthy();
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', headers: { 'content-type': 'application/json' }, payload: '{"kind":"person",' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a second account for the same ID number and leaves nothing half-written', async () => {
    const first = person();
    expect((await post('/api/v1/auth/register', first)).statusCode).toBe(201);
    const again = await post('/api/v1/auth/register', { ...first, username: 'someone-else' });
    expect(again.statusCode).toBe(409);
    const rows = await t.runtime.db.selectFrom('accounts').select('id').where('username', '=', 'someone-else').execute();
    expect(rows).toHaveLength(0);
    const audit = await t.runtime.db.selectFrom('audit_log').select('seq').where('action', '=', 'account.registered').execute();
    const accounts = await t.runtime.db.selectFrom('accounts').select('id').where('kind', 'in', ['person', 'business']).execute();
    expect(audit.length).toBe(accounts.length); // every account has exactly its one registration entry
  });
});

describe('sign-in and sessions', () => {
  it('signs in with an HttpOnly cookie, answers /me, and signs out', async () => {
    const res = await post('/api/v1/auth/login', { username: 'citizen', password: 'tongban-demo' });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'tb_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(Buffer.from(c.value, 'base64url').length).toBeGreaterThanOrEqual(16); // ≥ 128 bits
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: cookieOf(res) } });
    expect(me.json().user).toMatchObject({ username: 'citizen', name: '张三', idNumberMasked: '1301**********1233' });
    expect((await post('/api/v1/auth/logout', {}, cookieOf(res))).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: cookieOf(res) } })).statusCode).toBe(401);
  });

  it('rotates the session id at sign-in: the old id stops working', async () => {
    const first = await t.login('citizen');
    // used once first, so the process has it resolved (authenticate keeps it a few seconds): rotation must still end it
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: first } })).statusCode).toBe(200);
    const res = await post('/api/v1/auth/login', { username: 'citizen', password: 'tongban-demo' }, first);
    const second = cookieOf(res);
    expect(second).not.toBe(first);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: second } })).statusCode).toBe(200);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await post('/api/v1/auth/login', { username: 'nobody-here', password: 'whatever-pass' });
    const wrong = await post('/api/v1/auth/login', { username: 'business', password: 'whatever-pass' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    expect(unknown.json().error.code).toBe(wrong.json().error.code);
  });

  it('locks an account for 15 minutes after 5 failed attempts, even against the right password', async () => {
    const body = person();
    await post('/api/v1/auth/register', body);
    for (let i = 0; i < 5; i++) expect((await post('/api/v1/auth/login', { username: body.username, password: 'wrong-password' })).statusCode).toBe(401);
    const locked = await post('/api/v1/auth/login', { username: body.username, password: body.password });
    expect(locked.statusCode).toBe(401);
    const row = await t.runtime.db.selectFrom('accounts').select('locked_until').where('username', '=', body.username as string).executeTakeFirstOrThrow();
    const minutes = (row.locked_until!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    await t.runtime.sealer.flush();
    const entry = await t.runtime.db.selectFrom('audit_log').select('action').where('action', '=', 'account.locked').executeTakeFirst();
    expect(entry).toBeDefined();
  });

  it('answers 401 to /me without a session', async () => {
    const res = await t.app.inject({ url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED', requestId: expect.any(String) });
  });
});

describe('staff and departments', () => {
  const deptId = async (region: string, kind: string) =>
    (await t.runtime.db.selectFrom('departments').select('id').where('region_code', '=', region).where('kind', '=', kind).executeTakeFirstOrThrow()).id;

  it('lets a department head list their own staff', async () => {
    const head = await t.login('head.amr');
    const res = await t.app.inject({ url: `/api/v1/departments/${await deptId('130102', 'amr')}/staff`, headers: { cookie: head } });
    expect(res.statusCode).toBe(200);
    expect(res.json().staff.map((s: { username: string }) => s.username)).toEqual(expect.arrayContaining(['reviewer.amr', 'inspector']));
  });

  it('refuses staff of one department reading another department’s staff list (403)', async () => {
    const head = await t.login('head.amr');
    const res = await t.app.inject({ url: `/api/v1/departments/${await deptId('130102', 'health')}/staff`, headers: { cookie: head } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('refuses an applicant creating staff (403) and a head minting an administrator (403)', async () => {
    const amr = await deptId('130102', 'amr');
    const body = { username: 'x.staff', password: 'correct horse battery', name: '某人', departmentId: amr, roles: ['reviewer'] };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/staff', payload: body, headers: { cookie: await t.login('citizen') } })).statusCode).toBe(403);
    const head = await t.login('head.amr');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/staff', payload: { ...body, roles: ['system_admin'] }, headers: { cookie: head } })).statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/staff', payload: body, headers: { cookie: head } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().user.department.name).toBe('长安区市场监督管理局');
  });

  it('issues an API client whose bearer token authenticates a department system, stored only as a hash', async () => {
    const admin = await t.login('admin');
    const amr = await deptId('130102', 'amr');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-clients', payload: { departmentId: amr, name: '市场监管审批系统', scopes: ['exchange:read'] }, headers: { cookie: admin } });
    expect(res.statusCode).toBe(201);
    const { token, client } = res.json();
    const stored = await t.runtime.db.selectFrom('api_clients').select('token_hash').where('id', '=', client.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const asSystem = await t.app.inject({ url: `/api/v1/api-clients?department=${amr}`, headers: { authorization: `Bearer ${token}` } });
    expect(asSystem.statusCode).toBe(403); // a system is not a department head
    const bad = await t.app.inject({ url: '/api/v1/regions', headers: { authorization: 'Bearer tbk_not-a-real-token' } });
    expect(bad.statusCode).toBe(401);
  });
});

describe('rate limits', () => {
  it('answers 429 once the sign-in limit is spent', async () => {
    const limited = await testApp({ config: { authRateLimit: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push((await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'citizen', password: 'nope-nope-nope' } })).statusCode);
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[3]).toBe(429);
      const last = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'citizen', password: 'nope' } });
      expect(last.json().error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('cross-site requests', () => {
  it('refuses a text/plain body, which a cross-site form could send without a preflight', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: '{"username":"citizen","password":"tongban-demo"}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
