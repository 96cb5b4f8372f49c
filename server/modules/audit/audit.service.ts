import { hasRole } from '../../core/actor.js';
import { requireAccess } from '../../core/access.js';
import { verifyChain, type AuditVerification } from '../../core/audit.js';
import type { Ctx } from '../../core/ctx.js';

/** Recomputes the audit chain. System administrators and the console only (三员分立: the auditor's tool). */
export async function verifyAuditChain(ctx: Ctx): Promise<AuditVerification> {
  requireAccess(ctx.actor, ctx.actor.kind === 'console' || hasRole(ctx.actor, 'system_admin'), '校验审计链');
  return verifyChain(ctx.db);
}
