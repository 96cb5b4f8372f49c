import { AppError } from '../../../shared/errors.js';
import type { Department, Region, RegionDetail } from '../../../shared/contracts/regions.js';
import { hasRole } from '../../core/actor.js';
import { requireAccess } from '../../core/access.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import * as audit from '../../core/audit.js';
import * as repo from './regions.repository.js';
import { hebeiRegions, type RegionLevel } from './regions.data.js';
import { STANDARD_DEPARTMENTS, departmentName } from './regions.departments.js';

type RegionRow = NonNullable<Awaited<ReturnType<typeof repo.findRegion>>>;
type DepartmentRow = { id: string; region_code: string; kind: string; name: string };

function toRegion(r: RegionRow): Region {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, gbParentCode: r.gb_parent_code, inGb2260: r.in_gb2260 };
}

function toDepartment(d: DepartmentRow): Department {
  return { id: d.id, regionCode: d.region_code, kind: d.kind, name: d.name };
}

/** Children of `parent`, or the top of the tree when absent. Public reference data. */
export async function listRegions(ctx: Ctx, parent?: string): Promise<Region[]> {
  if (parent !== undefined && !(await repo.findRegion(ctx.db, parent))) {
    throw new AppError('NOT_FOUND', `行政区划 ${parent} 不存在`);
  }
  return (await repo.listChildren(ctx.db, parent ?? null)).map(toRegion);
}

export async function getRegion(ctx: Ctx, code: string): Promise<RegionDetail> {
  const r = await repo.findRegion(ctx.db, code);
  if (!r) throw new AppError('NOT_FOUND', `行政区划 ${code} 不存在`);
  const ancestors = await repo.findRegions(ctx.db, r.path);
  const byCode = new Map(ancestors.map((a) => [a.code, a]));
  return {
    ...toRegion(r),
    path: r.path.map((c) => byCode.get(c)!).map((a) => ({ code: a.code, name: a.name, level: a.level })),
    childCount: await repo.countChildren(ctx.db, code),
  };
}

/** The region's path from the province (for scope checks); throws NOT_FOUND. */
export async function regionPath(ctx: Ctx, code: string): Promise<string[]> {
  const r = await repo.findRegion(ctx.db, code);
  if (!r) throw new AppError('NOT_FOUND', `行政区划 ${code} 不存在`);
  return r.path;
}

export async function listDepartments(ctx: Ctx, regionCode: string): Promise<Department[]> {
  if (!(await repo.findRegion(ctx.db, regionCode))) throw new AppError('NOT_FOUND', `行政区划 ${regionCode} 不存在`);
  return (await repo.listDepartments(ctx.db, regionCode)).map(toDepartment);
}

export interface DepartmentWithScope extends Department {
  regionPath: string[];
}

export async function getDepartment(ctx: Ctx, id: string): Promise<DepartmentWithScope> {
  const d = await repo.findDepartment(ctx.db, id);
  if (!d) throw new AppError('NOT_FOUND', `部门 ${id} 不存在`);
  return { ...toDepartment(d), regionPath: d.path };
}

export async function findDepartmentByKind(ctx: Ctx, regionCode: string, kind: string): Promise<Department | null> {
  const d = await repo.findDepartmentByKind(ctx.db, regionCode, kind);
  return d ? toDepartment(d) : null;
}

/** A system administrator of the region (or above) adds a department. */
export async function createDepartment(ctx: Ctx, input: { regionCode: string; kind: string; name: string }): Promise<Department> {
  return inTransaction(ctx, async (tx) => {
    const path = await regionPath(tx, input.regionCode);
    const a = tx.actor;
    requireAccess(a, a.kind === 'console' || (hasRole(a, 'system_admin') && path.includes(a.regionCode)), `在 ${input.regionCode} 设立部门`);
    const d = await repo.insertDepartment(tx.db, { region_code: input.regionCode, kind: input.kind, name: input.name });
    if (!d) throw new AppError('CONFLICT', `${input.regionCode} 已有类别为 ${input.kind} 的部门`);
    await audit.record(tx, { action: 'department.created', subject: { department: d.id }, details: { regionCode: input.regionCode, kind: input.kind } });
    return toDepartment(d);
  });
}

/** Loads the GB/T 2260 tree of Hebei (idempotent; reference data, present in every mode). */
export async function loadRegionTree(ctx: Ctx): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const n = await repo.upsertRegions(tx.db, hebeiRegions());
    if (n > 0) await audit.record(tx, { action: 'regions.loaded', subject: { regions: 'GB/T 2260 河北' }, details: { inserted: n } });
    return n;
  });
}

/** Creates the standard departments of a region (demo and new installs). Returns them all. */
export async function ensureStandardDepartments(ctx: Ctx, regionCode: string): Promise<Department[]> {
  return inTransaction(ctx, async (tx) => {
    const r = await repo.findRegion(tx.db, regionCode);
    if (!r) throw new AppError('NOT_FOUND', `行政区划 ${regionCode} 不存在`);
    const city = r.level === 'county' && r.parent_code ? await repo.findRegion(tx.db, r.parent_code) : undefined;
    for (const d of STANDARD_DEPARTMENTS) {
      const name = departmentName(d, r.level as RegionLevel, r.name, city?.name);
      const created = await repo.insertDepartment(tx.db, { region_code: regionCode, kind: d.kind, name });
      if (created) await audit.record(tx, { action: 'department.created', subject: { department: created.id }, details: { regionCode, kind: d.kind } });
    }
    return (await repo.listDepartments(tx.db, regionCode)).map(toDepartment);
  });
}
