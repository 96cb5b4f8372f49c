/**
 * The Fastify application: plugins, the one error handler, the auth hook that puts a Ctx on
 * every request, and route registration. No business logic lives here.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { makeCtx, type Ctx, type Runtime } from '../core/ctx.js';
import { toAppError } from './errors.js';
import { unstorableText } from './storable-text.js';
import { redact } from '../core/redact.js';
import { authenticate, identityRoutes, SESSION_COOKIE } from '../modules/identity/index.js';
import { regionsRoutes } from '../modules/regions/index.js';
import { auditRoutes } from '../modules/audit/index.js';
import { catalogueRoutes } from '../modules/catalogue/index.js';
import { calendarRoutes } from '../modules/calendar/index.js';
import { certificatesRoutes } from '../modules/certificates/index.js';
import { sharingRoutes } from '../modules/sharing/index.js';
import { casesRoutes } from '../modules/cases/index.js';
import { notificationsRoutes } from '../modules/notifications/index.js';
import { delegationRoutes } from '../modules/delegation/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx;
  }
  interface FastifyInstance {
    runtime: Runtime;
  }
}

export const API_PREFIX = '/api/v1';

export async function buildApp(runtime: Runtime): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: runtime.config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization'],
      // query strings may carry an ID number (the exchange's ?subject=): mask them in the log (个人信息保护法)
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redact(req.url) as string, remoteAddress: req.ip }),
      },
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TONGBAN_TRUST_PROXY === '1',
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('runtime', runtime);
  // JSON only (and multipart for uploads): a cross-site <form> can send text/plain without a
  // preflight, so refusing it closes that CSRF path by construction (ADR 0002)
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err, req, reply) => {
    const e = toAppError(err);
    if (e.status >= 500) req.log.error({ err }, 'request failed');
    reply.header('x-request-id', req.id);
    return reply.status(e.status).send({
      error: {
        code: e.code,
        message: e.status >= 500 && e.code === 'INTERNAL' ? '系统繁忙，请稍后再试' : e.message,
        ...(e.status < 500 && e.details !== undefined ? { details: e.details } : {}),
        requestId: req.id,
      },
    });
  });

  // the security headers are the same for every response (no CSP nonces): computed once here
  // rather than by running helmet's middlewares on each request
  const securityHeaders = await staticHeaders(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // antd's CSS-in-JS writes <style> elements at run time
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // only behind TLS: on plain http (a LAN install, localhost) it would break every asset
          upgradeInsecureRequests: runtime.config.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: runtime.config.secureCookies,
    }),
  );
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(cookie);
  // limits per route: uploads set their own 20 MiB (413 beyond)
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError('RATE_LIMITED', `请求过于频繁，请在 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tongban 通办 API',
        version: runtime.config.version,
        description: '放管服 平台接口：事项、办件、电子证照、数据共享。错误统一为 {"error":{code,message,details,requestId}}。',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiClient: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiClient: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    if (auth && !bearer) throw new AppError('UNAUTHENTICATED', 'Authorization 头应为 "Bearer <令牌>"');
    const actor = req.url.startsWith(API_PREFIX)
      ? await authenticate(runtime, { sessionToken: req.cookies?.[SESSION_COOKIE], bearer })
      : ({ kind: 'anonymous' } as const);
    req.ctx = makeCtx(runtime, actor, req.id);
  });

  // text PostgreSQL cannot store, refused at the edge with the fields named (a 500 otherwise);
  // after the schemas, which list every field they type, for what they leave free (a form)
  app.addHook('preHandler', async (req) => {
    const issues = [...unstorableText(req.body, ''), ...unstorableText(req.query, 'querystring'), ...unstorableText(req.params, 'params')];
    if (issues.length) throw AppError.validation(issues, `输入含有无法保存的字符，请删除后重新提交：${issues.map((i) => i.path).join('、')}`);
  });

  app.get('/healthz', {
    schema: {
      tags: ['system'],
      summary: '健康检查',
      response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']), version: z.string() }) },
    },
  }, async () => {
    await runtime.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    return { status: 'ok' as const, database: runtime.engine, version: runtime.config.version };
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => {
    await api.register(identityRoutes);
    await api.register(regionsRoutes);
    await api.register(auditRoutes);
    await api.register(catalogueRoutes);
    await api.register(calendarRoutes);
    await api.register(certificatesRoutes);
    await api.register(sharingRoutes);
    await api.register(casesRoutes);
    await api.register(notificationsRoutes);
    await api.register(delegationRoutes);
  }, { prefix: API_PREFIX });

  const web = runtime.config.webDist;
  const hasWeb = existsSync(path.join(web, 'index.html'));
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart
  if (hasWeb) await app.register(fastifyStatic, { root: web, wildcard: true, index: ['index.html'] });

  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0]!)) {
      return reply.type('text/html').sendFile('index.html'); // the web app's own routes
    }
    throw new AppError('NOT_FOUND', `没有这个接口：${req.method} ${req.url.split('?')[0]}`);
  });

  return app;
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** The headers a constant middleware sets, captured once. */
function staticHeaders(middleware: Middleware): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  return new Promise((resolve, reject) => middleware({ headers: {} } as IncomingMessage, res, (err) => (err ? reject(err) : resolve(headers))));
}
