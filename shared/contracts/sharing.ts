/**
 * Data sharing between departments: the data catalogue (政务信息资源目录), sharing grants (共享申请),
 * the signed exchange, access records (数据访问记录) and objections. 国发〔2016〕51号; 国务院令第809号.
 */
import { z } from 'zod';
import { text, Uuid } from './common.js';

export const SharingType = z.enum(['open', 'conditional', 'closed']);
export const SubjectKind = z.enum(['person', 'business']);
export const DataResourceCode = z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/, { message: '数据资源应写作 部门.资源（如 public_security.household）' });
export const FieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { message: '字段名应为字母开头的字母、数字或下划线' });

export const DataField = z.object({ name: z.string(), label: z.string(), personal: z.boolean() });

export const DataResource = z.object({
  code: z.string(),
  name: z.string(),
  summary: z.string(),
  provider: z.object({ departmentId: z.string(), name: z.string(), kind: z.string(), regionCode: z.string() }),
  subjectKind: SubjectKind,
  fields: z.array(DataField),
  sharingType: SharingType,
  conditions: z.string().nullable(),
  legalBasis: z.string().nullable(),
  updateCycle: z.string(),
  publishedAt: z.string(),
  reviewedAt: z.string(),
});
export type DataResource = z.infer<typeof DataResource>;

export const GrantStatus = z.enum(['pending', 'granted', 'refused', 'withdrawn', 'expired']);

export const SharingGrant = z.object({
  id: z.string(),
  resource: z.object({ code: z.string(), name: z.string(), sharingType: SharingType }),
  provider: z.object({ departmentId: z.string(), name: z.string() }),
  requester: z.object({ departmentId: z.string(), name: z.string() }),
  fields: z.array(z.string()),
  purpose: z.string(),
  legalBasis: z.string().nullable(),
  status: GrantStatus,
  requestedAt: z.string(),
  /** Conditional requests: the provider answers by this date (10 working days). */
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  validUntil: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawalReason: z.string().nullable(),
});
export type SharingGrant = z.infer<typeof SharingGrant>;

export const RequestGrant = z.strictObject({
  resource: DataResourceCode,
  fields: z.array(FieldName).min(1, { message: '至少申请一个字段' }).max(100),
  purpose: text(200),
  /** Required for a conditional resource: the law or policy the requester relies on. */
  legalBasis: text(500).optional(),
  validUntil: z.iso.datetime({ offset: true, message: '应为 ISO 8601 时间' }).optional(),
});
export type RequestGrant = z.infer<typeof RequestGrant>;

export const GrantDecision = z.strictObject({
  decision: z.enum(['approve', 'refuse']),
  reason: text(500).optional(),
  validUntil: z.iso.datetime({ offset: true, message: '应为 ISO 8601 时间' }).optional(),
});

export const WithdrawGrant = z.strictObject({ reason: text(500) });

export const GrantListQuery = z.strictObject({
  status: GrantStatus.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  resource: DataResourceCode.optional(),
});

export const IdParams = z.strictObject({ id: Uuid });

export const RegisterClientKey = z.strictObject({
  /** The API client's department (its head, or a system administrator over it, registers the key). */
  departmentId: Uuid,
  /** Ed25519 public key, SPKI PEM. */
  publicKey: z.string().trim().min(40).max(2000),
});
export const ClientKey = z.object({ keyId: z.string(), clientId: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() });
export const ClientParams = z.strictObject({ clientId: Uuid });

export const ExchangeParams = z.strictObject({ resourceCode: DataResourceCode });
export const ExchangeQuery = z.strictObject({ subject: z.string().trim().min(1).max(32) });

/**
 * The signed request's headers (server/modules/sharing/sharing.protocol.ts), declared for the
 * OpenAPI document; each is checked by the service, which names what is missing.
 */
export const ExchangeHeaders = z.looseObject({
  'x-tongban-client': z.string().optional().describe('API client id (the bearer token’s)'),
  'x-tongban-timestamp': z.string().optional().describe('ISO 8601, within ±5 minutes'),
  'x-tongban-nonce': z.string().optional().describe('16–64 of [A-Za-z0-9_-], never reused'),
  'x-tongban-purpose': z.string().optional().describe('the grant’s purpose, percent-encoded UTF-8'),
  'x-tongban-fields': z.string().optional().describe('comma-separated field names'),
  'x-tongban-case': z.string().optional().describe('case number; required when the subject is a person'),
  'x-tongban-signature': z.string().optional().describe('base64 Ed25519 signature of the canonical request, or of the batch root'),
  'x-tongban-signature-chain': z
    .string()
    .optional()
    .describe('batch-signed requests only: the siblings from the request’s leaf to the signed root, r:{hex} or l:{hex}, comma-separated'),
});

/** The signed response body: `data` is what the provider's key signs (canonical JSON). */
export const ExchangeResponse = z.object({
  data: z.object({
    resource: z.string(),
    subject: z.string(),
    fields: z.record(z.string(), z.unknown()),
    asOf: z.string(),
    grant: z.string(),
    provider: z.object({ departmentId: z.string(), name: z.string() }),
    accessRecord: z.string(),
    /** SHA-256 (hex) of the canonical request the client signed: binds this answer to it. */
    requestHash: z.string(),
    respondedAt: z.string(),
  }),
  signature: z.object({
    keyId: z.string(),
    algorithm: z.enum(['ed25519', 'sm2']),
    value: z.string(),
    /** Signed in a batch: the siblings from this answer's leaf to the signed root (the request header's format). */
    chain: z.string().optional(),
  }),
});

/** A record as its data subject sees it before relying on it (免提交 preview): source and as-of date. */
export const SharedRead = z.object({
  resource: z.object({ code: z.string(), name: z.string() }),
  provider: z.object({ departmentId: z.string(), name: z.string() }),
  fields: z.record(z.string(), z.unknown()),
  asOf: z.string(),
});

export const AccessRecord = z.object({
  id: z.string(),
  at: z.string(),
  channel: z.enum(['exchange', 'case_view']),
  resource: z.object({ code: z.string(), name: z.string() }).nullable(),
  provider: z.object({ departmentId: z.string(), name: z.string() }).nullable(),
  reader: z.object({ departmentId: z.string(), name: z.string(), kind: z.enum(['system', 'staff']), id: z.string().nullable() }),
  fields: z.array(z.string()),
  purpose: z.string(),
  caseNo: z.string().nullable(),
  found: z.boolean(),
  objection: z.object({ id: z.string(), status: z.enum(['open', 'answered']), answer: z.string().nullable() }).nullable(),
});
export type AccessRecord = z.infer<typeof AccessRecord>;

/** A read of a provider's data, as its steward sees it (subject masked). */
export const ProviderAccessRecord = z.object({
  id: z.string(),
  at: z.string(),
  channel: z.enum(['exchange', 'case_view']),
  resource: z.string().nullable(),
  subjectMasked: z.string(),
  reader: z.object({ departmentId: z.string(), name: z.string(), kind: z.enum(['system', 'staff']), id: z.string().nullable() }),
  fields: z.array(z.string()),
  purpose: z.string(),
  caseNo: z.string().nullable(),
  grant: z.string().nullable(),
  found: z.boolean(),
});

export const RaiseObjection = z.strictObject({ reason: text(1000) });
export const AnswerObjection = z.strictObject({ answer: text(1000) });

export const Objection = z.object({
  id: z.string(),
  accessRecord: z.object({ id: z.string(), at: z.string(), readerDepartment: z.string(), fields: z.array(z.string()), purpose: z.string(), caseNo: z.string().nullable(), resource: z.string().nullable() }),
  subjectMasked: z.string(),
  reason: z.string(),
  raisedAt: z.string(),
  status: z.enum(['open', 'answered']),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
