import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testEnv, type TestEnv } from '../../../test/support.js';
import type { Ctx } from '../../core/ctx.js';
import { demoCatalogue, seedCatalogue } from '../../db/seed/catalogue/index.js';
import { ITEMS } from '../../db/seed/catalogue/items.js';
import { ensureStandardDepartments, findDepartmentByKind } from '../regions/index.js';
import { createStaff } from '../identity/index.js';
import { applyCatalogue } from './catalogue.batch.js';
import {
  draftImplementation,
  draftItem,
  getGuide,
  getItem,
  listItemVersions,
  publishImplementation,
  publishItem,
} from './catalogue.service.js';
import { searchItems } from './catalogue.search.js';
import type { DraftImplementation, DraftServiceItem } from '../../../shared/contracts/catalogue.js';

let env: TestEnv;
let console_: Ctx;

beforeAll(async () => {
  env = await testEnv();
  console_ = env.ctx({ kind: 'console', operator: 'test' });
  for (const r of ['130000', '130100', '130102', '133100']) await ensureStandardDepartments(console_, r);
  await seedCatalogue(console_);
});
afterAll(async () => env?.close());

let admin: Ctx | undefined;
let adminId = '';
async function catalogueAdmin(): Promise<Ctx> {
  if (admin) return admin;
  const d = await findDepartmentByKind(console_, '130000', 'data_service');
  const u = await createStaff(console_, { username: 'cat.admin', password: 'long-enough-password', name: '目录管理员', departmentId: d!.id, roles: ['catalogue_admin'] });
  adminId = u.id;
  return (admin = env.ctx({ kind: 'staff', accountId: u.id, departmentId: d!.id, regionCode: '130000', roles: ['catalogue_admin'] }));
}

const ITEM: DraftServiceItem = {
  itemCode: 'T-01-AMR-900',
  name: '测试许可事项',
  itemType: 'licensing',
  applicantKinds: ['business'],
  powerCode: null,
  legalBasis: '《中华人民共和国行政许可法》第十二条',
  setAtLevel: 'province',
  statutoryDays: 20,
  resultType: null,
  competentDepartmentKind: 'amr',
  conditions: '测试条件',
  quantityLimit: '无数量限制',
  reason: '测试',
};

function implementationOf(itemCode: string, regionCode: string, over: Partial<DraftImplementation> = {}): DraftImplementation {
  return {
    itemCode,
    regionCode,
    promisedDays: 5,
    caseType: 'promised',
    onlineDepth: 4,
    visitsRequired: 0,
    fees: [],
    materials: [{ id: 'm1', name: '申请书', form: 'original', count: 1, required: true }],
    formSchema: { type: 'object', properties: { name: { type: 'string', title: '名称' } }, required: ['name'] },
    reviewPlan: [{ name: '审查', steps: [{ key: 'review', departmentKind: 'amr', name: '审查', days: 5 }] }],
    serviceHall: '长安区政务服务中心',
    officeHours: '工作日',
    consultPhone: '12345',
    complaintPhone: '12345',
    reason: '测试',
    ...over,
  };
}

describe('the demo catalogue', () => {
  it('has at least 50 real items across at least 12 departments, each published and implemented', async () => {
    const items = await env.runtime.db.selectFrom('service_item_versions').select(['item_code', 'competent_department_kind']).where('status', '=', 'published').execute();
    expect(items.length).toBe(ITEMS.length);
    expect(items.length).toBeGreaterThanOrEqual(50);
    expect(new Set(items.map((i) => i.competent_department_kind)).size).toBeGreaterThanOrEqual(12);
    const implemented = await env.runtime.db.selectFrom('implementation_versions').select('item_code').distinct().where('status', '=', 'published').execute();
    expect(implemented.length).toBe(items.length);
  });

  it('implements items in the province, 石家庄市, 长安区 and 雄安新区 with promised days within the statutory ones', async () => {
    const rows = await sql<{ region_code: string; over: number }>`
      SELECT iv.region_code, count(*) FILTER (WHERE v.statutory_days IS NOT NULL AND iv.promised_days > v.statutory_days)::int AS over
        FROM implementation_versions iv JOIN service_item_versions v ON v.item_id = iv.item_id AND v.status = 'published'
       WHERE iv.status = 'published' GROUP BY iv.region_code ORDER BY iv.region_code`.execute(env.runtime.db);
    expect(rows.rows.map((r) => r.region_code)).toEqual(['130000', '130100', '130102', '133100']);
    expect(rows.rows.every((r) => r.over === 0)).toBe(true);
  });

  it('loads again without writing anything', async () => {
    const before = await env.runtime.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await seedCatalogue(console_);
    expect(r).toMatchObject({ items: 0, implementations: 0, powers: 0, lifeEvents: 0, certificateTypes: 0, synonyms: 0 });
    const after = await env.runtime.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('versions', () => {
  it('drafts, publishes and supersedes, recording who and why', async () => {
    const admin = await catalogueAdmin();
    const v1 = await draftItem(admin, ITEM);
    expect(v1).toMatchObject({ version: 1, status: 'draft', createdBy: adminId, reason: '测试' });
    await expect(getItem(console_, ITEM.itemCode)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await publishItem(admin, { itemCode: ITEM.itemCode, version: 1 });
    const v2 = await draftItem(admin, { ...ITEM, name: '测试许可事项（修订）', reason: '更名' });
    expect(v2.version).toBe(2);
    expect((await getItem(console_, ITEM.itemCode)).item.name).toBe('测试许可事项');
    await publishItem(admin, { itemCode: ITEM.itemCode, version: 2 });
    expect((await getItem(console_, ITEM.itemCode)).item).toMatchObject({ name: '测试许可事项（修订）', version: 2 });
    const history = await listItemVersions(admin, ITEM.itemCode);
    expect(history.map((h) => [h.version, h.status])).toEqual([[2, 'published'], [1, 'superseded']]);
    await expect(publishItem(admin, { itemCode: ITEM.itemCode, version: 1 })).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
  });

  it('never lets a published version change, not even by direct SQL', async () => {
    await expect(
      sql`UPDATE service_item_versions SET name = '改名' WHERE item_code = 'HB-01-AMR-001' AND status = 'published'`.execute(env.runtime.db),
    ).rejects.toThrow(/immutable/);
    await expect(sql`DELETE FROM service_item_versions WHERE item_code = 'HB-01-AMR-001'`.execute(env.runtime.db)).rejects.toThrow(/cannot be deleted/);
    await expect(
      sql`UPDATE implementation_versions SET promised_days = 1 WHERE item_code = 'HB-01-AMR-001' AND status = 'published'`.execute(env.runtime.db),
    ).rejects.toThrow(/immutable/);
  });

  it('copies the six unified elements from the item and refuses to publish a draft made under an older standard', async () => {
    const admin = await catalogueAdmin();
    const code = 'T-01-AMR-901';
    await draftItem(admin, { ...ITEM, itemCode: code });
    await publishItem(admin, { itemCode: code, version: 1 });
    const draft = await draftImplementation(admin, implementationOf(code, '130102'));
    expect(draft).toMatchObject({ name: ITEM.name, legalBasis: ITEM.legalBasis, itemVersion: 1, department: { kind: 'amr', name: '长安区市场监督管理局' } });
    await draftItem(admin, { ...ITEM, itemCode: code, legalBasis: '《中华人民共和国行政许可法》第十二条、第十四条' });
    await publishItem(admin, { itemCode: code, version: 2 });
    await expect(publishImplementation(admin, { id: draft.id, version: draft.version })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const again = await draftImplementation(admin, implementationOf(code, '130102'));
    expect(again).toMatchObject({ version: 2, itemVersion: 2 });
    const published = await publishImplementation(admin, { id: again.id, version: 2 });
    expect(published.legalBasis).toContain('第十四条');
  });
});

describe('validation', () => {
  it('names each bad field of an implementation', async () => {
    const admin = await catalogueAdmin();
    const bad = implementationOf('HB-01-AMR-001', '130104', {
      promisedDays: 12,
      formSchema: { type: 'object', properties: { x: { type: 'strnig' } } },
      materials: [{ id: 'm1', name: '证', form: 'copy', count: 1, required: true, satisfiedBy: { certificateType: 'unicorn_licence' } }],
      reviewPlan: [{ name: '审查', steps: [{ key: 'r', departmentKind: 'wizardry', name: '审查', days: 1 }] }],
    });
    await ensureStandardDepartments(console_, '130104');
    const err = await draftImplementation(admin, bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
    const paths = (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['promisedDays', 'formSchema.properties.x.type', 'materials.0.satisfiedBy.certificateType', 'reviewPlan.0.steps.0.departmentKind']),
    );
  });

  it('refuses an item of an unknown department kind or certificate type', async () => {
    const admin = await catalogueAdmin();
    const err = await draftItem(admin, { ...ITEM, itemCode: 'T-01-X-902', competentDepartmentKind: 'housing_fund', resultType: 'unicorn_licence' }).catch((e: unknown) => e);
    expect((err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path)).toEqual(['competentDepartmentKind', 'resultType']);
  });
});

describe(applyCatalogue.name, () => {
  it('imports nothing when one record is bad, and says where', async () => {
    const batch = demoCatalogue();
    const items = [
      { ...batch.items![0]!, itemCode: 'T-01-AMR-950', name: '导入测试一' },
      { ...batch.items![0]!, itemCode: 'T-01-AMR-951', name: '导入测试二', statutoryDays: -3 },
    ];
    const err = await applyCatalogue(console_, { items }, { reason: '导入', publish: true, where: (s, i) => `items.csv 第 ${i + 2} 行` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((err as { details: { issues: { path: string }[] } }).details.issues[0]!.path).toBe('items.csv 第 3 行.statutoryDays');
    await expect(getItem(console_, 'T-01-AMR-950')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe(getGuide.name, () => {
  it('takes the nearest level that implements the item', async () => {
    const g = await getGuide(console_, 'HB-07-NR-004', '130102');
    expect(g).toMatchObject({ regionCode: '130100', requestedRegion: '130102', department: { name: '石家庄市自然资源和规划局' }, pilot: null });
  });
});

describe(searchItems.name, () => {
  it('keeps a compound whole: 跨省通办 finds only text with the phrase', async () => {
    const admin = await catalogueAdmin();
    for (const [code, name] of [['T-20-HCS-960', '医保关系跨省通办转移接续'], ['T-20-HCS-961', '跨省异地就医直接结算'], ['T-20-HCS-962', '通办窗口预约服务']] as const) {
      await draftItem(admin, { ...ITEM, itemCode: code, name, itemType: 'public_service', statutoryDays: null, competentDepartmentKind: 'healthcare_security' });
      await publishItem(admin, { itemCode: code, version: 1 });
    }
    const r = await searchItems(console_, { q: '跨省通办', limit: 50, offset: 0 });
    expect(r.items.map((i) => i.itemCode)).toEqual(['T-20-HCS-960']);
    expect(r.total).toBe(1);
  });
});
