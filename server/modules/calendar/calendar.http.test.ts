import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/support.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

const deadline = (q: string) => t.app.inject({ url: `/api/v1/calendar/deadline?${q}` });

describe('GET /api/v1/calendar/deadline', () => {
  it('counts working days across 国庆 2026, the start day excluded', async () => {
    const res = await deadline('region=130102&from=2026-09-30&days=3');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ deadline: '2026-10-10', provisional: false }); // 10-08, 10-09, make-up Saturday 10-10
  });

  it('refuses a malformed date, negative days and an unknown region with the field named', async () => {
    expect((await deadline('region=130102&from=2026-13-01&days=3')).json().error.details.issues[0].path).toBe('from');
    expect((await deadline('region=130102&from=2026-09-30&days=-1')).json().error.details.issues[0].path).toBe('querystring.days');
    expect((await deadline('region=139999&from=2026-09-30&days=1')).statusCode).toBe(404);
  });

  it('applies a city holiday to its districts once a system administrator declares it', async () => {
    const before = (await deadline('region=130102&from=2026-12-03&days=1')).json().deadline;
    expect(before).toBe('2026-12-04');
    const citizen = await t.login('citizen');
    const body = { kind: 'holiday', reason: '地方性休息日（测试）' };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/overrides/130100/2026-12-04', payload: body, headers: { cookie: citizen } })).statusCode).toBe(403);
    const admin = await t.login('admin');
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/overrides/130100/2026-12-04', payload: body, headers: { cookie: admin } })).statusCode).toBe(204);
    expect((await deadline('region=130102&from=2026-12-03&days=1')).json().deadline).toBe('2026-12-07');
    expect((await deadline('region=130200&from=2026-12-03&days=1')).json().deadline).toBe('2026-12-04'); // 唐山 unaffected
  });
});
