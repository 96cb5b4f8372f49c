/**
 * 一件事一次办 (国办发〔2025〕24号): one form in which each fact is asked once, one submission, one
 * accountable owner (the region's 政务服务中心), N linked cases with one overall status.
 */
import { AppError, type FieldIssue } from '../../../shared/errors.js';
import type { CaseSummary } from '../../../shared/contracts/cases.js';
import { requireAccess } from '../../core/access.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { formDataIssues, getLifeEvent } from '../catalogue/index.js';
import { regionPath, findDepartmentByKind } from '../regions/index.js';
import { fileCase, getCase } from './cases.service.js';

export interface LifeEventApplicationInput {
  regionCode: string;
  form: Record<string, unknown>;
  materials: Record<string, { materialId: string; uploadId: string }[]>;
  applicant?: { idNumber: string } | { creditCode: string } | undefined;
}

export interface LifeEventApplication {
  id: string;
  eventCode: string;
  eventName: string;
  owner: { departmentId: string; name: string };
  status: 'in_progress' | 'concluded' | 'partly_denied' | 'ended';
  statusName: string;
  cases: CaseSummary[];
}

const OVERALL_NAMES = { in_progress: '办理中', concluded: '全部办结', partly_denied: '部分不予许可', ended: '已结束' } as const;

export function overallStatus(cases: { status: string; decision: string | null }[]): LifeEventApplication['status'] {
  const final = ['concluded', 'rejected', 'terminated', 'withdrawn'];
  if (cases.some((c) => !final.includes(c.status))) return 'in_progress';
  if (cases.every((c) => c.status === 'concluded' && c.decision === 'approved')) return 'concluded';
  if (cases.some((c) => c.decision === 'denied')) return 'partly_denied';
  return 'ended';
}

export async function applyLifeEvent(ctx: Ctx, code: string, input: LifeEventApplicationInput): Promise<LifeEventApplication> {
  const event = await getLifeEvent(ctx, code);
  const issues: FieldIssue[] = formDataIssues(event.formSchema, input.form);
  if (issues.length) throw AppError.validation(issues);
  const unknownItems = Object.keys(input.materials).filter((k) => !event.items.some((i) => i.itemCode === k));
  if (unknownItems.length) throw AppError.validation(unknownItems.map((k) => ({ path: `materials.${k}`, message: `一件事「${event.name}」不含事项 ${k}` })));
  const path = await regionPath(ctx, input.regionCode);
  let owner = null;
  for (let i = path.length - 1; i >= 0 && !owner; i--) owner = await findDepartmentByKind(ctx, path[i]!, 'service_center');
  if (!owner) throw new AppError('PRECONDITION_FAILED', `${input.regionCode} 及其上级未设立政务服务中心，无法受理一件事`);
  const a = ctx.actor;
  requireAccess(a, a.kind === 'person' || a.kind === 'business' || a.kind === 'staff', '申请一件事');
  return inTransaction(ctx, async (tx) => {
    const applicantId = a.kind === 'person' || a.kind === 'business' ? a.accountId : null;
    const { id } = await tx.db
      .insertInto('life_event_applications')
      .values({
        event_code: code,
        applicant_account_id: applicantId ?? (a as { accountId: string }).accountId,
        owner_department_id: owner.id,
        region_code: input.regionCode,
        form: JSON.stringify(input.form),
        created_at: tx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const item of event.items) {
      // 一表申请: each shared fact fills every item form field mapped to it
      const form: Record<string, unknown> = {};
      for (const [shared, targets] of Object.entries(event.fieldMap)) {
        if (!(shared in input.form)) continue;
        for (const t of targets) if (t.itemCode === item.itemCode) form[t.field] = input.form[shared];
      }
      try {
        const c = await fileCase(tx, { itemCode: item.itemCode, regionCode: input.regionCode, form, materials: input.materials[item.itemCode] ?? [], applicant: input.applicant }, { lifeEventApplicationId: id });
        if (applicantId === null) await tx.db.updateTable('life_event_applications').set({ applicant_account_id: (await tx.db.selectFrom('cases').select('applicant_account_id').where('case_no', '=', c.caseNo).executeTakeFirstOrThrow()).applicant_account_id }).where('id', '=', id).execute();
      } catch (e) {
        if (e instanceof AppError && e.code === 'VALIDATION_FAILED') {
          const inner = ((e.details as { issues?: FieldIssue[] })?.issues ?? []).map((i) => ({ path: `${item.itemCode}.${i.path}`, message: i.message }));
          throw AppError.validation(inner.length ? inner : [{ path: item.itemCode, message: e.message }], `事项「${item.name}」的申请有误：${e.message}`);
        }
        throw e;
      }
    }
    return getLifeEventApplication(tx, id);
  });
}

export async function getLifeEventApplication(ctx: Ctx, id: string): Promise<LifeEventApplication> {
  const app = await ctx.db
    .selectFrom('life_event_applications')
    .innerJoin('departments', 'departments.id', 'life_event_applications.owner_department_id')
    .select(['life_event_applications.id', 'life_event_applications.event_code', 'life_event_applications.owner_department_id', 'departments.name as owner_name'])
    .where('life_event_applications.id', '=', id)
    .executeTakeFirst();
  if (!app) throw new AppError('NOT_FOUND', `一件事申请 ${id} 不存在`);
  const caseNos = await ctx.db.selectFrom('cases').select('case_no').where('life_event_application_id', '=', id).orderBy('case_no').execute();
  // getCase authorises each case: someone who may see none of them sees nothing
  const cases = [];
  for (const c of caseNos) cases.push(await getCase(ctx, c.case_no));
  const event = await getLifeEvent(ctx, app.event_code);
  const status = overallStatus(cases);
  return {
    id: app.id,
    eventCode: app.event_code,
    eventName: event.name,
    owner: { departmentId: app.owner_department_id, name: app.owner_name },
    status,
    statusName: OVERALL_NAMES[status],
    cases: cases.map((c) => ({
      caseNo: c.caseNo,
      status: c.status,
      statusName: c.statusName,
      decision: c.decision,
      itemCode: c.itemCode,
      itemName: c.itemName,
      regionCode: c.regionCode,
      submittedAt: c.submittedAt,
      deadline: c.deadline,
      light: c.light,
    })),
  };
}
