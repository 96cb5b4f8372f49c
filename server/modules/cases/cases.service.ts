/**
 * The case engine: filing (online or at the one window), intake, parallel review, decision.
 * Every change loads and locks the case, asks the pure machine and policy, writes the change,
 * its timeline event, its audit entry and the applicant's notice in one transaction.
 */
import { randomInt } from 'node:crypto';
import { uuid7 } from '../../core/uuid7.js';
import { AppError, type FieldIssue } from '../../../shared/errors.js';
import type { Case, CaseActionRequest, CaseSummary, FileCase } from '../../../shared/contracts/cases.js';
import { actorRef, hasRole, type Actor } from '../../core/actor.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import type { KeyClaim } from '../../core/idempotency.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { GroupCommit } from '../../core/group-commit.js';
import { guardRefused } from '../../core/write-batch.js';
import { chinaDate, dateOf, dayNumber, light, type Light } from '../../core/workdays.js';
import { calendarFor } from '../calendar/index.js';
import { formDataIssues, getGuide, getImplementationVersion } from '../catalogue/index.js';
import { findApplicant, getApplicant, type ApplicantInfo } from '../identity/index.js';
import { recordAccess } from '../sharing/index.js';
import { findDepartmentByKind, getDepartment } from '../regions/index.js';
import {
  CASE_STATUS_NAMES,
  actionName,
  nextStatus,
  nextStepStatus,
  requireActionFields,
  reviewOutcome,
  type CaseStatus,
  type StepStatus,
} from './cases.machine.js';
import { canActOnCase, canActOnStep, canViewCase, type CaseFacts } from './cases.policy.js';
import * as repo from './cases.repository.js';
import { CaseChanges } from './cases.changes.js';
import { writeTogether } from './cases.writer.js';
import { fileTogether, writeFilings, type FilingWrites } from './cases.filing-writer.js';
import { CaseStateCache } from './cases.state-cache.js';
import { requireOwnUploads } from './uploads.service.js';
import { lockedFieldIssues, previewForApplicant, readMaterial, resolveReuse, verifiedFields } from './reuse.service.js';

/** 行政许可法 art. 32: intake decides (or sends the one-time correction notice) within 5 working days. */
export const INTAKE_WORKING_DAYS = 5;

// ------------------------------------------------------------------ hooks

export interface ConcludedCase {
  caseNo: string;
  itemCode: string;
  itemName: string;
  decision: 'approved' | 'denied';
  departmentId: string;
  regionCode: string;
  /** Read when asked: most listeners decide without it (a denial, an item without a certificate). */
  applicant: () => Promise<ApplicantInfo>;
  form: Record<string, unknown>;
  implementationVersionId: string;
}

type ConcludedListener = (tx: Ctx, c: ConcludedCase) => Promise<void>;
type ConcernsCase = (ctx: Ctx, c: ConcludedCase) => Promise<boolean>;
const concludedListeners: { listener: ConcludedListener; concerns?: ConcernsCase }[] = [];

/**
 * Runs `listener` inside the concluding transaction of every case (flows/ wires the issuing of
 * e-certificates here, so the certificate and the decision commit together). `concerns`, when
 * given, says without writing whether the listener would do anything for a case: a case no
 * listener concerns concludes in one statement, without a transaction of its own (see act).
 */
export function onCaseConcluded(listener: ConcludedListener, opts: { concerns?: ConcernsCase } = {}): void {
  if (!concludedListeners.some((l) => l.listener === listener)) concludedListeners.push({ listener, ...opts });
}

// ------------------------------------------------------------------ filing

interface PlannedStep {
  stage: number;
  key: string;
  name: string;
  departmentId: string;
  days: number;
}

interface FilingPlan {
  guide: Awaited<ReturnType<typeof getGuide>>;
  /** The guide's implementation version, from the cache: the same objects on every filing. */
  impl: Awaited<ReturnType<typeof getImplementationVersion>>;
  steps: PlannedStep[];
}

/** The department of `kind` in the region or its nearest ancestor (a county without 医保 uses the city's). */
/**
 * Per database: published implementation versions never change (a trigger refuses it), so one
 * read serves every filing under that version; departments, by (region, kind) and by id, change
 * rarely and are kept a minute.
 */
const caches = new WeakMap<
  object,
  {
    versions: Map<string, Promise<Awaited<ReturnType<typeof getImplementationVersion>>>>;
    departments: Map<string, { at: number; dept: Awaited<ReturnType<typeof findDepartmentByKind>> }>;
    byId: Map<string, { at: number; dept: Awaited<ReturnType<typeof getDepartment>> }>;
    plans: Map<string, { at: number; plan: FilingPlan }>;
    /** Applicants who filed lately, by account (see applicantFor). */
    applicants: Map<string, ApplicantInfo>;
    /** The states this process's own writes left (cases.state-cache.ts). */
    states: CaseStateCache;
  }
>();
/**
 * A filing plan (the guide, its version, the steps' departments) is kept 5 seconds per item and
 * region: a guide costs seven reads, and applications for the same item come in bursts. The
 * filing statement itself requires the plan's implementation version to be still the published
 * one (see fileCase), so a version published meanwhile by another process is never missed.
 */
const PLAN_TTL_MS = 5_000;
const DEPARTMENT_TTL_MS = 60_000;

function cacheOf(ctx: Ctx) {
  let c = caches.get(ctx.runtime.db);
  if (!c) caches.set(ctx.runtime.db, (c = { versions: new Map(), departments: new Map(), byId: new Map(), plans: new Map(), applicants: new Map(), states: new CaseStateCache() }));
  return c;
}

function implementationVersion(ctx: Ctx, versionId: string) {
  const { versions } = cacheOf(ctx);
  let v = versions.get(versionId);
  if (!v) {
    v = getImplementationVersion(ctx, versionId);
    versions.set(versionId, v);
    v.catch(() => versions.delete(versionId));
    if (versions.size > 5_000) versions.delete(versions.keys().next().value!);
  }
  return v;
}

async function nearestDepartment(ctx: Ctx, regionPath: readonly string[], kind: string) {
  const { departments } = cacheOf(ctx);
  const now = Date.now();
  for (let i = regionPath.length - 1; i >= 0; i--) {
    const key = `${regionPath[i]}:${kind}`;
    let hit = departments.get(key);
    if (!hit || now - hit.at > DEPARTMENT_TTL_MS) {
      hit = { at: now, dept: await findDepartmentByKind(ctx, regionPath[i]!, kind) };
      departments.set(key, hit);
    }
    if (hit.dept) return hit.dept;
  }
  return null;
}

/** The department the guide names (for its region path), kept a minute as departments by kind are. */
async function departmentOf(ctx: Ctx, id: string) {
  const { byId } = cacheOf(ctx);
  const now = Date.now();
  let hit = byId.get(id);
  if (!hit || now - hit.at > DEPARTMENT_TTL_MS) {
    hit = { at: now, dept: await getDepartment(ctx, id) };
    byId.set(id, hit);
  }
  return hit.dept;
}

async function filingPlan(ctx: Ctx, itemCode: string, regionCode: string, fresh: boolean): Promise<FilingPlan> {
  const { plans } = cacheOf(ctx);
  const key = `${itemCode} ${regionCode}`;
  const hit = plans.get(key);
  if (!fresh && hit && Date.now() - hit.at < PLAN_TTL_MS) return hit.plan;
  const plan = await readFilingPlan(ctx, itemCode, regionCode);
  if (plans.size > 5_000) plans.clear();
  plans.set(key, { at: Date.now(), plan });
  return plan;
}

function forgetFilingPlan(ctx: Ctx, itemCode: string, regionCode: string): void {
  cacheOf(ctx).plans.delete(`${itemCode} ${regionCode}`);
}

/**
 * The applicant filing for themselves, kept per account: an applicant's account is read by every
 * filing, and a statement of its own cost about a tenth of a lifecycle's CPU. The filing statement
 * requires the account to be still as kept (cases.filing-writer.ts, APPLICANT_GUARD), so a change
 * made meanwhile (a new name, a credit record, by any process) fails the statement and the filing
 * is made again with the account read afresh, never with a stale applicant.
 */
async function applicantFor(ctx: Ctx, accountId: string, fresh: boolean): Promise<ApplicantInfo | null> {
  const { applicants } = cacheOf(ctx);
  const hit = fresh ? undefined : applicants.get(accountId);
  if (hit) return hit;
  const applicant = await getApplicant(ctx, accountId);
  if (!applicant) return null;
  if (applicants.size >= 10_000) applicants.clear();
  applicants.set(accountId, applicant);
  return applicant;
}

async function readFilingPlan(ctx: Ctx, itemCode: string, regionCode: string): Promise<FilingPlan> {
  const guide = await getGuide(ctx, itemCode, regionCode);
  const impl = await implementationVersion(ctx, guide.implementationVersionId);
  const dept = await departmentOf(ctx, guide.department.id);
  const steps: PlannedStep[] = [];
  if (guide.caseType !== 'instant') {
    for (const [stage, s] of impl.reviewPlan.entries()) {
      for (const step of s.steps) {
        const d = await nearestDepartment(ctx, dept.regionPath, step.departmentKind);
        if (!d) throw new AppError('PRECONDITION_FAILED', `${guide.regionCode} 及其上级未设立审查环节「${step.name}」所需的部门（${step.departmentKind}），请联系事项管理员`);
        steps.push({ stage, key: step.key, name: step.name, departmentId: d.id, days: step.days });
      }
    }
  }
  return { guide, impl, steps };
}

function applicantActor(ctx: Ctx): Extract<Actor, { kind: 'person' | 'business' | 'staff' }> {
  const a = ctx.actor;
  requireAccess(a, a.kind === 'person' || a.kind === 'business' || hasRole(a, 'window_clerk'), '提交申请');
  return a as Extract<Actor, { kind: 'person' | 'business' | 'staff' }>;
}

/** An 8-character code the applicant uses to follow progress without signing in. */
function queryCode(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  return Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

function materialIssues(guide: FilingPlan['guide'], refs: readonly { materialId: string }[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const known = new Map(guide.materials.map((m) => [m.id, m]));
  const seen = new Set<string>();
  refs.forEach((r, i) => {
    if (!known.has(r.materialId)) issues.push({ path: `materials.${i}.materialId`, message: `办事指南中没有材料 ${r.materialId}` });
    if (seen.has(r.materialId)) issues.push({ path: `materials.${i}.materialId`, message: `材料 ${r.materialId} 重复提交` });
    seen.add(r.materialId);
  });
  return issues;
}

/** Required materials not provided: listed for the correction notice, not refused at filing (intake decides). */
export function missingMaterials(guide: FilingPlan['guide'], provided: Set<string>): { id: string; name: string }[] {
  return guide.materials.filter((m) => m.required && !provided.has(m.id)).map((m) => ({ id: m.id, name: m.name }));
}

/**
 * What a filing may carry besides the form: the life event it belongs to; the Idempotency-Key its
 * statement claims (core/idempotency.ts idempotentStatement), outside a transaction only.
 */
interface FilingExtra {
  lifeEventApplicationId?: string;
  claim?: KeyClaim;
}

/**
 * Files a case: the applicant online, or a window clerk for a walk-in applicant. The form is
 * checked against the implementation's JSON Schema (every failing field listed); the applicant's
 * kind must fit the item; the case keeps the implementation version it was filed under.
 */
export async function fileCase(tx: Ctx, input: FileCase, extra: FilingExtra = {}): Promise<Case> {
  try {
    return await fileUnder(tx, input, extra, false);
  } catch (e) {
    // the plan's implementation version was superseded after it was read, or the applicant's
    // account changed since it was kept (the guards below)
    if (!guardRefused(e)) throw e;
    forgetFilingPlan(tx, input.itemCode, input.regionCode);
    if ('accountId' in tx.actor) cacheOf(tx).applicants.delete(tx.actor.accountId);
    // outside a transaction, file again under the version now published; inside one (a life
    // event's), the transaction is aborted: the applicant sends it again
    if (!tx.inTransaction) return fileUnder(tx, input, extra, true);
    throw new AppError('CONFLICT', '该事项的办事指南或申请人的账户信息刚刚更新，请核对后重新提交', { reason: 'changed_meanwhile' });
  }
}

async function fileUnder(tx: Ctx, input: FileCase, extra: FilingExtra, fresh: boolean): Promise<Case> {
  const actor = applicantActor(tx);
  let applicant: ApplicantInfo | null;
  if (actor.kind === 'staff') {
    if (!input.applicant) throw AppError.validation([{ path: 'applicant', message: '窗口代办须提供申请人的公民身份号码或统一社会信用代码' }]);
    applicant = await findApplicant(tx, input.applicant);
    if (!applicant) throw new AppError('NOT_FOUND', '未找到该申请人的账户：请先为申请人注册（POST /api/v1/auth/register），再代为提交', { field: 'applicant' });
  } else {
    if (input.applicant) throw AppError.validation([{ path: 'applicant', message: '申请人本人提交时不能指定他人' }]);
    applicant = await applicantFor(tx, actor.accountId, fresh);
  }
  if (!applicant) throw new AppError('FORBIDDEN', '只有自然人或法人账户可以申请');
  const plan = await filingPlan(tx, input.itemCode, input.regionCode, fresh);
  const { guide } = plan;
  if (!guide.applicantKinds.includes(applicant.kind)) {
    throw AppError.validation([{ path: 'itemCode', message: `事项「${guide.name}」只受理${guide.applicantKinds.map((k) => (k === 'person' ? '自然人' : '法人')).join('、')}的申请` }]);
  }
  const issues = [
    // the cached version's schema (the guide's, same version): its compiled validator is kept per schema object
    ...formDataIssues(plan.impl.formSchema, input.form),
    ...lockedFieldIssues(guide.formSchema, input.form, verifiedFields(applicant)),
    ...materialIssues(guide, input.materials),
  ];
  if (issues.length) throw AppError.validation(issues, `申请表或材料有误，请修改：${issues.map((i) => `${i.path} ${i.message}`).join('；')}`);
  const owners = [applicant.accountId, actor.accountId];
  const uploads = input.materials.flatMap((m) => ('uploadId' in m ? [m] : []));
  await requireOwnUploads(tx, owners, uploads.map((m) => m.uploadId));
  const reused = await resolveReuse(tx, guide, applicant, input.materials.flatMap((m, index) => ('reuse' in m ? [{ materialId: m.materialId, index }] : [])));

  // Every write of the filing is one statement (cases.filing-writer.ts), shared with the filings
  // arriving at the same time, and a statement is atomic: it needs a transaction only to join the
  // caller's (a life event's). An Idempotency-Key is claimed by the statement itself. A sequence
  // is not rolled back: a failed filing (a retry refused by its used key, too) leaves a gap in the
  // numbers, as before.
  const now = tx.now();
  const today = dayNumber(chinaDate(now));
  const cal = await calendarFor(tx, guide.regionCode);
  const channel = actor.kind === 'staff' ? 'window' : 'online';
  const names = new Map(guide.materials.map((m) => [m.id, m.name]));
  const writes: FilingWrites = {
    id: uuid7(now.getTime()),
    // the case number: region, date, then the statement's serial
    prefix: `${input.regionCode}${chinaDate(now).replaceAll('-', '')}`,
    at: now,
    queryCode: queryCode(),
    itemCode: guide.itemCode,
    itemName: guide.name,
    // the plan's version, required to be still the published one: superseded since the plan was
    // read (it is kept a few seconds), the guard fails the statement (guardRefused, fileCase)
    implementationVersionId: guide.implementationVersionId,
    implementationVersion: guide.implementationVersion,
    regionCode: input.regionCode,
    departmentId: guide.department.id,
    applicant,
    filedBy: actor.accountId,
    channel,
    form: JSON.stringify(input.form),
    promisedDays: guide.promisedDays,
    intakeDeadline: dateOf(cal.addWorkingDays(today, INTAKE_WORKING_DAYS)),
    lifeEventApplicationId: extra.lifeEventApplicationId ?? null,
    steps: plan.steps.map((s) => ({ id: uuid7(now.getTime()), stage: s.stage, key: s.key, name: s.name, departmentId: s.departmentId, days: s.days })),
    materials: input.materials.map((m) => {
      const r = reused.get(m.materialId);
      // a reference, not a copy: the certificate number, or the resource and the as-of date the applicant saw
      return 'uploadId' in m
        ? { materialId: m.materialId, name: names.get(m.materialId)!, source: 'upload' as const, uploadId: m.uploadId, reference: null }
        : { materialId: m.materialId, name: names.get(m.materialId)!, source: r!.kind, uploadId: null, reference: r!.kind === 'data' ? `${r!.reference}@${r!.asOf}` : r!.reference };
    }),
    event: { actor: JSON.stringify(actorRef(tx.actor)), details: JSON.stringify({ channel }) },
    entry: audit.entryValues(tx, {
      action: 'case.submitted',
      subject: {},
      details: { itemCode: guide.itemCode, implementationVersion: guide.implementationVersion, materials: input.materials.length },
    }),
    notice: { title: `已收到您的申请：${guide.name}`, bodyAfterCaseNo: `。我们将在 ${INTAKE_WORKING_DAYS} 个工作日内作出是否受理的决定。` },
    ...(extra.claim ? { claim: extra.claim } : {}),
  };
  // once committed, the window's next action on it decides without reading it (cases.state-cache.ts)
  if (tx.inTransaction) {
    const [filed] = await writeFilings(tx, [writes]);
    tx.afterCommit?.push(() => cacheOf(tx).states.keep(filed!, null));
    return toCase(tx, filed!);
  }
  const filed = await fileTogether(tx, writes);
  cacheOf(tx).states.keep(filed, null);
  tx.runtime.sealer.poke();
  return toCase(tx, filed);
}

// ------------------------------------------------------------------ reading

function facts(row: repo.CaseRow, steps: repo.StepRow[]): CaseFacts {
  return {
    applicantAccountId: row.applicant_account_id,
    filedBy: row.filed_by,
    departmentId: row.department_id,
    regionPath: row.region_path,
    stepDepartments: steps.map((s) => s.department_id),
  };
}

function lightOf(cal: Awaited<ReturnType<typeof calendarFor>>, today: number, deadline: string | null, paused: boolean): Light | null {
  if (!deadline || paused) return null;
  return light(cal.workingDaysLeft(today, dayNumber(deadline)));
}

async function toCase(ctx: Ctx, { row, steps, materials, events }: Pick<repo.CaseState, 'row' | 'steps' | 'materials' | 'events'>): Promise<Case> {
  const cal = await calendarFor(ctx, row.region_code);
  const today = dayNumber(chinaDate(ctx.now()));
  const open = row.status === 'in_review' || row.status === 'awaiting_applicant';
  return {
    caseNo: row.case_no,
    queryCode: row.query_code,
    status: row.status as CaseStatus,
    statusName: CASE_STATUS_NAMES[row.status as CaseStatus],
    decision: row.decision,
    decisionReason: row.decision_reason,
    decisionBasis: row.decision_basis,
    itemCode: row.item_code,
    itemName: row.item_name,
    regionCode: row.region_code,
    department: { id: row.department_id, name: row.department_name },
    applicant: { kind: row.applicant_kind, name: row.applicant_name },
    channel: row.channel,
    implementation: { versionId: row.implementation_version_id, version: row.implementation_version },
    submittedAt: row.submitted_at.toISOString(),
    acceptedAt: row.accepted_at?.toISOString() ?? null,
    concludedAt: row.concluded_at?.toISOString() ?? null,
    intakeDeadline: row.intake_deadline,
    deadline: row.deadline,
    light: open ? lightOf(cal, today, row.deadline, row.paused_since !== null) : row.status === 'submitted' ? lightOf(cal, today, row.intake_deadline, false) : null,
    pausedSince: row.paused_since,
    bounces: row.bounces,
    owed: (row.owed as { materialId: string; due: string }[] | null) ?? [],
    form: row.form as Record<string, unknown>,
    materials: materials.map((m) => ({ materialId: m.material_id, name: m.name, source: m.source, uploadId: m.upload_id, reference: m.reference })),
    reuse: { avoided: materials.filter((m) => m.source === 'certificate' || m.source === 'data').length, submitted: materials.filter((m) => m.source === 'upload').length },
    steps: steps.map((s) => ({
      key: s.key,
      name: s.name,
      stage: s.stage,
      department: { id: s.department_id, name: s.department_name },
      status: s.status,
      claimedBy: s.claimed_by_name,
      claimedByMe: s.claimed_by !== null && 'accountId' in ctx.actor && s.claimed_by === ctx.actor.accountId,
      deadline: s.deadline,
      light: s.status === 'active' || s.status === 'claimed' ? lightOf(cal, today, s.deadline, row.paused_since !== null) : null,
      transfers: s.transfers,
    })),
    timeline: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      actionName: actionName(e.action),
      actor: e.actor as Record<string, string>,
      actorName: actorLabel(e.actor as Record<string, string>, row.applicant_account_id, e.actor_name),
      step: e.step_key,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      details: e.details,
    })),
    lifeEventApplicationId: row.life_event_application_id,
  };
}

function actorLabel(actor: Record<string, string>, applicantId: string, name: string | null): string {
  if (actor.account === applicantId) return '申请人';
  if (actor.account) return name ?? '工作人员';
  if (actor.kind === 'console') return '系统';
  return '工作人员';
}

/**
 * A filing's answer made again from what its statement stored with its Idempotency-Key: the state
 * it answered with and the moment it answered at (the lights of that day), so a retry gets the
 * first answer exactly, whatever the case has become since.
 */
export async function storedFiling(ctx: Ctx, stored: unknown): Promise<Case> {
  const { state, at } = stored as { state: Record<string, unknown>; at: string };
  const then = new Date(at);
  return toCase({ ...ctx, now: () => then }, repo.toState(repo.stateFromJson(state)));
}

async function loadCase(ctx: Ctx, caseNo: string): Promise<Case> {
  const state = await repo.readCaseState(ctx.db, caseNo);
  if (!state) throw new AppError('NOT_FOUND', `办件 ${caseNo} 不存在`);
  return toCase(ctx, state);
}

/** One material of a case, for the applicant or an officer who may see the case (see readMaterial). */
export async function caseMaterial(ctx: Ctx, caseNo: string, materialId: string) {
  const state = await repo.readCaseState(ctx.db, caseNo);
  if (!state) throw new AppError('NOT_FOUND', `办件 ${caseNo} 不存在`);
  const { row, steps } = state;
  if (!canViewCase(ctx.actor, facts(row, steps))) throw new AppError(ctx.actor.kind === 'anonymous' ? 'UNAUTHENTICATED' : 'NOT_FOUND', `办件 ${caseNo} 不存在`);
  const m = state.materials.find((x) => x.material_id === materialId);
  if (!m) throw new AppError('NOT_FOUND', `办件 ${caseNo} 没有材料 ${materialId}`);
  const applicant = await getApplicant(ctx, row.applicant_account_id);
  return readMaterial(ctx, { caseNo, departmentId: row.department_id, applicant: applicant! }, m);
}

/** What government already holds for this application (免提交 preview): for the applicant themselves. */
export async function reuseFor(ctx: Ctx, itemCode: string, regionCode: string) {
  const a = ctx.actor;
  requireAccess(a, a.kind === 'person' || a.kind === 'business', '查看可免提交的材料（仅申请人本人）');
  const applicant = await getApplicant(ctx, (a as { accountId: string }).accountId);
  if (!applicant) throw new AppError('FORBIDDEN', '只有自然人或法人账户可以申请');
  return previewForApplicant(ctx, itemCode, regionCode, applicant);
}

/**
 * One case with its timeline: the applicant, or staff the case is routed to. A staff view of the
 * applicant's data leaves an AccessRecord the applicant can see (个人信息保护法 art. 56; the
 * Estonian data tracker, for every read).
 */
export async function getCase(ctx: Ctx, caseNo: string): Promise<Case> {
  // one statement for the case, its steps, materials and timeline
  const state = await repo.readCaseState(ctx.db, caseNo);
  // the same 404 for a case that does not exist and one the caller may not see: case numbers are guessable
  if (!state) throw new AppError('NOT_FOUND', `办件 ${caseNo} 不存在`);
  const { row, steps } = state;
  if (!canViewCase(ctx.actor, facts(row, steps))) {
    if (ctx.actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', '请先登录');
    throw new AppError('NOT_FOUND', `办件 ${caseNo} 不存在`);
  }
  if (ctx.actor.kind !== 'staff') return toCase(ctx, state);
  return inTransaction(ctx, async (tx) => {
    const view = await toCase(tx, state);
    const applicant = await getApplicant(tx, row.applicant_account_id);
    if (applicant) {
      await recordAccess(tx, {
        subjectKind: applicant.kind,
        subject: applicant.subjectId,
        fields: ['applicant.name', ...Object.keys(view.form).map((k) => `form.${k}`)],
        purpose: `办理办件 ${row.item_name}`,
        caseNo: row.case_no,
        providerDepartmentId: row.department_id,
      });
    }
    return view;
  });
}

export async function myCases(ctx: Ctx, opts: { limit: number; offset: number }): Promise<CaseSummary[]> {
  const a = ctx.actor;
  requireAccess(a, a.kind === 'person' || a.kind === 'business', '查看本人办件');
  const rows = await ctx.db
    .selectFrom('cases')
    .select(['case_no', 'status', 'decision', 'item_code', 'item_name', 'region_code', 'submitted_at', 'deadline', 'paused_since'])
    .where('applicant_account_id', '=', (a as { accountId: string }).accountId)
    .orderBy('submitted_at', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  const today = dayNumber(chinaDate(ctx.now()));
  const out: CaseSummary[] = [];
  for (const r of rows) {
    const cal = await calendarFor(ctx, r.region_code);
    out.push({
      caseNo: r.case_no,
      status: r.status as CaseStatus,
      statusName: CASE_STATUS_NAMES[r.status as CaseStatus],
      decision: r.decision,
      itemCode: r.item_code,
      itemName: r.item_name,
      regionCode: r.region_code,
      submittedAt: r.submitted_at.toISOString(),
      deadline: r.deadline,
      light: r.status === 'in_review' ? lightOf(cal, today, r.deadline, r.paused_since !== null) : null,
    });
  }
  return out;
}

// ------------------------------------------------------------------ acting

const STEP_ACTION_SET = new Set<string>(['claim', 'approve', 'deny', 'return', 'transfer']);

/**
 * Actions that may be taken optimistically (see act): all their writes go in the one statement.
 * Not resubmit and deliverOwed (materials are written as they are attached) nor
 * approveByCommitment (it always concludes, see conclude).
 */
const OPTIMISTIC_ACTIONS = new Set<string>([...STEP_ACTION_SET, 'accept', 'deemAccepted', 'reject', 'requestCorrection', 'acceptWithDeficiency', 'withdraw', 'expireDeficiency']);

/**
 * Applies one action to a case (intake, applicant) or to one of its review steps.
 *
 * Outside a caller's transaction an action is first tried optimistically, in two statements
 * instead of four (BEGIN, lock, write, COMMIT): the case is read without a lock, the action
 * decided on it, and its writes made in ONE statement whose UPDATE of the case requires the
 * version read — a statement is atomic, so it needs no transaction of its own. Every action
 * raises the version, so the write succeeds only if nothing changed the case since the read: the
 * same as having locked it then. When another action got in first, nothing has been written and
 * the action is tried once more optimistically on the case as it is then; when that loses too, or
 * deciding fails, it runs the locked way, which gives the answer or the error. A case concluded
 * with listeners is written in a transaction with them (see actOptimistically).
 */
export async function act(ctx: Ctx, caseNo: string, req: CaseActionRequest | CaseLevelAction): Promise<Case> {
  requireActionFields(req.action, req as { reason?: string; basis?: string; items?: unknown[] });
  if (!ctx.inTransaction && OPTIMISTIC_ACTIONS.has(req.action)) {
    // a second attempt costs a read and a write, the locked way BEGIN, a locking read, the write
    // and COMMIT: two departments claiming their parallel steps at once lose such races often
    const cache = cacheOf(ctx).states;
    const me = (ctx.actor as { accountId?: string }).accountId ?? null;
    for (let attempt = 0; attempt < 2; attempt++) {
      const c = await actOptimistically(ctx, caseNo, me, req);
      if (c && 'lostAt' in c) {
        // what beat it may be this process's own action, whose state is kept: taken again on that
        cache.forget(caseNo, c.lostAt);
        continue;
      }
      if (c) {
        ctx.runtime.sealer.poke();
        if (c.reread) {
          cache.forget(caseNo);
          return loadCase(ctx, caseNo);
        }
        cache.keep(c.state, me);
        return toCase(ctx, c.state);
      }
      break;
    }
  }
  // the locked way reads the case under its lock; what this process kept of it may be behind
  cacheOf(ctx).states.forget(caseNo);
  return inTransaction(ctx, async (tx) => {
    const me = (tx.actor as { accountId?: string }).accountId ?? null;
    const loaded = await repo.lockCaseState(tx.db, caseNo, me);
    const c = await decide(tx, caseNo, loaded, req, false);
    await c.flush();
    // the answer is the state loaded under the lock with the changes applied: what a read would give
    return c.reread ? loadCase(tx, caseNo) : toCase(tx, c.state);
  });
}

/** Checks that the caller may see the case, and applies the action to the changes of `loaded`. */
async function decide(tx: Ctx, caseNo: string, loaded: repo.CaseState | undefined, req: CaseActionRequest | CaseLevelAction, optimistic: boolean): Promise<CaseChanges> {
  if (!loaded) throw new AppError('NOT_FOUND', `办件 ${caseNo} 不存在`);
  const { row, steps } = loaded;
  const f = facts(row, steps);
  if (!canViewCase(tx.actor, f) && tx.actor.kind !== 'console') throw new AppError(tx.actor.kind === 'anonymous' ? 'UNAUTHENTICATED' : 'NOT_FOUND', `办件 ${caseNo} 不存在`);
  const c = new CaseChanges(tx, loaded, optimistic);
  if (STEP_ACTION_SET.has(req.action)) await actOnStep(tx, c, row, steps, req as Extract<CaseActionRequest, { step: string }>);
  else await actOnCase(tx, c, row, steps, f, req as CaseLevelAction);
  return c;
}

/**
 * The optimistic attempt (see act): the written changes; `lostAt`, the version it decided on, when
 * the write statement was refused as a whole (the case changed meanwhile, a deadlock) and nothing
 * was written; null when deciding failed (nothing written yet) and the action must run the locked
 * way, which gives its error. Any other error of the write is the action's error. A case concluded with listeners is
 * written in a transaction (BEGIN, the statement, the listeners' writes, COMMIT): the statement's
 * UPDATE takes the case's lock, and its version check stands in for reading the case again under it.
 */
async function actOptimistically(ctx: Ctx, caseNo: string, me: string | null, req: CaseActionRequest | CaseLevelAction): Promise<CaseChanges | { lostAt: number } | null> {
  let c: CaseChanges;
  let lost: { lostAt: number };
  try {
    const state = cacheOf(ctx).states.get(caseNo, me) ?? (await readTogether(ctx, caseNo, me));
    lost = { lostAt: state?.row.version ?? 0 };
    c = await decide(ctx, caseNo, state, req, true);
  } catch {
    return null;
  }
  try {
    const then = c.afterWrite;
    if (then) {
      await inTransaction(ctx, async (tx) => {
        c.writeIn(tx);
        await c.flush();
        await then(tx);
      });
    } else {
      const writes = c.takeWrites();
      if (writes) {
        // with the writes of the actions arriving at the same time, in one statement
        if (!(await writeTogether(ctx, writes))) return lost;
      } else {
        await c.flush();
      }
    }
  } catch (e) {
    if (CaseChanges.refused(e)) return lost;
    throw e;
  }
  return c;
}

const stateReaders = new WeakMap<object, GroupCommit<{ caseNo: string; me: string | null }, repo.CaseState | undefined>>();

/**
 * The optimistic read of an action, gathered with the reads of the actions arriving at the same
 * time (on other cases, mostly) into one statement, as the exchange's writes are (core/group-commit.ts):
 * under load one round trip serves several actions; a lone action reads at once.
 */
async function readTogether(ctx: Ctx, caseNo: string, me: string | null): Promise<repo.CaseState | undefined> {
  const db = ctx.runtime.db;
  let reader = stateReaders.get(db);
  if (!reader) {
    reader = new GroupCommit((asks) => (asks.length === 1 ? repo.readCaseState(db, asks[0]!.caseNo, asks[0]!.me).then((s) => [s]) : repo.readCaseStatesAtOnce(db, asks)));
    stateReaders.set(db, reader);
  }
  const read = await reader.submit({ caseNo, me });
  if (read && me !== null) cacheOf(ctx).states.noteName(me, read.myName);
  return read;
}

function tell(c: CaseChanges, row: repo.CaseRow, title: string, body: string) {
  c.notify({ accountId: row.applicant_account_id, caseNo: row.case_no, title: `${row.item_name}：${title}`, body: `办件编号 ${row.case_no}。${body}` });
}

/** Activates a stage: its steps become active, each with its own deadline. */
async function startStage(tx: Ctx, c: CaseChanges, row: repo.CaseRow, steps: repo.StepRow[], stage: number, today: number) {
  const cal = await calendarFor(tx, row.region_code);
  for (const s of steps.filter((x) => x.stage === stage && x.status === 'waiting')) {
    c.updateStep(s, { status: 'active', started_at: tx.now(), deadline: dateOf(cal.addWorkingDays(today, s.days)) });
  }
}

async function conclude(tx: Ctx, c: CaseChanges, row: repo.CaseRow, decision: 'approved' | 'denied', reason: string | null, basis: string | null) {
  const now = tx.now();
  c.updateCase({ status: 'concluded', decision, decision_reason: reason, decision_basis: basis, concluded_at: now, paused_since: null });
  c.cancelOpenSteps(now);
  c.event('conclude', row.status, 'concluded', { decision, reason, basis });
  tell(c, row, decision === 'approved' ? '已办结，准予许可' : '已办结，不予许可', decision === 'approved' ? '审批通过。' : `不予许可。理由：${reason ?? ''}；依据：${basis ?? ''}。如不服，可依法申请行政复议或提起行政诉讼。`);
  const concerned: ConcludedListener[] = [];
  for (const l of concludedListeners) {
    if (!l.concerns || (await l.concerns(tx, concludedCase(tx, row, decision)))) concerned.push(l.listener);
  }
  if (concerned.length === 0) return;
  // the listeners write in the same transaction, after the decision (their audit entries follow it)
  const listeners = async (t: Ctx) => {
    for (const l of concerned) await l(t, concludedCase(t, row, decision));
  };
  if (c.optimistic) {
    c.afterWrite = listeners;
    return;
  }
  await c.flush();
  await listeners(tx);
}

function concludedCase(tx: Ctx, row: repo.CaseRow, decision: 'approved' | 'denied'): ConcludedCase {
  let applicant: Promise<ApplicantInfo> | undefined;
  return {
    caseNo: row.case_no,
    itemCode: row.item_code,
    itemName: row.item_name,
    decision,
    departmentId: row.department_id,
    regionCode: row.region_code,
    applicant: () => (applicant ??= getApplicant(tx, row.applicant_account_id).then((a) => a!)),
    form: row.form as Record<string, unknown>,
    implementationVersionId: row.implementation_version_id,
  };
}

async function attachMaterials(tx: Ctx, c: CaseChanges, row: repo.CaseRow, refs: { materialId: string; uploadId: string }[]) {
  if (refs.length === 0) return;
  // the answer lists materials in the database's order: read it again after the writes
  c.reread = true;
  const guideMaterials = (await implementationVersion(tx, row.implementation_version_id)).materials;
  const names = new Map(guideMaterials.map((m) => [m.id, m.name]));
  const bad = refs.map((r, i) => (names.has(r.materialId) ? null : { path: `materials.${i}.materialId`, message: `办事指南中没有材料 ${r.materialId}` })).filter((x) => x !== null);
  if (bad.length) throw AppError.validation(bad);
  await requireOwnUploads(tx, [row.applicant_account_id, row.filed_by], refs.map((r) => r.uploadId));
  for (const r of refs) {
    await tx.db
      .insertInto('case_materials')
      .values({ case_id: row.id, material_id: r.materialId, name: names.get(r.materialId)!, source: 'upload', upload_id: r.uploadId })
      .onConflict((oc) => oc.columns(['case_id', 'material_id']).doUpdateSet({ source: 'upload', upload_id: r.uploadId, reference: null }))
      .execute();
  }
}

/** Case-level actions: those of the API, and the two the deadline sweep takes as the console. */
type CaseLevelAction = Exclude<CaseActionRequest, { step: string }> | { action: 'deemAccepted' } | { action: 'expireDeficiency' };

async function actOnCase(tx: Ctx, c: CaseChanges, row: repo.CaseRow, steps: repo.StepRow[], f: CaseFacts, req: CaseLevelAction) {
  const from = row.status as CaseStatus;
  const to = nextStatus(from, req.action);
  requireAccess(tx.actor, canActOnCase(tx.actor, req.action, f), `对该办件执行「${actionName(req.action)}」`);
  const now = tx.now();
  const today = dayNumber(chinaDate(now));
  const cal = await calendarFor(tx, row.region_code);
  const acceptCase = async (extra: Record<string, unknown>) => {
    c.updateCase({ status: to, accepted_at: now, deadline: dateOf(cal.addWorkingDays(today, row.promised_days)), ...extra });
    if (steps.length === 0) return; // 即办件: decided at the window
    await startStage(tx, c, row, steps, 0, today);
  };
  switch (req.action) {
    case 'accept':
    case 'deemAccepted':
      await acceptCase({});
      c.event(req.action, from, to, req.action === 'deemAccepted' ? { rule: '行政许可法第三十二条：逾期不告知补正的，自收到申请材料之日起即为受理' } : {});
      tell(c, row, '已受理', `承诺办结期限 ${dateOf(cal.addWorkingDays(today, row.promised_days))}。`);
      if (steps.length === 0) await conclude(tx, c, row, 'approved', '即办件当场办结', null);
      return;
    case 'reject':
      c.updateCase({ status: to, decision_reason: req.reason, decision_basis: req.basis, concluded_at: now });
      c.event('reject', from, to, { reason: req.reason, basis: req.basis });
      tell(c, row, '不予受理', `理由：${req.reason}；依据：${req.basis}。`);
      return;
    case 'requestCorrection': {
      c.updateCase({ status: to, paused_since: dateOf(today) });
      c.event('requestCorrection', from, to, { items: req.items, note: req.note ?? null });
      const list = (req.items ?? []).map((i, n) => `${n + 1}. ${i.materialId ?? i.field ?? ''} ${i.problem}`).join('\n');
      tell(c, row, '请补正材料（一次性告知）', `请一次性补正以下内容后重新提交：\n${list}`);
      return;
    }
    case 'acceptWithDeficiency': {
      const applicant = await getApplicant(tx, row.applicant_account_id);
      if (applicant?.seriousBadCredit) throw new AppError('PRECONDITION_FAILED', '申请人有严重失信记录，不适用容缺受理（国办发〔2020〕42号）');
      const promisedEnd = cal.addWorkingDays(today, row.promised_days);
      const material = new Set((await implementationVersion(tx, row.implementation_version_id)).materials.map((m) => m.id));
      const issues: FieldIssue[] = [];
      req.owed.forEach((o, i) => {
        if (!material.has(o.materialId)) issues.push({ path: `owed.${i}.materialId`, message: `办事指南中没有材料 ${o.materialId}` });
        try {
          if (dayNumber(o.due) > promisedEnd) issues.push({ path: `owed.${i}.due`, message: `补交期限不得晚于承诺办结期限 ${dateOf(promisedEnd)}` });
          if (dayNumber(o.due) < today) issues.push({ path: `owed.${i}.due`, message: '补交期限不能早于今天' });
        } catch {
          issues.push({ path: `owed.${i}.due`, message: '日期无效' });
        }
      });
      if (issues.length) throw AppError.validation(issues);
      await acceptCase({ owed: JSON.stringify(req.owed) });
      c.event('acceptWithDeficiency', from, to, { owed: req.owed, commitmentSigned: true });
      tell(c, row, '已容缺受理', `请在期限前补交：${req.owed.map((o) => `${o.materialId}（${o.due} 前）`).join('、')}；逾期未补交的，办件终止。`);
      return;
    }
    case 'approveByCommitment': {
      const applicant = await getApplicant(tx, row.applicant_account_id);
      if (applicant?.seriousBadCredit) throw new AppError('PRECONDITION_FAILED', '申请人有严重失信记录，不适用告知承诺制（国办发〔2020〕42号）');
      c.updateCase({ accepted_at: now, deadline: dateOf(today) });
      c.event('approveByCommitment', from, to, { commitmentSigned: true });
      // 告知承诺: approval now, verification later by the supervising department (事中事后监管)
      c.add(tx.db.insertInto('verification_tasks').values({ case_id: row.id, department_id: row.department_id, due: dateOf(cal.addWorkingDays(today, 60)), created_at: now }));
      await conclude(tx, c, row, 'approved', '申请人书面承诺符合条件（告知承诺制）', req.basis ?? '国办发〔2020〕42号');
      return;
    }
    case 'resubmit': {
      await attachMaterials(tx, c, row, req.materials);
      if (req.form) {
        const issues = formDataIssues((await implementationVersion(tx, row.implementation_version_id)).formSchema, req.form);
        if (issues.length) throw AppError.validation(issues);
      }
      if (from === 'awaiting_correction') {
        // the 5 working days of intake start again from the corrected application
        c.updateCase({ status: to, paused_since: null, intake_deadline: dateOf(cal.addWorkingDays(today, INTAKE_WORKING_DAYS)), ...(req.form ? { form: JSON.stringify(req.form) } : {}) });
      } else {
        // returned during review: the clock was paused, every deadline moves by the paused working days
        const paused = row.paused_since ? cal.workingDaysBetween(dayNumber(row.paused_since), today) : 0;
        const shift = (d: string | null) => (d ? dateOf(cal.addWorkingDays(dayNumber(d), paused)) : null);
        c.updateCase({ status: to, paused_since: null, deadline: shift(row.deadline), ...(req.form ? { form: JSON.stringify(req.form) } : {}) });
        for (const s of steps) {
          if (s.status === 'returned') c.updateStep(s, { status: 'active', claimed_by: null, deadline: shift(s.deadline) });
          else if (s.status === 'active' || s.status === 'claimed') c.updateStep(s, { deadline: shift(s.deadline) });
        }
      }
      c.event('resubmit', from, to, { materials: req.materials.length });
      return;
    }
    case 'deliverOwed': {
      const owed = (row.owed as { materialId: string; due: string }[] | null) ?? [];
      const delivering = new Set(req.materials.map((m) => m.materialId));
      const notOwed = [...delivering].filter((m) => !owed.some((o) => o.materialId === m));
      if (notOwed.length) throw AppError.validation(notOwed.map((m) => ({ path: 'materials', message: `材料 ${m} 不在容缺清单中` })));
      await attachMaterials(tx, c, row, req.materials);
      const left = owed.filter((o) => !delivering.has(o.materialId));
      c.updateCase({ owed: left.length ? JSON.stringify(left) : null });
      c.event('deliverOwed', from, to, { delivered: [...delivering] });
      return;
    }
    case 'withdraw':
      c.updateCase({ status: to, concluded_at: now, paused_since: null, decision_reason: req.reason ?? null });
      c.cancelOpenSteps(now);
      c.event('withdraw', from, to, { reason: req.reason ?? null });
      tell(c, row, '已撤回', '您的申请已撤回。');
      return;
    case 'expireDeficiency':
      c.updateCase({ status: to, concluded_at: now });
      c.cancelOpenSteps(now);
      c.event('expireDeficiency', from, to, { owed: row.owed });
      tell(c, row, '办件终止', '容缺材料未在承诺期限内补交，办件终止。');
      return;
  }
}

async function actOnStep(tx: Ctx, c: CaseChanges, row: repo.CaseRow, steps: repo.StepRow[], req: Extract<CaseActionRequest, { step: string }>) {
  if (row.status !== 'in_review') {
    throw new AppError('INVALID_STATE_TRANSITION', `办件当前状态为「${CASE_STATUS_NAMES[row.status as CaseStatus]}」（${row.status}），不能执行审查环节的「${actionName(req.action)}」（${req.action}）`, { state: row.status, action: req.action });
  }
  const step = steps.find((s) => s.key === req.step);
  if (!step) throw new AppError('NOT_FOUND', `办件 ${row.case_no} 没有审查环节 ${req.step}`);
  const to = nextStepStatus(step.status as StepStatus, req.action);
  requireAccess(tx.actor, canActOnStep(tx.actor, req.action, { departmentId: step.department_id, claimedBy: step.claimed_by }), `对审查环节「${step.name}」执行「${actionName(req.action)}」`);
  const now = tx.now();
  const me = (tx.actor as { accountId: string }).accountId;
  const today = dayNumber(chinaDate(now));
  switch (req.action) {
    case 'claim':
      c.updateStep(step, { status: to, claimed_by: me });
      c.event('claim', row.status, row.status, {}, step.key);
      return;
    case 'transfer': {
      const target = await getDepartment(tx, req.toDepartmentId);
      if (target.id === step.department_id) throw AppError.validation([{ path: 'toDepartmentId', message: '不能转办给本部门' }]);
      // a transfer is a bounce (推诿扯皮): counted on the step and on the case
      c.updateStep(step, { status: to, department_id: target.id, claimed_by: null, transfers: step.transfers + 1 }, target.name);
      c.updateCase({ bounces: row.bounces + 1 });
      c.event('transfer', row.status, row.status, { from: step.department_id, to: target.id, toName: target.name, reason: req.reason, basis: req.basis }, step.key);
      return;
    }
    case 'approve':
    case 'deny':
    case 'return': {
      c.updateStep(step, { status: to, finished_at: now });
      c.event(req.action, row.status, row.status, { reason: req.reason ?? null, basis: (req as { basis?: string }).basis ?? null }, step.key);
      const after = steps.map((s) => ({ key: s.key, stage: s.stage, status: (s.id === step.id ? to : s.status) as StepStatus }));
      const outcome = reviewOutcome(after);
      if (outcome.kind === 'nextStage') await startStage(tx, c, row, steps, outcome.stage, today);
      else if (outcome.kind === 'returned') {
        c.updateCase({ status: 'awaiting_applicant', paused_since: dateOf(today) });
        c.event('return', 'in_review', 'awaiting_applicant', { reason: req.reason ?? null }, step.key);
        tell(c, row, '退回补充', `审查部门退回：${req.reason ?? ''}。请补充后重新提交。`);
      } else if (outcome.kind === 'concluded') {
        const reason = req.action === 'deny' ? (req.reason ?? null) : (req.reason ?? '经审查，符合法定条件');
        const basis = (req as { basis?: string }).basis ?? null;
        await conclude(tx, c, row, outcome.decision, reason, basis);
      }
      return;
    }
  }
}
