import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/support.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

describe('security headers', () => {
  it('sends the content security policy and helmet’s other headers on API answers and errors alike', async () => {
    for (const url of ['/healthz', '/api/v1/regions/130102', '/api/v1/no-such-route']) {
      const res = await t.app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      // plain http (the test config): no HSTS and no upgrade-insecure-requests, which would break a LAN install
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });
});

describe('text the database cannot store', () => {
  it('answers 400 naming each field with a NUL or a lone surrogate, and files nothing', async () => {
    const cookie = await t.login('business');
    const count = async () => Number((await t.runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    // written as JSON text: a client can send these escapes, JSON.parse gives the characters
    const payload = '{"itemCode":"HB-NO-SUCH-ITEM","regionCode":"130102","form":{"entityName":"测试\\u0000公司","note":"\\ud800"},"materials":[]}';
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/cases', payload, headers: { cookie, 'content-type': 'application/json', 'idempotency-key': 'storable-text-1' } });
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.path)).toEqual(['form.entityName', 'form.note']);
    expect(await count()).toBe(before);
    // in a query string too
    const q = await t.app.inject({ url: '/api/v1/items?q=%00', headers: { cookie } });
    expect(q.statusCode).toBe(400);
    expect((q.json() as { error: { details: { issues: { path: string }[] } } }).error.details.issues[0]!.path).toBe('querystring.q');
  });
});
