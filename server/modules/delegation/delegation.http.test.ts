import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/support.js';
import { exportCatalogue, importCatalogue } from '../catalogue/index.js';

// a clock the tests move: Monday 2026-11-02, 10:00 in Shijiazhuang
let clock = new Date('2026-11-02T02:00:00Z');
let t: TestApp;
const cookies: Record<string, string> = {};
const USERS = ['catalogue', 'admin', 'head.amr', 'efficiency', 'citizen'];

/** Moves the clock to 10:00 on a China date and signs everyone in again (sessions last 8 hours). */
async function setDate(date: string): Promise<void> {
  clock = new Date(`${date}T02:00:00Z`);
  for (const u of Object.keys(cookies)) cookies[u] = await t.login(u);
}

beforeAll(async () => {
  t = await testApp({ now: () => clock });
  for (const u of USERS) cookies[u] = await t.login(u);
});
afterAll(async () => t?.close());

const as = (user?: string) => (user ? { headers: { cookie: cookies[user]! } } : {});
const get = (url: string, user?: string) => t.app.inject({ url, ...as(user) });
const post = (url: string, payload: unknown, user?: string) => t.app.inject({ method: 'POST', url, payload: payload as object, ...as(user) });
const paths = (res: { json(): any }) => res.json().error.details.issues.map((i: { path: string }) => i.path);

async function departmentId(region: string, kind: string): Promise<string> {
  const list = (await get(`/api/v1/departments?region=${region}`)).json().departments;
  return list.find((d: { kind: string }) => d.kind === kind).id;
}

/** A staff account made by the province's system administrator, signed in. */
async function staff(username: string, region: string, kind: string, roles: string[]): Promise<void> {
  const res = await post('/api/v1/staff', { username, password: 'tongban-demo', name: '测试人员', departmentId: await departmentId(region, kind), roles }, 'admin');
  expect(res.statusCode).toBe(201);
  cookies[username] = await t.login(username);
}

/** An implementation draft of `itemCode` for `region`, copied from the one implemented in `from`. */
async function implementationDraft(itemCode: string, from: string, region: string, over: Record<string, unknown> = {}) {
  const impl = (await get(`/api/v1/items/${itemCode}`)).json().implementations.find((i: { regionCode: string }) => i.regionCode === from);
  const { promisedDays, caseType, onlineDepth, visitsRequired, fees, materials, formSchema, reviewPlan, serviceHall, officeHours, consultPhone, complaintPhone } = impl;
  return { itemCode, regionCode: region, promisedDays, caseType, onlineDepth, visitsRequired, fees, materials, formSchema, reviewPlan, serviceHall, officeHours, consultPhone, complaintPhone, reason: '承接下放事项', ...over };
}

async function publishImplementation(draft: object): Promise<{ id: string; versionId: string }> {
  const d = await post('/api/v1/implementations', draft, 'catalogue');
  expect(d.statusCode).toBe(201);
  const p = await post(`/api/v1/implementations/${d.json().id}/versions/${d.json().version}/publish`, {}, 'catalogue');
  expect(p.statusCode).toBe(200);
  return p.json();
}

const floating = async (region = '130000', user = 'efficiency') => {
  const res = await get(`/api/v1/delegations/floating?region=${region}`, user);
  expect(res.statusCode).toBe(200);
  return res.json().rows as any[];
};

// 石家庄市 entrusts 建设用地规划许可 (implemented by the city alone) to 长安区
const ORDER_A = {
  documentNo: '石政办发〔2026〕101号',
  title: '石家庄市人民政府办公室关于委托长安区实施建设用地规划许可的通知（测试）',
  items: ['HB-01-NR-002'],
  mode: 'entrust',
  fromRegion: '130100',
  receivingRegions: ['130102'],
  effectiveDate: '2026-11-02',
};
let orderA: any;

describe('POST /api/v1/delegations', () => {
  it('issues an order and gives each receiving unit its takeOver task with both deadlines', async () => {
    const res = await post('/api/v1/delegations', ORDER_A, 'catalogue');
    expect(res.statusCode).toBe(201);
    orderA = res.json();
    expect(orderA).toMatchObject({ documentNo: '石政办发〔2026〕101号', mode: 'entrust', modeName: '委托', fromRegion: { code: '130100', name: '石家庄市', level: 'city' }, progress: { tasks: 1, confirmed: 0 } });
    expect(orderA.tasks).toEqual([
      expect.objectContaining({
        regionCode: '130102',
        level: 'county',
        itemCode: 'HB-01-NR-002',
        itemName: '建设用地规划许可',
        department: expect.objectContaining({ kind: 'natural_resources', name: '长安区自然资源和规划分局' }),
        // 冀政办发〔2020〕7号: 15 days, then 5 working days
        handoverDeadline: '2026-11-17',
        listingDeadline: '2026-11-24',
        status: 'pending',
        late: null,
      }),
    ]);
    expect((await get(`/api/v1/delegations/${orderA.id}`, 'head.amr')).json().tasks).toHaveLength(1);
    const listed = (await get('/api/v1/delegations?region=130102', 'head.amr')).json();
    expect(listed.delegations.map((d: { id: string }) => d.id)).toContain(orderA.id);
    expect((await get('/api/v1/delegations?region=133100', 'head.amr')).json().delegations.map((d: { id: string }) => d.id)).not.toContain(orderA.id);
    const entry = await t.runtime.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'delegation.ordered').where(sql<boolean>`subject->>'delegation' = ${orderA.id}`).executeTakeFirst();
    expect(entry?.details).toMatchObject({ documentNo: '石政办发〔2026〕101号', receivingRegions: ['130102'], tasks: 1 });
  });

  it('resolves a power of the 权责清单 to the items that exercise it', async () => {
    const res = await post('/api/v1/delegations', { documentNo: '冀政办字〔2026〕102号', title: '授权雄安新区实施施工许可（测试）', powers: ['QL-01-HOUSING-001'], mode: 'authorise', fromRegion: '130000', receivingRegions: ['133100'], effectiveDate: '2026-11-02' }, 'admin');
    expect(res.statusCode).toBe(201);
    expect(res.json().items).toEqual([{ itemCode: 'HB-01-HOUSING-001', name: '建设工程施工许可证核发', powerCode: 'QL-01-HOUSING-001' }]);
    expect(res.json().tasks.map((x: { regionCode: string; itemCode: string }) => `${x.regionCode}/${x.itemCode}`)).toEqual(['133100/HB-01-HOUSING-001']);
  });

  it('answers 400 naming receivingRegions.N for a region outside the delegator’s, and writes nothing', async () => {
    const res = await post('/api/v1/delegations', { ...ORDER_A, documentNo: '石政办发〔2026〕103号', receivingRegions: ['130102', '133100'] }, 'catalogue');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues).toEqual([{ path: 'receivingRegions.1', message: expect.stringContaining('不在 130100 的辖区内') }]);
    const written = await t.runtime.db.selectFrom('delegations').select('id').where('document_no', '=', '石政办发〔2026〕103号').execute();
    expect(written).toEqual([]);
  });

  it.each([
    ['a document number in square brackets', { documentNo: '石政办发[2026]104号' }, 'documentNo'],
    ['a document issued after it takes effect', { documentNo: '石政办发〔2027〕1号' }, 'documentNo'],
    ['a cancellation with receiving regions', { mode: 'cancel' }, 'receivingRegions'],
    ['a delegation without receiving regions', { receivingRegions: [] }, 'receivingRegions'],
    ['the delegating region itself as receiver', { receivingRegions: ['130100'] }, 'receivingRegions.0'],
    ['an unknown item', { items: ['NO-SUCH-ITEM'] }, 'items.0'],
    ['an unknown power', { items: [], powers: ['QL-NO-SUCH'] }, 'powers.0'],
    ['neither items nor powers', { items: [] }, 'items'],
    ['an unknown mode', { mode: 'abolish' }, 'mode'],
  ])('answers 400 for %s', async (_what, change, path) => {
    const res = await post('/api/v1/delegations', { ...ORDER_A, ...change }, 'catalogue');
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toContain(path);
  });

  it('refuses a department head (403) and an anonymous caller (401)', async () => {
    expect((await post('/api/v1/delegations', ORDER_A, 'head.amr')).statusCode).toBe(403);
    expect((await post('/api/v1/delegations', ORDER_A)).statusCode).toBe(401);
    expect((await get('/api/v1/delegations', 'citizen')).statusCode).toBe(403);
  });
});

describe('takeOver', () => {
  const confirm = (user: string, task = orderA.tasks[0].id) => post(`/api/v1/delegations/${orderA.id}/takeovers/${task}/confirm`, {}, user);

  it('is refused before the implementation is published and while the department has no staff', async () => {
    await staff('catalogue.changan', '130102', 'data_service', ['catalogue_admin']);
    const res = await confirm('catalogue.changan');
    expect(res.statusCode).toBe(412);
    expect(res.json().error.code).toBe('PRECONDITION_FAILED');
    expect(res.json().error.message).toMatch(/尚未发布“建设用地规划许可”的实施清单/);
    expect(res.json().error.message).toMatch(/尚无工作人员账号/);
  });

  it('is for the receiving unit only: 403 for a head of another kind, another region’s head, and the province', async () => {
    await staff('head.nr.xiongan', '133100', 'natural_resources', ['department_head']);
    expect((await confirm('head.amr')).statusCode).toBe(403);
    expect((await confirm('head.nr.xiongan')).statusCode).toBe(403);
    expect((await confirm('catalogue')).statusCode).toBe(403);
  });

  it('still wants staff once the implementation is published, then confirms for the unit’s head, once', async () => {
    const impl = await publishImplementation(await implementationDraft('HB-01-NR-002', '130100', '130102'));
    const stillNoStaff = await confirm('catalogue.changan');
    expect(stillNoStaff.statusCode).toBe(412);
    expect(stillNoStaff.json().error.message).not.toMatch(/实施清单/);
    expect(stillNoStaff.json().error.message).toMatch(/长安区自然资源和规划分局 尚无工作人员账号/);

    await staff('head.nr', '130102', 'natural_resources', ['department_head']);
    const ok = await confirm('head.nr');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', late: false, implementationVersionId: impl.versionId, confirmedAt: clock.toISOString() });
    expect((await get(`/api/v1/delegations/${orderA.id}`, 'head.nr')).json().progress).toEqual({ tasks: 1, confirmed: 1 });

    const again = await confirm('head.nr');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE_TRANSITION');
    expect((await post(`/api/v1/delegations/${orderA.id}/takeovers/00000000-0000-4000-8000-000000000000/confirm`, {}, 'head.nr')).statusCode).toBe(404);
  });
});

describe('GET /api/v1/delegations/floating', () => {
  // 河北省 delegates 食品生产许可 to 雄安新区, whose market regulator has no staff: it will float
  let orderF: any;

  it('finds a takeOver not done in time once the clock passes each deadline, with working days overdue', async () => {
    await setDate('2026-11-02');
    const res = await post('/api/v1/delegations', { documentNo: '冀政办字〔2026〕105号', title: '下放食品生产许可（测试）', items: ['HB-01-AMR-002'], mode: 'delegate', fromRegion: '130000', receivingRegions: ['133100'], effectiveDate: '2026-11-02' }, 'catalogue');
    expect(res.statusCode).toBe(201);
    orderF = res.json();
    const mine = (rows: any[]) => rows.filter((r) => r.delegationId === orderF.id);
    expect(mine(await floating())).toEqual([]);

    await setDate('2026-11-20'); // hand-over deadline 11-17 (Tue) passed: 18, 19, 20
    expect(mine(await floating())).toEqual([
      expect.objectContaining({
        kind: 'handover_overdue',
        documentNo: '冀政办字〔2026〕105号',
        itemCode: 'HB-01-AMR-002',
        regionCode: '133100',
        regionName: '雄安新区',
        level: 'city',
        department: { kind: 'amr', name: '雄安新区市场监督管理局' },
        deadline: '2026-11-17',
        daysOverdue: 3,
      }),
    ]);

    await setDate('2026-11-30'); // listing deadline 11-24 (Tue) passed: 25, 26, 27, 30
    expect(mine(await floating())).toEqual([expect.objectContaining({ kind: 'listing_overdue', deadline: '2026-11-24', daysOverdue: 4 })]);
    // the confirmed takeOver of 长安区 is not overdue
    expect((await floating()).filter((r) => r.delegationId === orderA.id && r.kind.endsWith('_overdue'))).toEqual([]);
  });

  it('finds an item delegated while its prerequisite stays at another level, until the prerequisite is implemented there too', async () => {
    const split = (rows: any[]) => rows.filter((r) => r.delegationId === orderA.id && r.kind === 'split_link');
    // 建设用地规划许可 needs the 选址意见书 first (城乡规划法 art. 36–37), still issued by the city
    expect(split(await floating())).toEqual([
      expect.objectContaining({
        regionCode: '130102',
        itemCode: 'HB-01-NR-002',
        linkedItem: { itemCode: 'HB-01-NR-003', name: '建设项目用地预审与选址意见书核发', relation: 'prerequisite', implementedIn: ['130000', '130100', '133100'] },
        message: expect.stringContaining('仍由河北省、石家庄市、雄安新区实施'),
      }),
    ]);
    await publishImplementation(await implementationDraft('HB-01-NR-003', '130100', '130102'));
    expect(split(await floating())).toEqual([]);
  });

  it('records item links for the province standard only', async () => {
    const link = { itemCode: 'HB-01-HOUSING-002', prerequisiteCode: 'HB-01-NR-001', basis: '《中华人民共和国城市房地产管理法》第四十五条：商品房预售须持有建设工程规划许可证' };
    expect((await post('/api/v1/item-links', link, 'head.amr')).statusCode).toBe(403);
    expect(paths(await post('/api/v1/item-links', { ...link, prerequisiteCode: link.itemCode }, 'catalogue'))).toContain('prerequisiteCode');
    const res = await post('/api/v1/item-links', link, 'catalogue');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ ...link, itemName: '商品房预售许可', prerequisiteName: '建设工程规划许可' });
    const links = (await get('/api/v1/item-links?itemCode=HB-01-NR-001')).json().links.map((l: { itemCode: string; prerequisiteCode: string }) => `${l.itemCode} ← ${l.prerequisiteCode}`);
    expect(links).toEqual(['HB-01-HOUSING-001 ← HB-01-NR-001', 'HB-01-HOUSING-002 ← HB-01-NR-001', 'HB-01-NR-001 ← HB-01-NR-002']);
  });

  it('finds a takeOver confirmed when the standard moves the item to a body the region has not listed', async () => {
    // 相对集中行政许可权改革: the standard moves 建设用地规划许可 to the 行政审批局 (data_service)
    const { item } = (await get('/api/v1/items/HB-01-NR-002')).json();
    const draft = {
      itemCode: item.itemCode,
      name: item.name,
      itemType: item.itemType,
      applicantKinds: item.applicantKinds,
      powerCode: item.powerCode,
      legalBasis: item.legalBasis,
      setAtLevel: item.setAtLevel,
      statutoryDays: item.statutoryDays,
      resultType: item.resultType?.code ?? null,
      competentDepartmentKind: item.competentDepartmentKind,
      implementingDepartmentKind: 'data_service',
      conditions: item.conditions,
      quantityLimit: item.quantityLimit,
      reason: '相对集中行政许可权改革，由行政审批局实施',
    };
    const mine = async () => (await floating()).filter((r) => r.delegationId === orderA.id && r.kind === 'no_implementation');
    expect(await mine()).toEqual([]);
    const d = await post('/api/v1/items', draft, 'catalogue');
    expect(d.statusCode).toBe(201);
    expect((await post(`/api/v1/items/HB-01-NR-002/versions/${d.json().version}/publish`, {}, 'catalogue')).statusCode).toBe(200);
    expect(await mine()).toEqual([
      expect.objectContaining({ regionCode: '130102', department: { kind: 'data_service', name: '长安区自然资源和规划分局' }, deadline: '2026-11-24', daysOverdue: 4 }),
    ]);
  });

  it('counts floating per region and level for the heat map, consistently with the list', async () => {
    const rows = await floating();
    const res = await get('/api/v1/delegations/floating/heatmap?region=130000', 'efficiency');
    expect(res.statusCode).toBe(200);
    const map = res.json();
    const cell = (code: string) => map.cells.find((c: { regionCode: string }) => c.regionCode === code);
    expect(cell('133100')).toMatchObject({ regionName: '雄安新区', level: 'city', parentCode: '130000', byKind: expect.objectContaining({ listing_overdue: expect.any(Number) }) });
    expect(cell('130102')).toMatchObject({ level: 'county', parentCode: '130100', byKind: expect.objectContaining({ no_implementation: 1 }) });
    for (const c of map.cells) expect(c.floating).toBe(rows.filter((r) => r.regionCode === c.regionCode).length);
    const total = (level: string) => map.levels.find((l: { level: string }) => l.level === level).floating;
    expect(total('city') + total('county') + total('province')).toBe(rows.length);
    expect(total('county')).toBe(rows.filter((r) => r.level === 'county').length);
    const city = (await get('/api/v1/delegations/floating/heatmap?region=130100', 'efficiency')).json();
    expect(city.cells.map((c: { regionCode: string }) => c.regionCode)).not.toContain('133100');
  });

  it('is for catalogue, efficiency and system administrators over the region', async () => {
    expect((await get('/api/v1/delegations/floating?region=130000', 'head.amr')).statusCode).toBe(403);
    expect((await get('/api/v1/delegations/floating?region=130000', 'citizen')).statusCode).toBe(403);
    expect((await get('/api/v1/delegations/floating/heatmap?region=130000', 'catalogue.changan')).statusCode).toBe(403);
    expect((await get('/api/v1/delegations/floating?region=130102', 'catalogue.changan')).statusCode).toBe(200);
    expect((await get('/api/v1/delegations/floating?region=999999', 'efficiency')).statusCode).toBe(404);
  });
});

describe('cancellation and the anti-renaming rule', () => {
  const item = (over: Record<string, unknown>) => ({
    itemType: 'licensing',
    applicantKinds: ['business'],
    setAtLevel: 'national',
    statutoryDays: 20,
    competentDepartmentKind: 'culture_tourism',
    conditions: '场所符合规定的面积、设施和安全条件。',
    reason: '新设事项',
    ...over,
  });
  let cancelOrder: any;

  it('cancels an item for 事中事后监管 and shows it as a gap once the hand-over period is over', async () => {
    await setDate('2026-12-01');
    const res = await post('/api/v1/delegations', { documentNo: '冀政办发〔2026〕120号', title: '取消娱乐场所经营许可（测试）', items: ['HB-01-CT-001'], mode: 'cancel', fromRegion: '130000', effectiveDate: '2026-12-01' }, 'catalogue');
    expect(res.statusCode).toBe(201);
    cancelOrder = res.json();
    expect(cancelOrder).toMatchObject({ modeName: '取消', receivingRegions: [], tasks: [], cancelled: [{ itemCode: 'HB-01-CT-001', name: '娱乐场所经营许可', supervisionEntry: null }] });
    const gap = async () => (await floating()).filter((r) => r.delegationId === cancelOrder.id);
    expect(await gap()).toEqual([]);
    await setDate('2026-12-18'); // 15 days end 12-16 (Wed): 17, 18
    expect(await gap()).toEqual([
      expect.objectContaining({ kind: 'no_supervision', itemCode: 'HB-01-CT-001', regionCode: '130000', level: 'province', department: { kind: 'culture_tourism', name: '河北省文化和旅游厅' }, deadline: '2026-12-16', daysOverdue: 2, taskId: null }),
    ]);
  });

  it('holds a renamed comeback until a written justification is given, and records it in the audit chain', async () => {
    const renamed = item({ itemCode: 'T-01-CT-900', name: '娱乐场所经营审批', legalBasis: '《娱乐场所管理条例》第九条' });
    const held = await post('/api/v1/items', renamed, 'catalogue');
    expect(held.statusCode).toBe(412);
    expect(held.json().error.message).toMatch(/冀政办发〔2020〕7号/);
    expect(held.json().error.details).toMatchObject({
      field: 'justification',
      cancelled: [{ itemCode: 'HB-01-CT-001', documentNo: '冀政办发〔2026〕120号', by: ['name', 'legal_basis'], sharedCitations: ['《娱乐场所管理条例》第9条'] }],
    });
    expect((await get('/api/v1/items/T-01-CT-900/versions', 'catalogue')).statusCode).toBe(404);

    expect(paths(await post('/api/v1/items', { ...renamed, justification: '确有需要' }, 'catalogue'))).toEqual(['justification']);

    const justification = '国务院新修订的行政法规重新设定了该许可，依据已变化，经省政府同意恢复';
    const released = await post('/api/v1/items', { ...renamed, justification }, 'catalogue');
    expect(released.statusCode).toBe(201);
    const entry = await t.runtime.db.selectFrom('audit_log').select('details').where('action', '=', 'delegation.revival_justified').where(sql<boolean>`subject->>'item' = 'T-01-CT-900'`).executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ justification, cancelled: [{ itemCode: 'HB-01-CT-001', documentNo: '冀政办发〔2026〕120号' }] });
  });

  it('holds the same comeback in a catalogue import, naming its row, until the row carries the written justification', async () => {
    const ctx = t.ctx({ kind: 'console', operator: 'test' });
    const header = (await exportCatalogue(ctx, 'csv')).body.toString('utf8').replace(/^\uFEFF/, '').split('\r\n')[0]!;
    const keys = header.split(',').map((h) => /\((\w+)\)/.exec(h)?.[1] ?? '');
    const csv = (values: Record<string, string>) => Buffer.from([header, keys.map((k) => `"${(values[k] ?? '').replaceAll('"', '""')}"`).join(',')].join('\r\n'), 'utf8');
    const comeback = {
      type: 'item',
      itemCode: 'T-01-CT-902',
      name: '娱乐场所经营审批',
      itemType: 'licensing',
      applicantKinds: 'business',
      legalBasis: '《娱乐场所管理条例》第九条',
      setAtLevel: 'national',
      statutoryDays: '20',
      competentDepartmentKind: 'culture_tourism',
      conditions: '场所符合规定的面积、设施和安全条件。',
    };
    await expect(importCatalogue(ctx, csv(comeback), 'comeback.csv')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: 'comeback.csv 第 2 行.justification', message: expect.stringMatching(/冀政办发〔2020〕7号/) }] },
    });
    expect((await get('/api/v1/items/T-01-CT-902/versions', 'catalogue')).statusCode).toBe(404);

    const justification = '国务院新修订的行政法规重新设定了该许可，依据已变化，经省政府同意恢复';
    expect(await importCatalogue(ctx, csv({ ...comeback, justification }), 'comeback.csv')).toMatchObject({ items: 1 });
    const entry = await t.runtime.db.selectFrom('audit_log').select('details').where('action', '=', 'delegation.revival_justified').where(sql<boolean>`subject->>'item' = 'T-01-CT-902'`).executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ justification, cancelled: [{ itemCode: 'HB-01-CT-001' }] });
  });

  it('holds a split off under a new name on the same article, and a new version of the cancelled item itself', async () => {
    const split = await post('/api/v1/items', item({ itemCode: 'T-01-CT-901', name: '歌舞场所开业核准', legalBasis: '《娱乐场所管理条例》第九条第一款' }), 'catalogue');
    expect(split.statusCode).toBe(412);
    expect(split.json().error.details.cancelled[0].by).toEqual(['legal_basis']);
    const { item: cancelled } = (await get('/api/v1/items/HB-01-CT-001')).json();
    const revived = await post('/api/v1/items', item({ itemCode: 'HB-01-CT-001', name: cancelled.name, legalBasis: cancelled.legalBasis, reason: '恢复' }), 'catalogue');
    expect(revived.statusCode).toBe(412);
    expect(revived.json().error.details.cancelled[0].by).toEqual(['same_code']);
  });

  it('lets an unrelated new item, and a new version of an unchanged item, through without a hold', async () => {
    const fresh = await post('/api/v1/items', item({ itemCode: 'T-01-CT-902', name: '文物保护单位修缮方案审批', legalBasis: '《中华人民共和国文物保护法》第二十一条' }), 'catalogue');
    expect(fresh.statusCode).toBe(201);
    const { item: show } = (await get('/api/v1/items/HB-01-CT-002')).json();
    const next = await post('/api/v1/items', { ...item({}), itemCode: show.itemCode, name: show.name, legalBasis: show.legalBasis, competentDepartmentKind: show.competentDepartmentKind, conditions: `${show.conditions}（修订）`, reason: '修订受理条件' }, 'catalogue');
    expect(next.statusCode).toBe(201);
  });
});

describe('Pilot (先行先试)', () => {
  // 建设工程消防设计审查: statutory 20 working days, implemented by 雄安新区, no seeded pilot
  const ITEM = 'HB-01-HOUSING-004';
  let pilot: any;
  const guidePilot = async (region: string, itemCode = ITEM) => (await get(`/api/v1/items/${itemCode}/guide?region=${region}`)).json().pilot;
  const draft22 = (region: string) => implementationDraft(ITEM, region, region, { promisedDays: 22, reason: '联合审查试点' });

  it('shows the seeded 雄安新区 pilot in its guide and its counties’, not in 长安区’s', async () => {
    await setDate('2026-12-01');
    expect(await guidePilot('133100', 'HB-01-AMR-001')).toMatchObject({ regionCode: '133100', kind: 'fewer_days', kindName: '压缩承诺时限', legalBasis: expect.stringContaining('《河北雄安新区条例》') });
    expect(await guidePilot('130629', 'HB-01-AMR-001')).toMatchObject({ regionCode: '133100' }); // 容城县 reads 雄安新区's guide
    expect(await guidePilot('130102', 'HB-01-AMR-001')).toBeNull();
  });

  it('allows promisedDays above statutoryDays only under an active pilot covering that region and item', async () => {
    const refused = await post('/api/v1/implementations', await draft22('133100'), 'catalogue');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.issues).toContainEqual({ path: 'promisedDays', message: '承诺时限 22 个工作日超过法定时限 20 个工作日' });

    const res = await post('/api/v1/pilots', {
      region: '133100',
      items: [ITEM],
      kind: 'other',
      description: '消防设计审查与施工图审查合并审查，承诺时限合并计算（测试）',
      legalBasis: '河北雄安新区管理委员会批复（测试）',
      startDate: '2026-12-01',
      expiry: '2026-12-31',
      approvedBy: '河北雄安新区管理委员会',
      allowedDays: 25,
    }, 'catalogue');
    expect(res.statusCode).toBe(201);
    pilot = res.json();
    expect(pilot).toMatchObject({ status: 'active', regionName: '雄安新区', items: [{ itemCode: ITEM, name: '建设工程消防设计审查' }], allowedDays: 25, faultTolerance: [] });

    const allowed = await post('/api/v1/implementations', await draft22('133100'), 'catalogue');
    expect(allowed.statusCode).toBe(201);
    expect(allowed.json().promisedDays).toBe(22);
    const beyond = await post('/api/v1/implementations', await implementationDraft(ITEM, '133100', '133100', { promisedDays: 26, reason: '超出试点' }), 'catalogue');
    expect(beyond.json().error.details.issues).toContainEqual({ path: 'promisedDays', message: '承诺时限 26 个工作日超过先行先试批准的时限 25 个工作日' });
    expect((await post('/api/v1/implementations', await draft22('130102'), 'catalogue')).statusCode).toBe(400); // 长安区 is not in the pilot
    expect(await guidePilot('133100')).toMatchObject({ id: pilot.id, kind: 'other', allowedDays: 25, expiry: '2026-12-31' });
  });

  it('ends on expiry: gone from the guide, and the statutory limit stands again', async () => {
    await setDate('2026-12-31');
    expect((await guidePilot('133100'))?.id).toBe(pilot.id);
    await setDate('2027-01-01');
    expect(await guidePilot('133100')).toBeNull();
    expect((await post('/api/v1/implementations', await draft22('133100'), 'catalogue')).statusCode).toBe(400);
    const listed = (await get('/api/v1/pilots?region=133100', 'head.amr')).json().pilots;
    expect(listed.find((p: { id: string }) => p.id === pilot.id).status).toBe('expired');
  });

  it.each([
    ['a ceiling not above the statutory limit', { allowedDays: 20 }, 'allowedDays'],
    ['an unknown item', { items: ['NO-SUCH-ITEM'] }, 'items.0'],
    ['an expiry before the start', { expiry: '2026-11-30' }, 'expiry'],
    ['an unknown kind', { kind: 'magic' }, 'kind'],
  ])('answers 400 for %s', async (_what, change, path) => {
    const base = { region: '133100', items: [ITEM], kind: 'other', description: '测试', legalBasis: '测试', startDate: '2026-12-01', expiry: '2026-12-31', approvedBy: '测试', allowedDays: 25 };
    expect(paths(await post('/api/v1/pilots', { ...base, ...change }, 'catalogue'))).toContain(path);
  });

  it('records fault-tolerance reviews, tolerated only when all four conditions hold, by the efficiency officer', async () => {
    const review = { lawful: true, noPrivateGain: true, noIntent: true, correctedInTime: true, narrative: '合并审查期间一宗项目超期1日，已于次日办结并向申请人说明', reviewer: '雄安新区效能监察组（测试）' };
    expect((await post(`/api/v1/pilots/${pilot.id}/fault-tolerance`, review, 'head.amr')).statusCode).toBe(403);
    expect((await post(`/api/v1/pilots/${pilot.id}/fault-tolerance`, review, 'catalogue')).statusCode).toBe(403);
    const ok = await post(`/api/v1/pilots/${pilot.id}/fault-tolerance`, review, 'efficiency');
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ outcome: 'tolerated', unmet: [], reviewer: '雄安新区效能监察组（测试）' });
    const not = await post(`/api/v1/pilots/${pilot.id}/fault-tolerance`, { ...review, noPrivateGain: false }, 'efficiency');
    expect(not.json()).toMatchObject({ outcome: 'not_tolerated', unmet: ['未谋取私利'] });
    const listed = (await get('/api/v1/pilots?region=130000', 'efficiency')).json().pilots.find((p: { id: string }) => p.id === pilot.id);
    expect(listed.faultTolerance.map((r: { outcome: string }) => r.outcome)).toEqual(['tolerated', 'not_tolerated']);
    expect((await post('/api/v1/pilots/00000000-0000-4000-8000-000000000000/fault-tolerance', review, 'efficiency')).statusCode).toBe(404);
  });
});
