/**
 * Electronic certificates (电子证照): issuing, verification, the holder's wallet, share links.
 * GB/T 36901–36905-2018; 国务院令第716号 (e-licences have the force of paper).
 */
import { z } from 'zod';
import { CreditCode, IdNumber, text, Uuid } from './common.js';

export const Algorithm = z.enum(['ed25519', 'sm2']);


/** Who holds the certificate: a Person by ID number (GB 11643) or a business by credit code (GB 32100). */
export const HolderInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('person'), idNumber: IdNumber, name: text(50) }),
  z.strictObject({ kind: z.literal('business'), creditCode: CreditCode, name: text(100) }),
]);
export type HolderInput = z.infer<typeof HolderInput>;

export const CertificateTypeCode = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, { message: '证照类型代码应为小写字母、数字或下划线' });

/** A certificate's own fields (经营项目, 经营场所 …): flat values, at most 100. */
export const CertificateFields = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { message: '字段名应为字母开头的字母、数字或下划线' }),
    z.union([text(2000), z.number().finite(), z.boolean(), z.null()]),
  )
  .refine((f) => Object.keys(f).length <= 100, { message: '最多 100 个字段' });

export const CertNo = z.string().trim().toUpperCase().regex(/^[A-Z]{2,6}-\d{6}-\d{4}-\d{7}[0-9A-Z]$/, { message: '证照编号格式应如 SPJY-130102-2026-0000042K' });
export const CertNoParams = z.strictObject({ certNo: CertNo });

const Instant = z.iso.datetime({ offset: true, message: '应为 ISO 8601 时间（如 2027-12-31T00:00:00+08:00）' });

export const PublishedKey = z.object({
  keyId: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  regionCode: z.string(),
  algorithm: Algorithm,
  /** Ed25519: SPKI PEM; SM2: uncompressed point hex 04‖x‖y (signer ID 1234567812345678 unless stated). */
  publicKey: z.string(),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  retiredAt: z.string().nullable(),
});
export const PublishedKeys = z.object({ keys: z.array(PublishedKey), sm2UserId: z.string() });

export const RotateKey = z.strictObject({ departmentId: Uuid });
export const RotatedKey = z.object({ retired: z.array(z.string()), current: PublishedKey });

const Holder = z.object({
  kind: z.enum(['person', 'business']),
  idNumber: z.string().optional(),
  creditCode: z.string().optional(),
  name: z.string(),
});

/** What is signed (canonical JSON of this object). */
export const CertificatePayload = z.object({
  certNo: z.string(),
  type: z.string(),
  typeName: z.string(),
  holder: Holder,
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  issuer: z.object({ departmentId: z.string(), name: z.string(), regionCode: z.string(), keyId: z.string() }),
  issuedAt: z.string(),
  validUntil: z.string().nullable(),
  caseNo: z.string().optional(),
  originalNo: z.string().optional(),
});

/** The document a holder keeps and shows: verifiable offline with the published keys. */
export const CertificateDocument = z.object({
  certificate: CertificatePayload,
  signature: z.string(),
  keyId: z.string(),
  algorithm: Algorithm,
});

/** POST /certificates/verify: any document; a malformed one is answered `valid: false`, reason `malformed`. */
export const VerifyDocumentRequest = z.object({
  certificate: z.record(z.string(), z.unknown()),
  signature: z.string().max(200),
  keyId: z.string().max(200),
  algorithm: z.string().max(20),
});

export const VerifyReason = z.enum([
  'malformed',
  'unknown_key',
  'algorithm_mismatch',
  'key_id_mismatch',
  'issuer_mismatch',
  'signature_mismatch',
  'key_not_valid_at_issue',
  'revoked',
  'expired',
  'not_registered',
]);

export const MaskedHolder = z.object({ kind: z.enum(['person', 'business']), name: z.string(), idMasked: z.string() });

export const VerificationResult = z.object({
  valid: z.boolean(),
  status: z.enum(['valid', 'revoked', 'expired', 'invalid']),
  reason: VerifyReason.nullable(),
  message: z.string(),
  certNo: z.string().nullable(),
  type: z.string().nullable(),
  typeName: z.string().nullable(),
  issuer: z.object({ departmentId: z.string(), name: z.string(), keyId: z.string() }).nullable(),
  holder: MaskedHolder.nullable(),
  issuedAt: z.string().nullable(),
  validUntil: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type VerificationResult = z.infer<typeof VerificationResult>;

export const WalletCertificate = z.object({
  certNo: z.string(),
  type: z.string(),
  typeName: z.string(),
  status: z.enum(['valid', 'revoked', 'expired']),
  issuer: z.object({ departmentId: z.string(), name: z.string() }),
  issuedAt: z.string(),
  validUntil: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revocationReason: z.string().nullable(),
  /** Keep it: `npx tongban cert verify` checks it offline. */
  document: CertificateDocument,
});
export type WalletCertificate = z.infer<typeof WalletCertificate>;

export const IssuedCertificate = z.object({ certNo: z.string(), document: CertificateDocument });

export const RevokeCertificate = z.strictObject({ reason: text(500) });

export const CreateShare = z.strictObject({
  /** 亮证 links are short-lived: 1 minute to 24 hours, 30 minutes by default. */
  minutes: z.number().int().min(1, { message: '至少 1 分钟' }).max(1440, { message: '最长 24 小时（1440 分钟）' }).default(30),
});

export const Share = z.object({
  id: z.string(),
  certNo: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  withdrawnAt: z.string().nullable(),
});

export const CreatedShare = Share.extend({
  /** Shown once: the link carries the token; only its hash is kept. */
  token: z.string(),
  url: z.string(),
});

export const ShareParams = z.strictObject({ certNo: CertNo, id: Uuid });
export const SharedTokenParams = z.strictObject({ token: z.string().regex(/^tbs_[A-Za-z0-9_-]{43}$/, { message: '分享链接无效' }) });

export const SharedCertificate = z.object({
  certNo: z.string(),
  type: z.string(),
  typeName: z.string(),
  valid: z.boolean(),
  status: z.enum(['valid', 'revoked', 'expired', 'invalid']),
  issuer: z.object({ departmentId: z.string(), name: z.string() }),
  holder: MaskedHolder,
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  issuedAt: z.string(),
  validUntil: z.string().nullable(),
  shareExpiresAt: z.string(),
});

export const ImportLicence = z.strictObject({
  /** The paper licence's own number, kept on the e-certificate. */
  originalNo: text(64),
  holder: HolderInput,
  fields: CertificateFields.default({}),
  validUntil: Instant.optional(),
});

export const ImportCertificates = z.strictObject({
  type: CertificateTypeCode,
  typeName: text(50).optional(),
  issuerDepartmentId: Uuid,
  licences: z.array(ImportLicence).min(1, { message: '至少一张证照' }).max(500, { message: '一次最多导入 500 张' }),
});
export type ImportCertificates = z.infer<typeof ImportCertificates>;

export const ImportResult = z.object({
  imported: z.array(z.object({ originalNo: z.string(), certNo: z.string() })),
});
