import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/support.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

describe('GET /api/v1/regions', () => {
  it('lists the 11 cities of Hebei and 雄安新区 under 130000', async () => {
    const res = await t.app.inject({ url: '/api/v1/regions?parent=130000' });
    expect(res.statusCode).toBe(200);
    const regions = res.json().regions as { code: string; name: string; level: string }[];
    expect(regions.map((r) => r.code)).toEqual([
      '130100', '130200', '130300', '130400', '130500', '130600', '130700', '130800', '130900', '131000', '131100', '133100',
    ]);
    expect(regions.find((r) => r.code === '133100')).toMatchObject({ name: '雄安新区', level: 'city', inGb2260: false });
  });

  it('has the 167 county-level divisions of GB/T 2260, 雄安 counties governed by 133100 and filed under 保定', async () => {
    const cities = (await t.app.inject({ url: '/api/v1/regions?parent=130000' })).json().regions as { code: string }[];
    let counties = 0;
    for (const c of cities) counties += (await t.app.inject({ url: `/api/v1/regions?parent=${c.code}` })).json().regions.length;
    expect(counties).toBe(167);
    const xiong = (await t.app.inject({ url: '/api/v1/regions/130638' })).json();
    expect(xiong).toMatchObject({ name: '雄县', parentCode: '133100', gbParentCode: '130600' });
    expect(xiong.path.map((p: { code: string }) => p.code)).toEqual(['130000', '133100', '130638']);
  });

  it('gives one region with its path', async () => {
    const res = await t.app.inject({ url: '/api/v1/regions/130102' });
    expect(res.json()).toMatchObject({ code: '130102', name: '长安区', level: 'county', path: [{ name: '河北省' }, { name: '石家庄市' }, { name: '长安区' }] });
  });

  it('answers 404 for an unknown code and 400 for a malformed one', async () => {
    expect((await t.app.inject({ url: '/api/v1/regions/139999' })).json().error.code).toBe('NOT_FOUND');
    const bad = await t.app.inject({ url: '/api/v1/regions/12ab' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('params.code');
  });
});

describe('GET /api/v1/departments', () => {
  it('lists the departments of 长安区', async () => {
    const res = await t.app.inject({ url: '/api/v1/departments?region=130102' });
    const names = (res.json().departments as { name: string }[]).map((d) => d.name);
    expect(names).toContain('长安区市场监督管理局');
    expect(names).toContain('长安区卫生健康局');
    expect(names).toContain('长安区政务服务中心');
  });

  it('requires the region', async () => {
    const res = await t.app.inject({ url: '/api/v1/departments' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe('querystring.region');
  });
});
