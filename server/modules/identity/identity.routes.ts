import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiClient,
  CreateApiClient,
  CreateStaff,
  LoginRequest,
  RegisterRequest,
  User,
  UserResponse,
} from '../../../shared/contracts/identity.js';
import { Uuid } from '../../../shared/contracts/common.js';
import { SESSION_COOKIE } from './identity.tokens.js';
import * as service from './identity.service.js';

export const identityRoutes: FastifyPluginAsyncZod = async (app) => {
  const authLimit = { rateLimit: { max: app.runtime.config.authRateLimit, timeWindow: '1 minute' } };

  app.post('/auth/register', {
    config: authLimit,
    schema: {
      tags: ['identity'],
      summary: '注册：自然人（公民身份号码 GB 11643）或法人（统一社会信用代码 GB 32100）',
      body: RegisterRequest,
      response: { 201: UserResponse },
    },
  }, async (req, reply) => reply.status(201).send({ user: await service.register(req.ctx, req.body) }));

  app.post('/auth/login', {
    config: authLimit,
    schema: { tags: ['identity'], summary: '登录：成功后设置 HttpOnly 会话 Cookie', body: LoginRequest, response: { 200: UserResponse } },
  }, async (req, reply) => {
    const r = await service.login(req.ctx, req.body, req.cookies[SESSION_COOKIE]);
    reply.setCookie(SESSION_COOKIE, r.sessionToken, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: app.runtime.config.secureCookies,
      expires: r.expiresAt,
    });
    return { user: r.user };
  });

  app.post('/auth/logout', {
    schema: { tags: ['identity'], summary: '退出登录', response: { 204: z.null() } },
  }, async (req, reply) => {
    await service.logout(req.ctx, req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/me', {
    schema: { tags: ['identity'], summary: '当前登录用户', response: { 200: UserResponse } },
  }, async (req) => ({ user: await service.me(req.ctx) }));

  app.post('/staff', {
    schema: { tags: ['identity'], summary: '创建工作人员账户（系统管理员或本部门负责人）', body: CreateStaff, response: { 201: UserResponse } },
  }, async (req, reply) => reply.status(201).send({ user: await service.createStaff(req.ctx, req.body) }));

  app.get('/departments/:id/staff', {
    schema: {
      tags: ['identity'],
      summary: '部门工作人员（本部门负责人或系统管理员）',
      params: z.strictObject({ id: Uuid }),
      response: { 200: z.object({ staff: z.array(User) }) },
    },
  }, async (req) => ({ staff: await service.listStaff(req.ctx, req.params.id) }));

  app.post('/api-clients', {
    schema: {
      tags: ['identity'],
      summary: '为部门系统签发接口客户端；令牌只显示这一次',
      body: CreateApiClient,
      response: { 201: z.object({ client: ApiClient, token: z.string() }) },
    },
  }, async (req, reply) => reply.status(201).send(await service.createApiClient(req.ctx, req.body)));

  app.get('/api-clients', {
    schema: {
      tags: ['identity'],
      summary: '部门的接口客户端',
      querystring: z.strictObject({ department: Uuid }),
      response: { 200: z.object({ clients: z.array(ApiClient) }) },
    },
  }, async (req) => ({ clients: await service.listApiClients(req.ctx, req.query.department) }));
};
