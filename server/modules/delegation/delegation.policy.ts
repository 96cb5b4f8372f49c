/**
 * Who may issue Delegation orders, confirm a takeOver, watch floating, and record Pilots and
 * their fault-tolerance reviews. Pure: no database, no clock. Denies by default.
 */
import { hasRole, type Actor } from '../../core/actor.js';

export type DelegationAction =
  | 'order.create'
  | 'order.read'
  | 'takeover.confirm'
  | 'floating.read'
  | 'link.write'
  | 'pilot.create'
  | 'pilot.read'
  | 'faultTolerance.record';

export interface DelegationTarget {
  /** The region the action concerns, province first: the delegating region, the receiving region, the pilot's region. */
  regionPath: readonly string[];
  /** takeover.confirm: the department kind of the acting department head … */
  actorDepartmentKind?: string;
  /** … and the kinds that may confirm (the item's competent and implementing departments). */
  departmentKinds?: readonly string[];
}

/**
 * - an order: a catalogue_admin or system_admin of the delegating region or a level above it;
 * - a takeOver: the receiving unit itself — the department_head of the receiving region's
 *   competent or implementing department, or the catalogue_admin of that region;
 * - floating: catalogue_admin, efficiency_officer or system_admin over the region;
 * - item links: the province standard, so a catalogue_admin of the province;
 * - a Pilot: a catalogue_admin or system_admin of its region or above; its fault-tolerance
 *   review: an efficiency_officer or system_admin of its region or above;
 * - reading orders and pilots: any staff member.
 */
export function canDelegation(actor: Actor, action: DelegationAction, target: DelegationTarget): boolean {
  if (actor.kind === 'console') return true;
  if (actor.kind !== 'staff') return false;
  const over = target.regionPath.includes(actor.regionCode);
  const own = target.regionPath[target.regionPath.length - 1] === actor.regionCode;
  switch (action) {
    case 'order.create':
    case 'pilot.create':
      return hasRole(actor, 'catalogue_admin', 'system_admin') && over;
    case 'order.read':
    case 'pilot.read':
      return true;
    case 'takeover.confirm':
      if (!own) return false;
      if (hasRole(actor, 'catalogue_admin')) return true;
      return hasRole(actor, 'department_head') && target.actorDepartmentKind !== undefined && (target.departmentKinds ?? []).includes(target.actorDepartmentKind);
    case 'floating.read':
      return hasRole(actor, 'catalogue_admin', 'efficiency_officer', 'system_admin') && over;
    case 'link.write':
      return hasRole(actor, 'catalogue_admin') && target.regionPath.length === 1 && own;
    case 'faultTolerance.record':
      return hasRole(actor, 'efficiency_officer', 'system_admin') && over;
  }
}
