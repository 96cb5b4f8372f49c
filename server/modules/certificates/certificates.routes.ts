import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CertNoParams,
  CreatedShare,
  CreateShare,
  ImportCertificates,
  ImportResult,
  PublishedKeys,
  RotatedKey,
  RotateKey,
  RevokeCertificate,
  Share,
  SharedCertificate,
  SharedTokenParams,
  ShareParams,
  VerificationResult,
  VerifyDocumentRequest,
  WalletCertificate,
} from '../../../shared/contracts/certificates.js';
import * as service from './certificates.service.js';
import { certificateSettings } from './certificates.settings.js';

/** The origin links are built on when TONGBAN_PUBLIC_URL is not set. */
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export const certificatesRoutes: FastifyPluginAsyncZod = async (app) => {
  // the public lookups are rate limited per IP (see certificates.settings.ts)
  const publicLimit = { rateLimit: { max: certificateSettings().verifyRateLimit, timeWindow: '1 minute' } };

  app.get('/certificates/keys', {
    schema: { tags: ['certificates'], summary: '发证部门公布的签名公钥（离线核验用；公开）', security: [], response: { 200: PublishedKeys } },
  }, async (req) => service.listPublishedKeys(req.ctx));

  app.post('/certificates/keys/rotate', {
    schema: {
      tags: ['certificates'],
      summary: '更换部门签名密钥：旧密钥停用（已签发的证照仍有效），生成新密钥（部门负责人或系统管理员）',
      body: RotateKey,
      response: { 200: RotatedKey },
    },
  }, async (req) => service.rotateDepartmentKey(req.ctx, req.body.departmentId));

  app.post('/certificates/verify', {
    config: publicLimit,
    schema: {
      tags: ['certificates'],
      summary: '核验一份证照文件：签名、发证部门密钥、注销状态、有效期（公开）',
      security: [],
      body: VerifyDocumentRequest,
      response: { 200: VerificationResult },
    },
  }, async (req) => service.verifyPresentedDocument(req.ctx, req.body));

  app.get('/certificates/shared/:token', {
    config: publicLimit,
    schema: { tags: ['certificates'], summary: '亮证链接：查看持证人分享的证照（公开，持证人信息脱敏）', security: [], params: SharedTokenParams, response: { 200: SharedCertificate } },
  }, async (req) => service.viewShared(req.ctx, req.params.token));

  app.get('/certificates/:certNo/verify', {
    config: publicLimit,
    schema: { tags: ['certificates'], summary: '按证照编号核验（公开，持证人信息脱敏）', security: [], params: CertNoParams, response: { 200: VerificationResult } },
  }, async (req) => service.verifyCertificate(req.ctx, req.params.certNo));

  app.post('/certificates/:certNo/revoke', {
    schema: { tags: ['certificates'], summary: '注销证照（发证部门的审核人员或负责人）', params: CertNoParams, body: RevokeCertificate, response: { 200: VerificationResult } },
  }, async (req) => service.revokeCertificate(req.ctx, { certNo: req.params.certNo, reason: req.body.reason }));

  app.get('/certificates/:certNo/pdf', {
    schema: { tags: ['certificates'], summary: '证照打印件（PDF，含核验二维码；持证人或发证部门）', params: CertNoParams },
  }, async (req, reply) => {
    const pdf = await service.certificatePdf(req.ctx, { certNo: req.params.certNo, origin: originOf(req) });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${req.params.certNo}.pdf"`).send(pdf);
  });

  app.post('/certificates/import', {
    schema: { tags: ['certificates'], summary: '存量纸质证照电子化：发证部门导入并签发电子证照', body: ImportCertificates, response: { 201: ImportResult } },
  }, async (req, reply) => reply.status(201).send(await service.importCertificates(req.ctx, req.body)));

  app.get('/me/certificates', {
    schema: { tags: ['certificates'], summary: '我的证照夹：每张证照及其签名文件', response: { 200: z.object({ certificates: z.array(WalletCertificate) }) } },
  }, async (req) => ({ certificates: await service.listWallet(req.ctx) }));

  app.post('/me/certificates/:certNo/shares', {
    schema: { tags: ['certificates'], summary: '亮证：生成限时分享链接（令牌只显示这一次）', params: CertNoParams, body: CreateShare, response: { 201: CreatedShare } },
  }, async (req, reply) => reply.status(201).send(await service.createShare(req.ctx, { certNo: req.params.certNo, minutes: req.body.minutes, origin: originOf(req) })));

  app.get('/me/certificates/:certNo/shares', {
    schema: { tags: ['certificates'], summary: '我的证照分享记录', params: CertNoParams, response: { 200: z.object({ shares: z.array(Share) }) } },
  }, async (req) => ({ shares: await service.listShares(req.ctx, req.params.certNo) }));

  app.delete('/me/certificates/:certNo/shares/:id', {
    schema: { tags: ['certificates'], summary: '撤回分享链接', params: ShareParams, response: { 204: z.null() } },
  }, async (req, reply) => {
    await service.withdrawShare(req.ctx, { certNo: req.params.certNo, id: req.params.id });
    return reply.status(204).send(null);
  });
};
