/**
 * Catalogue items and staff actors for tests and benchmarks: a licensing item of 市场监管 with
 * its implementation in 长安区 (130102), and an officer's Actor read from the demo accounts.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../server/db/schema.js';
import type { Actor, Role } from '../server/core/actor.js';
import type { Ctx } from '../server/core/ctx.js';
import { draftImplementation, draftItem, publishImplementation, publishItem } from '../server/modules/catalogue/index.js';

export interface ReviewStage {
  name: string;
  steps: { key: string; departmentKind: string; name: string; days: number }[];
}

/** One stage of two parallel steps: 市场监管 and 卫健 (并联审批). */
export const PARALLEL_REVIEW: ReviewStage[] = [
  { name: '并联审查', steps: [{ key: 'amr', departmentKind: 'amr', name: '市场监管审查', days: 5 }, { key: 'health', departmentKind: 'health', name: '卫生健康审查', days: 5 }] },
];

/** Drafts and publishes a licensing item for businesses (no materials, a one-field form). */
export async function publishTestItem(ctx: Ctx, itemCode: string, name: string): Promise<void> {
  const item = await draftItem(ctx, {
    itemCode,
    name,
    itemType: 'licensing',
    applicantKinds: ['business'],
    powerCode: null,
    legalBasis: '《中华人民共和国行政许可法》第二十六条（并联审批）',
    setAtLevel: 'province',
    statutoryDays: 20,
    resultType: null,
    competentDepartmentKind: 'amr',
    conditions: '测试',
    quantityLimit: '无数量限制',
    reason: '测试',
  } as never);
  await publishItem(ctx, { itemCode, version: item.version });
}

/** Drafts and publishes a (new version of the) implementation of `itemCode` in 长安区. */
export async function publishTestImplementation(ctx: Ctx, itemCode: string, opts: { promisedDays?: number; reviewPlan: ReviewStage[] }): Promise<void> {
  const impl = await draftImplementation(ctx, {
    itemCode,
    regionCode: '130102',
    promisedDays: opts.promisedDays ?? 10,
    caseType: 'promised',
    onlineDepth: 4,
    visitsRequired: 0,
    fees: [],
    materials: [],
    formSchema: { type: 'object', properties: { entityName: { type: 'string', minLength: 1 } }, required: ['entityName'] },
    reviewPlan: opts.reviewPlan,
    serviceHall: '长安区政务服务中心',
    officeHours: '工作日',
    consultPhone: '12345',
    complaintPhone: '12345',
    reason: `承诺 ${opts.promisedDays ?? 10} 个工作日`,
  } as never);
  await publishImplementation(ctx, { id: impl.id, version: impl.version });
}

/** The Actor of a staff account, by username (demo accounts). */
export async function staffActor(db: Kysely<DB>, username: string): Promise<Actor> {
  const r = await db
    .selectFrom('accounts')
    .innerJoin('departments', 'departments.id', 'accounts.department_id')
    .select(['accounts.id', 'accounts.department_id', 'accounts.roles', 'departments.region_code'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return { kind: 'staff', accountId: r.id, departmentId: r.department_id!, regionCode: r.region_code, roles: r.roles as Role[] };
}
