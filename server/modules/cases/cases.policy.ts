/**
 * Who may see and act on a case. Pure; deny by default. A reviewer sees only cases routed to their
 * department; a window clerk works the one window of their region (一窗受理); the applicant sees
 * their own; the efficiency officer watches their region.
 */
import { hasRole, type Actor } from '../../core/actor.js';
import type { CaseAction, StepAction } from './cases.machine.js';

export interface CaseFacts {
  applicantAccountId: string;
  filedBy: string;
  departmentId: string;
  regionPath: readonly string[];
  /** Departments that own a step of the case. */
  stepDepartments: readonly string[];
}

export function isApplicantSide(actor: Actor, c: CaseFacts): boolean {
  return (actor.kind === 'person' || actor.kind === 'business') && actor.accountId === c.applicantAccountId;
}

function isIntakeOfficer(actor: Actor, c: CaseFacts): boolean {
  if (actor.kind !== 'staff') return false;
  if (hasRole(actor, 'window_clerk') && c.regionPath.includes(actor.regionCode)) return true;
  // the back office may also take in its own cases (前台综合受理 is the default, not the only door)
  return hasRole(actor, 'reviewer', 'department_head') && actor.departmentId === c.departmentId;
}

export function canViewCase(actor: Actor, c: CaseFacts): boolean {
  if (isApplicantSide(actor, c)) return true;
  if (actor.kind !== 'staff') return false;
  if (actor.accountId === c.filedBy) return true;
  if (isIntakeOfficer(actor, c)) return true;
  if (hasRole(actor, 'reviewer', 'department_head') && (c.departmentId === actor.departmentId || c.stepDepartments.includes(actor.departmentId))) return true;
  return hasRole(actor, 'efficiency_officer') && c.regionPath.includes(actor.regionCode);
}

const INTAKE: CaseAction[] = ['accept', 'reject', 'requestCorrection', 'acceptWithDeficiency', 'approveByCommitment'];
const APPLICANT: CaseAction[] = ['resubmit', 'withdraw', 'deliverOwed'];
const SYSTEM: CaseAction[] = ['deemAccepted', 'expireDeficiency'];

export function canActOnCase(actor: Actor, action: CaseAction, c: CaseFacts): boolean {
  if (INTAKE.includes(action)) return isIntakeOfficer(actor, c);
  if (APPLICANT.includes(action)) return isApplicantSide(actor, c) || (actor.kind === 'staff' && actor.accountId === c.filedBy && hasRole(actor, 'window_clerk'));
  if (SYSTEM.includes(action)) return actor.kind === 'console';
  return false;
}

/** Step actions: a reviewer of the step's department; after claiming, only the claimant decides. */
export function canActOnStep(actor: Actor, action: StepAction, step: { departmentId: string; claimedBy: string | null }): boolean {
  if (!hasRole(actor, 'reviewer', 'department_head') || actor.departmentId !== step.departmentId) return false;
  if (action === 'claim' || (action === 'transfer' && step.claimedBy === null)) return true;
  return step.claimedBy === actor.accountId;
}
