/** Who may do what with accounts and API clients. Pure; denies by default. */
import { hasRole, type Actor } from '../../core/actor.js';

export type IdentityAction = 'staff.create' | 'staff.list' | 'apiClient.create' | 'apiClient.list' | 'account.setCredit';

export interface DepartmentScope {
  departmentId: string;
  /** The department's region path, province first. */
  regionPath: readonly string[];
}

export function canIdentity(actor: Actor, action: IdentityAction, target: DepartmentScope, roles: readonly string[] = []): boolean {
  if (actor.kind === 'console') return true;
  if (actor.kind !== 'staff') return false;
  // a system administrator administers accounts of departments in their own region and below
  if (hasRole(actor, 'system_admin') && target.regionPath.includes(actor.regionCode)) return true;
  switch (action) {
    case 'staff.create':
      // a department head staffs their own department, but cannot mint administrators
      return hasRole(actor, 'department_head') && actor.departmentId === target.departmentId && !roles.includes('system_admin');
    case 'staff.list':
    case 'apiClient.list':
    case 'apiClient.create':
      return hasRole(actor, 'department_head') && actor.departmentId === target.departmentId;
    case 'account.setCredit':
      return false;
  }
}
