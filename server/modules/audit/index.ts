/** The audit chain's public face: verification over HTTP and the CLI. Writing is core/audit.ts. */
export { auditRoutes } from './audit.routes.js';
export { verifyAuditChain } from './audit.service.js';
