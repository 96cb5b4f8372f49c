/**
 * Read models over cases: the officer's workbench, the public progress page, the efficiency
 * watch (电子监察) and the deadline sweep. Lights are computed in SQL against two dates — today
 * and the next working day — so one pass over millions of open cases stays an index scan.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../../shared/errors.js';
import type { Alert, DepartmentFigures, Task } from '../../../shared/contracts/cases.js';
import { actorRef, hasRole, type StaffActor } from '../../core/actor.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { chinaDate, dateOf, dayNumber, light, NATIONAL_CALENDAR } from '../../core/workdays.js';
import { calendarFor } from '../calendar/index.js';
import { regionPath } from '../regions/index.js';
import { CASE_STATUS_NAMES, type CaseStatus } from './cases.machine.js';
import { act } from './cases.service.js';

/** A reviewer's or clerk's queue, soonest deadline first. */
export async function workbench(ctx: Ctx, opts: { limit: number; offset: number }): Promise<Task[]> {
  const a = ctx.actor;
  requireAccess(a, hasRole(a, 'window_clerk', 'reviewer', 'department_head'), '查看工作台');
  if (a.kind !== 'staff') return [];
  const cal = await calendarFor(ctx, a.regionCode);
  const today = dayNumber(chinaDate(ctx.now()));
  const tasks: Task[] = [];
  if (hasRole(a, 'reviewer', 'department_head')) {
    const rows = await ctx.db
      .selectFrom('case_steps')
      .innerJoin('cases', 'cases.id', 'case_steps.case_id')
      .select(['cases.case_no', 'cases.item_name', 'cases.status', 'cases.submitted_at', 'case_steps.key', 'case_steps.name', 'case_steps.status as step_status', 'case_steps.claimed_by', 'case_steps.deadline'])
      .where('case_steps.department_id', '=', a.departmentId)
      .where('case_steps.status', 'in', ['active', 'claimed'])
      .where('cases.status', '=', 'in_review')
      .orderBy('case_steps.deadline')
      .limit(opts.limit + opts.offset)
      .execute();
    for (const r of rows) {
      tasks.push({
        kind: 'review',
        caseNo: r.case_no,
        itemName: r.item_name,
        status: r.step_status,
        step: r.key,
        stepName: r.name,
        claimedByMe: r.claimed_by === a.accountId,
        deadline: r.deadline,
        light: r.deadline ? light(cal.workingDaysLeft(today, dayNumber(r.deadline))) : null,
        submittedAt: r.submitted_at.toISOString(),
      });
    }
  }
  const intakeQ = ctx.db
    .selectFrom('cases')
    .innerJoin('regions', 'regions.code', 'cases.region_code')
    .select(['cases.case_no', 'cases.item_name', 'cases.status', 'cases.submitted_at', 'cases.intake_deadline'])
    .where('cases.status', '=', 'submitted');
  const intake = hasRole(a, 'window_clerk')
    ? await intakeQ.where(sql<boolean>`${a.regionCode} = ANY(regions.path)`).orderBy('cases.intake_deadline').limit(opts.limit + opts.offset).execute()
    : await intakeQ.where('cases.department_id', '=', (a as StaffActor).departmentId).orderBy('cases.intake_deadline').limit(opts.limit + opts.offset).execute();
  for (const r of intake) {
    tasks.push({
      kind: 'intake',
      caseNo: r.case_no,
      itemName: r.item_name,
      status: r.status,
      step: null,
      stepName: null,
      claimedByMe: false,
      deadline: r.intake_deadline,
      light: light(cal.workingDaysLeft(today, dayNumber(r.intake_deadline))),
      submittedAt: r.submitted_at.toISOString(),
    });
  }
  tasks.sort((x, y) => (x.deadline ?? '9999').localeCompare(y.deadline ?? '9999') || x.submittedAt.localeCompare(y.submittedAt));
  return tasks.slice(opts.offset, opts.offset + opts.limit);
}

function sameCode(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Public progress by case number and query code: no login, no personal data. */
export async function publicProgress(ctx: Ctx, caseNo: string, queryCode: string) {
  const row = await ctx.db
    .selectFrom('cases')
    .select(['id', 'case_no', 'query_code', 'item_name', 'status', 'decision', 'submitted_at', 'deadline', 'concluded_at'])
    .where('case_no', '=', caseNo)
    .executeTakeFirst();
  // one answer for an unknown case and a wrong code, compared in constant time
  if (!row || !sameCode(row.query_code, queryCode.toUpperCase())) throw new AppError('NOT_FOUND', '办件编号或查询码不正确');
  const steps = await ctx.db
    .selectFrom('case_steps')
    .innerJoin('departments', 'departments.id', 'case_steps.department_id')
    .select(['case_steps.name', 'case_steps.status', 'departments.name as department'])
    .where('case_steps.case_id', '=', row.id)
    .orderBy('case_steps.stage')
    .orderBy('case_steps.key')
    .execute();
  return {
    caseNo: row.case_no,
    itemName: row.item_name,
    status: row.status as CaseStatus,
    statusName: CASE_STATUS_NAMES[row.status as CaseStatus],
    decision: row.decision,
    submittedAt: row.submitted_at.toISOString(),
    deadline: row.deadline,
    concludedAt: row.concluded_at?.toISOString() ?? null,
    steps: steps.map((s) => ({ name: s.name, department: s.department, status: s.status })),
  };
}

// ------------------------------------------------------------------ efficiency watch

/** Today and the next working day (yellow: one working day or less left; red: past the deadline). */
function watchDates(ctx: Ctx) {
  const today = dayNumber(chinaDate(ctx.now()));
  return { today: dateOf(today), soon: dateOf(NATIONAL_CALENDAR.addWorkingDays(today, 1)) };
}

function requireWatcher(ctx: Ctx, path: string[]) {
  const a = ctx.actor;
  requireAccess(a, a.kind === 'console' || (hasRole(a, 'efficiency_officer', 'department_head') && path.includes(a.regionCode)), '查看效能监察');
}

export async function alerts(ctx: Ctx, region: string, limit = 200): Promise<Alert[]> {
  const path = await regionPath(ctx, region);
  requireWatcher(ctx, path);
  const { today, soon } = watchDates(ctx);
  const a = ctx.actor;
  const onlyDept = a.kind === 'staff' && !hasRole(a, 'efficiency_officer') ? (a as StaffActor).departmentId : null;
  const rows = await sql<{ kind: Alert['kind']; case_no: string; item_name: string; department: string; step: string | null; deadline: string | null; bounces: number; escalated: boolean }>`
    WITH scope AS (
      SELECT c.* FROM cases c JOIN regions r ON r.code = c.region_code
       WHERE ${region} = ANY(r.path) AND (${onlyDept}::uuid IS NULL OR c.department_id = ${onlyDept}::uuid)
    )
    SELECT CASE WHEN s.deadline < ${today}::date THEN 'case_overdue' ELSE 'case_due_soon' END AS kind,
           s.case_no, s.item_name, d.name AS department, NULL AS step, s.deadline::text AS deadline, s.bounces, s.escalated_at IS NOT NULL AS escalated
      FROM scope s JOIN departments d ON d.id = s.department_id
     WHERE s.status = 'in_review' AND s.paused_since IS NULL AND s.deadline <= ${soon}::date
    UNION ALL
    SELECT CASE WHEN st.deadline < ${today}::date THEN 'step_overdue' ELSE 'step_due_soon' END,
           s.case_no, s.item_name, d.name, st.name, st.deadline::text, s.bounces, s.escalated_at IS NOT NULL
      FROM scope s JOIN case_steps st ON st.case_id = s.id JOIN departments d ON d.id = st.department_id
     WHERE s.status = 'in_review' AND s.paused_since IS NULL AND st.status IN ('active','claimed') AND st.deadline <= ${soon}::date
    UNION ALL
    SELECT 'bounced', s.case_no, s.item_name, d.name, NULL, s.deadline::text, s.bounces, s.escalated_at IS NOT NULL
      FROM scope s JOIN departments d ON d.id = s.department_id
     WHERE s.bounces >= 2 AND s.status IN ('in_review','awaiting_applicant')
    UNION ALL
    SELECT 'stalled_at_intake', s.case_no, s.item_name, d.name, NULL, s.intake_deadline::text, s.bounces, s.escalated_at IS NOT NULL
      FROM scope s JOIN departments d ON d.id = s.department_id
     WHERE s.status = 'submitted' AND s.intake_deadline <= ${soon}::date
    ORDER BY deadline NULLS LAST, case_no
    LIMIT ${limit}`.execute(ctx.db);
  return rows.rows.map((r) => ({
    kind: r.kind,
    light: r.kind === 'case_due_soon' || r.kind === 'step_due_soon' || (r.kind === 'stalled_at_intake' && r.deadline !== null && r.deadline >= today) ? 'yellow' : 'red',
    caseNo: r.case_no,
    itemName: r.item_name,
    department: r.department,
    step: r.step,
    deadline: r.deadline,
    bounces: Number(r.bounces),
    escalated: r.escalated,
  }));
}

/** Per department: on-time rate (按时办结率), average working days from acceptance to conclusion, bounces. */
export async function departmentFigures(ctx: Ctx, region: string): Promise<DepartmentFigures[]> {
  const path = await regionPath(ctx, region);
  requireWatcher(ctx, path);
  const { today } = watchDates(ctx);
  const rows = await sql<{ department_id: string; department: string; concluded: number; on_time: number; bounces: number; open: number; overdue: number }>`
    SELECT d.id AS department_id, d.name AS department,
           count(*) FILTER (WHERE c.status = 'concluded' AND c.accepted_at IS NOT NULL)::int8 AS concluded,
           count(*) FILTER (WHERE c.status = 'concluded' AND c.accepted_at IS NOT NULL AND (c.concluded_at AT TIME ZONE 'Asia/Shanghai')::date <= c.deadline)::int8 AS on_time,
           coalesce(sum(c.bounces), 0)::int8 AS bounces,
           count(*) FILTER (WHERE c.status IN ('in_review','awaiting_applicant'))::int8 AS open,
           count(*) FILTER (WHERE c.status = 'in_review' AND c.paused_since IS NULL AND c.deadline < ${today}::date)::int8 AS overdue
      FROM cases c JOIN departments d ON d.id = c.department_id JOIN regions r ON r.code = c.region_code
     WHERE ${region} = ANY(r.path)
     GROUP BY d.id, d.name
     ORDER BY d.name`.execute(ctx.db);
  const durations = await sql<{ department_id: string; region_code: string; accepted: string; concluded: string }>`
    SELECT c.department_id, c.region_code, (c.accepted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS accepted, (c.concluded_at AT TIME ZONE 'Asia/Shanghai')::date::text AS concluded
      FROM cases c JOIN regions r ON r.code = c.region_code
     WHERE ${region} = ANY(r.path) AND c.status = 'concluded' AND c.accepted_at IS NOT NULL
     ORDER BY c.concluded_at DESC LIMIT 20000`.execute(ctx.db);
  const sums = new Map<string, { days: number; n: number }>();
  for (const d of durations.rows) {
    const cal = await calendarFor(ctx, d.region_code);
    const s = sums.get(d.department_id) ?? { days: 0, n: 0 };
    s.days += Math.max(0, cal.workingDaysBetween(dayNumber(d.accepted), dayNumber(d.concluded)));
    s.n += 1;
    sums.set(d.department_id, s);
  }
  return rows.rows.map((r) => {
    const s = sums.get(r.department_id);
    return {
      departmentId: r.department_id,
      department: r.department,
      concluded: Number(r.concluded),
      onTime: Number(r.on_time),
      onTimeRate: Number(r.concluded) ? Number(r.on_time) / Number(r.concluded) : null,
      averageWorkingDays: s && s.n ? Math.round((s.days / s.n) * 10) / 10 : null,
      bounces: Number(r.bounces),
      open: Number(r.open),
      overdue: Number(r.overdue),
    };
  });
}

/** The efficiency officer escalates a case (督办/提级): recorded on the case and in the audit chain. */
export async function escalate(ctx: Ctx, caseNo: string, note: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .selectFrom('cases')
      .innerJoin('regions', 'regions.code', 'cases.region_code')
      .select(['cases.id', 'cases.status', 'regions.path'])
      .where('cases.case_no', '=', caseNo)
      .forUpdate('cases')
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `办件 ${caseNo} 不存在`);
    const a = tx.actor;
    requireAccess(a, hasRole(a, 'efficiency_officer') && row.path.includes(a.regionCode), '督办该办件');
    // the timeline changes: raise the version, as every action does (see cases.repository lockCaseState)
    await tx.db.updateTable('cases').set({ escalated_at: tx.now(), version: sql`version + 1` }).where('id', '=', row.id).execute();
    await tx.db
      .insertInto('case_events')
      .values({ case_id: row.id, at: tx.now(), actor: JSON.stringify(actorRef(a)), action: 'escalate', to_status: row.status, from_status: row.status, details: JSON.stringify({ note }) })
      .execute();
    await audit.record(tx, { action: 'case.escalated', subject: { case: caseNo }, details: { note } });
  });
}

// ------------------------------------------------------------------ sweep

/**
 * The deadline sweep: cases not acted on at intake within 5 working days count as accepted
 * (行政许可法 art. 32); 容缺 cases whose owed material is overdue end. Runs as the console.
 */
export async function sweep(ctx: Ctx, batch = 500): Promise<{ deemedAccepted: number; terminated: number }> {
  const today = chinaDate(ctx.now());
  const stale = await ctx.db.selectFrom('cases').select('case_no').where('status', '=', 'submitted').where('intake_deadline', '<', today).limit(batch).execute();
  let deemed = 0;
  for (const c of stale) {
    await act(ctx, c.case_no, { action: 'deemAccepted' });
    deemed += 1;
  }
  const owed = await sql<{ case_no: string }>`
    SELECT case_no FROM cases
     WHERE status = 'in_review' AND owed IS NOT NULL
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(owed) o WHERE (o->>'due')::date < ${today}::date)
     LIMIT ${batch}`.execute(ctx.db);
  for (const c of owed.rows) await act(ctx, c.case_no, { action: 'expireDeficiency' });
  return { deemedAccepted: deemed, terminated: owed.rows.length };
}

/** 免提交率 per item (materials not submitted ÷ all materials of the cases filed), public. */
export async function reuseStats(ctx: Ctx, region: string) {
  await regionPath(ctx, region);
  const rows = await sql<{ item_code: string; item_name: string; cases: number; avoided: number; submitted: number }>`
    SELECT c.item_code, min(c.item_name) AS item_name, count(DISTINCT c.id)::int8 AS cases,
           count(m.material_id) FILTER (WHERE m.source IN ('certificate','data'))::int8 AS avoided,
           count(m.material_id) FILTER (WHERE m.source = 'upload')::int8 AS submitted
      FROM cases c JOIN regions r ON r.code = c.region_code
      LEFT JOIN case_materials m ON m.case_id = c.id
     WHERE ${region} = ANY(r.path)
     GROUP BY c.item_code
     ORDER BY c.item_code`.execute(ctx.db);
  return rows.rows.map((r) => {
    const avoided = Number(r.avoided);
    const submitted = Number(r.submitted);
    return { itemCode: r.item_code, itemName: r.item_name, cases: Number(r.cases), materialsAvoided: avoided, materialsSubmitted: submitted, avoidedRate: avoided + submitted ? avoided / (avoided + submitted) : null };
  });
}
