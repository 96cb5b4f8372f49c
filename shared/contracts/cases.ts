import { z } from 'zod';
import { RegionCode, text } from './common.js';

export const CaseStatus = z.enum(['submitted', 'awaiting_correction', 'in_review', 'awaiting_applicant', 'concluded', 'rejected', 'terminated', 'withdrawn']);
export const Light = z.enum(['green', 'yellow', 'red']);

const ItemCodeParam = z.string().trim().min(1).max(64);
const MaterialId = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { message: '材料编号应取自办事指南（如 m1）' });
const MaterialRef = z.strictObject({
  materialId: MaterialId,
  uploadId: z.uuid({ message: '应为上传文件的 ID（POST /api/v1/uploads 返回）' }),
});
/** 免提交: rely on what government holds (see GET /api/v1/items/:itemCode/reuse) instead of uploading. */
const ReuseRef = z.strictObject({ materialId: MaterialId, reuse: z.literal(true) });
export const FiledMaterial = z.union([MaterialRef, ReuseRef]);

/** The applicant a window clerk files for (一窗受理): found by their ID number or credit code. */
export const WalkInApplicant = z.union([
  z.strictObject({ idNumber: z.string().trim().toUpperCase().regex(/^\d{17}[\dX]$/, { message: '应为18位公民身份号码' }) }),
  z.strictObject({ creditCode: z.string().trim().toUpperCase().regex(/^[0-9A-Z]{18}$/, { message: '应为18位统一社会信用代码' }) }),
]);

export const FileCase = z.strictObject({
  itemCode: ItemCodeParam,
  regionCode: RegionCode,
  form: z.record(z.string(), z.unknown()),
  materials: z.array(FiledMaterial).max(100).default([]),
  applicant: WalkInApplicant.optional(),
});
export type FileCase = z.infer<typeof FileCase>;

export const ReuseSource = z.object({
  kind: z.enum(['certificate', 'data']),
  reference: z.string(),
  name: z.string(),
  provider: z.string(),
  asOf: z.string(),
  validUntil: z.string().nullable(),
});
export const ReusePreview = z.object({
  itemCode: z.string(),
  regionCode: z.string(),
  materials: z.array(z.object({ materialId: z.string(), name: z.string(), required: z.boolean(), source: ReuseSource.nullable(), unavailable: z.string().nullable() })),
  /** Fields filled from verified registration data; locked in the form. */
  locked: z.record(z.string(), z.string()),
  /** Fields suggested from the account (editable). */
  prefill: z.record(z.string(), z.string()),
});

const CorrectionItem = z.strictObject({ materialId: z.string().max(32).optional(), field: z.string().max(64).optional(), problem: text(300) });
const OwedItem = z.strictObject({ materialId: z.string().max(32), due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' }) });

export const CaseActionRequest = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('accept') }),
  z.strictObject({ action: z.literal('reject'), reason: text(1000).optional(), basis: text(500).optional() }),
  z.strictObject({ action: z.literal('requestCorrection'), items: z.array(CorrectionItem).max(100).optional(), note: text(1000).optional() }),
  z.strictObject({ action: z.literal('acceptWithDeficiency'), owed: z.array(OwedItem).min(1, { message: '须列明容缺的材料及补交期限' }).max(20), commitmentSigned: z.literal(true, { message: '容缺受理须申请人签署承诺' }) }),
  z.strictObject({ action: z.literal('approveByCommitment'), commitmentSigned: z.literal(true, { message: '告知承诺须申请人签署承诺书' }), basis: text(500).optional() }),
  z.strictObject({ action: z.literal('resubmit'), materials: z.array(MaterialRef).max(100).default([]), form: z.record(z.string(), z.unknown()).optional() }),
  z.strictObject({ action: z.literal('deliverOwed'), materials: z.array(MaterialRef).min(1).max(20) }),
  z.strictObject({ action: z.literal('withdraw'), reason: text(500).optional() }),
  z.strictObject({ action: z.literal('claim'), step: z.string().max(32) }),
  z.strictObject({ action: z.literal('approve'), step: z.string().max(32), reason: text(1000).optional(), basis: text(500).optional() }),
  z.strictObject({ action: z.literal('deny'), step: z.string().max(32), reason: text(1000).optional(), basis: text(500).optional() }),
  z.strictObject({ action: z.literal('return'), step: z.string().max(32), reason: text(1000).optional() }),
  z.strictObject({
    action: z.literal('transfer'),
    step: z.string().max(32),
    toDepartmentId: z.uuid({ message: '应为接收部门的 ID' }),
    reason: text(1000).optional(),
    basis: text(500).optional(),
  }),
]);
export type CaseActionRequest = z.infer<typeof CaseActionRequest>;

export const CaseStep = z.object({
  key: z.string(),
  name: z.string(),
  stage: z.number(),
  department: z.object({ id: z.string(), name: z.string() }),
  status: z.string(),
  /** The claiming officer's name, and whether it is the caller. */
  claimedBy: z.string().nullable(),
  claimedByMe: z.boolean(),
  deadline: z.string().nullable(),
  light: Light.nullable(),
  transfers: z.number(),
});

export const CaseEvent = z.object({
  at: z.string(),
  action: z.string(),
  actionName: z.string(),
  actor: z.record(z.string(), z.string()),
  /** Who acted, for the timeline: the officer's name (accountability), 申请人, or 系统. */
  actorName: z.string(),
  step: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  details: z.unknown(),
});

export const Case = z.object({
  caseNo: z.string(),
  queryCode: z.string(),
  status: CaseStatus,
  statusName: z.string(),
  decision: z.enum(['approved', 'denied']).nullable(),
  decisionReason: z.string().nullable(),
  decisionBasis: z.string().nullable(),
  itemCode: z.string(),
  itemName: z.string(),
  regionCode: z.string(),
  department: z.object({ id: z.string(), name: z.string() }),
  applicant: z.object({ kind: z.string(), name: z.string() }),
  channel: z.enum(['online', 'window']),
  implementation: z.object({ versionId: z.string(), version: z.number() }),
  submittedAt: z.string(),
  acceptedAt: z.string().nullable(),
  concludedAt: z.string().nullable(),
  intakeDeadline: z.string(),
  deadline: z.string().nullable(),
  light: Light.nullable(),
  pausedSince: z.string().nullable(),
  bounces: z.number(),
  owed: z.array(z.object({ materialId: z.string(), due: z.string() })),
  form: z.record(z.string(), z.unknown()),
  materials: z.array(z.object({ materialId: z.string(), name: z.string(), source: z.string(), uploadId: z.string().nullable(), reference: z.string().nullable() })),
  /** 免提交: materials satisfied by a certificate or shared data instead of an upload. */
  reuse: z.object({ avoided: z.number(), submitted: z.number() }),
  steps: z.array(CaseStep),
  timeline: z.array(CaseEvent),
  lifeEventApplicationId: z.string().nullable(),
});
export type Case = z.infer<typeof Case>;

export const CaseSummary = Case.pick({ caseNo: true, status: true, statusName: true, decision: true, itemCode: true, itemName: true, regionCode: true, submittedAt: true, deadline: true, light: true });
export type CaseSummary = z.infer<typeof CaseSummary>;

export const Progress = z.object({
  caseNo: z.string(),
  itemName: z.string(),
  status: CaseStatus,
  statusName: z.string(),
  decision: z.enum(['approved', 'denied']).nullable(),
  submittedAt: z.string(),
  deadline: z.string().nullable(),
  concludedAt: z.string().nullable(),
  steps: z.array(z.object({ name: z.string(), department: z.string(), status: z.string() })),
});

/** One entry of an officer's queue (工作台). */
export const Task = z.object({
  kind: z.enum(['intake', 'review']),
  caseNo: z.string(),
  itemName: z.string(),
  status: z.string(),
  step: z.string().nullable(),
  stepName: z.string().nullable(),
  claimedByMe: z.boolean(),
  deadline: z.string().nullable(),
  light: Light.nullable(),
  submittedAt: z.string(),
});
export type Task = z.infer<typeof Task>;

/** One yellow or red card of the efficiency watch (电子监察). */
export const Alert = z.object({
  kind: z.enum(['case_overdue', 'case_due_soon', 'step_overdue', 'step_due_soon', 'bounced', 'stalled_at_intake']),
  light: z.enum(['yellow', 'red']),
  caseNo: z.string(),
  itemName: z.string(),
  department: z.string(),
  step: z.string().nullable(),
  deadline: z.string().nullable(),
  bounces: z.number(),
  escalated: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;

/** A department's figures: 按时办结率, average working days, bounces, open and overdue cases. */
export const DepartmentFigures = z.object({
  departmentId: z.string(),
  department: z.string(),
  concluded: z.number(),
  onTime: z.number(),
  onTimeRate: z.number().nullable(),
  averageWorkingDays: z.number().nullable(),
  bounces: z.number(),
  open: z.number(),
  overdue: z.number(),
});
export type DepartmentFigures = z.infer<typeof DepartmentFigures>;
