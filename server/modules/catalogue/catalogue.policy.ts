/**
 * Who may change the catalogue, and the rules a catalogue record must meet. Pure: no database,
 * no clock. Denies by default.
 */
import type { FieldIssue } from '../../../shared/errors.js';
import type { Material, ReviewStage } from '../../../shared/contracts/catalogue.js';
import { hasRole, type Actor } from '../../core/actor.js';

export type CatalogueAction = 'standard.write' | 'implementation.write' | 'drafts.read' | 'report.read';

export interface CatalogueTarget {
  /** The region the record belongs to, province first (the province standard: `[130000]`). */
  regionPath: readonly string[];
  /** The implementing department, for implementations. */
  departmentId?: string;
}

/**
 * - the province standard (ServiceItem, Power, LifeEvent): a catalogue_admin of the province;
 * - an implementation (实施清单): a catalogue_admin of its region or a level above, or the
 *   department_head of the implementing department itself;
 * - drafts and version histories: any staff member (internal working papers, not public);
 * - the standardisation report: a catalogue_admin or efficiency_officer over the region.
 */
export function canCatalogue(actor: Actor, action: CatalogueAction, target: CatalogueTarget): boolean {
  if (actor.kind === 'console') return true;
  if (actor.kind !== 'staff') return false;
  const adminOver = hasRole(actor, 'catalogue_admin') && target.regionPath.includes(actor.regionCode);
  switch (action) {
    case 'standard.write':
      return hasRole(actor, 'catalogue_admin') && target.regionPath.length === 1 && target.regionPath[0] === actor.regionCode;
    case 'implementation.write':
      return adminOver || (hasRole(actor, 'department_head') && target.departmentId !== undefined && actor.departmentId === target.departmentId);
    case 'drafts.read':
      return true;
    case 'report.read':
      return adminOver || (hasRole(actor, 'efficiency_officer') && target.regionPath.includes(actor.regionCode));
  }
}

/**
 * Promised days may not exceed the statutory limit (承诺时限 ≤ 法定时限). `pilotAllowsDays` is the
 * ceiling a 先行先试 Pilot in force approves (catalogue.hooks.ts), or null.
 * An instant case (即办件) promises 0 days; a promised one at least 1.
 */
export function promisedDaysIssues(
  input: { statutoryDays: number | null; promisedDays: number; caseType: 'instant' | 'promised' },
  pilotAllowsDays: number | null = null,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.caseType === 'instant' && input.promisedDays !== 0) {
    issues.push({ path: 'promisedDays', message: '即办件当场办结，承诺时限应为0' });
  }
  if (input.caseType === 'promised' && input.promisedDays < 1) {
    issues.push({ path: 'promisedDays', message: '承诺件的承诺时限至少1个工作日；当场办结请设为即办件（instant）' });
  }
  const limit = pilotAllowsDays ?? input.statutoryDays;
  if (limit !== null && input.promisedDays > limit) {
    issues.push({ path: 'promisedDays', message: `承诺时限 ${input.promisedDays} 个工作日超过${pilotAllowsDays === null ? '法定时限' : '先行先试批准的时限'} ${limit} 个工作日` });
  }
  return issues;
}

/** Material keys unique, certificate types known (免提交 must point at something that exists). */
export function materialIssues(materials: Material[], knownCertificateTypes: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  materials.forEach((m, i) => {
    if (seen.has(m.id)) issues.push({ path: `materials.${i}.id`, message: `材料编号 ${m.id} 重复` });
    seen.add(m.id);
    const c = m.satisfiedBy?.certificateType;
    if (c !== undefined && !knownCertificateTypes.has(c)) {
      issues.push({ path: `materials.${i}.satisfiedBy.certificateType`, message: `未知的证照类型 ${c}` });
    }
  });
  return issues;
}

/**
 * Step keys unique; departments known; and the plan fits the promise: the stages run one after
 * another and the steps of a stage in parallel, so the plan takes the sum of each stage's
 * longest step, which may not exceed the promised days.
 */
export function reviewPlanIssues(plan: ReviewStage[], promisedDays: number, knownKind: (kind: string) => boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const keys = new Set<string>();
  let total = 0;
  plan.forEach((stage, si) => {
    let longest = 0;
    stage.steps.forEach((step, i) => {
      const path = `reviewPlan.${si}.steps.${i}`;
      if (keys.has(step.key)) issues.push({ path: `${path}.key`, message: `环节编号 ${step.key} 重复` });
      keys.add(step.key);
      if (!knownKind(step.departmentKind)) issues.push({ path: `${path}.departmentKind`, message: `未知的部门类别 ${step.departmentKind}` });
      longest = Math.max(longest, step.days);
    });
    total += longest;
  });
  if (total > promisedDays) {
    issues.push({ path: 'reviewPlan', message: `审查环节共需 ${total} 个工作日，超过承诺时限 ${promisedDays} 个工作日` });
  }
  return issues;
}

/** The plan's working days: the sum over stages of each stage's longest step. */
export function reviewPlanDays(plan: ReviewStage[]): number {
  return plan.reduce((sum, s) => sum + Math.max(0, ...s.steps.map((x) => x.days)), 0);
}
