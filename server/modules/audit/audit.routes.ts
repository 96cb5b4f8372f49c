import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyAuditChain } from './audit.service.js';

const Problem = z.object({
  seq: z.number().nullable(),
  chainIndex: z.number(),
  problem: z.enum(['altered', 'missing', 'relinked', 'checkpoint_mismatch']),
  message: z.string(),
});

export const AuditVerification = z.object({
  ok: z.boolean(),
  sealed: z.number(),
  unsealed: z.number(),
  headIndex: z.number(),
  headHash: z.string(),
  problems: z.array(Problem),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit/verify', {
    schema: { tags: ['audit'], summary: '审计链校验：重算哈希链，报告被改、删、重排的记录（系统管理员）', response: { 200: AuditVerification } },
  }, async (req) => verifyAuditChain(req.ctx));
};
