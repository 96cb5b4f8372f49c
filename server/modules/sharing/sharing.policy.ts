/** Who may do what with shared data, and whether an exchange read is covered by a grant. Pure; denies by default. */
import { hasRole, type Actor } from '../../core/actor.js';

export type SharingAction = 'catalogue.read' | 'grant.request' | 'grant.decide' | 'grant.withdraw' | 'grant.list' | 'objection.list' | 'objection.answer' | 'usage.list';

export interface SharingScope {
  /** The department the action is about: the requester for a request, the provider for a decision. */
  departmentId?: string;
}

export function canSharing(actor: Actor, action: SharingAction, target: SharingScope = {}): boolean {
  switch (action) {
    case 'catalogue.read':
      // the catalogue is shared among government departments (政务信息资源目录), not published to the public
      return actor.kind === 'staff' || actor.kind === 'system' || actor.kind === 'console';
    case 'grant.request':
      return hasRole(actor, 'department_head', 'data_steward', 'reviewer') && actor.departmentId === target.departmentId;
    // "a data steward grants only their department's resources" (design.md, Access)
    case 'grant.decide':
    case 'grant.withdraw':
      return hasRole(actor, 'data_steward') && actor.departmentId === target.departmentId;
    case 'grant.list':
      return actor.kind === 'staff';
    // the provider answers objections and watches how its data is used (X-Road's monitoring)
    case 'objection.list':
    case 'objection.answer':
    case 'usage.list':
      return hasRole(actor, 'data_steward', 'department_head') && actor.departmentId === target.departmentId;
  }
}

export interface GrantView {
  id: string;
  status: 'pending' | 'granted' | 'refused' | 'withdrawn';
  fields: readonly string[];
  purpose: string;
  validUntil: Date | null;
}

export type ExchangeRefusal =
  | 'closed_resource'
  | 'no_grant'
  | 'grant_pending'
  | 'grant_withdrawn'
  | 'grant_expired'
  | 'purpose_not_granted'
  | 'fields_not_granted';

export type ExchangeDecision = { ok: true; grantId: string } | { ok: false; reason: ExchangeRefusal; message: string; fields?: string[] };

/**
 * Deny by default (X-Road): a read is allowed only under a grant of the reader's department for
 * this resource that is in force, names this purpose, and covers every field asked for. When it
 * is refused, the reason names the nearest miss, so the caller knows what to fix.
 */
export function decideExchange(
  sharingType: 'open' | 'conditional' | 'closed',
  grants: readonly GrantView[],
  request: { purpose: string; fields: readonly string[] },
  now: Date,
): ExchangeDecision {
  if (sharingType === 'closed') return { ok: false, reason: 'closed_resource', message: '该数据资源不予共享' };
  const inForce = (g: GrantView) => g.status === 'granted' && (g.validUntil === null || g.validUntil > now);
  const samePurpose = grants.filter((g) => g.purpose === request.purpose);
  for (const g of samePurpose) {
    if (inForce(g) && request.fields.every((f) => g.fields.includes(f))) return { ok: true, grantId: g.id };
  }
  const liveSamePurpose = samePurpose.filter(inForce);
  if (liveSamePurpose.length) {
    // the grant nearest to the request: the fields it lacks are the ones to name
    const best = liveSamePurpose.reduce((a, b) => (coverage(b, request.fields) > coverage(a, request.fields) ? b : a));
    const outside = request.fields.filter((f) => !best.fields.includes(f));
    return { ok: false, reason: 'fields_not_granted', message: `字段不在共享授权范围内：${outside.join('、')}`, fields: outside };
  }
  if (samePurpose.some((g) => g.status === 'granted')) return { ok: false, reason: 'grant_expired', message: '该用途的共享授权已过期，请重新申请' };
  if (samePurpose.some((g) => g.status === 'withdrawn')) return { ok: false, reason: 'grant_withdrawn', message: '该用途的共享授权已被提供部门撤回' };
  if (samePurpose.some((g) => g.status === 'pending')) return { ok: false, reason: 'grant_pending', message: '该用途的共享申请尚待提供部门审核' };
  if (grants.some(inForce)) {
    return { ok: false, reason: 'purpose_not_granted', message: `共享授权不含此用途（已授权用途：${[...new Set(grants.filter(inForce).map((g) => g.purpose))].join('；')}）` };
  }
  return { ok: false, reason: 'no_grant', message: '本部门没有该数据资源的共享授权，请先提出共享申请' };
}

function coverage(g: GrantView, fields: readonly string[]): number {
  return fields.filter((f) => g.fields.includes(f)).length;
}
