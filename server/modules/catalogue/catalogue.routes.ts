import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CatalogueBatchRequest,
  CatalogueBatchResult,
  DraftImplementation,
  DraftServiceItem,
  Guide,
  GuideQuery,
  Implementation,
  ImplementationVersionParams,
  ItemDetail,
  ItemParams,
  ItemSearchQuery,
  ItemSearchResult,
  ItemVersionParams,
  LifeEvent,
  LifeEventSummary,
  ServiceItem,
  StandardisationQuery,
  StandardisationReport,
  VersionSummary,
} from '../../../shared/contracts/catalogue.js';
import { Uuid } from '../../../shared/contracts/common.js';
import * as service from './catalogue.service.js';
import { searchItems } from './catalogue.search.js';
import { standardisationReport } from './catalogue.report.js';
import { applyCatalogue, type CatalogueBatch } from './catalogue.batch.js';

const tags = ['catalogue'];

export const catalogueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/items', {
    schema: {
      tags,
      summary: '政务服务事项：检索（中文分词、口语同义词、编码与名称精确/前缀优先）；不带 q 时按编码列出全部',
      querystring: ItemSearchQuery,
      response: { 200: ItemSearchResult },
    },
  }, async (req) => searchItems(req.ctx, req.query));

  app.get('/items/:itemCode', {
    schema: { tags, summary: '政务服务事项：现行标准及各地现行实施清单', params: ItemParams, response: { 200: ItemDetail } },
  }, async (req) => service.getItem(req.ctx, req.params.itemCode));

  app.get('/items/:itemCode/guide', {
    schema: {
      tags,
      summary: '办事指南（十公开）：本区划的实施清单，本级未实施时取最近的上级',
      params: ItemParams,
      querystring: GuideQuery,
      response: { 200: Guide },
    },
  }, async (req) => service.getGuide(req.ctx, req.params.itemCode, req.query.region));

  app.get('/items/:itemCode/versions', {
    schema: { tags, summary: '政务服务事项：版本记录（含草稿；工作人员）', params: ItemParams, response: { 200: z.object({ versions: z.array(VersionSummary) }) } },
  }, async (req) => ({ versions: await service.listItemVersions(req.ctx, req.params.itemCode) }));

  app.get('/items/:itemCode/versions/:version', {
    schema: { tags, summary: '政务服务事项：某一版本（草稿仅工作人员可见）', params: ItemVersionParams, response: { 200: ServiceItem } },
  }, async (req) => service.getItemVersion(req.ctx, req.params.itemCode, req.params.version));

  app.post('/items', {
    schema: { tags, summary: '政务服务事项：起草新版本（省级目录管理员）；编码不存在时新建事项', body: DraftServiceItem, response: { 201: ServiceItem } },
  }, async (req, reply) => reply.status(201).send(await service.draftItem(req.ctx, req.body)));

  app.post('/catalogue/batch', {
    schema: {
      tags,
      summary: '目录批量维护：证照类型、检索同义词、权力事项、政务服务事项、实施清单、一件事，全部成功或全部不写（同导入）',
      body: CatalogueBatchRequest,
      response: { 200: CatalogueBatchResult },
    },
  }, async (req) => {
    const { reason, publish, ...rows } = req.body;
    // each row is checked by applyCatalogue against its own schema, and named when it fails
    return applyCatalogue(req.ctx, rows as CatalogueBatch, { reason, publish });
  });

  app.post('/items/:itemCode/versions/:version/publish', {
    schema: { tags, summary: '政务服务事项：发布草稿（原现行版本被取代）', params: ItemVersionParams, response: { 200: ServiceItem } },
  }, async (req) => service.publishItem(req.ctx, { itemCode: req.params.itemCode, version: req.params.version }));

  app.post('/implementations', {
    schema: {
      tags,
      summary: '实施清单：起草新版本（本部门负责人或目录管理员）；六要素取自事项标准，不可修改',
      body: DraftImplementation,
      response: { 201: Implementation },
    },
  }, async (req, reply) => reply.status(201).send(await service.draftImplementation(req.ctx, req.body)));

  app.get('/implementations/:id', {
    schema: { tags, summary: '实施清单：现行版本', params: z.strictObject({ id: Uuid }), response: { 200: Implementation } },
  }, async (req) => service.getImplementation(req.ctx, req.params.id));

  app.get('/implementations/:id/versions', {
    schema: { tags, summary: '实施清单：版本记录（含草稿；工作人员）', params: z.strictObject({ id: Uuid }), response: { 200: z.object({ versions: z.array(VersionSummary) }) } },
  }, async (req) => ({ versions: await service.listImplementationVersions(req.ctx, req.params.id) }));

  app.post('/implementations/:id/versions/:version/publish', {
    schema: { tags, summary: '实施清单：发布草稿', params: ImplementationVersionParams, response: { 200: Implementation } },
  }, async (req) => service.publishImplementation(req.ctx, { id: req.params.id, version: req.params.version }));

  app.get('/implementation-versions/:versionId', {
    schema: { tags, summary: '实施清单：按版本号读取（办件所依据的版本）', params: z.strictObject({ versionId: Uuid }), response: { 200: Implementation } },
  }, async (req) => service.getImplementationVersion(req.ctx, req.params.versionId));

  app.get('/life-events', {
    schema: { tags, summary: '一件事一次办：列表', response: { 200: z.object({ lifeEvents: z.array(LifeEventSummary) }) } },
  }, async (req) => ({ lifeEvents: await service.listLifeEvents(req.ctx) }));

  app.get('/life-events/:code', {
    schema: {
      tags,
      summary: '一件事一次办：所含事项与一表申请的表单',
      params: z.strictObject({ code: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, { message: '一件事编码应为小写字母、数字或下划线' }) }),
      response: { 200: LifeEvent },
    },
  }, async (req) => service.getLifeEvent(req.ctx, req.params.code));

  app.get('/standardisation/report', {
    schema: {
      tags,
      summary: '标准化报告：同一事项在本区划及下级各实施清单的比对（六要素、材料与时限差异、指南完整度）',
      querystring: StandardisationQuery,
      response: { 200: StandardisationReport },
    },
  }, async (req) => standardisationReport(req.ctx, req.query.region));
};
