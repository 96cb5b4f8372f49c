import { sql, type Insertable, type Kysely } from 'kysely';
import type {
  DB,
  ImplementationVersionsTable,
  LifeEventsTable,
  PowersTable,
  ServiceItemVersionsTable,
} from '../../db/schema.js';

type Q = Kysely<DB>;

// ---------------------------------------------------------------- reference data

export function listCertificateTypes(db: Q) {
  return db.selectFrom('certificate_types').select(['code', 'name', 'issuing_department_kind']).orderBy('code').execute();
}

export async function upsertCertificateTypes(db: Q, rows: { code: string; name: string; issuing_department_kind: string }[]): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db
    .insertInto('certificate_types')
    .values(rows)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), issuing_department_kind: eb.ref('excluded.issuing_department_kind') })).where(
        sql<boolean>`(certificate_types.name, certificate_types.issuing_department_kind) IS DISTINCT FROM (excluded.name, excluded.issuing_department_kind)`,
      ),
    )
    .returning('code')
    .execute();
  return r.length;
}

export async function insertSynonyms(db: Q, rows: { phrase: string; expands_to: string }[]): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db
    .insertInto('search_synonyms')
    .values(rows)
    .onConflict((oc) => oc.columns(['phrase', 'expands_to']).doNothing())
    .returning('phrase')
    .execute();
  return r.length;
}

/** Synonyms whose phrase occurs in the (normalised) query. */
export function synonymsIn(db: Q, query: string) {
  return db
    .selectFrom('search_synonyms')
    .select(['phrase', 'expands_to'])
    .where(sql<boolean>`strpos(${query}, phrase) > 0`)
    .execute();
}

// ---------------------------------------------------------------- powers

export const POWER_COLUMNS = [
  'code', 'version', 'status', 'name', 'power_type', 'legal_basis', 'competent_department_kind', 'content_hash', 'reason',
  'created_by', 'created_at', 'published_by', 'published_at',
] as const;

export function publishedPowers(db: Q) {
  return db.selectFrom('powers').select(POWER_COLUMNS).where('status', '=', 'published').execute();
}

export function findPublishedPower(db: Q, code: string) {
  return db.selectFrom('powers').select(POWER_COLUMNS).where('code', '=', code).where('status', '=', 'published').executeTakeFirst();
}

export async function nextPowerVersion(db: Q, code: string): Promise<number> {
  const r = await db.selectFrom('powers').select((eb) => eb.fn.max('version').as('v')).where('code', '=', code).executeTakeFirst();
  return (r?.v ?? 0) + 1;
}

export function insertPower(db: Q, values: Insertable<PowersTable>) {
  return db.insertInto('powers').values(values).returning(POWER_COLUMNS).executeTakeFirstOrThrow();
}

export function findPower(db: Q, code: string, version: number) {
  return db.selectFrom('powers').select(POWER_COLUMNS).where('code', '=', code).where('version', '=', version).forUpdate().executeTakeFirst();
}

export async function publishPower(db: Q, code: string, version: number, by: string | null, at: Date) {
  await db.updateTable('powers').set({ status: 'superseded', superseded_at: at }).where('code', '=', code).where('version', '<', version).where('status', 'in', ['draft', 'published']).execute();
  return db
    .updateTable('powers')
    .set({ status: 'published', published_by: by, published_at: at })
    .where('code', '=', code)
    .where('version', '=', version)
    .returning(POWER_COLUMNS)
    .executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------- service items

export const ITEM_COLUMNS = [
  'v.id', 'v.item_id', 'v.item_code', 'v.version', 'v.status', 'v.name', 'v.item_type', 'v.applicant_kinds', 'v.power_code',
  'v.legal_basis', 'v.set_at_level', 'v.statutory_days', 'v.result_type', 'v.competent_department_kind',
  'v.competent_department_name', 'v.implementing_department_kind', 'v.conditions', 'v.quantity_limit', 'v.content_hash',
  'v.reason', 'v.created_by', 'v.created_at', 'v.published_by', 'v.published_at',
] as const;

function itemVersions(db: Q) {
  return db
    .selectFrom('service_item_versions as v')
    .leftJoin('certificate_types as ct', 'ct.code', 'v.result_type')
    .select(ITEM_COLUMNS)
    .select('ct.name as result_type_name');
}

export type ItemVersionRow = NonNullable<Awaited<ReturnType<typeof findItemVersion>>>;

/** The stable item row, locked so versions of one item are numbered and published one at a time. */
export function lockItem(db: Q, itemCode: string) {
  return db.selectFrom('service_items').select(['id', 'item_code']).where('item_code', '=', itemCode).forUpdate().executeTakeFirst();
}

export function insertItem(db: Q, itemCode: string, at: Date) {
  return db
    .insertInto('service_items')
    .values({ item_code: itemCode, created_at: at })
    .onConflict((oc) => oc.column('item_code').doNothing())
    .returning(['id', 'item_code'])
    .executeTakeFirst();
}

export async function nextItemVersion(db: Q, itemId: string): Promise<number> {
  const r = await db.selectFrom('service_item_versions').select((eb) => eb.fn.max('version').as('v')).where('item_id', '=', itemId).executeTakeFirst();
  return (r?.v ?? 0) + 1;
}

export async function insertItemVersion(db: Q, values: Insertable<ServiceItemVersionsTable>): Promise<string> {
  const r = await db.insertInto('service_item_versions').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export function findItemVersion(db: Q, itemCode: string, version: number) {
  return itemVersions(db).where('v.item_code', '=', itemCode).where('v.version', '=', version).executeTakeFirst();
}

export function findItemVersionById(db: Q, id: string) {
  return itemVersions(db).where('v.id', '=', id).executeTakeFirst();
}

export function currentItem(db: Q, itemCode: string) {
  return itemVersions(db).where('v.item_code', '=', itemCode).where('v.status', '=', 'published').executeTakeFirst();
}

export function currentItems(db: Q, itemCodes: string[]) {
  if (itemCodes.length === 0) return Promise.resolve([]);
  return itemVersions(db).where('v.item_code', 'in', itemCodes).where('v.status', '=', 'published').execute();
}

export function allCurrentItems(db: Q) {
  return itemVersions(db).where('v.status', '=', 'published').orderBy('v.item_code').execute();
}

export function listItemVersions(db: Q, itemCode: string) {
  return db
    .selectFrom('service_item_versions')
    .select(['id', 'version', 'status', 'reason', 'created_by', 'created_at', 'published_by', 'published_at'])
    .where('item_code', '=', itemCode)
    .orderBy('version', 'desc')
    .execute();
}

/** Publishes one version: the current one and every older draft are superseded. */
export async function publishItemVersion(db: Q, itemId: string, version: number, by: string | null, at: Date): Promise<void> {
  await db
    .updateTable('service_item_versions')
    .set({ status: 'superseded', superseded_at: at })
    .where('item_id', '=', itemId)
    .where('version', '<>', version)
    .where((eb) => eb.or([eb('status', '=', 'published'), eb.and([eb('status', '=', 'draft'), eb('version', '<', version)])]))
    .execute();
  await db
    .updateTable('service_item_versions')
    .set({ status: 'published', published_by: by, published_at: at })
    .where('item_id', '=', itemId)
    .where('version', '=', version)
    .execute();
}

// ---------------------------------------------------------------- implementations

export const IMPLEMENTATION_COLUMNS = [
  'id', 'implementation_id', 'version', 'status', 'item_id', 'item_code', 'item_version', 'region_code', 'region_path',
  'department_id', 'department_kind', 'department_name', 'name', 'item_type', 'legal_basis', 'competent_department_kind',
  'implementing_department_kind', 'promised_days', 'case_type', 'online_depth', 'visits_required', 'fees', 'materials',
  'form_schema', 'review_plan', 'service_hall', 'office_hours', 'consult_phone', 'complaint_phone', 'content_hash', 'reason',
  'created_by', 'created_at', 'published_by', 'published_at',
] as const;

export type ImplementationVersionRow = NonNullable<Awaited<ReturnType<typeof findImplementationVersion>>>;

export function lockImplementation(db: Q, id: string) {
  return db.selectFrom('item_implementations').select(['id', 'item_id', 'region_code', 'department_id']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findImplementationByKey(db: Q, itemId: string, regionCode: string, departmentId: string) {
  return db
    .selectFrom('item_implementations')
    .select(['id', 'item_id', 'region_code', 'department_id'])
    .where('item_id', '=', itemId)
    .where('region_code', '=', regionCode)
    .where('department_id', '=', departmentId)
    .forUpdate()
    .executeTakeFirst();
}

export function insertImplementation(db: Q, v: { item_id: string; region_code: string; department_id: string; created_at: Date }) {
  return db
    .insertInto('item_implementations')
    .values(v)
    .onConflict((oc) => oc.columns(['item_id', 'region_code', 'department_id']).doNothing())
    .returning(['id', 'item_id', 'region_code', 'department_id'])
    .executeTakeFirst();
}

export async function nextImplementationVersion(db: Q, implementationId: string): Promise<number> {
  const r = await db
    .selectFrom('implementation_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('implementation_id', '=', implementationId)
    .executeTakeFirst();
  return (r?.v ?? 0) + 1;
}

export async function insertImplementationVersion(db: Q, values: Insertable<ImplementationVersionsTable>): Promise<string> {
  const r = await db.insertInto('implementation_versions').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export function findImplementationVersion(db: Q, implementationId: string, version: number) {
  return db
    .selectFrom('implementation_versions')
    .select(IMPLEMENTATION_COLUMNS)
    .where('implementation_id', '=', implementationId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function findImplementationVersionById(db: Q, versionId: string) {
  return db.selectFrom('implementation_versions').select(IMPLEMENTATION_COLUMNS).where('id', '=', versionId).executeTakeFirst();
}

export function currentImplementation(db: Q, implementationId: string) {
  return db
    .selectFrom('implementation_versions')
    .select(IMPLEMENTATION_COLUMNS)
    .where('implementation_id', '=', implementationId)
    .where('status', '=', 'published')
    .executeTakeFirst();
}

export function currentImplementationsOfItem(db: Q, itemId: string) {
  return db
    .selectFrom('implementation_versions')
    .select(IMPLEMENTATION_COLUMNS)
    .where('item_id', '=', itemId)
    .where('status', '=', 'published')
    .orderBy('region_code')
    .execute();
}

/** The published implementation in the deepest region of `path` (the region itself, else the nearest level above). */
export function nearestImplementation(db: Q, itemId: string, path: string[]) {
  return db
    .selectFrom('implementation_versions')
    .select(IMPLEMENTATION_COLUMNS)
    .where('item_id', '=', itemId)
    .where('status', '=', 'published')
    .where('region_code', 'in', path)
    .orderBy(sql`array_position(${sql.val(path)}::text[], region_code)`, 'desc')
    .orderBy('department_kind')
    .limit(1)
    .executeTakeFirst();
}

/** Published implementations in `region` and below (the standardisation report). */
export function currentImplementationsUnder(db: Q, region: string) {
  return db
    .selectFrom('implementation_versions')
    .select(IMPLEMENTATION_COLUMNS)
    .where('status', '=', 'published')
    .where(sql<boolean>`region_path @> ARRAY[${region}]::text[]`)
    .orderBy('item_code')
    .orderBy('region_code')
    .execute();
}

export function listImplementationVersions(db: Q, implementationId: string) {
  return db
    .selectFrom('implementation_versions')
    .select(['id', 'version', 'status', 'reason', 'created_by', 'created_at', 'published_by', 'published_at'])
    .where('implementation_id', '=', implementationId)
    .orderBy('version', 'desc')
    .execute();
}

export async function publishImplementationVersion(db: Q, implementationId: string, version: number, by: string | null, at: Date): Promise<void> {
  await db
    .updateTable('implementation_versions')
    .set({ status: 'superseded', superseded_at: at })
    .where('implementation_id', '=', implementationId)
    .where('version', '<>', version)
    .where((eb) => eb.or([eb('status', '=', 'published'), eb.and([eb('status', '=', 'draft'), eb('version', '<', version)])]))
    .execute();
  await db
    .updateTable('implementation_versions')
    .set({ status: 'published', published_by: by, published_at: at })
    .where('implementation_id', '=', implementationId)
    .where('version', '=', version)
    .execute();
}

/** Content hashes of every published implementation, keyed by item, region and department kind (idempotent imports). */
export function publishedImplementationHashes(db: Q) {
  return db
    .selectFrom('implementation_versions')
    .select(['item_code', 'region_code', 'department_kind', 'content_hash', 'item_version'])
    .where('status', '=', 'published')
    .execute();
}

// ---------------------------------------------------------------- life events

export const LIFE_EVENT_COLUMNS = [
  'code', 'version', 'status', 'name', 'description', 'item_codes', 'form_schema', 'field_map', 'content_hash', 'reason',
  'created_by', 'created_at', 'published_by', 'published_at',
] as const;

export function publishedLifeEvents(db: Q) {
  return db.selectFrom('life_events').select(LIFE_EVENT_COLUMNS).where('status', '=', 'published').orderBy('code').execute();
}

export function findPublishedLifeEvent(db: Q, code: string) {
  return db.selectFrom('life_events').select(LIFE_EVENT_COLUMNS).where('code', '=', code).where('status', '=', 'published').executeTakeFirst();
}

export function findLifeEvent(db: Q, code: string, version: number) {
  return db.selectFrom('life_events').select(LIFE_EVENT_COLUMNS).where('code', '=', code).where('version', '=', version).forUpdate().executeTakeFirst();
}

export async function nextLifeEventVersion(db: Q, code: string): Promise<number> {
  const r = await db.selectFrom('life_events').select((eb) => eb.fn.max('version').as('v')).where('code', '=', code).executeTakeFirst();
  return (r?.v ?? 0) + 1;
}

export function insertLifeEvent(db: Q, values: Insertable<LifeEventsTable>) {
  return db.insertInto('life_events').values(values).returning(LIFE_EVENT_COLUMNS).executeTakeFirstOrThrow();
}

export async function publishLifeEvent(db: Q, code: string, version: number, by: string | null, at: Date) {
  await db
    .updateTable('life_events')
    .set({ status: 'superseded', superseded_at: at })
    .where('code', '=', code)
    .where('version', '<', version)
    .where('status', 'in', ['draft', 'published'])
    .execute();
  return db
    .updateTable('life_events')
    .set({ status: 'published', published_by: by, published_at: at })
    .where('code', '=', code)
    .where('version', '=', version)
    .returning(LIFE_EVENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------- search

export interface SearchFilters {
  /** The applicant's region and the levels above it. */
  regionPath?: string[] | undefined;
  kind?: string | undefined;
  department?: string | undefined;
  type?: string | undefined;
}

export interface SearchTerms {
  /** The raw, normalised query (exact-name and code boosts). */
  text: string;
  phrase: string;
  loose: string;
  synonyms: string;
  /** Whether the query could be an item code (letters, digits, dashes). */
  codeLike: boolean;
}

export interface SearchRow {
  item_code: string;
  name: string;
  item_type: string;
  competent_department_name: string;
  competent_department_kind: string;
  score: number;
  total: number;
}

function filterSql(f: SearchFilters) {
  const parts = [sql`v.status = 'published'`];
  if (f.kind) parts.push(sql`v.applicant_kinds @> ARRAY[${f.kind}]::text[]`);
  if (f.department) parts.push(sql`v.competent_department_kind = ${f.department}`);
  if (f.type) parts.push(sql`v.item_type = ${f.type}`);
  if (f.regionPath) {
    parts.push(sql`EXISTS (SELECT 1 FROM implementation_versions iv
      WHERE iv.item_id = v.item_id AND iv.status = 'published' AND iv.region_code = ANY(${sql.val(f.regionPath)}::text[]))`);
  }
  return sql.join(parts, sql` AND `);
}

/** The whole list in code order (no query). */
export async function listItems(db: Q, f: SearchFilters, limit: number, offset: number): Promise<SearchRow[]> {
  const r = await sql<SearchRow>`
    SELECT v.item_code, v.name, v.item_type, v.competent_department_name, v.competent_department_kind,
           0::float8 AS score, count(*) OVER ()::int AS total
      FROM service_item_versions v
     WHERE ${filterSql(f)}
     ORDER BY v.item_code
     LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return r.rows;
}

/**
 * Ranked search: ts_rank of the phrase, of the loose match and of synonym expansions, plus boosts
 * for an exact code, a code prefix, the exact name and a name prefix. Weights (name A … legal
 * basis D) come from the stored vector.
 */
export async function searchItems(db: Q, t: SearchTerms, f: SearchFilters, limit: number, offset: number): Promise<SearchRow[]> {
  const prefix = `${t.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rank = (query: string, base: number) =>
    query === '' ? sql`0` : sql`CASE WHEN v.search_vector @@ ${query}::tsquery THEN ${base} + ts_rank(v.search_vector, ${query}::tsquery) ELSE 0 END`;
  const any = [t.phrase, t.loose, t.synonyms].filter((x) => x !== '').map((x) => `(${x})`).join(' | ');
  const matches = [
    ...(any === '' ? [] : [sql`v.search_vector @@ ${any}::tsquery`]),
    ...(t.codeLike ? [sql`lower(v.item_code) LIKE ${prefix}`] : []),
  ];
  if (matches.length === 0) return [];
  const codeBoost = t.codeLike
    ? sql`CASE WHEN lower(v.item_code) = ${t.text} THEN 100 WHEN lower(v.item_code) LIKE ${prefix} THEN 50 ELSE 0 END`
    : sql`0`;
  // tsquery literals are inlined as parameters (never ''), so the planner can use the GIN index
  const r = await sql<SearchRow>`
    SELECT v.item_code, v.name, v.item_type, v.competent_department_name, v.competent_department_kind,
           ( ${rank(t.phrase, 4)} + ${rank(t.loose, 1)} + ${rank(t.synonyms, 6)}
           + CASE WHEN lower(v.name) = ${t.text} THEN 30 WHEN lower(v.name) LIKE ${prefix} THEN 15 ELSE 0 END
           + ${codeBoost} )::float8 AS score,
           count(*) OVER ()::int AS total
      FROM service_item_versions v
     WHERE ${filterSql(f)}
       AND (${sql.join(matches, sql` OR `)})
     ORDER BY score DESC, v.item_code
     LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return r.rows;
}

// ---------------------------------------------------------------- bulk writes (seed and import)

/** Creates the stable rows of new items; returns every code's id and highest version. */
export async function ensureItems(db: Q, codes: string[], at: Date): Promise<Map<string, { id: string; version: number }>> {
  if (codes.length === 0) return new Map();
  await db
    .insertInto('service_items')
    .values(codes.map((c) => ({ item_code: c, created_at: at })))
    .onConflict((oc) => oc.column('item_code').doNothing())
    .execute();
  const rows = await db
    .selectFrom('service_items as i')
    .leftJoin('service_item_versions as v', 'v.item_id', 'i.id')
    .select(['i.id', 'i.item_code'])
    .select((eb) => eb.fn.coalesce(eb.fn.max('v.version'), eb.lit(0)).as('version'))
    .where('i.item_code', 'in', codes)
    .groupBy(['i.id', 'i.item_code'])
    .execute();
  return new Map(rows.map((r) => [r.item_code, { id: r.id, version: Number(r.version) }]));
}

/** Supersedes the current version and every draft of these items (a new version is about to be published). */
export async function supersedeItems(db: Q, itemIds: string[], at: Date): Promise<void> {
  if (itemIds.length === 0) return;
  await db
    .updateTable('service_item_versions')
    .set({ status: 'superseded', superseded_at: at })
    .where('item_id', 'in', itemIds)
    .where('status', 'in', ['published', 'draft'])
    .execute();
}

export async function insertItemVersions(db: Q, rows: Insertable<ServiceItemVersionsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('service_item_versions').values(rows.slice(i, i + 200)).execute();
}

export interface ImplementationKey {
  item_id: string;
  region_code: string;
  department_id: string;
}

/** Creates the stable rows of new implementations; returns each key's id and highest version. */
export async function ensureImplementations(db: Q, keys: ImplementationKey[], at: Date): Promise<Map<string, { id: string; version: number }>> {
  if (keys.length === 0) return new Map();
  for (let i = 0; i < keys.length; i += 500) {
    await db
      .insertInto('item_implementations')
      .values(keys.slice(i, i + 500).map((k) => ({ ...k, created_at: at })))
      .onConflict((oc) => oc.columns(['item_id', 'region_code', 'department_id']).doNothing())
      .execute();
  }
  const r = await sql<{ id: string; item_id: string; region_code: string; department_id: string; version: number }>`
    SELECT i.id, i.item_id, i.region_code, i.department_id, coalesce(max(v.version), 0)::int AS version
      FROM item_implementations i
      JOIN unnest(${sql.val(keys.map((k) => k.item_id))}::uuid[], ${sql.val(keys.map((k) => k.region_code))}::text[],
                  ${sql.val(keys.map((k) => k.department_id))}::uuid[]) AS k(item_id, region_code, department_id)
        ON k.item_id = i.item_id AND k.region_code = i.region_code AND k.department_id = i.department_id
      LEFT JOIN implementation_versions v ON v.implementation_id = i.id
     GROUP BY i.id, i.item_id, i.region_code, i.department_id`.execute(db);
  return new Map(r.rows.map((x) => [`${x.item_id}/${x.region_code}/${x.department_id}`, { id: x.id, version: x.version }]));
}

export async function supersedeImplementations(db: Q, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('implementation_versions')
    .set({ status: 'superseded', superseded_at: at })
    .where('implementation_id', 'in', ids)
    .where('status', 'in', ['published', 'draft'])
    .execute();
}

export async function insertImplementationVersions(db: Q, rows: Insertable<ImplementationVersionsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await db.insertInto('implementation_versions').values(rows.slice(i, i + 100)).execute();
}

export async function maxPowerVersions(db: Q, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('powers').select(['code']).select((eb) => eb.fn.max('version').as('v')).where('code', 'in', codes).groupBy('code').execute();
  return new Map(rows.map((r) => [r.code, r.v]));
}

export async function supersedePowers(db: Q, codes: string[], at: Date): Promise<void> {
  if (codes.length === 0) return;
  await db.updateTable('powers').set({ status: 'superseded', superseded_at: at }).where('code', 'in', codes).where('status', 'in', ['published', 'draft']).execute();
}

export async function insertPowers(db: Q, rows: Insertable<PowersTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('powers').values(rows.slice(i, i + 200)).execute();
}
