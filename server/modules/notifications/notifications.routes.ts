import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Paging } from '../../../shared/contracts/common.js';
import { myMessages } from './notifications.service.js';

const Message = z.object({ id: z.string(), caseNo: z.string().nullable(), title: z.string(), body: z.string(), createdAt: z.string(), read: z.boolean() });

export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/me/messages', {
    schema: {
      tags: ['notifications'],
      summary: '我的消息（办件状态变化通知）',
      querystring: Paging.strict(),
      response: { 200: z.object({ messages: z.array(Message), unread: z.number() }) },
    },
  }, async (req) => myMessages(req.ctx, req.query));
};
