/**
 * Catalogue search at province size (issue 3): 1,600 items, each implemented in every Hebei
 * region (180 regions: about 288,000 implementations), then 1,000 searches — colloquial queries
 * from the quality set, exact names, codes and code prefixes; half of them filtered by a random
 * region — timed one after another through the search service (synonym look-up, jieba, ranked
 * SQL). Beside them, in the same run, the same queries done the naive way: `ILIKE '%…%'` over the
 * 1,600 item names, and over the names of the 288,000 implementations (a per-region list searched
 * without an index). Also how often each way puts the expected item in the top 3 for the quality
 * set's queries. On PGlite (in memory) and on server PostgreSQL (a throw-away database).
 *
 * The 63 demo items keep their real names and codes (so the quality set applies); the rest are
 * their 业务办理项 (变更, 延续, 注销 …) and further real item names, generated here. Search terms
 * are computed in Node for the 1,600 items; implementations are bulk-inserted with INSERT … SELECT.
 *
 * Knobs: BENCH_CATALOGUE_ITEMS (1600), BENCH_CATALOGUE_SEARCHES (1000), BENCH_DATABASE_URL
 * (the local server, through its Unix socket when it has one; the benchmark creates and drops its own database).
 */
import { randomUUID } from 'node:crypto';
import { onPglite, onPostgres } from './engines.js';
import { sql } from 'kysely';
import { makeCtx, type Ctx } from '../server/core/ctx.js';
import type { OpenRuntime } from '../server/runtime.js';
import { applyCatalogue, searchItems } from '../server/modules/catalogue/index.js';
import { tsvectorLiteral } from '../server/modules/catalogue/catalogue.tokens.js';
import { SEARCH_CASES } from '../server/modules/catalogue/catalogue.search-cases.js';
import { CERTIFICATE_TYPES } from '../server/db/seed/catalogue/certificate-types.js';
import { SYNONYMS } from '../server/db/seed/catalogue/synonyms.js';
import { ITEMS } from '../server/db/seed/catalogue/items.js';
import type { Figures } from './run.js';

export const name = 'catalogue';
export const description = 'catalogue search: 1,600 items in every Hebei region (~288,000 implementations), ranked search vs naive ILIKE, on PGlite and PostgreSQL';

const ITEM_COUNT = Number(process.env.BENCH_CATALOGUE_ITEMS ?? 1_600);
const SEARCHES = Number(process.env.BENCH_CATALOGUE_SEARCHES ?? 1_000);
const KINDS = ['amr', 'health', 'public_security', 'hrss', 'healthcare_security', 'civil_affairs', 'housing', 'natural_resources', 'ecology', 'transport', 'culture_tourism', 'emergency', 'tax', 'water'];

/** Further real item names of Hebei's catalogue (their details are generated: this is load, not reference data). */
const MORE_NAMES: [string, string][] = [
  ['燃气经营许可', 'housing'], ['城镇污水排入排水管网许可', 'housing'], ['占用、挖掘城市道路审批', 'housing'], ['砍伐城市树木审批', 'housing'],
  ['建筑业企业资质核准', 'housing'], ['房地产开发企业资质核定', 'housing'], ['工程监理企业资质认定', 'housing'], ['临时占用城市绿地审批', 'housing'],
  ['医疗器械经营许可', 'amr'], ['化妆品生产许可', 'amr'], ['检验检测机构资质认定', 'amr'], ['计量标准器具核准', 'amr'], ['特种设备生产单位许可', 'amr'],
  ['工业产品生产许可', 'amr'], ['食品小作坊登记', 'amr'], ['放射诊疗许可', 'health'], ['母婴保健技术服务执业许可', 'health'], ['饮用水供水单位卫生许可', 'health'],
  ['消毒产品生产企业卫生许可', 'health'], ['职业卫生技术服务机构资质认可', 'health'], ['民用爆炸物品购买许可', 'public_security'], ['剧毒化学品购买许可', 'public_security'],
  ['大型群众性活动安全许可', 'public_security'], ['旅馆业特种行业许可', 'public_security'], ['机动车驾驶证申领', 'public_security'], ['户口迁移', 'public_security'],
  ['往来港澳通行证签发', 'public_security'], ['职业技能培训机构设立审批', 'hrss'], ['职工基本养老保险待遇申领', 'hrss'], ['工伤认定', 'hrss'], ['技能人才评价备案', 'hrss'],
  ['生育保险待遇核准支付', 'healthcare_security'], ['定点医药机构确定', 'healthcare_security'], ['门诊慢特病待遇认定', 'healthcare_security'],
  ['殡葬设施建设审批', 'civil_affairs'], ['社会团体变更登记', 'civil_affairs'], ['基金会设立登记', 'civil_affairs'], ['特困人员认定', 'civil_affairs'], ['临时救助', 'civil_affairs'],
  ['采矿权登记', 'natural_resources'], ['探矿权登记', 'natural_resources'], ['测绘资质审批', 'natural_resources'], ['地图审核', 'natural_resources'], ['乡村建设规划许可', 'natural_resources'],
  ['辐射安全许可', 'ecology'], ['建设项目竣工环境保护验收备案', 'ecology'], ['固体废物跨省转移审批', 'ecology'], ['危险废物转移联单', 'ecology'],
  ['港口经营许可', 'transport'], ['公路超限运输许可', 'transport'], ['涉路施工许可', 'transport'], ['出租汽车经营许可', 'transport'], ['道路运输从业人员从业资格', 'transport'],
  ['出版物零售业务许可', 'culture_tourism'], ['印刷经营许可', 'culture_tourism'], ['电影放映单位设立审批', 'culture_tourism'], ['文物保护单位修缮方案审批', 'culture_tourism'],
  ['高危险性体育项目经营许可', 'culture_tourism'], ['非煤矿山安全生产许可', 'emergency'], ['烟花爆竹经营（批发）许可', 'emergency'], ['危险化学品安全使用许可', 'emergency'],
  ['特种作业操作证', 'emergency'], ['税务注销', 'tax'], ['跨区域涉税事项报告', 'tax'], ['个人所得税专项附加扣除', 'tax'], ['车辆购置税申报', 'tax'],
  ['水利工程质量检测单位资质认定', 'water'], ['河道采砂许可', 'water'], ['洪水影响评价审批', 'water'], ['农村集体经济组织修建水库审批', 'water'],
];
const VARIANTS = ['', '变更', '延续', '注销', '补办', '换发', '增项', '迁址', '名称变更', '法定代表人变更', '负责人变更', '经营范围变更', '延期', '撤回', '年度报告', '遗失补证'];

interface GenItem {
  code: string;
  name: string;
  dept: string;
  legalBasis: string;
  statutoryDays: number | null;
}

function generateItems(n: number): GenItem[] {
  const bases = [
    ...ITEMS.map((i) => ({ code: i.code, name: i.name, dept: i.dept, legalBasis: i.basis, statutoryDays: i.statutoryDays })),
    ...MORE_NAMES.map(([nm, dept], k) => ({ code: `BX-${String(k + 1).padStart(3, '0')}`, name: nm, dept, legalBasis: '（基准测试生成）', statutoryDays: 20 })),
  ];
  const out: GenItem[] = [];
  for (const v of VARIANTS) {
    for (const b of bases) {
      if (out.length >= n) return out;
      out.push(v === '' ? b : { ...b, code: `${b.code}-${String(VARIANTS.indexOf(v)).padStart(2, '0')}`, name: `${b.name}（${v}）` });
    }
  }
  for (let k = 0; out.length < n; k++) out.push({ ...bases[k % bases.length]!, code: `BX-G-${k}`, name: `${bases[k % bases.length]!.name}（${k}）` });
  return out;
}

const MATERIALS = JSON.stringify([
  { id: 'm1', name: '申请书', form: 'original', count: 1, required: true },
  { id: 'm2', name: '营业执照', form: 'electronic', count: 1, required: true, satisfiedBy: { certificateType: 'business_licence' } },
]);
const FORM = JSON.stringify({ type: 'object', properties: { entityName: { type: 'string', title: '单位名称' } }, required: ['entityName'] });

/** The catalogue at province size, loaded in bulk. Returns how long it took and the counts. */
async function load(runtime: OpenRuntime, ctx: Ctx, items: GenItem[]): Promise<Figures> {
  const db = runtime.db;
  const started = performance.now();
  // every standard department kind in every region
  await sql`INSERT INTO departments (region_code, kind, name)
            SELECT r.code, k, r.name || k FROM regions r CROSS JOIN unnest(${KINDS}::text[]) AS k
            ON CONFLICT (region_code, kind) DO NOTHING`.execute(db);
  await applyCatalogue(ctx, { certificateTypes: CERTIFICATE_TYPES, synonyms: SYNONYMS }, { reason: 'bench', publish: true });
  const names = new Map((await db.selectFrom('departments').select(['kind', 'name']).where('region_code', '=', '130000').execute()).map((d) => [d.kind, d.name]));
  const tokensStarted = performance.now();
  const vectors = items.map((i) =>
    tsvectorLiteral([{ text: i.name, weight: 'A' }, { text: names.get(i.dept) ?? '', weight: 'C' }, { text: i.legalBasis, weight: 'D' }]),
  );
  const tokensMs = performance.now() - tokensStarted;
  const ids = items.map(() => randomUUID());
  const now = new Date();
  await sql`INSERT INTO service_items (id, item_code, created_at)
            SELECT * FROM unnest(${ids}::uuid[], ${items.map((i) => i.code)}::text[], array_fill(${now}::timestamptz, ARRAY[${items.length}::int]))`.execute(db);
  await sql`INSERT INTO service_item_versions (item_id, item_code, version, status, name, item_type, applicant_kinds, legal_basis, set_at_level,
              statutory_days, competent_department_kind, competent_department_name, implementing_department_kind, conditions, quantity_limit,
              search_vector, content_hash, reason, created_at, published_at)
            SELECT t.id, t.code, 1, 'published', t.name, 'licensing', ARRAY['business'], t.basis, 'national', t.days, t.dept, t.dept_name, t.dept,
                   '（基准测试）', '无数量限制', t.vec::tsvector, md5(t.code), 'bench', ${now}, ${now}
              FROM unnest(${ids}::uuid[], ${items.map((i) => i.code)}::text[], ${items.map((i) => i.name)}::text[], ${items.map((i) => i.legalBasis)}::text[],
                          ${items.map((i) => i.statutoryDays ?? 20)}::int[], ${items.map((i) => i.dept)}::text[], ${items.map((i) => names.get(i.dept) ?? i.dept)}::text[],
                          ${vectors}::text[]) AS t(id, code, name, basis, days, dept, dept_name, vec)`.execute(db);
  const itemsMs = performance.now() - started;
  const implStarted = performance.now();
  await sql`INSERT INTO item_implementations (item_id, region_code, department_id, created_at)
            SELECT v.item_id, d.region_code, d.id, ${now} FROM service_item_versions v
              JOIN departments d ON d.kind = v.implementing_department_kind`.execute(db);
  await sql`INSERT INTO implementation_versions (implementation_id, version, status, item_id, item_code, region_code, region_path, department_id,
              department_kind, department_name, item_version, name, item_type, legal_basis, competent_department_kind, implementing_department_kind,
              promised_days, case_type, online_depth, visits_required, fees, materials, form_schema, review_plan, service_hall, office_hours,
              consult_phone, complaint_phone, content_hash, reason, created_at, published_at)
            SELECT i.id, 1, 'published', v.item_id, v.item_code, r.code, r.path, d.id, d.kind, d.name, 1, v.name, v.item_type, v.legal_basis,
                   v.competent_department_kind, v.implementing_department_kind, least(5, v.statutory_days), 'promised', 4, 0, '[]'::jsonb,
                   ${MATERIALS}::jsonb, ${FORM}::jsonb,
                   jsonb_build_array(jsonb_build_object('name', '审查', 'steps', jsonb_build_array(jsonb_build_object('key', 'review', 'departmentKind', d.kind, 'name', '审查', 'days', least(5, v.statutory_days))))),
                   r.name || '政务服务中心', '工作日', '12345', '12345', md5(i.id::text), 'bench', ${now}, ${now}
              FROM item_implementations i
              JOIN service_item_versions v ON v.item_id = i.item_id AND v.status = 'published'
              JOIN departments d ON d.id = i.department_id
              JOIN regions r ON r.code = i.region_code`.execute(db);
  await sql`ANALYZE`.execute(db);
  const implementationsMs = performance.now() - implStarted;
  const count = await db.selectFrom('implementation_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const regions = await db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { items: items.length, regions: regions.n, implementations: count.n, tokenise_ms: Math.round(tokensMs), load_items_ms: Math.round(itemsMs), load_implementations_ms: Math.round(implementationsMs) };
}

interface Query {
  q: string;
  region?: string;
}

function queries(items: GenItem[], regions: string[], n: number): Query[] {
  const pool: string[] = [];
  let k = 0;
  for (const c of SEARCH_CASES) pool.push(c.q);
  while (pool.length < SEARCH_CASES.length * 2) {
    const it = items[(k * 7919) % items.length]!;
    pool.push(k % 3 === 0 ? it.code : k % 3 === 1 ? it.name : it.code.slice(0, 9));
    k++;
  }
  return Array.from({ length: n }, (_, i) => ({ q: pool[i % pool.length]!, ...(i % 2 === 1 ? { region: regions[(i * 31) % regions.length]! } : {}) }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(qs: Query[], fn: (q: Query) => Promise<unknown>): Promise<{ p50: number; p95: number; max: number }> {
  for (const q of qs.slice(0, 50)) await fn(q); // warm-up
  const ms: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    await fn(q);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(percentile(ms, 50)), p95: r(percentile(ms, 95)), max: r(ms[ms.length - 1]!) };
}

async function measure(runtime: OpenRuntime, engine: string): Promise<Figures> {
  const ctx = makeCtx(runtime, { kind: 'console', operator: 'bench' });
  const items = generateItems(ITEM_COUNT);
  const loaded = await load(runtime, ctx, items);
  const db = runtime.db;
  const regionRows = await db.selectFrom('regions').select(['code', 'path']).execute();
  const paths = new Map(regionRows.map((r) => [r.code, r.path]));
  const qs = queries(items, regionRows.map((r) => r.code), SEARCHES);

  const search = await timed(qs, (q) => searchItems(ctx, { q: q.q, region: q.region, limit: 20, offset: 0 }));
  const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const naiveItems = await timed(qs, (q) =>
    q.region
      ? sql`SELECT v.item_code, v.name FROM service_item_versions v WHERE v.status = 'published' AND v.name ILIKE ${like(q.q)}
              AND EXISTS (SELECT 1 FROM implementation_versions iv WHERE iv.item_id = v.item_id AND iv.status = 'published' AND iv.region_code = ANY(${paths.get(q.region)!}::text[]))
            ORDER BY v.item_code LIMIT 20`.execute(db)
      : sql`SELECT item_code, name FROM service_item_versions WHERE status = 'published' AND name ILIKE ${like(q.q)} ORDER BY item_code LIMIT 20`.execute(db),
  );
  const naiveImplementations = await timed(qs, (q) =>
    q.region
      ? sql`SELECT DISTINCT item_code, name FROM implementation_versions WHERE status = 'published' AND name ILIKE ${like(q.q)}
              AND region_code = ANY(${paths.get(q.region)!}::text[]) ORDER BY item_code LIMIT 20`.execute(db)
      : sql`SELECT DISTINCT item_code, name FROM implementation_versions WHERE status = 'published' AND name ILIKE ${like(q.q)} ORDER BY item_code LIMIT 20`.execute(db),
  );

  // how often the expected item is in the top 3, for the quality set
  let hits = 0;
  let naiveHits = 0;
  for (const c of SEARCH_CASES) {
    const top = (await searchItems(ctx, { q: c.q, limit: 3, offset: 0 })).items.map((i) => i.itemCode);
    if (c.expect.some((e) => top.includes(e))) hits++;
    const naive = await sql<{ item_code: string }>`SELECT item_code FROM service_item_versions WHERE status = 'published' AND name ILIKE ${like(c.q)} ORDER BY item_code LIMIT 3`.execute(db);
    if (c.expect.some((e) => naive.rows.some((r) => r.item_code === e))) naiveHits++;
  }
  const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
  return {
    ...Object.fromEntries(Object.entries(loaded).map(([k, v]) => [`${engine}_${k}`, v])),
    [`${engine}_search_p50_ms`]: search.p50,
    [`${engine}_search_p95_ms`]: search.p95,
    [`${engine}_search_max_ms`]: search.max,
    [`${engine}_naive_items_ilike_p50_ms`]: naiveItems.p50,
    [`${engine}_naive_items_ilike_p95_ms`]: naiveItems.p95,
    [`${engine}_naive_implementations_ilike_p50_ms`]: naiveImplementations.p50,
    [`${engine}_naive_implementations_ilike_p95_ms`]: naiveImplementations.p95,
    [`${engine}_speedup_p95_vs_naive_implementations`]: ratio(naiveImplementations.p95, search.p95),
    [`${engine}_speedup_p95_vs_naive_items`]: ratio(naiveItems.p95, search.p95),
    [`${engine}_quality_top3_search`]: `${hits}/${SEARCH_CASES.length}`,
    [`${engine}_quality_top3_naive_ilike`]: `${naiveHits}/${SEARCH_CASES.length}`,
  };
}

export async function run(): Promise<Figures> {
  return {
    items: ITEM_COUNT,
    searches: SEARCHES,
    ...(await onPostgres(measure)),
    ...(await onPglite(measure)),
  };
}
