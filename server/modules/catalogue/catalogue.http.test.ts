import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/support.js';

let t: TestApp;
let catalogue: string;
let headAmr: string;
let reviewerAmr: string;
let citizen: string;

beforeAll(async () => {
  t = await testApp();
  [catalogue, headAmr, reviewerAmr, citizen] = await Promise.all([t.login('catalogue'), t.login('head.amr'), t.login('reviewer.amr'), t.login('citizen')]);
});
afterAll(async () => t?.close());

const get = (url: string, cookie?: string) => t.app.inject({ url, ...(cookie ? { headers: { cookie } } : {}) });
const paths = (res: { json(): any }) => res.json().error.details.issues.map((i: { path: string }) => i.path);
const post = (url: string, payload: unknown, cookie?: string) => t.app.inject({ method: 'POST', url, payload: payload as object, ...(cookie ? { headers: { cookie } } : {}) });

/** A draft implementation of 食品经营许可 in 长安区, as its department head would send it. */
async function foodLicenceDraft(over: Record<string, unknown> = {}) {
  const current = (await get('/api/v1/items/HB-01-AMR-001')).json().implementations.find((i: { regionCode: string }) => i.regionCode === '130102');
  const { itemCode, regionCode, promisedDays, caseType, onlineDepth, visitsRequired, fees, materials, formSchema, reviewPlan, serviceHall, officeHours, consultPhone, complaintPhone } = current;
  return { itemCode, regionCode, promisedDays, caseType, onlineDepth, visitsRequired, fees, materials, formSchema, reviewPlan, serviceHall, officeHours, consultPhone, complaintPhone, reason: '压缩承诺时限', ...over };
}

describe('GET /api/v1/items', () => {
  it('lists the whole catalogue in code order without q, with the total', async () => {
    const res = await get('/api/v1/items?limit=500');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBeGreaterThanOrEqual(50);
    const codes = body.items.map((i: { itemCode: string }) => i.itemCode);
    expect(codes).toEqual([...codes].sort());
    expect(body.items[0]).toEqual({ itemCode: expect.any(String), name: expect.any(String), itemType: expect.any(String), department: expect.stringMatching(/^河北省|^国家税务总局河北省/), departmentKind: expect.any(String) });
  });

  it('pages, and filters by applicant kind, department and type', async () => {
    const page = (await get('/api/v1/items?limit=5&offset=5')).json();
    expect(page.items).toHaveLength(5);
    const health = (await get('/api/v1/items?department=health&type=licensing')).json();
    expect(health.items.length).toBeGreaterThanOrEqual(3);
    expect(health.items.every((i: { departmentKind: string; itemType: string }) => i.departmentKind === 'health' && i.itemType === 'licensing')).toBe(true);
    const people = (await get('/api/v1/items?kind=person&q=结婚')).json();
    expect(people.items[0].name).toBe('结婚登记');
  });

  it('understands people: 开饭店 finds 食品经营许可 first', async () => {
    const body = (await get(`/api/v1/items?q=${encodeURIComponent('我想开个饭店')}`)).json();
    expect(body.items[0]).toMatchObject({ itemCode: 'HB-01-AMR-001', name: '食品经营许可', department: '河北省市场监督管理局' });
    expect(body.items[0].score).toBeGreaterThan(0);
  });

  it('puts an exact code first, and a code prefix finds the family', async () => {
    expect((await get('/api/v1/items?q=HB-07-PS-001')).json().items[0].itemCode).toBe('HB-07-PS-001');
    const family = (await get('/api/v1/items?q=hb-01-amr')).json().items.map((i: { itemCode: string }) => i.itemCode);
    expect(family.length).toBeGreaterThanOrEqual(5);
    expect(family.every((c: string) => c.startsWith('HB-01-AMR'))).toBe(true);
  });

  it('filters by region: items an applicant there can apply for, at that level or above', async () => {
    const changan = (await get('/api/v1/items?region=130102&limit=500')).json().items.map((i: { itemCode: string }) => i.itemCode);
    expect(changan).toContain('HB-01-AMR-001'); // 长安区 itself
    expect(changan).toContain('HB-07-NR-004'); // 石家庄市 (不动产登记)
    expect(changan).toContain('HB-01-ECO-003'); // 河北省 (危险废物经营许可)
    const province = (await get('/api/v1/items?region=130000&limit=500')).json().items.map((i: { itemCode: string }) => i.itemCode);
    expect(province).not.toContain('HB-01-AMR-001');
  });

  it('refuses a page above 500 and a bad filter, naming the parameter', async () => {
    const res = await get('/api/v1/items?limit=501');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe('querystring.limit');
    expect((await get('/api/v1/items?type=magic')).json().error.details.issues[0].path).toBe('querystring.type');
  });
});

describe('GET /api/v1/items/:itemCode and the guide', () => {
  it('gives the standard with its current implementations', async () => {
    const body = (await get('/api/v1/items/HB-01-AMR-001')).json();
    expect(body.item).toMatchObject({ itemCode: 'HB-01-AMR-001', itemTypeCode: '01', itemTypeName: '行政许可', statutoryDays: 10, resultType: { code: 'food_business_licence', name: '食品经营许可证' }, status: 'published' });
    expect(body.item.legalBasis).toContain('《中华人民共和国食品安全法》第三十五条');
    expect(body.implementations.map((i: { regionCode: string }) => i.regionCode).sort()).toEqual(['130102', '133100']);
  });

  it('publishes the 十公开 of 食品经营许可 in 长安区', async () => {
    const res = await get('/api/v1/items/HB-01-AMR-001/guide?region=130102');
    expect(res.statusCode).toBe(200);
    const g = res.json();
    expect(g).toMatchObject({
      name: '食品经营许可',
      regionCode: '130102',
      department: { name: '长安区市场监督管理局' },
      promisedDays: 5,
      statutoryDays: 10,
      consultPhone: '12345',
      complaintPhone: '12345',
      serviceHall: '长安区政务服务中心',
      pilot: null,
      implementationVersion: 1,
    });
    expect(g.conditions.length).toBeGreaterThan(20);
    expect(g.materials[0]).toMatchObject({ id: 'm1', name: '食品经营许可申请书', form: 'original', formName: '原件', count: 1 });
    expect(g.materials.find((m: { id: string }) => m.id === 'm2')).toMatchObject({ satisfiedBy: { certificateType: 'business_licence' } });
    expect(g.procedure.map((p: { name: string }) => p.name)).toEqual(['申请', '受理', '审查', '决定', '办结']);
    expect(g.procedure[2].parallel).toHaveLength(2); // 材料审查 and 现场核查 side by side
    expect(g.formSchema.properties.mainFormat.enum).toContain('餐饮服务经营者');
    expect(g.implementationVersionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('falls back to the nearest level above, and says 404 where no level implements it', async () => {
    expect((await get('/api/v1/items/HB-07-NR-004/guide?region=130102')).json()).toMatchObject({ regionCode: '130100', requestedRegion: '130102' });
    const none = await get('/api/v1/items/HB-01-AMR-001/guide?region=130104');
    expect(none.statusCode).toBe(404);
    expect((await get('/api/v1/items/NO-SUCH/guide?region=130102')).statusCode).toBe(404);
  });
});

describe('writing the standard', () => {
  const item = {
    itemCode: 'T-01-AMR-800',
    name: '测试经营许可',
    itemType: 'licensing',
    applicantKinds: ['business'],
    legalBasis: '《中华人民共和国行政许可法》第十二条',
    setAtLevel: 'province',
    statutoryDays: 20,
    competentDepartmentKind: 'amr',
    conditions: '具备条件',
    reason: '新增事项',
  };

  it('lets the province catalogue_admin draft and publish, and nobody else', async () => {
    expect((await post('/api/v1/items', item)).statusCode).toBe(401);
    const forbidden = await post('/api/v1/items', item, headAmr);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    const draft = await post('/api/v1/items', item, catalogue);
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toMatchObject({ itemCode: 'T-01-AMR-800', version: 1, status: 'draft' });
    expect((await post('/api/v1/items/T-01-AMR-800/versions/1/publish', {}, headAmr)).statusCode).toBe(403);
    const pub = await post('/api/v1/items/T-01-AMR-800/versions/1/publish', {}, catalogue);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().status).toBe('published');
    const again = await post('/api/v1/items/T-01-AMR-800/versions/1/publish', {}, catalogue);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE_TRANSITION');
    const versions = (await get('/api/v1/items/T-01-AMR-800/versions', catalogue)).json().versions;
    expect(versions).toEqual([expect.objectContaining({ version: 1, status: 'published', reason: '新增事项' })]);
    expect((await get('/api/v1/items/T-01-AMR-800/versions', citizen)).statusCode).toBe(403);
  });

  it('names an unknown department kind', async () => {
    const res = await post('/api/v1/items', { ...item, itemCode: 'T-01-AMR-801', competentDepartmentKind: 'housing_fund' }, catalogue);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues).toEqual([{ path: 'competentDepartmentKind', message: expect.stringContaining('housing_fund') }]);
  });
});

describe('writing an implementation', () => {
  it('lets the department head of 长安区市场监督管理局 redraft and publish its own', async () => {
    const res = await post('/api/v1/implementations', await foodLicenceDraft({ promisedDays: 4, reviewPlan: [{ name: '审查决定', steps: [{ key: 'review', departmentKind: 'amr', name: '审查', days: 4 }] }] }), headAmr);
    expect(res.statusCode).toBe(201);
    const draft = res.json();
    expect(draft).toMatchObject({ version: 2, status: 'draft', promisedDays: 4, name: '食品经营许可', department: { name: '长安区市场监督管理局' } });
    expect((await get('/api/v1/items/HB-01-AMR-001/guide?region=130102')).json().promisedDays).toBe(5); // the draft is not public
    const pub = await post(`/api/v1/implementations/${draft.id}/versions/2/publish`, {}, headAmr);
    expect(pub.statusCode).toBe(200);
    const guide = (await get('/api/v1/items/HB-01-AMR-001/guide?region=130102')).json();
    expect(guide).toMatchObject({ promisedDays: 4, implementationVersion: 2 });
    const old = await get(`/api/v1/implementations/${draft.id}/versions`, headAmr);
    expect(old.json().versions.map((v: { status: string }) => v.status)).toEqual(['published', 'superseded']);
  });

  it('refuses another region, another department and a reviewer with 403', async () => {
    const shijiazhuang = await post('/api/v1/implementations', await foodLicenceDraft({ regionCode: '133100' }), headAmr);
    expect(shijiazhuang.statusCode).toBe(403);
    const byReviewer = await post('/api/v1/implementations', await foodLicenceDraft(), reviewerAmr);
    expect(byReviewer.statusCode).toBe(403);
    const hygiene = (await get('/api/v1/items/HB-01-HEALTH-001')).json().implementations.find((i: { regionCode: string }) => i.regionCode === '130102');
    const health = await post('/api/v1/implementations', await foodLicenceDraft({ itemCode: 'HB-01-HEALTH-001', materials: hygiene.materials, formSchema: hygiene.formSchema, reviewPlan: hygiene.reviewPlan }), headAmr);
    expect(health.statusCode).toBe(403);
    expect(health.json().error.message).toContain('长安区卫生健康局');
  });

  it('cannot change the six unified elements', async () => {
    const res = await post('/api/v1/implementations', await foodLicenceDraft({ name: '餐饮许可', legalBasis: '自定' }), headAmr);
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.details.issues;
    expect(issues.map((i: { path: string }) => i.path).sort()).toEqual(['legalBasis', 'name']);
    expect(issues[0].message).toContain('六要素');
  });

  it('names the field: promised days above statutory, a bad form schema, an unknown certificate type', async () => {
    const res = await post(
      '/api/v1/implementations',
      await foodLicenceDraft({
        promisedDays: 11,
        formSchema: { type: 'object', properties: { a: { type: 'text' } } },
        materials: [{ id: 'm1', name: '许可证', form: 'copy', count: 1, required: true, satisfiedBy: { certificateType: 'unicorn_licence' } }],
      }),
      headAmr,
    );
    expect(res.statusCode).toBe(400);
    const byPath = Object.fromEntries(res.json().error.details.issues.map((i: { path: string; message: string }) => [i.path, i.message]));
    expect(byPath.promisedDays).toBe('承诺时限 11 个工作日超过法定时限 10 个工作日');
    expect(byPath['formSchema.properties.a.type']).toMatch(/JSON Schema/);
    expect(byPath['materials.0.satisfiedBy.certificateType']).toBe('未知的证照类型 unicorn_licence');
  });
});

describe('life events', () => {
  it('lists the three and gives one with its items and shared form', async () => {
    const list = (await get('/api/v1/life-events')).json().lifeEvents;
    expect(list.map((e: { name: string }) => e.name).sort()).toEqual(['开办企业', '开餐饮店', '新生儿出生'].sort());
    const newborn = (await get('/api/v1/life-events/newborn')).json();
    expect(newborn.items.map((i: { name: string }) => i.name)).toEqual(['出生医学证明办理', '出生登记', '城乡居民医保参保登记']);
    expect(newborn.fieldMap.babyName).toContainEqual({ itemCode: 'HB-07-PS-001', field: 'babyName' });
    const restaurant = (await get('/api/v1/life-events/open_restaurant')).json();
    expect(new Set(restaurant.items.map((i: { departmentKind: string }) => i.departmentKind))).toEqual(new Set(['amr', 'health']));
    expect((await get('/api/v1/life-events/no_such')).statusCode).toBe(404);
  });
});

describe('POST /api/v1/catalogue/batch', () => {
  const power = { code: 'QL-TEST-PENALTY-01', name: '对未按规定公示食品经营许可证的处罚', powerType: 'penalty', legalBasis: '《食品安全法》第一百二十六条', competentDepartmentKind: 'amr' };

  it('writes a power and a search synonym for the province catalogue admin, all in one, and search uses the synonym at once', async () => {
    const res = await post('/api/v1/catalogue/batch', { reason: '补充权力清单与检索用语', powers: [power], synonyms: [{ phrase: '开小吃店', expandsTo: '食品经营许可' }] }, catalogue);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ powers: 1, synonyms: 1, items: 0, unchanged: 0 });
    const found = (await get(`/api/v1/items?q=${encodeURIComponent('开小吃店')}&region=130102`)).json();
    expect(found.items[0].itemCode).toBe('HB-01-AMR-001');
    const row = await t.runtime.db.selectFrom('powers').select(['status', 'reason']).where('code', '=', power.code).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'published', reason: '补充权力清单与检索用语' });
    // the same again writes nothing new
    expect((await post('/api/v1/catalogue/batch', { reason: '重复提交', powers: [power] }, catalogue)).json()).toMatchObject({ powers: 0, unchanged: 1 });
  });

  it('names every bad row by section, index and field, and writes none of the batch', async () => {
    const res = await post('/api/v1/catalogue/batch', {
      reason: '批量维护',
      synonyms: [{ phrase: '开奶茶店', expandsTo: '食品经营许可' }],
      powers: [{ ...power, code: 'QL-TEST-OK-02' }, { ...power, code: 'QL-TEST-BAD-03', powerType: 'tax' }, { ...power, code: 'QL-TEST-OK-02' }],
    }, catalogue);
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(expect.arrayContaining(['powers.1.powerType', 'powers.2']));
    expect(await t.runtime.db.selectFrom('powers').select('code').where('code', 'in', ['QL-TEST-OK-02', 'QL-TEST-BAD-03']).execute()).toEqual([]);
    expect(await t.runtime.db.selectFrom('search_synonyms').select('phrase').where('phrase', '=', '开奶茶店').execute()).toEqual([]);
    expect((await post('/api/v1/catalogue/batch', { reason: '空的' }, catalogue)).statusCode).toBe(400);
  });

  it('is the province catalogue admin\'s: a department head gets 403, an anonymous caller 401', async () => {
    const body = { reason: '越权尝试', synonyms: [{ phrase: '开网吧', expandsTo: '网络文化经营许可' }] };
    expect((await post('/api/v1/catalogue/batch', body, headAmr)).statusCode).toBe(403);
    expect((await post('/api/v1/catalogue/batch', body)).statusCode).toBe(401);
  });
});

describe('GET /api/v1/standardisation/report', () => {
  it('compares implementations and scores guides for a catalogue admin', async () => {
    const res = await get('/api/v1/standardisation/report?region=130000', catalogue);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.regions.map((x: { regionCode: string }) => x.regionCode)).toEqual(['130000', '130100', '130102', '133100']);
    const food = r.items.find((i: { itemCode: string }) => i.itemCode === 'HB-01-AMR-001');
    expect(food.violations).toEqual([]);
    expect(food.findings[0]).toMatch(/承诺时限不一致/);
    expect(food.implementations.every((i: { completeness: number }) => i.completeness === 100)).toBe(true);
    expect(r.score).toBeGreaterThan(90);
  });

  it('is not for applicants or department heads', async () => {
    expect((await get('/api/v1/standardisation/report?region=130000', citizen)).statusCode).toBe(403);
    expect((await get('/api/v1/standardisation/report?region=130000', headAmr)).statusCode).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents the catalogue endpoints under the catalogue tag', async () => {
    const doc = (await get('/openapi.json')).json();
    for (const p of ['/api/v1/items', '/api/v1/items/{itemCode}/guide', '/api/v1/implementations', '/api/v1/life-events', '/api/v1/standardisation/report']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.paths['/api/v1/items'].get.tags).toEqual(['catalogue']);
  });
});
