/**
 * Data sharing between departments (打破信息孤岛): the data catalogue, sharing grants, the signed
 * exchange, and access records the data subject can see.
 *
 * 国发〔2016〕51号 and 国务院令第809号 (政务数据共享条例): open data goes to every department,
 * conditional data on a request the provider answers within 10 working days (refusals give
 * reasons), closed data to nobody, each with its legal basis. 国务院令第716号: what government
 * can get by sharing may not be asked of the applicant again. 个人信息保护法: purpose-bound,
 * minimal, every access recorded and shown to the person (art. 44–45), records kept ≥ 3 years
 * (art. 56). The exchange follows X-Road: deny by default, every message signed and logged —
 * the refused ones too.
 */
import { createHash } from 'node:crypto';
import { AppError, type ErrorCode } from '../../../shared/errors.js';
import type { AccessRecord, DataResource, RequestGrant, SharingGrant } from '../../../shared/contracts/sharing.js';
import { canonicalJson } from '../../../shared/canonical-json.js';
import { creditCodeProblem, idNumberProblem, maskIdNumber } from '../../../shared/identity-numbers.js';
import { actorRef } from '../../core/actor.js';
import { requireAccess } from '../../core/access.js';
import { redact } from '../../core/redact.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { GroupCommit } from '../../core/group-commit.js';
import { chinaDate, dateOf, dayNumber } from '../../core/workdays.js';
import { ensureStandardDepartments, findDepartmentByKind } from '../regions/index.js';
import { listApiClients } from '../identity/index.js';
import { calendarFor } from '../calendar/index.js';
import { ed25519Signer, signAsDepartment, subjectOfActor } from '../certificates/index.js';
import { canSharing, decideExchange, type ExchangeRefusal } from './sharing.policy.js';
import {
  MAX_SKEW_MS,
  NONCE_TTL_MS,
  batchMessage,
  batchTree,
  canonicalRequest,
  formatChain,
  leafHash,
  parseHeaders,
  signedMessage,
  type ExchangeRequest,
  type Headers,
} from './sharing.protocol.js';
import { DEMO_RECORDS, RESOURCES } from './sharing.catalogue.js';
import * as repo from './sharing.repository.js';

/** 国发〔2016〕51号 practice (Guizhou; Shanxi up to 10): a conditional request is answered within 10 working days. */
export const DECISION_WORKING_DAYS = 10;
export const EXCHANGE_SCOPE = 'exchange:read';

// ── the catalogue ──────────────────────────────────────────────────────────────────────────

function toResource(r: repo.ResourceRow): DataResource {
  return {
    code: r.code,
    name: r.name,
    summary: r.summary,
    provider: { departmentId: r.provider_department_id, name: r.provider_name, kind: r.provider_kind, regionCode: r.provider_region },
    subjectKind: r.subject_kind,
    fields: r.fields,
    sharingType: r.sharing_type,
    conditions: r.conditions,
    legalBasis: r.legal_basis,
    updateCycle: r.update_cycle,
    publishedAt: r.published_at.toISOString(),
    reviewedAt: r.reviewed_at.toISOString(),
  };
}

/** The data catalogue (政务信息资源目录): for government staff and department systems. */
export async function listCatalogue(ctx: Ctx): Promise<DataResource[]> {
  requireAccess(ctx.actor, canSharing(ctx.actor, 'catalogue.read'), '查看政务信息资源目录');
  return (await repo.listResources(ctx.db)).map(toResource);
}

export async function getResource(ctx: Ctx, code: string): Promise<DataResource> {
  requireAccess(ctx.actor, canSharing(ctx.actor, 'catalogue.read'), '查看政务信息资源目录');
  const r = await repo.findResource(ctx.db, code);
  if (!r) throw new AppError('NOT_FOUND', `数据资源 ${code} 不存在`);
  return toResource(r);
}

/**
 * Loads the standard data catalogue (sharing.catalogue.ts): reference data, idempotent, for any
 * install; existing resources are left as their stewards keep them. Console only.
 */
export async function ensureDataCatalogue(ctx: Ctx): Promise<number> {
  requireAccess(ctx.actor, ctx.actor.kind === 'console', '加载数据资源目录');
  let added = 0;
  for (const region of new Set(RESOURCES.map((r) => r.provider.region))) await ensureStandardDepartments(ctx, region);
  await inTransaction(ctx, async (tx) => {
    for (const def of RESOURCES) {
      const dept = await findDepartmentByKind(tx, def.provider.region, def.provider.kind);
      if (!dept) throw new AppError('NOT_FOUND', `数据资源 ${def.code} 的提供部门（${def.provider.region} ${def.provider.kind}）不存在`);
      const now = tx.now();
      const inserted = await repo.insertResourceIfNew(tx.db, {
        code: def.code,
        name: def.name,
        summary: def.summary,
        provider_department_id: dept.id,
        subject_kind: def.subjectKind,
        fields: JSON.stringify(def.fields),
        sharing_type: def.sharingType,
        conditions: def.conditions,
        legal_basis: def.legalBasis,
        update_cycle: def.updateCycle,
        published_at: now,
        reviewed_at: now,
      });
      if (inserted) {
        added += 1;
        await audit.record(tx, { action: 'data_resource.published', subject: { dataResource: def.code }, details: { provider: dept.id, sharingType: def.sharingType } });
      }
    }
  });
  return added;
}

/** Demo mode: the catalogue plus the records of the demo people (server/db/seed/demo.ts). */
export async function seedSharingDemo(ctx: Ctx): Promise<void> {
  await ensureDataCatalogue(ctx);
  await inTransaction(ctx, async (tx) => {
    for (const r of DEMO_RECORDS) {
      await repo.upsertRecord(tx.db, { resource_code: r.resource, subject: r.subject, fields: JSON.stringify(r.fields), as_of: tx.now() });
    }
    await audit.record(tx, { action: 'data_records.loaded', subject: { demo: 'sharing' }, details: { records: DEMO_RECORDS.length } });
  });
}

// ── grants ─────────────────────────────────────────────────────────────────────────────────

function grantStatus(g: { status: repo.GrantRow['status']; valid_until: Date | null }, now: Date): SharingGrant['status'] {
  return g.status === 'granted' && g.valid_until && g.valid_until <= now ? 'expired' : g.status;
}

function toGrant(g: repo.GrantRow, now: Date): SharingGrant {
  return {
    id: g.id,
    resource: { code: g.resource_code, name: g.resource_name, sharingType: g.sharing_type },
    provider: { departmentId: g.provider_department_id, name: g.provider_name },
    requester: { departmentId: g.requester_department_id, name: g.requester_name },
    fields: g.fields,
    purpose: g.purpose,
    legalBasis: g.legal_basis,
    status: grantStatus(g, now),
    requestedAt: g.requested_at.toISOString(),
    deadline: g.deadline,
    overdue: g.status === 'pending' && g.deadline !== null && g.deadline < chinaDate(now),
    decidedAt: g.decided_at?.toISOString() ?? null,
    decisionReason: g.decision_reason,
    validUntil: g.valid_until?.toISOString() ?? null,
    withdrawnAt: g.withdrawn_at?.toISOString() ?? null,
    withdrawalReason: g.withdrawal_reason,
  };
}

async function loadGrant(ctx: Ctx, id: string): Promise<SharingGrant> {
  const g = await repo.findGrant(ctx.db, id);
  if (!g) throw new AppError('NOT_FOUND', `共享申请 ${id} 不存在`);
  return toGrant(g, ctx.now());
}

/**
 * A department asks to read a resource (共享申请): open → granted at once; conditional → pending,
 * the provider's data steward answers within 10 working days; closed → refused with its basis.
 * @throws FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT (the same request is pending or in force)
 */
export async function requestGrant(ctx: Ctx, input: RequestGrant): Promise<SharingGrant> {
  const actor = ctx.actor;
  requireAccess(actor, actor.kind === 'staff' && canSharing(actor, 'grant.request', { departmentId: actor.departmentId }), '提出共享申请（需为本部门负责人、数据专员或审核人员）');
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN', '无权提出共享申请');
  const id = await inTransaction(ctx, async (tx) => {
    const r = await repo.findResource(tx.db, input.resource);
    if (!r) throw new AppError('NOT_FOUND', `数据资源 ${input.resource} 不存在`);
    if (r.provider_department_id === actor.departmentId) throw new AppError('CONFLICT', '本部门提供的数据无需申请共享');
    const known = new Set(r.fields.map((f) => f.name));
    const unknown = input.fields.filter((f) => !known.has(f));
    if (unknown.length) throw AppError.validation([{ path: 'fields', message: `${r.name} 没有这些字段：${unknown.join('、')}` }]);
    if (r.sharing_type === 'conditional' && !input.legalBasis) {
      throw AppError.validation([{ path: 'legalBasis', message: `${r.name} 为有条件共享，申请须写明依据（法律、法规或政策文件）` }]);
    }
    const now = tx.now();
    const validUntil = input.validUntil ? new Date(input.validUntil) : null;
    if (validUntil && validUntil <= now) throw AppError.validation([{ path: 'validUntil', message: '有效期应晚于现在' }]);
    const fields = [...new Set(input.fields)].sort();
    const dup = await repo.findLiveDuplicate(tx.db, { resource: r.code, department: actor.departmentId, fields, purpose: input.purpose, now });
    if (dup) throw new AppError('CONFLICT', `同一资源、字段和用途的共享申请已${dup.status === 'pending' ? '在审核中' : '获授权'}（${dup.id}）`, { grant: dup.id });
    const base = {
      resource_code: r.code,
      requester_department_id: actor.departmentId,
      fields,
      purpose: input.purpose,
      legal_basis: input.legalBasis ?? null,
      requested_by: actor.accountId,
      requested_at: now,
      valid_until: validUntil,
    };
    let g: { id: string };
    if (r.sharing_type === 'open') {
      g = await repo.insertGrant(tx.db, { ...base, status: 'granted', decided_at: now, decision_reason: '无条件共享：自动授权（国发〔2016〕51号）' });
      await audit.record(tx, { action: 'sharing_grant.granted', subject: { grant: g.id, dataResource: r.code }, details: { automatic: true, fields, purpose: input.purpose } });
    } else if (r.sharing_type === 'closed') {
      const reason = `不予共享：${r.legal_basis ?? ''}`;
      g = await repo.insertGrant(tx.db, { ...base, status: 'refused', decided_at: now, decision_reason: reason });
      await audit.record(tx, { action: 'sharing_grant.refused', subject: { grant: g.id, dataResource: r.code }, details: { automatic: true, reason } });
    } else {
      const cal = await calendarFor(tx, r.provider_region);
      const deadline = dateOf(cal.addWorkingDays(dayNumber(chinaDate(now)), DECISION_WORKING_DAYS));
      g = await repo.insertGrant(tx.db, { ...base, status: 'pending', deadline });
      await audit.record(tx, { action: 'sharing_grant.requested', subject: { grant: g.id, dataResource: r.code }, details: { fields, purpose: input.purpose, deadline } });
    }
    return g.id;
  });
  return loadGrant(ctx, id);
}

/** The provider's data steward approves or refuses a pending request; a refusal gives reasons. @throws FORBIDDEN, NOT_FOUND, INVALID_STATE_TRANSITION */
export async function decideGrant(ctx: Ctx, input: { id: string; decision: 'approve' | 'refuse'; reason?: string | undefined; validUntil?: string | undefined }): Promise<SharingGrant> {
  await inTransaction(ctx, async (tx) => {
    const locked = await repo.lockGrant(tx.db, input.id);
    const g = locked && (await repo.findGrant(tx.db, input.id));
    if (!g) throw new AppError('NOT_FOUND', `共享申请 ${input.id} 不存在`);
    requireAccess(tx.actor, canSharing(tx.actor, 'grant.decide', { departmentId: g.provider_department_id }), `审核 ${g.provider_name} 数据资源的共享申请（仅限提供部门的数据专员）`);
    if (g.status !== 'pending') throw new AppError('INVALID_STATE_TRANSITION', `共享申请状态为 ${g.status}，不能再审核`);
    if (input.decision === 'refuse' && !input.reason) throw AppError.validation([{ path: 'reason', message: '不予共享须说明理由' }]);
    const now = tx.now();
    const validUntil = input.validUntil ? new Date(input.validUntil) : g.valid_until;
    if (input.decision === 'approve' && validUntil && validUntil <= now) throw AppError.validation([{ path: 'validUntil', message: '有效期应晚于现在' }]);
    await repo.decideGrant(tx.db, input.id, {
      status: input.decision === 'approve' ? 'granted' : 'refused',
      decided_by: (tx.actor as { accountId: string }).accountId,
      decided_at: now,
      decision_reason: input.reason ?? null,
      valid_until: input.decision === 'approve' ? validUntil : null,
    });
    await audit.record(tx, {
      action: input.decision === 'approve' ? 'sharing_grant.granted' : 'sharing_grant.refused',
      subject: { grant: g.id, dataResource: g.resource_code },
      details: { reason: input.reason ?? null, overdue: g.deadline !== null && g.deadline < chinaDate(now) },
    });
  });
  return loadGrant(ctx, input.id);
}

/** The provider's data steward withdraws a grant in force; the next read under it is refused. */
export async function withdrawGrant(ctx: Ctx, input: { id: string; reason: string }): Promise<SharingGrant> {
  await inTransaction(ctx, async (tx) => {
    const locked = await repo.lockGrant(tx.db, input.id);
    const g = locked && (await repo.findGrant(tx.db, input.id));
    if (!g) throw new AppError('NOT_FOUND', `共享申请 ${input.id} 不存在`);
    requireAccess(tx.actor, canSharing(tx.actor, 'grant.withdraw', { departmentId: g.provider_department_id }), '撤回其他部门数据资源的共享授权');
    if (g.status !== 'granted') throw new AppError('INVALID_STATE_TRANSITION', `共享申请状态为 ${g.status}，只能撤回已授权的共享`);
    await repo.withdrawGrant(tx.db, input.id, { withdrawn_by: (tx.actor as { accountId: string }).accountId, withdrawn_at: tx.now(), withdrawal_reason: input.reason });
    await audit.record(tx, { action: 'sharing_grant.withdrawn', subject: { grant: g.id, dataResource: g.resource_code }, details: { reason: input.reason } });
  });
  return loadGrant(ctx, input.id);
}

/**
 * Grants the caller's department requested or provides; the efficiency officer (效能监察) sees
 * all of them, so that overdue answers are visible to both sides and to supervision.
 */
export async function listGrants(ctx: Ctx, q: { status?: SharingGrant['status'] | undefined; overdue?: boolean | undefined; resource?: string | undefined }): Promise<SharingGrant[]> {
  const a = ctx.actor;
  requireAccess(a, canSharing(a, 'grant.list'), '查看共享申请');
  const now = ctx.now();
  // the efficiency officer sees every department's; everyone else their own department's
  const ownDepartment = a.kind === 'staff' && !a.roles.includes('efficiency_officer') ? a.departmentId : undefined;
  const rows = await repo.listGrants(ctx.db, {
    ...(ownDepartment ? { departmentId: ownDepartment } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.overdue ? { overdueBefore: chinaDate(now) } : {}),
    ...(q.resource ? { resource: q.resource } : {}),
    now,
  });
  const list = rows.map((g) => toGrant(g, now));
  return q.overdue === false ? list.filter((g) => !g.overdue) : list;
}

// ── client keys ────────────────────────────────────────────────────────────────────────────

/**
 * Registers a department system's own Ed25519 public key for signing exchange requests. The
 * bearer token says which client calls; the signature proves it holds a key the token alone
 * does not give (two factors, GB/T 22239-2019 8.1.4.1). Done by the client's department head or
 * a system administrator over it — the identity module checks that, and that the client belongs
 * to the department.
 */
export async function registerClientKey(ctx: Ctx, input: { clientId: string; departmentId: string; publicKey: string }) {
  const client = await clientOfDepartment(ctx, input.clientId, input.departmentId);
  if (client.revoked) throw new AppError('INVALID_STATE_TRANSITION', '接口客户端已吊销');
  const publicKey = input.publicKey.trim() + '\n';
  if (!ed25519Signer.isPublicKey(publicKey)) {
    throw AppError.validation([{ path: 'publicKey', message: '应为 Ed25519 公钥（SPKI PEM，以 -----BEGIN PUBLIC KEY----- 开头）；切勿提交私钥' }]);
  }
  const keyId = `client-${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
  return inTransaction(ctx, async (tx) => {
    const k = await repo.insertClientKey(tx.db, { key_id: keyId, client_id: client.id, public_key: publicKey, created_by: tx.actor.kind === 'staff' ? tx.actor.accountId : null, created_at: tx.now() });
    if (!k) throw new AppError('CONFLICT', '该公钥已登记');
    await audit.record(tx, { action: 'exchange_client_key.registered', subject: { apiClient: client.id, key: keyId } });
    return { keyId, clientId: client.id, createdAt: k.created_at.toISOString(), revokedAt: null };
  });
}

async function clientOfDepartment(ctx: Ctx, clientId: string, departmentId: string) {
  // listApiClients authorises: the client's department head, or a system administrator over it
  const client = (await listApiClients(ctx, departmentId)).find((c) => c.id === clientId);
  if (!client) throw new AppError('NOT_FOUND', `该部门没有接口客户端 ${clientId}`);
  return client;
}

/** A client's registered keys, current and revoked. */
export async function listClientKeys(ctx: Ctx, input: { clientId: string; departmentId: string }) {
  const client = await clientOfDepartment(ctx, input.clientId, input.departmentId);
  return (await repo.listClientKeys(ctx.db, client.id)).map((k) => ({
    keyId: k.key_id,
    clientId: k.client_id,
    createdAt: k.created_at.toISOString(),
    revokedAt: k.revoked_at?.toISOString() ?? null,
  }));
}

/** Revokes a client's key at once (a leaked or replaced key): requests signed with it are refused from now on. */
export async function revokeClientKey(ctx: Ctx, input: { clientId: string; departmentId: string; keyId: string }): Promise<void> {
  const client = await clientOfDepartment(ctx, input.clientId, input.departmentId);
  await inTransaction(ctx, async (tx) => {
    const gone = await repo.revokeClientKey(tx.db, client.id, input.keyId, tx.now());
    if (!gone) throw new AppError('NOT_FOUND', `客户端 ${client.id} 没有有效的密钥 ${input.keyId}`);
    await audit.record(tx, { action: 'exchange_client_key.revoked', subject: { apiClient: client.id, key: input.keyId } });
  });
}

// ── the exchange ───────────────────────────────────────────────────────────────────────────

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    /** True once the signature is verified: the nonce is spent even though the read is refused. */
    readonly burnNonce = false,
  ) {
    super(message);
  }
}

const nonceSweeps = new WeakMap<object, number>();
const SWEEP_EVERY = 1000;

export interface ExchangeInput {
  resourceCode: string;
  subject: string;
  headers: Headers;
}

export interface ExchangeAnswer {
  data: {
    resource: string;
    subject: string;
    fields: Record<string, unknown>;
    asOf: string;
    grant: string;
    provider: { departmentId: string; name: string };
    accessRecord: string;
    requestHash: string;
    respondedAt: string;
  };
  signature: AnswerSignature;
}

type AnswerSignature = { keyId: string; algorithm: 'ed25519' | 'sm2'; value: string; chain?: string };

const REFUSAL_STATUS: Record<ExchangeRefusal, ErrorCode> = {
  closed_resource: 'FORBIDDEN',
  no_grant: 'FORBIDDEN',
  grant_pending: 'FORBIDDEN',
  grant_withdrawn: 'FORBIDDEN',
  grant_expired: 'FORBIDDEN',
  purpose_not_granted: 'FORBIDDEN',
  fields_not_granted: 'FORBIDDEN',
};

/**
 * One read through the exchange (X-Road's deny by default). Refused with a reason code in
 * `details.reason` — missing_scope, malformed_request, wrong_client, stale_timestamp,
 * no_client_key, bad_signature, unknown_resource, invalid_subject, case_required, closed_resource,
 * no_grant, grant_pending, grant_withdrawn, grant_expired, purpose_not_granted,
 * fields_not_granted, replayed_nonce, revoked_key — and every refusal is itself written to the audit chain.
 * A granted read writes an AccessRecord and its audit entry in the statement that checks the grant
 * (with the reads of other callers arriving at the same time: group commit), and answers only
 * the granted fields, signed with the provider department's key and bound to the request's hash.
 */
export async function exchangeRead(ctx: Ctx, input: ExchangeInput): Promise<ExchangeAnswer> {
  const a = ctx.actor;
  if (a.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', '数据交换需以部门系统的接口令牌调用');
  const path = `/api/v1/exchange/${input.resourceCode}`;
  let request: ExchangeRequest | undefined;
  try {
    if (a.kind !== 'system' || !a.scopes.includes(EXCHANGE_SCOPE)) {
      throw new Refusal('FORBIDDEN', 'missing_scope', `数据交换需以部门系统的接口令牌调用，并具备 ${EXCHANGE_SCOPE} 权限范围`);
    }
    const parsed = parseHeaders(input.headers, path, input.subject);
    if (!parsed.ok) throw new Refusal('VALIDATION_FAILED', 'malformed_request', `交换请求不完整：${parsed.problems.join('；')}`, { problems: parsed.problems });
    request = parsed.request;
    if (request.client !== a.clientId) throw new Refusal('UNAUTHENTICATED', 'wrong_client', 'x-tongban-client 与接口令牌所属的客户端不一致');
    const now = ctx.now();
    const skew = Date.parse(request.timestamp) - now.getTime();
    if (Math.abs(skew) > MAX_SKEW_MS) {
      throw new Refusal('UNAUTHENTICATED', 'stale_timestamp', `请求时间戳与服务器时间相差 ${Math.round(skew / 1000)} 秒，超出 ±300 秒（请校准时钟）`);
    }
    const canonical = canonicalRequest(request);
    // alone: over the canonical request; in a batch: over the root its chain leads to (sharing.protocol.ts)
    const keyId = await verifyClientSignature(ctx, a.clientId, signedMessage(canonical, parsed.chain), parsed.signature, parsed.chain !== null);
    const r = await resourceMeta(ctx, input.resourceCode);
    if (!r) throw new Refusal('NOT_FOUND', 'unknown_resource', `数据资源 ${input.resourceCode} 不存在`, {}, true);
    const subjectProblem = r.subject_kind === 'person' ? idNumberProblem(input.subject) : creditCodeProblem(input.subject);
    if (subjectProblem) throw new Refusal('VALIDATION_FAILED', 'invalid_subject', `subject：${subjectProblem}`, {}, true);
    if (r.subject_kind === 'person' && !request.caseNo) {
      throw new Refusal('VALIDATION_FAILED', 'case_required', '查询自然人的数据须附办件编号（x-tongban-case），访问记录将向本人公开', {}, true);
    }

    const hash = createHash('sha256').update(canonical).digest('hex'); // = requestHash(request)
    const req = request;
    // decided and recorded in one statement with the grant check (see decideReadsAndRecord),
    // together with the reads of other callers arriving at the same time (group commit)
    const w = await recordRead(ctx, {
      clientId: a.clientId,
      keyId,
      nonce: req.nonce,
      now,
      code: r.code,
      subject: input.subject,
      subjectKind: r.subject_kind,
      providerDepartmentId: r.provider_department_id,
      readerDepartmentId: a.departmentId,
      fields: [...req.fields].sort(),
      purpose: req.purpose,
      caseNo: req.caseNo,
      requestHash: hash,
      auditActor: { ...actorRef(a), request: ctx.requestId },
      auditDetails: redact({ channel: 'exchange', subject: input.subject, fields: req.fields, purpose: req.purpose, caseNo: req.caseNo }) as Record<string, unknown>,
    });
    if (!w.fresh) throw new Refusal('UNAUTHENTICATED', 'replayed_nonce', '重放的请求：该 nonce 已使用过', {});
    if (!w.key_ok) {
      clientKeyCache(ctx).delete(a.clientId);
      throw new Refusal('UNAUTHENTICATED', 'revoked_key', '请求的签名密钥已被吊销', {});
    }
    if (!w.grant_id) {
      // refused: find the nearest miss to name it (sharing.policy.ts)
      const loaded = await repo.loadGrants(ctx.db, { code: r.code, departmentId: a.departmentId });
      const grants = (loaded.resource?.grants ?? []).map((g) => ({ ...g, validUntil: g.validUntil ? new Date(g.validUntil) : null }));
      const decision = decideExchange(loaded.resource?.sharing_type ?? r.sharing_type, grants, req, now);
      if (decision.ok) throw new Refusal('FORBIDDEN', 'grant_withdrawn', '共享授权在本次请求处理中发生变化，请重试', {});
      throw new Refusal(REFUSAL_STATUS[decision.reason], decision.reason, decision.message, decision.fields ? { fields: decision.fields } : {});
    }
    ctx.runtime.sealer.poke();
    sweepNonces(ctx);
    if (!w.fields) throw new AppError('NOT_FOUND', `${r.code} 中没有该主体的记录（本次查询已记录）`, { reason: 'no_record' });
    const data = {
      resource: r.code,
      subject: input.subject,
      fields: Object.fromEntries(req.fields.map((f) => [f, w.fields![f] ?? null])),
      asOf: w.as_of!.toISOString(),
      grant: w.grant_id,
      provider: { departmentId: r.provider_department_id, name: r.provider_name },
      accessRecord: w.access_id!,
      requestHash: hash,
      respondedAt: now.toISOString(),
    };
    return { data, signature: await signAnswer(ctx, r.provider_department_id, canonicalJson(data)) };
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    // the refused attempt is logged too, in its own transaction
    const req = request;
    await inTransaction(ctx, async (tx) => {
      if (req && e.burnNonce && a.kind === 'system') await repo.burnNonce(tx.db, a.clientId, req.nonce, tx.now());
      await audit.record(tx, {
        action: 'exchange.refused',
        subject: { dataResource: input.resourceCode, ...(a.kind === 'system' ? { apiClient: a.clientId } : {}) },
        details: { reason: e.reason, subject: input.subject, fields: req?.fields ?? null, purpose: req?.purpose ?? null, caseNo: req?.caseNo ?? null, nonce: req?.nonce ?? null },
      });
    });
    throw new AppError(e.code, e.message, { reason: e.reason, ...e.extra });
  }
}

// Per-process caches of what rarely changes, each entry a minute old at most. Neither can let a
// request through that the database would refuse: the grant and the key's revocation are checked
// again in the statement that records the read.
const CACHE_MS = 60_000;
const resourceCaches = new WeakMap<object, Map<string, { at: number; meta: repo.ResourceMeta | undefined }>>();
const clientKeyCaches = new WeakMap<object, Map<string, { at: number; keys: { key_id: string; public_key: string }[] }>>();

function cacheOf<V>(store: WeakMap<object, Map<string, V>>, ctx: Ctx): Map<string, V> {
  let m = store.get(ctx.runtime.db);
  if (!m) store.set(ctx.runtime.db, (m = new Map()));
  return m;
}

function clientKeyCache(ctx: Ctx) {
  return cacheOf(clientKeyCaches, ctx);
}

async function resourceMeta(ctx: Ctx, code: string): Promise<repo.ResourceMeta | undefined> {
  const cache = cacheOf(resourceCaches, ctx);
  const hit = cache.get(code);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.meta;
  const meta = await repo.findResourceMeta(ctx.db, code);
  if (cache.size > 1000) cache.clear();
  cache.set(code, { at: Date.now(), meta });
  return meta;
}

/**
 * Batch signatures already verified, by client, message (the batch root) and signature: the other
 * requests of a batch cost a hash chain, not an Ed25519 verification. A revoked key is still
 * refused: the recording statement checks it.
 */
const verifiedBatches = new WeakMap<object, Map<string, { at: number; keyId: string }>>();

/**
 * The id of the client's registered key that made the signature; refuses otherwise. A new key is
 * found on a cache miss. `batch`: the message is a batch root, which other requests will present.
 */
async function verifyClientSignature(ctx: Ctx, clientId: string, message: Buffer, signature: Buffer, batch = false): Promise<string> {
  if (batch) {
    const seen = cacheOf(verifiedBatches, ctx);
    const id = `${clientId} ${message.toString('latin1')} ${signature.toString('base64')}`;
    const hit = seen.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.keyId;
    const keyId = await verifyClientSignature(ctx, clientId, message, signature);
    if (seen.size > 10_000) seen.clear();
    seen.set(id, { at: Date.now(), keyId });
    return keyId;
  }
  const cache = clientKeyCache(ctx);
  const match = (keys: { key_id: string; public_key: string }[]) => keys.find((k) => ed25519Signer.verify(k.public_key, message, signature));
  const hit = cache.get(clientId);
  if (hit && Date.now() - hit.at < CACHE_MS) {
    const k = match(hit.keys);
    if (k) return k.key_id;
  }
  const keys = await repo.findClientKeys(ctx.db, clientId);
  if (cache.size > 10_000) cache.clear();
  cache.set(clientId, { at: Date.now(), keys });
  if (keys.length === 0) throw new Refusal('UNAUTHENTICATED', 'no_client_key', '该接口客户端未登记签名公钥（POST /api/v1/exchange/clients/{clientId}/keys）');
  const k = match(keys);
  if (!k) throw new Refusal('UNAUTHENTICATED', 'bad_signature', '请求签名无效：与客户端登记的公钥不符，或请求内容被改动');
  return k.key_id;
}

interface PendingAnswer {
  canonical: string;
  resolve: (s: AnswerSignature) => void;
  reject: (e: unknown) => void;
}
const pendingAnswers = new WeakMap<object, Map<string, PendingAnswer[]>>();

/**
 * Signs an answer with its provider's key. The answers of one provider that are ready in the same
 * turn of the event loop (those of one group-commit batch) share one signature over their hash
 * tree, each with its chain (sharing.protocol.ts): one Ed25519 signature for the lot.
 */
function signAnswer(ctx: Ctx, departmentId: string, canonical: string): Promise<AnswerSignature> {
  if (ctx.inTransaction) return signAnswers(ctx, departmentId, [canonical]).then((s) => s[0]!);
  const byProvider = cacheOf(pendingAnswers, ctx);
  return new Promise((resolve, reject) => {
    let waiting = byProvider.get(departmentId);
    if (!waiting) {
      const batch: PendingAnswer[] = [];
      byProvider.set(departmentId, (waiting = batch));
      setImmediate(() => {
        byProvider.delete(departmentId);
        signAnswers(ctx, departmentId, batch.map((w) => w.canonical)).then(
          (sigs) => batch.forEach((w, i) => w.resolve(sigs[i]!)),
          (e: unknown) => batch.forEach((w) => w.reject(e)),
        );
      });
    }
    waiting.push({ canonical, resolve, reject });
  });
}

/** One signature over the canonical answers: alone for one, over their hash tree for more. */
async function signAnswers(ctx: Ctx, departmentId: string, canonicals: string[]): Promise<AnswerSignature[]> {
  if (canonicals.length === 1) {
    const s = await signAsDepartment(ctx, departmentId, Buffer.from(canonicals[0]!, 'utf8'));
    return [{ keyId: s.keyId, algorithm: s.algorithm, value: s.signature }];
  }
  const { root, chains } = batchTree(canonicals.map(leafHash));
  const s = await signAsDepartment(ctx, departmentId, batchMessage(root, 'response'));
  return chains.map((chain) => ({ keyId: s.keyId, algorithm: s.algorithm, value: s.signature, chain: formatChain(chain) }));
}

const exchangeWriters = new WeakMap<object, GroupCommit<repo.ExchangeRead, repo.ExchangeOutcome>>();

/**
 * Records one exchange read: alone inside a caller's transaction, otherwise through the group
 * commit shared by every request of this process, so concurrent reads cost one round trip
 * between them. A (client, nonce) met twice in one batch is held back and decided after it, as
 * the replay it is.
 */
function recordRead(ctx: Ctx, read: repo.ExchangeRead): Promise<repo.ExchangeOutcome> {
  if (ctx.inTransaction) return repo.decideReadsAndRecord(ctx.db, [read]).then((o) => o[0]!);
  const db = ctx.runtime.db;
  let writer = exchangeWriters.get(db);
  if (!writer) {
    writer = new GroupCommit(async (reads) => {
      const seen = new Set<string>();
      const first: number[] = [];
      const again: number[] = [];
      reads.forEach((r, i) => {
        const key = `${r.clientId} ${r.nonce}`;
        (seen.has(key) ? again : first).push(i);
        seen.add(key);
      });
      const out: repo.ExchangeOutcome[] = new Array(reads.length);
      const firstOut = await repo.decideReadsAndRecord(db, first.map((i) => reads[i]!));
      first.forEach((i, j) => (out[i] = firstOut[j]!));
      for (const i of again) out[i] = (await repo.decideReadsAndRecord(db, [reads[i]!]))[0]!;
      return out;
    });
    exchangeWriters.set(db, writer);
  }
  return writer.submit(read);
}

/** Forgets nonces older than their window, now and then (a replay older than that fails on its timestamp). */
function sweepNonces(ctx: Ctx): void {
  const n = (nonceSweeps.get(ctx.runtime.db) ?? 0) + 1;
  nonceSweeps.set(ctx.runtime.db, n % SWEEP_EVERY);
  if (n % SWEEP_EVERY !== 0) return;
  void repo.deleteNoncesBefore(ctx.runtime.db, new Date(ctx.now().getTime() - NONCE_TTL_MS)).catch(() => undefined);
}

// ── reads for cases and the applicant's own preview (免提交) ──────────────────────────────────

export interface SharedRead {
  resource: { code: string; name: string };
  provider: { departmentId: string; name: string };
  fields: Record<string, unknown>;
  /** When the provider last updated the record: shown beside the data (the EU once-only preview). */
  asOf: string;
}

/**
 * The data subject's own record in a resource: what government already holds, its source and
 * as-of date, shown to the applicant before they submit so they can rely on it instead of
 * uploading (国务院令第716号; 个人信息保护法 art. 45, the right to see one's data). No grant is
 * needed to see one's own data, and no AccessRecord is made. @throws FORBIDDEN, NOT_FOUND
 */
export async function readOwnRecord(ctx: Ctx, input: { resourceCode: string; fields?: readonly string[] | undefined }): Promise<SharedRead> {
  const subject = await subjectOfActor(ctx);
  requireAccess(ctx.actor, subject !== null, '查看本人数据（仅限数据主体本人或本企业）');
  const r = await repo.findResource(ctx.db, input.resourceCode);
  if (!r) throw new AppError('NOT_FOUND', `数据资源 ${input.resourceCode} 不存在`);
  if (r.subject_kind !== subject!.kind) throw new AppError('NOT_FOUND', `${r.name} 不是${subject!.kind === 'person' ? '个人' : '企业'}数据`);
  const rec = await repo.findRecord(ctx.db, r.code, subject!.id);
  if (!rec) throw new AppError('NOT_FOUND', `${r.provider_name} 的 ${r.name} 中没有您的记录`);
  const names = input.fields?.length ? input.fields : r.fields.map((f) => f.name);
  const stored = rec.fields as Record<string, unknown>;
  return {
    resource: { code: r.code, name: r.name },
    provider: { departmentId: r.provider_department_id, name: r.provider_name },
    fields: Object.fromEntries(names.filter((n) => r.fields.some((f) => f.name === n)).map((n) => [n, stored[n] ?? null])),
    asOf: rec.as_of.toISOString(),
  };
}

/**
 * A department reads a resource for a case it handles (免提交: the material is satisfied by
 * reference to shared data, and the case keeps the reference, not a copy). Under the same
 * deny-by-default grant check as the exchange; the read writes an AccessRecord in the caller's
 * transaction (or its own), the refusal an audit entry. For staff and department systems; the
 * exchange API is the signed form of the same read for systems outside Tongban.
 * @throws FORBIDDEN (with details.reason as the exchange's), NOT_FOUND
 */
export async function readForCase(
  ctx: Ctx,
  input: { resourceCode: string; subject: string; fields: readonly string[]; purpose: string; caseNo: string },
): Promise<SharedRead & { grant: string; accessRecord: string }> {
  const a = ctx.actor;
  requireAccess(a, a.kind === 'staff' || a.kind === 'system', '为办件读取共享数据');
  const reader = a as Extract<typeof a, { departmentId: string }>;
  const loaded = await repo.loadGrants(ctx.db, { code: input.resourceCode, departmentId: reader.departmentId });
  const r = loaded.resource;
  if (!r) throw new AppError('NOT_FOUND', `数据资源 ${input.resourceCode} 不存在`);
  const decision = decideExchange(r.sharing_type, r.grants.map((g) => ({ ...g, validUntil: g.validUntil ? new Date(g.validUntil) : null })), input, ctx.now());
  if (!decision.ok) {
    await inTransaction(ctx, (tx) =>
      audit.record(tx, {
        action: 'exchange.refused',
        subject: { dataResource: input.resourceCode, case: input.caseNo },
        details: { reason: decision.reason, subject: input.subject, fields: input.fields, purpose: input.purpose },
      }),
    );
    throw new AppError('FORBIDDEN', decision.message, { reason: decision.reason, ...(decision.fields ? { fields: decision.fields } : {}) });
  }
  const { rec, accessRecord } = await inTransaction(ctx, async (tx) => ({
    rec: await repo.findRecord(tx.db, r.code, input.subject),
    // the read is recorded even when there is nothing to read: the subject sees who looked
    accessRecord: await recordAccess(tx, {
      subjectKind: r.subject_kind,
      subject: input.subject,
      fields: [...input.fields].sort(),
      purpose: input.purpose,
      caseNo: input.caseNo,
      providerDepartmentId: r.provider_department_id,
      resourceCode: r.code,
      channel: 'exchange',
    }),
  }));
  if (!rec) throw new AppError('NOT_FOUND', `${r.code} 中没有该主体的记录（本次查询已记录）`, { reason: 'no_record' });
  const stored = rec.fields as Record<string, unknown>;
  return {
    resource: { code: r.code, name: r.name },
    provider: { departmentId: r.provider_department_id, name: r.provider_name },
    fields: Object.fromEntries(input.fields.map((f) => [f, stored[f] ?? null])),
    asOf: rec.as_of.toISOString(),
    grant: decision.grantId,
    accessRecord,
  };
}

// ── access records ─────────────────────────────────────────────────────────────────────────

export interface RecordAccessInput {
  subjectKind: 'person' | 'business';
  /** ID number or credit code of the person or business whose data was read. */
  subject: string;
  fields: string[];
  purpose: string;
  caseNo?: string | null | undefined;
  /** Whose data it is; for a case view, the department holding the case (default: the reader's). */
  providerDepartmentId?: string | null | undefined;
  resourceCode?: string | null | undefined;
  channel?: 'case_view' | 'exchange';
}

/**
 * Records one read of personal or business data (数据访问记录) with its audit entry, in the
 * caller's transaction: the cases module calls it whenever staff view a case's personal data.
 * The reader is the acting staff member or system. @returns the AccessRecord id
 */
export async function recordAccess(ctx: Ctx, input: RecordAccessInput): Promise<string> {
  if (!ctx.inTransaction) throw new Error('recordAccess must run inside the caller’s transaction (inTransaction)');
  const a = ctx.actor;
  if (a.kind !== 'staff' && a.kind !== 'system') throw new AppError('FORBIDDEN', '只记录工作人员或部门系统的数据访问');
  const { id } = await repo.insertAccessRecord(ctx.db, {
    at: ctx.now(),
    subject_kind: input.subjectKind,
    subject: input.subject,
    channel: input.channel ?? 'case_view',
    resource_code: input.resourceCode ?? null,
    provider_department_id: input.providerDepartmentId ?? a.departmentId,
    reader_department_id: a.departmentId,
    reader_kind: a.kind,
    reader_client_id: a.kind === 'system' ? a.clientId : null,
    reader_account_id: a.kind === 'staff' ? a.accountId : null,
    fields: input.fields,
    purpose: input.purpose,
    case_no: input.caseNo ?? null,
  });
  await audit.record(ctx, {
    action: 'data.accessed',
    subject: { accessRecord: id, ...(input.caseNo ? { case: input.caseNo } : {}) },
    details: { channel: input.channel ?? 'case_view', subject: input.subject, fields: input.fields, purpose: input.purpose },
  });
  return id;
}

/** Who read my data: every access record of the signed-in person's ID number or business's credit code. */
export async function listMyAccessRecords(ctx: Ctx): Promise<AccessRecord[]> {
  const subject = await subjectOfActor(ctx);
  requireAccess(ctx.actor, subject !== null, '查看数据访问记录（仅限数据主体本人或本企业）');
  const rows = await repo.listAccessRecords(ctx.db, subject!.kind, subject!.id);
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    channel: r.channel,
    resource: r.resource_code ? { code: r.resource_code, name: r.resource_name ?? r.resource_code } : null,
    provider: r.provider_department_id ? { departmentId: r.provider_department_id, name: r.provider_name ?? '' } : null,
    reader: { departmentId: r.reader_department_id, name: r.reader_name, kind: r.reader_kind, id: r.reader_client_id ?? r.reader_account_id },
    fields: r.fields,
    purpose: r.purpose,
    caseNo: r.case_no,
    found: r.found,
    objection: r.objection_id ? { id: r.objection_id, status: r.objection_status!, answer: r.objection_answer ?? null } : null,
  }));
}

/** Reads of the steward's department's data, subjects masked: who read what, why, under which grant. */
export async function listProviderAccessRecords(ctx: Ctx, q: { resource?: string | undefined; limit?: number | undefined }) {
  const a = ctx.actor;
  requireAccess(a, a.kind === 'staff' && canSharing(a, 'usage.list', { departmentId: a.departmentId }), '查看本部门数据的使用记录（数据专员或部门负责人）');
  const rows = await repo.listProviderAccessRecords(ctx.db, { providerDepartmentId: (a as { departmentId: string }).departmentId, resource: q.resource, limit: q.limit ?? 200 });
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    channel: r.channel,
    resource: r.resource_code,
    subjectMasked: /^\d{17}[\dX]$/.test(r.subject) ? maskIdNumber(r.subject) : r.subject,
    reader: { departmentId: r.reader_department_id, name: r.reader_name, kind: r.reader_kind, id: r.reader_client_id ?? r.reader_account_id },
    fields: r.fields,
    purpose: r.purpose,
    caseNo: r.case_no,
    grant: r.grant_id,
    found: r.found,
  }));
}

/** The data subject objects to one access; it goes to the provider's data steward. */
export async function raiseObjection(ctx: Ctx, input: { id: string; reason: string }) {
  const subject = await subjectOfActor(ctx);
  requireAccess(ctx.actor, subject !== null, '对数据访问提出异议（仅限数据主体）');
  return inTransaction(ctx, async (tx) => {
    const rec = await repo.findAccessRecord(tx.db, input.id);
    if (!rec || rec.subject_kind !== subject!.kind || rec.subject !== subject!.id) throw new AppError('NOT_FOUND', '没有这条数据访问记录');
    const provider = rec.provider_department_id ?? rec.reader_department_id;
    const o = await repo.insertObjection(tx.db, {
      access_record_id: rec.id,
      provider_department_id: provider,
      raised_by: (tx.actor as { accountId: string }).accountId,
      reason: input.reason,
      raised_at: tx.now(),
    });
    await audit.record(tx, { action: 'access_objection.raised', subject: { objection: o.id, accessRecord: rec.id }, details: { provider } });
    return { id: o.id, status: 'open' as const, raisedAt: o.raised_at.toISOString(), providerDepartmentId: provider };
  });
}

/** Objections to reads of the steward's department's data. */
export async function listObjections(ctx: Ctx) {
  const a = ctx.actor;
  requireAccess(a, a.kind === 'staff' && canSharing(a, 'objection.list', { departmentId: a.departmentId }), '查看数据访问异议（数据专员或部门负责人）');
  const rows = await repo.listObjections(ctx.db, (a as { departmentId: string }).departmentId);
  return rows.map((o) => ({
    id: o.id,
    accessRecord: { id: o.record_id, at: o.record_at.toISOString(), readerDepartment: o.reader_name, fields: o.fields, purpose: o.purpose, caseNo: o.case_no, resource: o.resource_code },
    subjectMasked: /^\d{17}[\dX]$/.test(o.subject) ? maskIdNumber(o.subject) : o.subject,
    reason: o.reason,
    raisedAt: o.raised_at.toISOString(),
    status: o.status,
    answer: o.answer,
    answeredAt: o.answered_at?.toISOString() ?? null,
  }));
}

export async function answerObjection(ctx: Ctx, input: { id: string; answer: string }): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const o = await repo.lockObjection(tx.db, input.id);
    if (!o) throw new AppError('NOT_FOUND', '异议不存在');
    requireAccess(tx.actor, canSharing(tx.actor, 'objection.answer', { departmentId: o.provider_department_id }), '答复其他部门的数据访问异议');
    if (o.status !== 'open') throw new AppError('INVALID_STATE_TRANSITION', '该异议已答复');
    await repo.answerObjection(tx.db, input.id, { answer: input.answer, answered_by: (tx.actor as { accountId: string }).accountId, answered_at: tx.now() });
    await audit.record(tx, { action: 'access_objection.answered', subject: { objection: input.id } });
  });
}
