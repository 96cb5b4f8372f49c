import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RegionRecord } from './regions.data.js';

type Q = Kysely<DB>;

const REGION_COLUMNS = ['code', 'name', 'level', 'parent_code', 'gb_parent_code', 'in_gb2260', 'path'] as const;

export function findRegion(db: Q, code: string) {
  return db.selectFrom('regions').select(REGION_COLUMNS).where('code', '=', code).executeTakeFirst();
}

export function findRegions(db: Q, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('regions').select(REGION_COLUMNS).where('code', 'in', codes).execute();
}

export function listChildren(db: Q, parent: string | null) {
  const q = db.selectFrom('regions').select(REGION_COLUMNS).orderBy('code');
  return (parent === null ? q.where('parent_code', 'is', null) : q.where('parent_code', '=', parent)).execute();
}

export async function countChildren(db: Q, code: string): Promise<number> {
  const r = await db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', code)
    .executeTakeFirstOrThrow();
  return r.n;
}

/** Inserts the tree parents first, computing each path; existing codes are left alone. */
export async function upsertRegions(db: Q, regions: RegionRecord[]): Promise<number> {
  const paths = new Map<string, string[]>();
  const rows = regions.map((r) => {
    const path = r.parentCode ? [...(paths.get(r.parentCode) ?? []), r.code] : [r.code];
    paths.set(r.code, path);
    return {
      code: r.code,
      name: r.name,
      level: r.level,
      parent_code: r.parentCode,
      gb_parent_code: r.gbParentCode,
      in_gb2260: r.inGb2260,
      path,
    };
  });
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const res = await db
      .insertInto('regions')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('code')
      .execute();
    inserted += res.length;
  }
  return inserted;
}

const DEPARTMENT_COLUMNS = ['id', 'region_code', 'kind', 'name'] as const;

export function listDepartments(db: Q, regionCode: string) {
  return db.selectFrom('departments').select(DEPARTMENT_COLUMNS).where('region_code', '=', regionCode).orderBy('kind').execute();
}

export function findDepartment(db: Q, id: string) {
  return db
    .selectFrom('departments')
    .innerJoin('regions', 'regions.code', 'departments.region_code')
    .select(['departments.id', 'departments.region_code', 'departments.kind', 'departments.name', 'regions.path'])
    .where('departments.id', '=', id)
    .executeTakeFirst();
}

export function findDepartmentByKind(db: Q, regionCode: string, kind: string) {
  return db.selectFrom('departments').select(DEPARTMENT_COLUMNS).where('region_code', '=', regionCode).where('kind', '=', kind).executeTakeFirst();
}

export function insertDepartment(db: Q, d: { region_code: string; kind: string; name: string }) {
  return db
    .insertInto('departments')
    .values(d)
    .onConflict((oc) => oc.columns(['region_code', 'kind']).doNothing())
    .returning(DEPARTMENT_COLUMNS)
    .executeTakeFirst();
}
