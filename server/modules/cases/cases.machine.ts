/**
 * The case state machine, as data: which action moves a case (or one of its review steps) from
 * which state to which. Pure: no database, no clock. The service loads, asks, persists, audits.
 *
 * Intake follows 行政许可法 art. 32 (accept / reject with reasons / one-time correction notice),
 * 容缺受理 and 告知承诺制 (国办发〔2020〕42号); review follows the implementation's plan: stages in
 * order, the steps of a stage in parallel (并联审批).
 */
import { AppError } from '../../../shared/errors.js';

export const CASE_STATUSES = [
  'submitted', // filed, waiting for intake (受理)
  'awaiting_correction', // 补正: the applicant owes materials, intake clock paused
  'in_review', // accepted, review steps running
  'awaiting_applicant', // a reviewer returned it to the applicant, clock paused
  'concluded', // decided: approved or denied (办结)
  'rejected', // not accepted at intake (不予受理)
  'terminated', // ended: a 容缺 material was not delivered in time
  'withdrawn', // the applicant withdrew
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = [
  'accept',
  'reject',
  'requestCorrection',
  'acceptWithDeficiency',
  'approveByCommitment',
  'resubmit',
  'withdraw',
  'deemAccepted',
  'expireDeficiency',
  'deliverOwed',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const STEP_ACTIONS = ['claim', 'approve', 'deny', 'return', 'transfer'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const STEP_STATUSES = ['waiting', 'active', 'claimed', 'approved', 'denied', 'returned', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const TRANSITIONS = {
  submitted: {
    accept: 'in_review',
    reject: 'rejected',
    requestCorrection: 'awaiting_correction',
    acceptWithDeficiency: 'in_review',
    approveByCommitment: 'concluded',
    deemAccepted: 'in_review',
    withdraw: 'withdrawn',
  },
  awaiting_correction: { resubmit: 'submitted', withdraw: 'withdrawn' },
  in_review: { withdraw: 'withdrawn', expireDeficiency: 'terminated', deliverOwed: 'in_review' },
  awaiting_applicant: { resubmit: 'in_review', withdraw: 'withdrawn' },
  concluded: {},
  rejected: {},
  terminated: {},
  withdrawn: {},
} as const satisfies Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>>;

/** Step moves, and the case status a step action requires. */
export const STEP_TRANSITIONS = {
  active: { claim: 'claimed', transfer: 'active' },
  claimed: { approve: 'approved', deny: 'denied', return: 'returned', transfer: 'active' },
  waiting: {},
  approved: {},
  denied: {},
  returned: {},
  cancelled: {},
} as const satisfies Record<StepStatus, Partial<Record<StepAction, StepStatus>>>;

export const CASE_STATUS_NAMES: Record<CaseStatus, string> = {
  submitted: '待受理',
  awaiting_correction: '待补正',
  in_review: '审查中',
  awaiting_applicant: '退回申请人',
  concluded: '已办结',
  rejected: '不予受理',
  terminated: '已终止',
  withdrawn: '已撤回',
};

const ACTION_NAMES: Record<CaseAction | StepAction, string> = {
  accept: '受理',
  reject: '不予受理',
  requestCorrection: '一次性告知补正',
  acceptWithDeficiency: '容缺受理',
  approveByCommitment: '告知承诺审批',
  resubmit: '重新提交',
  withdraw: '撤回',
  deemAccepted: '逾期视为受理',
  expireDeficiency: '容缺材料逾期',
  deliverOwed: '补交容缺材料',
  claim: '认领',
  approve: '同意',
  deny: '不同意',
  return: '退回申请人',
  transfer: '转办',
};

/** Timeline events that are not machine actions. */
const EVENT_NAMES: Record<string, string> = { submit: '提交申请', conclude: '办结', escalate: '督办' };

export function actionName(a: CaseAction | StepAction | string): string {
  return (ACTION_NAMES as Record<string, string>)[a] ?? EVENT_NAMES[a] ?? a;
}

/** The next case status, or 409 INVALID_STATE_TRANSITION naming the state and the action. */
export function nextStatus(status: CaseStatus, action: CaseAction): CaseStatus {
  const to = (TRANSITIONS[status] as Partial<Record<CaseAction, CaseStatus>>)[action];
  if (!to) {
    throw new AppError('INVALID_STATE_TRANSITION', `办件当前状态为「${CASE_STATUS_NAMES[status]}」（${status}），不能执行「${ACTION_NAMES[action]}」（${action}）`, {
      state: status,
      action,
    });
  }
  return to;
}

export function nextStepStatus(stepStatus: StepStatus, action: StepAction): StepStatus {
  const to = (STEP_TRANSITIONS[stepStatus] as Partial<Record<StepAction, StepStatus>>)[action];
  if (!to) {
    throw new AppError('INVALID_STATE_TRANSITION', `审查环节当前状态为 ${stepStatus}，不能执行「${ACTION_NAMES[action]}」（${action}）`, {
      state: stepStatus,
      action,
    });
  }
  return to;
}

export interface StepState {
  key: string;
  stage: number;
  status: StepStatus;
}

/**
 * What follows a step's decision: the next stage to activate, the conclusion, or nothing yet
 * (other parallel steps still running). A denial by any department decides the case.
 */
export type ReviewOutcome =
  | { kind: 'waiting' }
  | { kind: 'nextStage'; stage: number }
  | { kind: 'concluded'; decision: 'approved' | 'denied' }
  | { kind: 'returned' };

export function reviewOutcome(steps: readonly StepState[]): ReviewOutcome {
  if (steps.some((s) => s.status === 'denied')) return { kind: 'concluded', decision: 'denied' };
  if (steps.some((s) => s.status === 'returned')) return { kind: 'returned' };
  const stages = [...new Set(steps.map((s) => s.stage))].sort((a, b) => a - b);
  for (const stage of stages) {
    const inStage = steps.filter((s) => s.stage === stage);
    if (inStage.every((s) => s.status === 'approved')) continue;
    if (inStage.every((s) => s.status === 'waiting')) return { kind: 'nextStage', stage };
    return { kind: 'waiting' };
  }
  return { kind: 'concluded', decision: 'approved' };
}

/** Action inputs that the law requires: reasons and basis for refusals (行政许可法 art. 38), a complete correction list (art. 32). */
export function requireActionFields(action: CaseAction | StepAction, input: { reason?: string | undefined; basis?: string | undefined; items?: unknown[] | undefined }): void {
  const issues: { path: string; message: string }[] = [];
  const needsReasonAndBasis: (CaseAction | StepAction)[] = ['reject', 'deny', 'transfer'];
  if (needsReasonAndBasis.includes(action)) {
    if (!input.reason) issues.push({ path: 'reason', message: `「${ACTION_NAMES[action]}」必须说明理由` });
    if (!input.basis) issues.push({ path: 'basis', message: `「${ACTION_NAMES[action]}」必须写明法律依据` });
  }
  if (action === 'return' && !input.reason) issues.push({ path: 'reason', message: '退回必须说明理由' });
  if (action === 'requestCorrection' && (!input.items || input.items.length === 0)) {
    issues.push({ path: 'items', message: '补正通知须一次性列明全部需要补正的材料（行政许可法第三十二条）' });
  }
  if (issues.length) throw AppError.validation(issues);
}
