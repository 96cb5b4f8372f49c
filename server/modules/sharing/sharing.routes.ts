import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccessRecord,
  AnswerObjection,
  ClientKey,
  ClientParams,
  DataResource,
  ExchangeHeaders,
  ExchangeParams,
  ExchangeQuery,
  ExchangeResponse,
  GrantDecision,
  GrantListQuery,
  IdParams,
  Objection,
  ProviderAccessRecord,
  RaiseObjection,
  RegisterClientKey,
  RequestGrant,
  SharedRead,
  SharingGrant,
  WithdrawGrant,
} from '../../../shared/contracts/sharing.js';
import { Uuid } from '../../../shared/contracts/common.js';
import * as service from './sharing.service.js';

export const sharingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/data/catalogue', {
    schema: { tags: ['sharing'], summary: '政务信息资源目录（工作人员与部门系统）', response: { 200: z.object({ resources: z.array(DataResource) }) } },
  }, async (req) => ({ resources: await service.listCatalogue(req.ctx) }));

  app.get('/data/catalogue/:code', {
    schema: { tags: ['sharing'], summary: '数据资源详情', params: z.strictObject({ code: z.string().max(100) }), response: { 200: DataResource } },
  }, async (req) => service.getResource(req.ctx, req.params.code));

  app.post('/data/grants', {
    schema: { tags: ['sharing'], summary: '共享申请：无条件共享即时授权，有条件共享由提供部门 10 个工作日内审核，不予共享即拒绝', body: RequestGrant, response: { 201: SharingGrant } },
  }, async (req, reply) => reply.status(201).send(await service.requestGrant(req.ctx, req.body)));

  app.get('/data/grants', {
    schema: { tags: ['sharing'], summary: '本部门申请或提供的共享（效能监察人员可见全部）；overdue=true 为逾期未审核', querystring: GrantListQuery, response: { 200: z.object({ grants: z.array(SharingGrant) }) } },
  }, async (req) => ({
    grants: await service.listGrants(req.ctx, {
      status: req.query.status,
      overdue: req.query.overdue === undefined ? undefined : req.query.overdue === 'true',
      resource: req.query.resource,
    }),
  }));

  app.post('/data/grants/:id/decision', {
    schema: { tags: ['sharing'], summary: '审核共享申请（提供部门的数据专员；不予共享须说明理由）', params: IdParams, body: GrantDecision, response: { 200: SharingGrant } },
  }, async (req) => service.decideGrant(req.ctx, { id: req.params.id, ...req.body }));

  app.post('/data/grants/:id/withdraw', {
    schema: { tags: ['sharing'], summary: '撤回共享授权（提供部门的数据专员）', params: IdParams, body: WithdrawGrant, response: { 200: SharingGrant } },
  }, async (req) => service.withdrawGrant(req.ctx, { id: req.params.id, reason: req.body.reason }));

  app.post('/exchange/clients/:clientId/keys', {
    schema: { tags: ['sharing'], summary: '登记部门系统的请求签名公钥（Ed25519；部门负责人或系统管理员）', params: ClientParams, body: RegisterClientKey, response: { 201: ClientKey } },
  }, async (req, reply) => reply.status(201).send(await service.registerClientKey(req.ctx, { clientId: req.params.clientId, ...req.body })));

  app.get('/exchange/clients/:clientId/keys', {
    schema: {
      tags: ['sharing'],
      summary: '部门系统登记的请求签名公钥',
      params: ClientParams,
      querystring: z.strictObject({ department: Uuid }),
      response: { 200: z.object({ keys: z.array(ClientKey) }) },
    },
  }, async (req) => ({ keys: await service.listClientKeys(req.ctx, { clientId: req.params.clientId, departmentId: req.query.department }) }));

  app.delete('/exchange/clients/:clientId/keys/:keyId', {
    schema: {
      tags: ['sharing'],
      summary: '吊销部门系统的请求签名公钥（立即生效）',
      params: z.strictObject({ clientId: Uuid, keyId: z.string().regex(/^client-[0-9a-f]{16}$/, { message: '密钥标识形如 client-0123456789abcdef' }) }),
      querystring: z.strictObject({ department: Uuid }),
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await service.revokeClientKey(req.ctx, { clientId: req.params.clientId, keyId: req.params.keyId, departmentId: req.query.department });
    return reply.status(204).send(null);
  });

  app.get('/exchange/:resourceCode', {
    schema: {
      tags: ['sharing'],
      summary: '数据交换：部门系统以接口令牌和签名请求读取已授权字段（见 sharing.protocol.ts 的请求头）',
      params: ExchangeParams,
      querystring: ExchangeQuery,
      headers: ExchangeHeaders,
      response: { 200: ExchangeResponse },
    },
  }, async (req) => service.exchangeRead(req.ctx, { resourceCode: req.params.resourceCode, subject: req.query.subject, headers: req.headers }));

  app.get('/me/data/:resourceCode', {
    schema: {
      tags: ['sharing'],
      summary: '政府已掌握的本人数据：来源与更新时间（免提交前预览）',
      params: ExchangeParams,
      querystring: z.strictObject({ fields: z.string().max(1000).optional() }),
      response: { 200: SharedRead },
    },
  }, async (req) => service.readOwnRecord(req.ctx, { resourceCode: req.params.resourceCode, fields: req.query.fields?.split(',').map((f) => f.trim()).filter(Boolean) }));

  app.get('/me/access-records', {
    schema: { tags: ['sharing'], summary: '谁查看了我的数据：本人（或本企业）的全部数据访问记录', response: { 200: z.object({ records: z.array(AccessRecord) }) } },
  }, async (req) => ({ records: await service.listMyAccessRecords(req.ctx) }));

  app.post('/me/access-records/:id/objections', {
    schema: {
      tags: ['sharing'],
      summary: '对一条数据访问记录提出异议（转提供部门的数据专员）',
      params: IdParams,
      body: RaiseObjection,
      response: { 201: z.object({ id: z.string(), status: z.literal('open'), raisedAt: z.string(), providerDepartmentId: z.string() }) },
    },
  }, async (req, reply) => reply.status(201).send(await service.raiseObjection(req.ctx, { id: req.params.id, reason: req.body.reason })));

  app.get('/data/access-records', {
    schema: {
      tags: ['sharing'],
      summary: '本部门数据的使用记录：谁、为何、凭哪项授权读取了哪些字段（数据专员或部门负责人；主体脱敏）',
      querystring: z.strictObject({ resource: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }),
      response: { 200: z.object({ records: z.array(ProviderAccessRecord) }) },
    },
  }, async (req) => ({ records: await service.listProviderAccessRecords(req.ctx, req.query) }));

  app.get('/data/objections', {
    schema: { tags: ['sharing'], summary: '本部门数据的访问异议（数据专员或部门负责人）', response: { 200: z.object({ objections: z.array(Objection) }) } },
  }, async (req) => ({ objections: await service.listObjections(req.ctx) }));

  app.post('/data/objections/:id/answer', {
    schema: { tags: ['sharing'], summary: '答复数据访问异议', params: IdParams, body: AnswerObjection, response: { 204: z.null() } },
  }, async (req, reply) => {
    await service.answerObjection(req.ctx, { id: req.params.id, answer: req.body.answer });
    return reply.status(204).send(null);
  });
};
