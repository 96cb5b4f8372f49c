import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateDelegation,
  CreateItemLink,
  CreatePilot,
  Delegation,
  DelegationDetail,
  DelegationListQuery,
  DelegationParams,
  FaultToleranceRecord,
  FloatingList,
  FloatingQuery,
  Heatmap,
  ItemLink,
  ItemLinkQuery,
  Pilot,
  PilotParams,
  PilotQuery,
  RecordFaultTolerance,
  TakeOverParams,
  TakeOverTask,
} from '../../../shared/contracts/delegation.js';
import { confirmTakeOver, createDelegation, createItemLink, getDelegation, listDelegations, listItemLinks } from './delegation.service.js';
import { floatingHeatmap, listFloating } from './delegation.floating.js';
import { createPilot, listPilots, recordFaultTolerance } from './delegation.pilots.js';

const tags = ['delegation'];

export const delegationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/delegations', {
    schema: {
      tags,
      summary: '权力下放：登记下放或取消文件（文号、事项或权力、方式、承接地区、生效日期）；每个承接单位生成承接任务（15日内交接，其后5个工作日内更新实施清单）',
      body: CreateDelegation,
      response: { 201: DelegationDetail },
    },
  }, async (req, reply) => reply.status(201).send(await createDelegation(req.ctx, req.body)));

  app.get('/delegations', {
    schema: { tags, summary: '权力下放文件列表（本区划发出或承接的；工作人员）', querystring: DelegationListQuery, response: { 200: z.object({ delegations: z.array(Delegation), total: z.number().int() }) } },
  }, async (req) => listDelegations(req.ctx, req.query));

  app.get('/delegations/floating', {
    schema: { tags, summary: '权力悬浮：逾期未交接或未承接、承接后无现行实施清单、关联事项下放层级不一致、取消事项未纳入监管', querystring: FloatingQuery, response: { 200: FloatingList } },
  }, async (req) => listFloating(req.ctx, req.query.region));

  app.get('/delegations/floating/heatmap', {
    schema: { tags, summary: '权力悬浮热力图：按地区与层级统计', querystring: FloatingQuery, response: { 200: Heatmap } },
  }, async (req) => floatingHeatmap(req.ctx, req.query.region));

  app.get('/delegations/:id', {
    schema: { tags, summary: '权力下放文件：承接任务与取消事项的监管情况', params: DelegationParams, response: { 200: DelegationDetail } },
  }, async (req) => getDelegation(req.ctx, req.params.id));

  app.post('/delegations/:id/takeovers/:taskId/confirm', {
    schema: { tags, summary: '确认承接（承接地区的部门负责人或目录管理员）：须已发布实施清单且实施部门有工作人员', params: TakeOverParams, response: { 200: TakeOverTask } },
  }, async (req) => confirmTakeOver(req.ctx, { delegationId: req.params.id, taskId: req.params.taskId }));

  app.post('/item-links', {
    schema: { tags, summary: '事项关联：登记前置事项（须同步下放；省级目录管理员）', body: CreateItemLink, response: { 201: ItemLink } },
  }, async (req, reply) => reply.status(201).send(await createItemLink(req.ctx, req.body)));

  app.get('/item-links', {
    schema: { tags, summary: '事项关联列表', querystring: ItemLinkQuery, response: { 200: z.object({ links: z.array(ItemLink) }) } },
  }, async (req) => ({ links: await listItemLinks(req.ctx, req.query.itemCode) }));

  app.post('/pilots', {
    schema: { tags, summary: '先行先试：登记经批准的试点（范围、依据、期限）', body: CreatePilot, response: { 201: Pilot } },
  }, async (req, reply) => reply.status(201).send(await createPilot(req.ctx, req.body)));

  app.get('/pilots', {
    schema: { tags, summary: '先行先试列表（本区划及以下；含容错认定记录）', querystring: PilotQuery, response: { 200: z.object({ pilots: z.array(Pilot) }) } },
  }, async (req) => ({ pilots: await listPilots(req.ctx, req.query.region) }));

  app.post('/pilots/:id/fault-tolerance', {
    schema: { tags, summary: '容错认定：依法依规、未谋私利、非主观故意、及时纠错四项均满足方予容错', params: PilotParams, body: RecordFaultTolerance, response: { 201: FaultToleranceRecord } },
  }, async (req, reply) => reply.status(201).send(await recordFaultTolerance(req.ctx, { pilotId: req.params.id, ...req.body })));
};
