import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateDepartment,
  Department,
  DepartmentListQuery,
  Region,
  RegionDetail,
  RegionListQuery,
  RegionParams,
} from '../../../shared/contracts/regions.js';
import * as service from './regions.service.js';

export const regionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/regions', {
    schema: {
      tags: ['regions'],
      summary: '行政区划：列出下级（不带 parent 时为省级）',
      querystring: RegionListQuery,
      response: { 200: z.object({ regions: z.array(Region) }) },
    },
  }, async (req) => ({ regions: await service.listRegions(req.ctx, req.query.parent) }));

  app.get('/regions/:code', {
    schema: { tags: ['regions'], summary: '行政区划：单个区划及其上级路径', params: RegionParams, response: { 200: RegionDetail } },
  }, async (req) => service.getRegion(req.ctx, req.params.code));

  app.get('/departments', {
    schema: {
      tags: ['regions'],
      summary: '部门：某区划的部门',
      querystring: DepartmentListQuery,
      response: { 200: z.object({ departments: z.array(Department) }) },
    },
  }, async (req) => ({ departments: await service.listDepartments(req.ctx, req.query.region) }));

  app.post('/departments', {
    schema: { tags: ['regions'], summary: '部门：设立（系统管理员）', body: CreateDepartment, response: { 201: Department } },
  }, async (req, reply) => reply.status(201).send(await service.createDepartment(req.ctx, req.body)));
};
