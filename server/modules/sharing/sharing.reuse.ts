/**
 * Whether a department holds a grant in force for a resource (any purpose), for 免提交: the
 * applicant is offered to rely on shared data only where the department that will read it may
 * (deny by default); the read itself goes through readForCase with that grant's purpose.
 */
import type { Ctx } from '../../core/ctx.js';

export interface UsableGrant {
  grantId: string;
  purpose: string;
  fields: string[];
  resourceName: string;
  provider: string;
}

export async function usableGrant(ctx: Ctx, q: { departmentId: string; resourceCode: string }): Promise<UsableGrant | null> {
  const now = ctx.now();
  const g = await ctx.db
    .selectFrom('sharing_grants')
    .innerJoin('data_resources', 'data_resources.code', 'sharing_grants.resource_code')
    .innerJoin('departments', 'departments.id', 'data_resources.provider_department_id')
    .select(['sharing_grants.id', 'sharing_grants.purpose', 'sharing_grants.fields', 'data_resources.name as resource_name', 'departments.name as provider'])
    .where('sharing_grants.resource_code', '=', q.resourceCode)
    .where('sharing_grants.requester_department_id', '=', q.departmentId)
    .where('sharing_grants.status', '=', 'granted')
    .where('data_resources.sharing_type', '<>', 'closed')
    .where((eb) => eb.or([eb('sharing_grants.valid_until', 'is', null), eb('sharing_grants.valid_until', '>', now)]))
    .orderBy('sharing_grants.decided_at', 'desc')
    .executeTakeFirst();
  return g ? { grantId: g.id, purpose: g.purpose, fields: g.fields, resourceName: g.resource_name, provider: g.provider } : null;
}
