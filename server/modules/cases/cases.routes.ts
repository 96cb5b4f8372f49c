import '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Alert, Case, CaseActionRequest, CaseSummary, DepartmentFigures, FileCase, Progress, ReusePreview, Task, WalkInApplicant } from '../../../shared/contracts/cases.js';
import { Paging, RegionCode, text } from '../../../shared/contracts/common.js';
import { AppError } from '../../../shared/errors.js';
import { checkKey, idempotent, idempotentStatement } from '../../core/idempotency.js';
import type { Ctx } from '../../core/ctx.js';
import { act, caseMaterial, fileCase, getCase, myCases, reuseFor, storedFiling } from './cases.service.js';
import { alerts, departmentFigures, escalate, publicProgress, reuseStats, workbench } from './cases.queries.js';
import { applyLifeEvent, getLifeEventApplication } from './life-events.service.js';
import { MAX_UPLOAD_BYTES, openUpload, saveUpload } from './uploads.service.js';

const CaseNo = z.strictObject({ caseNo: z.string().regex(/^\d{14,30}$/, { message: '办件编号为数字' }) });
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().optional() });

function scopeOf(ctx: Ctx, what: string): string {
  const a = ctx.actor;
  return `${what}:${'accountId' in a ? a.accountId : a.kind}`;
}

const LifeEventApplication = z.object({
  id: z.string(),
  eventCode: z.string(),
  eventName: z.string(),
  owner: z.object({ departmentId: z.string(), name: z.string() }),
  status: z.enum(['in_progress', 'concluded', 'partly_denied', 'ended']),
  statusName: z.string(),
  cases: z.array(CaseSummary),
});

export const casesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/cases', {
    schema: {
      tags: ['cases'],
      summary: '提交申请（网上申请，或综合窗口代为提交）。重试请带相同的 Idempotency-Key',
      headers: IdempotencyHeaders,
      body: FileCase,
      response: { 201: Case },
    },
  }, async (req, reply) => {
    const key = checkKey(req.headers['idempotency-key']);
    // the filing's one statement claims the key; a retry whose first answer was not stored is
    // answered with the case it filed
    const r = await idempotentStatement(
      req.ctx,
      scopeOf(req.ctx, 'cases'),
      key,
      req.body,
      201,
      (claim) => fileCase(req.ctx, req.body, claim ? { claim } : {}),
      { decode: (stored) => storedFiling(req.ctx, stored), resume: (caseNo) => getCase(req.ctx, caseNo) },
    );
    if (r.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(201).send(r.body);
  });

  app.get('/items/:itemCode/reuse', {
    schema: {
      tags: ['cases'],
      summary: '免提交预览：政府已掌握、可替代上传的材料（证照或共享数据），含来源与更新时间；已核验的表单字段',
      params: z.strictObject({ itemCode: z.string().trim().min(1).max(64) }),
      querystring: z.strictObject({ region: RegionCode }),
      response: { 200: ReusePreview },
    },
  }, async (req) => reuseFor(req.ctx, req.params.itemCode, req.query.region));

  app.get('/reuse/stats', {
    schema: {
      tags: ['cases'],
      summary: '免提交统计：各事项办件数、免提交材料数与免提交率（公开）',
      querystring: z.strictObject({ region: RegionCode }),
      response: { 200: z.object({ items: z.array(z.object({ itemCode: z.string(), itemName: z.string(), cases: z.number(), materialsAvoided: z.number(), materialsSubmitted: z.number(), avoidedRate: z.number().nullable() })) }) },
    },
  }, async (req) => ({ items: await reuseStats(req.ctx, req.query.region) }));

  app.get('/cases/:caseNo', {
    schema: { tags: ['cases'], summary: '办件详情与全过程记录（申请人，或办件流转到的工作人员）', params: CaseNo, response: { 200: Case } },
  }, async (req) => getCase(req.ctx, req.params.caseNo));

  app.get('/cases/:caseNo/materials/:materialId', {
    schema: {
      tags: ['cases'],
      summary: '查看办件材料：上传件给出下载地址；证照当场核验；共享数据在授权内读取并记入数据访问记录',
      params: z.strictObject({ caseNo: z.string().regex(/^\d{14,30}$/), materialId: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/) }),
    },
  }, async (req) => caseMaterial(req.ctx, req.params.caseNo, req.params.materialId));

  app.post('/cases/:caseNo/actions', {
    schema: {
      tags: ['cases'],
      summary: '办件操作：受理、不予受理、补正、容缺受理、告知承诺、认领、同意、不同意、退回、转办、重新提交、撤回',
      params: CaseNo,
      body: CaseActionRequest,
      response: { 200: Case },
    },
  }, async (req) => act(req.ctx, req.params.caseNo, req.body));

  app.get('/me/cases', {
    schema: { tags: ['cases'], summary: '我的办件', querystring: Paging.strict(), response: { 200: z.object({ cases: z.array(CaseSummary) }) } },
  }, async (req) => ({ cases: await myCases(req.ctx, req.query) }));

  app.get('/workbench/tasks', {
    schema: { tags: ['cases'], summary: '工作台：待受理与待审查任务，期限最近的在前', querystring: Paging.strict(), response: { 200: z.object({ tasks: z.array(Task) }) } },
  }, async (req) => ({ tasks: await workbench(req.ctx, req.query) }));

  app.get('/public/progress', {
    schema: {
      tags: ['cases'],
      summary: '办件进度查询（无需登录，不含个人信息）',
      querystring: z.strictObject({ caseNo: z.string().regex(/^\d{14,30}$/, { message: '办件编号为数字' }), queryCode: z.string().trim().min(4).max(16) }),
      response: { 200: Progress },
    },
  }, async (req) => publicProgress(req.ctx, req.query.caseNo, req.query.queryCode));

  app.post('/uploads', {
    schema: {
      tags: ['cases'],
      summary: `上传申请材料（multipart，字段名 file；PDF/JPEG/PNG/OFD，按内容识别类型，最大 ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB）`,
      consumes: ['multipart/form-data'],
      response: { 201: z.object({ id: z.string(), filename: z.string(), mediaType: z.string(), size: z.number(), sha256: z.string(), createdAt: z.string() }) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw new AppError('VALIDATION_FAILED', '请以 multipart/form-data 上传，文件字段名为 file');
    const file = await req.file({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
    if (!file) throw AppError.validation([{ path: 'file', message: '没有收到文件' }]);
    return reply.status(201).send(await saveUpload(req.ctx, { filename: file.filename, stream: file.file }));
  });

  app.get('/uploads/:id', {
    schema: { tags: ['cases'], summary: '下载申请材料（上传者本人，或可查看引用它的办件的工作人员）', params: z.strictObject({ id: z.uuid() }) },
  }, async (req, reply) => {
    const canSee = async (caseNo: string) => {
      try {
        await getCase(req.ctx, caseNo); // authorises, and records the staff access
        return true;
      } catch {
        return false;
      }
    };
    const f = await openUpload(req.ctx, req.params.id, canSee);
    reply.header('content-type', f.mediaType);
    reply.header('content-length', String(f.size));
    reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    reply.header('x-content-sha256', f.sha256);
    reply.header('cache-control', 'private, no-store');
    return reply.send(f.stream);
  });

  app.post('/life-events/:code/applications', {
    schema: {
      tags: ['cases'],
      summary: '一件事一次办：一张表、一次提交，生成关联的多个办件',
      params: z.strictObject({ code: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/) }),
      headers: IdempotencyHeaders,
      body: z.strictObject({
        regionCode: RegionCode,
        form: z.record(z.string(), z.unknown()),
        materials: z.record(z.string(), z.array(z.strictObject({ materialId: z.string().max(32), uploadId: z.uuid() })).max(100)).default({}),
        applicant: WalkInApplicant.optional(),
      }),
      response: { 201: LifeEventApplication },
    },
  }, async (req, reply) => {
    const key = checkKey(req.headers['idempotency-key']);
    const r = await idempotent(req.ctx, scopeOf(req.ctx, `life-event:${req.params.code}`), key, req.body, async (tx) => ({ status: 201, body: await applyLifeEvent(tx, req.params.code, req.body) }));
    return reply.status(201).send(r.body);
  });

  app.get('/life-events/applications/:id', {
    schema: { tags: ['cases'], summary: '一件事申请的总体状态与各办件', params: z.strictObject({ id: z.uuid() }), response: { 200: LifeEventApplication } },
  }, async (req) => getLifeEventApplication(req.ctx, req.params.id));

  app.get('/efficiency/alerts', {
    schema: {
      tags: ['efficiency'],
      summary: '效能监察：黄牌（剩余不足1个工作日）、红牌（超期）、多次转办、受理环节滞留',
      querystring: z.strictObject({ region: RegionCode }),
      response: {
        200: z.object({
          alerts: z.array(Alert),
        }),
      },
    },
  }, async (req) => ({ alerts: await alerts(req.ctx, req.query.region) }));

  app.get('/efficiency/departments', {
    schema: {
      tags: ['efficiency'],
      summary: '各部门按时办结率、平均办理工作日、转办次数',
      querystring: z.strictObject({ region: RegionCode }),
      response: {
        200: z.object({
          departments: z.array(DepartmentFigures),
        }),
      },
    },
  }, async (req) => ({ departments: await departmentFigures(req.ctx, req.query.region) }));

  app.post('/efficiency/escalations', {
    schema: { tags: ['efficiency'], summary: '督办：效能监察员对办件提级督办', body: z.strictObject({ caseNo: z.string().regex(/^\d{14,30}$/), note: text(1000) }), response: { 204: z.null() } },
  }, async (req, reply) => {
    await escalate(req.ctx, req.body.caseNo, req.body.note);
    return reply.status(204).send(null);
  });
};
