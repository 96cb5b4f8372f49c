/** Who may do what with certificates. Pure; denies by default. */
import { hasRole, type Actor } from '../../core/actor.js';

export type CertificateAction = 'issue' | 'import' | 'revoke' | 'view' | 'wallet' | 'share';

export interface CertificateScope {
  issuerDepartmentId: string;
  /** True when the actor is the certificate's holder (their ID number or credit code). */
  actorIsHolder?: boolean;
}

export function canCertificates(actor: Actor, action: CertificateAction, target: CertificateScope): boolean {
  if (actor.kind === 'console') return action === 'issue' || action === 'import';
  switch (action) {
    // the issuing department decides and signs (国务院令第716号: 谁审批、谁发证); a reviewer
    // concluding a case or the department's head — never another department
    case 'issue':
    case 'import':
    case 'revoke':
      return hasRole(actor, 'reviewer', 'department_head') && actor.departmentId === target.issuerDepartmentId;
    // the printable copy: its holder, or any staff of the issuing department
    case 'view':
      return target.actorIsHolder === true || (actor.kind === 'staff' && actor.departmentId === target.issuerDepartmentId);
    case 'wallet':
    case 'share':
      return (actor.kind === 'person' || actor.kind === 'business') && target.actorIsHolder === true;
  }
}
