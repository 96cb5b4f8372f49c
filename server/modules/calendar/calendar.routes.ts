import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RegionCode, text } from '../../../shared/contracts/common.js';
import * as service from './calendar.service.js';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' });

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/calendar/deadline', {
    schema: {
      tags: ['calendar'],
      summary: '按工作日计算期限：from 之后第 days 个工作日（起始日不计入，含调休上班日）',
      querystring: z.strictObject({
        region: RegionCode,
        from: IsoDate,
        days: z.coerce.number().int().min(0, { message: '不能为负数' }).max(3650, { message: '最多 3650 个工作日' }),
      }),
      response: {
        200: z.object({ region: z.string(), from: z.string(), days: z.number(), deadline: z.string(), provisional: z.boolean(), rule: z.string() }),
      },
    },
  }, async (req) => service.deadline(req.ctx, req.query));

  app.put('/calendar/overrides/:region/:date', {
    schema: {
      tags: ['calendar'],
      summary: '设置地方性工作日或休息日（系统管理员）',
      params: z.strictObject({ region: RegionCode, date: IsoDate }),
      body: z.strictObject({ kind: z.enum(['workday', 'holiday']), reason: text(200) }),
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await service.setOverride(req.ctx, { ...req.params, ...req.body });
    return reply.status(204).send(null);
  });
};
