/**
 * Delegation orders (权力下放) and their takeOver (承接), per 冀政办发〔2020〕7号: every receiving
 * unit (region × item) gets a task with a hand-over deadline (15 days) and a listing deadline (its
 * 实施清单 within 5 working days), and confirms only once its implementation is published and its
 * implementing department has staff. A cancelled item is recorded for 事中事后监管, so no gap is
 * left between approval and supervision.
 */
import type { ServiceItem } from '../../../shared/contracts/catalogue.js';
import {
  DELEGATION_MODES,
  documentYear,
  type CancelledItem,
  type CreateDelegation,
  type CreateItemLink,
  type Delegation,
  type DelegationDetail,
  type ItemLink,
  type TakeOverTask,
} from '../../../shared/contracts/delegation.js';
import { AppError, type FieldIssue } from '../../../shared/errors.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { chinaDate } from '../../core/workdays.js';
import { calendarFor } from '../calendar/index.js';
import { getItem, searchItems } from '../catalogue/index.js';
import { findDepartmentByKind, getDepartment, HEBEI, regionPath } from '../regions/index.js';
import { takeOverDeadlines } from './delegation.deadlines.js';
import { staffCount } from './delegation.hooks.js';
import { canDelegation } from './delegation.policy.js';
import * as repo from './delegation.repository.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function accountOf(ctx: Ctx): string | null {
  return ctx.actor.kind === 'staff' ? ctx.actor.accountId : null;
}

function fail(issues: FieldIssue[]): never {
  throw AppError.validation(issues);
}

/** A region's path, or null for an unknown code (a field problem, not a 404). */
async function pathOrNull(ctx: Ctx, code: string): Promise<string[] | null> {
  try {
    return await regionPath(ctx, code);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

/** The current published standard of an item, or null. */
export async function currentItem(ctx: Ctx, itemCode: string): Promise<Awaited<ReturnType<typeof getItem>> | null> {
  try {
    return await getItem(ctx, itemCode);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

// ── mapping ────────────────────────────────────────────────────────────────────────────────

function toDelegation(d: repo.DelegationRow, items: { item_code: string; item_name: string; power_code: string | null }[]): Delegation {
  return {
    id: d.id,
    documentNo: d.document_no,
    title: d.title,
    mode: d.mode,
    modeName: DELEGATION_MODES[d.mode],
    fromRegion: { code: d.from_region, name: d.from_name, level: d.from_level },
    receivingRegions: d.receiving_regions,
    items: items.map((i) => ({ itemCode: i.item_code, name: i.item_name, powerCode: i.power_code })),
    powers: d.powers,
    effectiveDate: d.effective_date,
    createdBy: d.created_by,
    createdAt: d.created_at.toISOString(),
    progress: { tasks: d.tasks ?? 0, confirmed: d.confirmed ?? 0 },
  };
}

export function toTask(t: repo.TaskRow): TakeOverTask {
  const confirmedOn = t.confirmed_at ? chinaDate(t.confirmed_at) : null;
  return {
    id: t.id,
    delegationId: t.delegation_id,
    regionCode: t.region_code,
    regionName: t.region_name,
    level: t.level,
    itemCode: t.item_code,
    itemName: t.item_name,
    department: { id: t.dept_id, kind: t.department_kind, name: t.dept_name },
    handoverDeadline: t.handover_deadline,
    listingDeadline: t.listing_deadline,
    status: t.status,
    confirmedBy: t.confirmed_by,
    confirmedAt: iso(t.confirmed_at),
    late: confirmedOn === null ? null : confirmedOn > t.listing_deadline,
    implementationVersionId: t.implementation_version_id,
  };
}

function toCancelled(c: repo.CancelledRow): CancelledItem {
  return {
    itemCode: c.item_code,
    name: c.name,
    delegationId: c.delegation_id,
    documentNo: c.document_no,
    effectiveDate: c.effective_date,
    supervisionEntry: c.supervision_entry,
    supervisionRecordedAt: iso(c.supervision_recorded_at),
  };
}

// ── orders ─────────────────────────────────────────────────────────────────────────────────

/**
 * The items that exercise each power, found through the catalogue's public surface (its items
 * name their power). Only an order that names powers pays for the walk.
 */
async function itemsOfPowers(ctx: Ctx, powers: string[]): Promise<Map<string, ServiceItem[]>> {
  const found = new Map<string, ServiceItem[]>(powers.map((p) => [p, []]));
  if (powers.length === 0) return found;
  const PAGE = 500;
  for (let offset = 0; ; offset += PAGE) {
    const page = await searchItems(ctx, { limit: PAGE, offset });
    for (const hit of page.items) {
      const item = (await currentItem(ctx, hit.itemCode))?.item;
      if (item?.powerCode) found.get(item.powerCode)?.push(item);
    }
    if (offset + PAGE >= page.total) break;
  }
  return found;
}

/**
 * A catalogue_admin or system_admin of the delegating region (or above) issues an order. Every
 * receiving region must lie under the delegating one; a cancellation has no receiving region.
 * @throws VALIDATION_FAILED naming the field, FORBIDDEN
 */
export async function createDelegation(ctx: Ctx, input: CreateDelegation): Promise<DelegationDetail> {
  return inTransaction(ctx, async (tx) => {
    const fromPath = await pathOrNull(tx, input.fromRegion);
    if (!fromPath) fail([{ path: 'fromRegion', message: `行政区划 ${input.fromRegion} 不存在` }]);
    requireAccess(tx.actor, canDelegation(tx.actor, 'order.create', { regionPath: fromPath }), `以 ${input.fromRegion} 的名义下放或取消事项`);

    const issues: FieldIssue[] = [];
    const year = documentYear(input.documentNo);
    if (year !== null && year > Number(input.effectiveDate.slice(0, 4))) {
      issues.push({ path: 'documentNo', message: `文号年份 ${year} 晚于生效日期 ${input.effectiveDate}：文件不能在印发之前生效` });
    }
    const receiving: { code: string; path: string[] }[] = [];
    if (input.mode === 'cancel') {
      if (input.receivingRegions.length) issues.push({ path: 'receivingRegions', message: '取消的事项没有承接地区，receivingRegions 应为空（取消后转入事中事后监管）' });
    } else if (input.receivingRegions.length === 0) {
      issues.push({ path: 'receivingRegions', message: `${DELEGATION_MODES[input.mode]}应至少列明一个承接地区` });
    }
    const seen = new Set<string>();
    for (const [i, code] of input.receivingRegions.entries()) {
      const path = `receivingRegions.${i}`;
      if (seen.has(code)) {
        issues.push({ path, message: `承接地区 ${code} 重复` });
        continue;
      }
      seen.add(code);
      const p = await pathOrNull(tx, code);
      if (!p) issues.push({ path, message: `行政区划 ${code} 不存在` });
      else if (code === input.fromRegion || !p.includes(input.fromRegion)) {
        issues.push({ path, message: `${code} 不在 ${input.fromRegion} 的辖区内：只能向本级以下的地区下放` });
      } else receiving.push({ code, path: p });
    }

    // the items named, then those exercising the powers named (an item named both ways counts once)
    const items = new Map<string, { item: ServiceItem; powerCode: string | null }>();
    for (const [i, code] of input.items.entries()) {
      const found = await currentItem(tx, code);
      if (!found) issues.push({ path: `items.${i}`, message: `事项 ${code} 不存在或尚未发布` });
      else if (items.has(code)) issues.push({ path: `items.${i}`, message: `事项 ${code} 重复` });
      else items.set(code, { item: found.item, powerCode: null });
    }
    const byPower = await itemsOfPowers(tx, [...new Set(input.powers)]);
    for (const [i, code] of input.powers.entries()) {
      const list = byPower.get(code) ?? [];
      if (list.length === 0) issues.push({ path: `powers.${i}`, message: `权责清单中没有由政务服务事项行使的权力事项 ${code}（承接以实施清单为准）` });
      for (const item of list) if (!items.has(item.itemCode)) items.set(item.itemCode, { item, powerCode: code });
    }
    if (issues.length) fail(issues);

    const now = tx.now();
    const { id } = await repo.insertDelegation(tx.db, {
      document_no: input.documentNo,
      title: input.title,
      mode: input.mode,
      from_region: input.fromRegion,
      receiving_regions: receiving.map((r) => r.code),
      powers: [...new Set(input.powers)],
      effective_date: input.effectiveDate,
      created_by: accountOf(tx),
      created_at: now,
    });
    await repo.insertDelegationItems(tx.db, [...items.values()].map(({ item, powerCode }) => ({ delegation_id: id, item_code: item.itemCode, item_name: item.name, power_code: powerCode })));

    if (input.mode === 'cancel') {
      await repo.insertCancelled(
        tx.db,
        [...items.values()].map(({ item }) => ({
          item_code: item.itemCode,
          delegation_id: id,
          name: item.name,
          legal_basis: item.legalBasis,
          competent_department_kind: item.competentDepartmentKind,
          effective_date: input.effectiveDate,
        })),
      );
    }
    const tasks = [];
    for (const r of receiving) {
      const deadlines = takeOverDeadlines(input.effectiveDate, await calendarFor(tx, r.code));
      for (const { item } of items.values()) {
        tasks.push({
          delegation_id: id,
          region_code: r.code,
          region_path: r.path,
          item_code: item.itemCode,
          department_kind: item.implementingDepartmentKind,
          handover_deadline: deadlines.handoverDeadline,
          listing_deadline: deadlines.listingDeadline,
          status: 'pending' as const,
        });
      }
    }
    await repo.insertTasks(tx.db, tasks);
    await audit.record(tx, {
      action: 'delegation.ordered',
      subject: { delegation: id },
      details: {
        documentNo: input.documentNo,
        mode: input.mode,
        fromRegion: input.fromRegion,
        receivingRegions: receiving.map((r) => r.code),
        items: [...items.keys()],
        powers: input.powers,
        effectiveDate: input.effectiveDate,
        tasks: tasks.length,
      },
    });
    return getDelegation(tx, id);
  });
}

/** Any staff member reads the orders issued in, or received under, a region. */
export async function listDelegations(ctx: Ctx, q: { region?: string; limit: number; offset: number }): Promise<{ delegations: Delegation[]; total: number }> {
  requireAccess(ctx.actor, canDelegation(ctx.actor, 'order.read', { regionPath: [HEBEI] }), '查看权力下放文件');
  if (q.region !== undefined) await regionPath(ctx, q.region);
  const rows = await repo.listDelegations(ctx.db, q.region, q.limit, q.offset);
  const items = await repo.itemsOf(ctx.db, rows.map((r) => r.id));
  return {
    delegations: rows.map((r) => toDelegation(r, items.filter((i) => i.delegation_id === r.id))),
    total: rows[0]?.total ?? 0,
  };
}

/** An order with every takeOver task and, for a cancellation, its items' supervision state. @throws NOT_FOUND */
export async function getDelegation(ctx: Ctx, id: string): Promise<DelegationDetail> {
  requireAccess(ctx.actor, canDelegation(ctx.actor, 'order.read', { regionPath: [HEBEI] }), '查看权力下放文件');
  const d = await repo.findDelegation(ctx.db, id);
  if (!d) throw new AppError('NOT_FOUND', `权力下放文件 ${id} 不存在`);
  const [items, tasks, cancelled] = await Promise.all([repo.itemsOf(ctx.db, [id]), repo.tasksOf(ctx.db, id), repo.cancelledOf(ctx.db, id)]);
  return { ...toDelegation(d, items), tasks: tasks.map(toTask), cancelled: cancelled.map(toCancelled) };
}

// ── takeOver (承接) ────────────────────────────────────────────────────────────────────────

/**
 * The receiving unit confirms its takeOver: its department_head (competent or implementing kind)
 * or the region's catalogue_admin. Refused until the region has a published implementation of
 * the item by its implementing department and that department has at least one staff account —
 * a power taken over on paper only is exactly what floats.
 * @throws NOT_FOUND, FORBIDDEN, INVALID_STATE_TRANSITION, PRECONDITION_FAILED
 */
export async function confirmTakeOver(ctx: Ctx, input: { delegationId: string; taskId: string }): Promise<TakeOverTask> {
  return inTransaction(ctx, async (tx) => {
    const task = await repo.findTask(tx.db, input.delegationId, input.taskId);
    if (!task) throw new AppError('NOT_FOUND', `权力下放文件 ${input.delegationId} 没有承接任务 ${input.taskId}`);
    const standard = await currentItem(tx, task.item_code);
    const kinds = standard ? [standard.item.competentDepartmentKind, standard.item.implementingDepartmentKind] : [task.department_kind];
    const a = tx.actor;
    const actorDepartmentKind = a.kind === 'staff' ? (await getDepartment(tx, a.departmentId)).kind : undefined;
    const path = await regionPath(tx, task.region_code);
    requireAccess(a, canDelegation(a, 'takeover.confirm', { regionPath: path, actorDepartmentKind, departmentKinds: kinds }), `确认 ${task.region_name} 对 ${task.item_name} 的承接`);
    const locked = await repo.lockTask(tx.db, task.id);
    if (locked?.status !== 'pending') {
      throw new AppError('INVALID_STATE_TRANSITION', `${task.region_name} 已确认承接 ${task.item_name}`, { state: locked?.status, action: 'confirm' });
    }
    if (!standard) throw new AppError('PRECONDITION_FAILED', `事项 ${task.item_code} 已无现行标准，无法承接`);

    const kind = standard.item.implementingDepartmentKind;
    const dept = await findDepartmentByKind(tx, task.region_code, kind);
    const problems: string[] = [];
    const impl = dept ? standard.implementations.find((i) => i.regionCode === task.region_code && i.department.id === dept.id) : undefined;
    if (!dept) problems.push(`${task.region_name} 没有实施机关（${kind} 类部门），请先设立部门`);
    else {
      // 冀政办发〔2020〕7号: the receiving level's 实施清单 updated, with no empty, missing or wrong entry
      if (!impl) problems.push(`${dept.name} 尚未发布“${task.item_name}”的实施清单（应于 ${task.listing_deadline} 前发布）`);
      if ((await staffCount(tx, dept.id)) < 1) problems.push(`${dept.name} 尚无工作人员账号，无人行使承接的权力`);
    }
    if (problems.length || !dept || !impl) {
      throw new AppError('PRECONDITION_FAILED', `暂不能确认承接：${problems.join('；')}`, { problems, listingDeadline: task.listing_deadline });
    }
    await repo.confirmTask(tx.db, task.id, { confirmed_by: accountOf(tx), confirmed_at: tx.now(), department_id: dept.id, implementation_version_id: impl.versionId });
    await audit.record(tx, {
      action: 'delegation.takeover_confirmed',
      subject: { delegation: task.delegation_id, takeover: task.id },
      details: { region: task.region_code, item: task.item_code, department: dept.id, implementationVersion: impl.versionId, late: chinaDate(tx.now()) > task.listing_deadline },
    });
    return toTask((await repo.findTask(tx.db, input.delegationId, input.taskId))!);
  });
}

// ── item links ─────────────────────────────────────────────────────────────────────────────

async function toLinks(ctx: Ctx, rows: { item_code: string; prerequisite_code: string; basis: string }[]): Promise<ItemLink[]> {
  const names = new Map<string, string>();
  for (const code of new Set(rows.flatMap((r) => [r.item_code, r.prerequisite_code]))) {
    names.set(code, (await currentItem(ctx, code))?.item.name ?? code);
  }
  return rows.map((r) => ({ itemCode: r.item_code, itemName: names.get(r.item_code)!, prerequisiteCode: r.prerequisite_code, prerequisiteName: names.get(r.prerequisite_code)!, basis: r.basis }));
}

/**
 * A catalogue_admin of the province records that an item needs another's result first, so the
 * two must move down together (part of the province standard).
 * @throws VALIDATION_FAILED, FORBIDDEN
 */
export async function createItemLink(ctx: Ctx, input: CreateItemLink): Promise<ItemLink> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx.actor, canDelegation(tx.actor, 'link.write', { regionPath: [HEBEI] }), '编辑事项关联（省级事项标准）');
    const issues: FieldIssue[] = [];
    if (input.itemCode === input.prerequisiteCode) issues.push({ path: 'prerequisiteCode', message: '事项不能以自身为前置' });
    for (const key of ['itemCode', 'prerequisiteCode'] as const) {
      if (!(await currentItem(tx, input[key]))) issues.push({ path: key, message: `事项 ${input[key]} 不存在或尚未发布` });
    }
    if (issues.length) fail(issues);
    const inserted = await repo.insertLink(tx.db, { item_code: input.itemCode, prerequisite_code: input.prerequisiteCode, basis: input.basis, created_by: accountOf(tx), created_at: tx.now() });
    if (inserted) await audit.record(tx, { action: 'delegation.item_linked', subject: { item: input.itemCode, prerequisite: input.prerequisiteCode }, details: { basis: input.basis } });
    const [link] = await toLinks(tx, (await repo.listLinks(tx.db, input.itemCode)).filter((l) => l.prerequisite_code === input.prerequisiteCode));
    return link!;
  });
}

/** The links of an item (as the item or as the prerequisite), or all. Public reference data. */
export async function listItemLinks(ctx: Ctx, itemCode?: string): Promise<ItemLink[]> {
  return toLinks(ctx, await repo.listLinks(ctx.db, itemCode));
}
