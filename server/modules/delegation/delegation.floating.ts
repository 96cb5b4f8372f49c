/**
 * Floating (权力悬浮), found automatically from the orders and the catalogue as they stand on the
 * clock's date — no job marks anything:
 * - a takeOver not confirmed by its hand-over or listing deadline (冀政办发〔2020〕7号: 15 days,
 *   then 5 working days for the 实施清单);
 * - a takeOver confirmed, but the region has no published implementation by the item's current
 *   implementing department (the standard moved the item to another body, or the list lapsed);
 * - an item delegated to a region while an item linked to it (its prerequisite, or one that needs
 *   it) stays at another level, so the applicant runs between levels;
 * - a cancelled item with no 事中事后监管 entry once its hand-over period is over.
 * Each row names its order, unit (region + department), deadline and working days overdue; the
 * heat map counts the rows per region and level.
 */
import type { Implementation } from '../../../shared/contracts/catalogue.js';
import { FLOATING_KINDS, REGION_LEVEL_NAMES, type FloatingList, type FloatingRow, type Heatmap } from '../../../shared/contracts/delegation.js';
import { requireAccess } from '../../core/access.js';
import type { Ctx } from '../../core/ctx.js';
import { chinaDate } from '../../core/workdays.js';
import { calendarFor } from '../calendar/index.js';
import { getRegion, regionPath } from '../regions/index.js';
import { pendingOverdue, takeOverDeadlines, workingDaysOverdue } from './delegation.deadlines.js';
import { canDelegation } from './delegation.policy.js';
import * as repo from './delegation.repository.js';
import { currentItem } from './delegation.service.js';

type Level = FloatingRow['level'];

interface Detected {
  rows: (FloatingRow & { parentCode: string | null })[];
  tasks: repo.TaskRow[];
}

/** Reads each key once per detection (item standards, region names). */
function memo<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let p = cache.get(key);
    if (!p) cache.set(key, (p = read(key)));
    return p;
  };
}

async function detect(ctx: Ctx, region: string, today: string): Promise<Detected> {
  const item = memo((code) => currentItem(ctx, code));
  const regionName = memo(async (code) => (await getRegion(ctx, code)).name);
  const tasks = await repo.tasksUnder(ctx.db, region);
  const partners = new Map<string, { code: string; relation: 'prerequisite' | 'dependent' }[]>();
  for (const l of await repo.listLinks(ctx.db)) {
    partners.set(l.item_code, [...(partners.get(l.item_code) ?? []), { code: l.prerequisite_code, relation: 'prerequisite' }]);
    partners.set(l.prerequisite_code, [...(partners.get(l.prerequisite_code) ?? []), { code: l.item_code, relation: 'dependent' }]);
  }
  const received = new Set((await repo.receivedIn(ctx.db, [...new Set(tasks.map((t) => t.region_code))])).map((r) => `${r.region_code}/${r.item_code}`));
  const implementedIn = (impls: Implementation[] | undefined) => [...new Set((impls ?? []).map((i) => i.regionCode))];

  const rows: Detected['rows'] = [];
  for (const t of tasks) {
    const cal = await calendarFor(ctx, t.region_code);
    const base = {
      delegationId: t.delegation_id,
      documentNo: t.document_no,
      title: t.title,
      mode: t.mode,
      taskId: t.id,
      itemCode: t.item_code,
      itemName: t.item_name,
      regionCode: t.region_code,
      regionName: t.region_name,
      level: t.level as Level,
      parentCode: t.parent_code,
      department: { kind: t.department_kind, name: t.dept_name },
      linkedItem: null,
    };
    const unit = t.dept_name ?? `${t.region_name}（无 ${t.department_kind} 类部门）`;
    if (t.status === 'pending') {
      const o = pendingOverdue({ handoverDeadline: t.handover_deadline, listingDeadline: t.listing_deadline }, today);
      if (o) {
        const days = workingDaysOverdue(today, o.deadline, cal);
        rows.push({
          ...base,
          kind: o.kind,
          kindName: FLOATING_KINDS[o.kind],
          deadline: o.deadline,
          daysOverdue: days,
          message:
            o.kind === 'handover_overdue'
              ? `${unit} 未在 ${o.deadline} 前完成“${t.item_name}”的交接（${t.document_no}），已逾期 ${days} 个工作日`
              : `${unit} 未在 ${o.deadline} 前发布“${t.item_name}”的实施清单并确认承接（${t.document_no}），已逾期 ${days} 个工作日`,
        });
      }
    } else {
      const standard = await item(t.item_code);
      const kind = standard?.item.implementingDepartmentKind ?? t.department_kind;
      const has = standard?.implementations.some((i) => i.regionCode === t.region_code && i.department.kind === kind) ?? false;
      if (!has) {
        const days = workingDaysOverdue(today, t.listing_deadline, cal);
        rows.push({
          ...base,
          kind: 'no_implementation',
          kindName: FLOATING_KINDS.no_implementation,
          department: { kind, name: t.dept_name },
          deadline: t.listing_deadline,
          daysOverdue: days,
          message: `${t.region_name} 已确认承接“${t.item_name}”，但没有实施机关（${kind}）现行的实施清单：权力已下放而无法行使`,
        });
      }
    }
    for (const p of partners.get(t.item_code) ?? []) {
      if (received.has(`${t.region_code}/${p.code}`)) continue;
      const linked = await item(p.code);
      const where = implementedIn(linked?.implementations);
      if (where.includes(t.region_code)) continue;
      const name = linked?.item.name ?? p.code;
      const elsewhere = where.length ? (await Promise.all(where.map(regionName))).join('、') : '（无实施）';
      const days = workingDaysOverdue(today, t.handover_deadline, cal);
      rows.push({
        ...base,
        kind: 'split_link',
        kindName: FLOATING_KINDS.split_link,
        deadline: t.handover_deadline,
        daysOverdue: days,
        linkedItem: { itemCode: p.code, name, relation: p.relation, implementedIn: where },
        message:
          p.relation === 'prerequisite'
            ? `“${t.item_name}”已下放至${t.region_name}，其前置事项“${name}”仍由${elsewhere}实施：申请人须在两级之间往返`
            : `“${t.item_name}”已下放至${t.region_name}，以其为前置的“${name}”仍由${elsewhere}实施：申请人须在两级之间往返`,
      });
    }
  }

  for (const c of await repo.cancelledUnder(ctx.db, region)) {
    if (c.supervision_entry !== null) continue;
    const cal = await calendarFor(ctx, c.from_region);
    const deadline = takeOverDeadlines(c.effective_date, cal).handoverDeadline;
    if (today <= deadline) continue;
    const days = workingDaysOverdue(today, deadline, cal);
    rows.push({
      kind: 'no_supervision',
      kindName: FLOATING_KINDS.no_supervision,
      delegationId: c.delegation_id,
      documentNo: c.document_no,
      title: c.title,
      mode: 'cancel',
      taskId: null,
      itemCode: c.item_code,
      itemName: c.name,
      regionCode: c.from_region,
      regionName: c.region_name,
      level: c.level as Level,
      parentCode: c.parent_code,
      department: { kind: c.competent_department_kind, name: c.dept_name },
      deadline,
      daysOverdue: days,
      linkedItem: null,
      message: `“${c.name}”已取消（${c.document_no}），尚未纳入事中事后监管，已逾期 ${days} 个工作日：审批取消后监管不能留空档`,
    });
  }
  rows.sort((a, b) => b.daysOverdue - a.daysOverdue || a.regionCode.localeCompare(b.regionCode) || a.itemCode.localeCompare(b.itemCode));
  return { rows, tasks };
}

async function authorise(ctx: Ctx, region: string): Promise<void> {
  const path = await regionPath(ctx, region);
  requireAccess(ctx.actor, canDelegation(ctx.actor, 'floating.read', { regionPath: path }), `查看 ${region} 的权力悬浮情况`);
}

/** `GET /delegations/floating`: every floating row under a region. @throws NOT_FOUND, FORBIDDEN */
export async function listFloating(ctx: Ctx, region: string): Promise<FloatingList> {
  await authorise(ctx, region);
  const today = chinaDate(ctx.now());
  const { rows } = await detect(ctx, region, today);
  return { region, asOf: today, rows: rows.map(({ parentCode: _parent, ...row }) => row) };
}

/** The heat map: per receiving region its tasks and floating rows, and the same per level. @throws NOT_FOUND, FORBIDDEN */
export async function floatingHeatmap(ctx: Ctx, region: string): Promise<Heatmap> {
  await authorise(ctx, region);
  const today = chinaDate(ctx.now());
  const { rows, tasks } = await detect(ctx, region, today);
  const cells = new Map<string, Heatmap['cells'][number]>();
  const cell = (code: string, name: string, level: Level, parentCode: string | null) => {
    let c = cells.get(code);
    if (!c) cells.set(code, (c = { regionCode: code, regionName: name, level, parentCode, tasks: 0, floating: 0, byKind: {} }));
    return c;
  };
  for (const t of tasks) cell(t.region_code, t.region_name, t.level as Level, t.parent_code).tasks += 1;
  for (const r of rows) {
    const c = cell(r.regionCode, r.regionName, r.level, r.parentCode);
    c.floating += 1;
    c.byKind[r.kind] = (c.byKind[r.kind] ?? 0) + 1;
  }
  const list = [...cells.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  const levels = (Object.keys(REGION_LEVEL_NAMES) as Level[]).map((level) => ({
    level,
    levelName: REGION_LEVEL_NAMES[level],
    tasks: list.filter((c) => c.level === level).reduce((n, c) => n + c.tasks, 0),
    floating: list.filter((c) => c.level === level).reduce((n, c) => n + c.floating, 0),
  }));
  return { region, asOf: today, levels, cells: list };
}
