/**
 * Electronic certificates (电子证照): 生成、签发、核验、注销, the holder's wallet (证照夹) and
 * share links (亮证) — GB/T 36901–36905-2018; 国务院令第716号: an e-licence has the force of the
 * paper one, and where one exists the paper one may not be asked for.
 *
 * Each issuing department signs with its own key, created on first use and kept server-side
 * (sealed under TONGBAN_KEY_ENCRYPTION_KEY, certificates.keystore.ts); its public half is
 * published at GET /certificates/keys so that anyone can verify offline (certificates.verify.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import {
  CertificateFields,
  CertificateTypeCode,
  HolderInput,
  type ImportCertificates,
  type VerificationResult,
  type WalletCertificate,
} from '../../../shared/contracts/certificates.js';
import { maskIdNumber, maskName } from '../../../shared/identity-numbers.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { chinaDate } from '../../core/workdays.js';
import { runBatch } from '../../core/write-batch.js';
import { getDepartment } from '../regions/index.js';
import { canCertificates } from './certificates.policy.js';
import { formatCertNo, isCertNo, serialPrefix } from './certificates.numbers.js';
import { certificateSettings } from './certificates.settings.js';
import { openPrivateKey, sealPrivateKey } from './certificates.keystore.js';
import { signerFor, type Algorithm } from './certificates.signer.js';
import { typeAbbr, typeName as nameOfType } from './certificates.types.js';
import {
  signedBytes,
  verifyDocument,
  type CertificateDocument,
  type CertificateHolder,
  type CertificatePayload,
  type FieldValue,
  type PublishedKey,
  type Verification,
} from './certificates.verify.js';
import { renderCertificatePdf } from './certificates.pdf.js';
import * as repo from './certificates.repository.js';

// ── keys ────────────────────────────────────────────────────────────────────────────────────

interface SigningKey {
  keyId: string;
  algorithm: Algorithm;
  privateKey: string;
}

/**
 * Current signing keys per database, department and algorithm, for the exchange's answers (the
 * hot path). Entries live a minute, so a rotation done by another process is picked up; a
 * certificate is always signed with the key read — and locked — in its own transaction. Only keys
 * read back from the database are cached, never one created in the running transaction (it
 * could still roll back).
 */
const signingKeys = new WeakMap<object, Map<string, SigningKey & { at: number }>>();
const CACHE_MS = 60_000;

function keyCache(ctx: Ctx): Map<string, SigningKey & { at: number }> {
  let m = signingKeys.get(ctx.runtime.db);
  if (!m) signingKeys.set(ctx.runtime.db, (m = new Map()));
  return m;
}

function cachedKey(ctx: Ctx, departmentId: string, algorithm: Algorithm): SigningKey | undefined {
  const hit = keyCache(ctx).get(`${departmentId}:${algorithm}`);
  return hit && Date.now() - hit.at < CACHE_MS ? hit : undefined;
}

/** `ed25519-<first 16 hex of SHA-256 of the public key>`: stable, and says which key it is. */
function keyIdOf(algorithm: Algorithm, publicKey: string): string {
  return `${algorithm}-${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
}

/**
 * The department's current key, created on first use inside the caller's transaction.
 * `forCertificate`: read past the cache and lock the key row until the caller commits.
 */
async function signingKey(tx: Ctx, departmentId: string, forCertificate = false): Promise<SigningKey> {
  const settings = certificateSettings();
  if (!forCertificate) {
    const hit = cachedKey(tx, departmentId, settings.algorithm);
    if (hit) return hit;
  }
  const found = await repo.findSigningKey(tx.db, departmentId, settings.algorithm, forCertificate);
  if (found) {
    const key = { keyId: found.key_id, algorithm: found.algorithm, privateKey: openPrivateKey(found.private_key, found.key_id, settings.keyEncryptionKey) };
    keyCache(tx).set(`${departmentId}:${settings.algorithm}`, { ...key, at: Date.now() });
    return key;
  }
  if (!settings.keyEncryptionKey && settings.production) {
    throw new AppError('SERVICE_UNAVAILABLE', '未设置 TONGBAN_KEY_ENCRYPTION_KEY：生产环境不以明文保存签名私钥（等保 2.0 三级），请设置后重试');
  }
  const pair = signerFor(settings.algorithm, settings.sm2UserId).generate();
  const keyId = keyIdOf(settings.algorithm, pair.publicKey);
  const { sealed, encrypted } = sealPrivateKey(pair.privateKey, keyId, settings.keyEncryptionKey);
  const inserted = await repo.insertKeyIfNone(tx.db, {
    key_id: keyId,
    department_id: departmentId,
    algorithm: settings.algorithm,
    public_key: pair.publicKey,
    private_key: sealed,
    encrypted,
    valid_from: new Date(tx.now().getTime() - 1000), // a second of slack for clocks between processes
  });
  if (inserted) {
    await audit.record(tx, { action: 'certificate_key.created', subject: { department: departmentId, key: keyId }, details: { algorithm: settings.algorithm, encrypted } });
    return { keyId, algorithm: settings.algorithm, privateKey: pair.privateKey };
  }
  // a concurrent first use created it: use theirs
  const theirs = await repo.findSigningKey(tx.db, departmentId, settings.algorithm, forCertificate);
  if (!theirs) throw new AppError('CONFLICT', '签名密钥正在创建，请重试', { retryable: true });
  return { keyId: theirs.key_id, algorithm: theirs.algorithm, privateKey: openPrivateKey(theirs.private_key, theirs.key_id, settings.keyEncryptionKey) };
}

/**
 * Retires the department's current key and makes a new one (key rotation: a suspected
 * compromise, a staff change, or the policy's period). What the old key signed stays valid —
 * it was current when it signed — and nothing new is signed with it.
 * The department's head, or a system administrator over its region. @throws FORBIDDEN, NOT_FOUND
 */
export async function rotateDepartmentKey(ctx: Ctx, departmentId: string): Promise<{ retired: string[]; current: PublishedKey }> {
  const result = await inTransaction(ctx, async (tx) => {
    const dept = await getDepartment(tx, departmentId);
    const a = tx.actor;
    const allowed =
      a.kind === 'console' ||
      (a.kind === 'staff' && ((a.roles.includes('department_head') && a.departmentId === dept.id) || (a.roles.includes('system_admin') && dept.regionPath.includes(a.regionCode))));
    requireAccess(a, allowed, `更换 ${dept.name} 的签名密钥`);
    const settings = certificateSettings();
    const retired = (await repo.retireKeys(tx.db, dept.id, settings.algorithm, tx.now())).map((r) => r.key_id);
    keyCache(tx).delete(`${dept.id}:${settings.algorithm}`);
    for (const keyId of retired) await audit.record(tx, { action: 'certificate_key.retired', subject: { department: dept.id, key: keyId } });
    const key = await signingKey(tx, dept.id, true);
    return { retired, keyId: key.keyId };
  });
  keyCache(ctx).delete(`${departmentId}:${certificateSettings().algorithm}`);
  return { retired: result.retired, current: (await findPublishedKey(ctx, result.keyId))! };
}

export interface DepartmentSignature {
  keyId: string;
  algorithm: Algorithm;
  /** base64 of the 64-byte signature. */
  signature: string;
}

/**
 * Signs bytes with a department's key (the exchange signs its responses with the provider's).
 * Joins the caller's transaction; the private key never leaves this module.
 */
export async function signAsDepartment(ctx: Ctx, departmentId: string, message: Uint8Array): Promise<DepartmentSignature> {
  const settings = certificateSettings();
  // the hot path (every exchange answer): a cached key costs no round trip, not even BEGIN/COMMIT
  const key = cachedKey(ctx, departmentId, settings.algorithm) ?? (await inTransaction(ctx, (tx) => signingKey(tx, departmentId)));
  const signer = signerFor(key.algorithm, settings.sm2UserId);
  return { keyId: key.keyId, algorithm: key.algorithm, signature: signer.sign(key.privateKey, message).toString('base64') };
}

function toPublishedKey(k: repo.KeyRow): PublishedKey {
  return {
    keyId: k.key_id,
    departmentId: k.department_id,
    departmentName: k.department_name,
    regionCode: k.region_code,
    algorithm: k.algorithm,
    publicKey: k.public_key,
    validFrom: k.valid_from.toISOString(),
    validUntil: k.valid_until?.toISOString() ?? null,
    retiredAt: k.retired_at?.toISOString() ?? null,
  };
}

/** Every public key, current and retired (a retired key still verifies what it signed). Public. */
export async function listPublishedKeys(ctx: Ctx): Promise<{ keys: PublishedKey[]; sm2UserId: string }> {
  return { keys: (await repo.listKeys(ctx.db)).map(toPublishedKey), sm2UserId: certificateSettings().sm2UserId };
}

/** One published key by id, or null. */
export async function findPublishedKey(ctx: Ctx, keyId: string): Promise<PublishedKey | null> {
  const k = await repo.findKey(ctx.db, keyId);
  return k ? toPublishedKey(k) : null;
}

// ── issuing ─────────────────────────────────────────────────────────────────────────────────

export interface IssueCertificateInput {
  /** Certificate type code (the catalogue's `resultType`, e.g. `food_business_licence`). */
  type: string;
  /** Needed only for a type this module does not know by name. */
  typeName?: string | undefined;
  holder: { kind: 'person'; idNumber: string; name: string } | { kind: 'business'; creditCode: string; name: string };
  fields: Record<string, FieldValue>;
  issuerDepartmentId: string;
  validUntil?: Date | string | null | undefined;
  /** The case whose approval produced it. */
  caseNo?: string | undefined;
}

export interface IssuedCertificate {
  certNo: string;
  document: CertificateDocument;
}

function validation(e: z.ZodError, prefix: string): AppError {
  return AppError.validation(e.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message })));
}

/**
 * Issues a signed certificate. Must run inside the caller's transaction (a case concluding with
 * approval issues its certificate in the same transaction, so neither exists without the other).
 * The actor must be a reviewer or the head of the issuing department (or the console).
 * @throws VALIDATION_FAILED, FORBIDDEN, NOT_FOUND (department)
 */
export async function issueCertificate(ctx: Ctx, input: IssueCertificateInput): Promise<IssuedCertificate> {
  if (!ctx.inTransaction) throw new Error('issueCertificate must run inside the caller’s transaction (inTransaction)');
  return issue(ctx, input, undefined);
}

async function issue(tx: Ctx, input: IssueCertificateInput, originalNo: string | undefined): Promise<IssuedCertificate> {
  const type = CertificateTypeCode.safeParse(input.type);
  if (!type.success) throw validation(type.error, 'type');
  const holder = HolderInput.safeParse(input.holder);
  if (!holder.success) throw validation(holder.error, 'holder');
  const fields = CertificateFields.safeParse(input.fields);
  if (!fields.success) throw validation(fields.error, 'fields');
  const now = tx.now();
  const validUntil = input.validUntil ? new Date(input.validUntil) : null;
  if (validUntil && (Number.isNaN(validUntil.getTime()) || validUntil <= now)) {
    throw AppError.validation([{ path: 'validUntil', message: '有效期应晚于签发时间' }]);
  }
  const dept = await getDepartment(tx, input.issuerDepartmentId);
  requireAccess(tx.actor, canCertificates(tx.actor, originalNo === undefined ? 'issue' : 'import', { issuerDepartmentId: dept.id }), `以 ${dept.name} 的名义签发证照`);

  const key = await signingKey(tx, dept.id, true);
  const year = Number(chinaDate(now).slice(0, 4));
  const prefix = serialPrefix(typeAbbr(type.data), dept.regionCode, year);
  const certNo = formatCertNo(prefix, await repo.nextSerial(tx.db, prefix));
  const h = holder.data;
  const certificateHolder: CertificateHolder =
    h.kind === 'person' ? { kind: 'person', idNumber: h.idNumber, name: h.name } : { kind: 'business', creditCode: h.creditCode, name: h.name };
  const payload: CertificatePayload = {
    certNo,
    type: type.data,
    typeName: nameOfType(type.data, input.typeName),
    holder: certificateHolder,
    fields: fields.data,
    issuer: { departmentId: dept.id, name: dept.name, regionCode: dept.regionCode, keyId: key.keyId },
    issuedAt: now.toISOString(),
    validUntil: validUntil?.toISOString() ?? null,
    ...(input.caseNo ? { caseNo: input.caseNo } : {}),
    ...(originalNo ? { originalNo } : {}),
  };
  const signature = signerFor(key.algorithm, certificateSettings().sm2UserId).sign(key.privateKey, signedBytes(payload)).toString('base64');
  const certificate = repo.insertCertificate(tx.db, {
    cert_no: certNo,
    type: payload.type,
    type_name: payload.typeName,
    holder_kind: h.kind,
    holder_id: h.kind === 'person' ? h.idNumber : h.creditCode,
    holder_name: h.name,
    issuer_department_id: dept.id,
    key_id: key.keyId,
    issued_at: now,
    valid_until: validUntil,
    case_no: input.caseNo ?? null,
    original_no: originalNo ?? null,
    document: JSON.stringify(payload),
    signature,
  });
  const entry = audit.entriesInsert(tx, [{
    action: 'certificate.issued',
    subject: { certificate: certNo },
    details: { type: payload.type, issuer: dept.id, keyId: key.keyId, holderKind: h.kind, ...(input.caseNo ? { caseNo: input.caseNo } : {}), ...(originalNo ? { originalNo } : {}) },
  }]);
  // the certificate and its audit entry as one statement: they commit together all the same, for one round trip less
  await runBatch(tx.db, [{ query: certificate }, { query: entry }]);
  return { certNo, document: { certificate: payload, signature, keyId: key.keyId, algorithm: key.algorithm } };
}

/**
 * Digitises paper licences already held (存量证照电子化): the issuing department imports them with
 * their original numbers and each becomes a signed e-certificate. All or nothing.
 * @throws FORBIDDEN, CONFLICT (a number already imported), VALIDATION_FAILED
 */
export async function importCertificates(ctx: Ctx, input: ImportCertificates): Promise<{ imported: { originalNo: string; certNo: string }[] }> {
  return inTransaction(ctx, async (tx) => {
    const dept = await getDepartment(tx, input.issuerDepartmentId);
    requireAccess(tx.actor, canCertificates(tx.actor, 'import', { issuerDepartmentId: dept.id }), `为 ${dept.name} 导入证照`);
    const numbers = input.licences.map((l) => l.originalNo);
    const twice = numbers.filter((n, i) => numbers.indexOf(n) !== i);
    if (twice.length) throw AppError.validation([{ path: 'licences', message: `原证照编号重复：${[...new Set(twice)].join('、')}` }]);
    const existing = await repo.findByOriginal(tx.db, input.type, dept.id, numbers);
    if (existing.length) {
      throw new AppError('CONFLICT', `以下原证照已导入：${existing.map((e) => `${e.original_no} → ${e.cert_no}`).join('、')}`, {
        existing: existing.map((e) => ({ originalNo: e.original_no, certNo: e.cert_no })),
      });
    }
    const imported: { originalNo: string; certNo: string }[] = [];
    for (const l of input.licences) {
      const r = await issue(tx, { type: input.type, typeName: input.typeName, holder: l.holder, fields: l.fields, issuerDepartmentId: dept.id, validUntil: l.validUntil }, l.originalNo);
      imported.push({ originalNo: l.originalNo, certNo: r.certNo });
    }
    await audit.record(tx, { action: 'certificates.imported', subject: { department: dept.id }, details: { type: input.type, count: imported.length } });
    return { imported };
  });
}

// ── verifying ───────────────────────────────────────────────────────────────────────────────

function maskedHolder(h: CertificateHolder): { kind: 'person' | 'business'; name: string; idMasked: string } {
  // a business's name and credit code are public (企业信息公示暂行条例); a person's are masked
  return h.kind === 'person'
    ? { kind: 'person', name: maskName(h.name), idMasked: maskIdNumber(h.idNumber ?? '') }
    : { kind: 'business', name: h.name, idMasked: h.creditCode ?? '' };
}

function toResult(v: Omit<Verification, 'reason'> & { reason: Verification['reason'] | 'not_registered' }, revokedAt: Date | null = null): VerificationResult {
  const c = v.certificate;
  return {
    valid: v.valid,
    status: v.status,
    reason: v.reason,
    message: v.message,
    certNo: c?.certNo ?? null,
    type: c?.type ?? null,
    typeName: c?.typeName ?? null,
    issuer: c && v.key ? { departmentId: c.issuer.departmentId, name: v.key.departmentName, keyId: v.key.keyId } : null,
    holder: c && v.reason !== 'malformed' && typeof c.holder?.name === 'string' ? maskedHolder(c.holder) : null,
    issuedAt: c?.issuedAt ?? null,
    validUntil: c?.validUntil ?? null,
    revokedAt: revokedAt?.toISOString() ?? null,
  };
}

function documentOf(row: { document: unknown; signature: string; key_id: string }, algorithm: Algorithm): CertificateDocument {
  return { certificate: row.document as CertificatePayload, signature: row.signature, keyId: row.key_id, algorithm };
}

function revocationOf(row: { revoked_at: Date | null; revocation_reason: string | null }) {
  return row.revoked_at ? { at: row.revoked_at.toISOString(), reason: row.revocation_reason ?? '' } : null;
}

/**
 * The registry's answer for a certificate number (public, no sign-in): the stored document is
 * verified again, so a row changed in the database shows as invalid.
 * @throws NOT_FOUND
 */
export async function verifyCertificate(ctx: Ctx, certNo: string): Promise<VerificationResult> {
  if (!isCertNo(certNo)) throw new AppError('NOT_FOUND', `证照编号 ${certNo} 无效（校验位不符）`);
  const row = await repo.findCertificateWithKey(ctx.db, certNo);
  if (!row) throw new AppError('NOT_FOUND', `证照 ${certNo} 不存在`);
  const key = toPublishedKey(row);
  const v = verifyDocument(documentOf(row, key.algorithm), [key], { now: ctx.now(), revocation: revocationOf(row), sm2UserId: certificateSettings().sm2UserId });
  return toResult(v, row.revoked_at);
}

/**
 * Verifies a document someone presents: signature, issuer key, then — online only — that the
 * registry knows it and has not revoked it, and that it has not expired. Public.
 */
export async function verifyPresentedDocument(ctx: Ctx, doc: unknown): Promise<VerificationResult> {
  const d = doc as { keyId?: unknown; certificate?: { certNo?: unknown } } | null;
  const keyId = typeof d?.keyId === 'string' ? d.keyId : null;
  const certNo = typeof d?.certificate?.certNo === 'string' ? d.certificate.certNo : '';
  const row = keyId ? await repo.findKeyAndStatus(ctx.db, keyId, certNo) : undefined;
  const key = row ? toPublishedKey(row) : null;
  const sm2UserId = certificateSettings().sm2UserId;
  const offline = verifyDocument(doc, key ? [key] : [], { now: ctx.now(), sm2UserId });
  // the signature is the issuer's: now the registry's word on its status
  if (row && offline.certificate && (offline.valid || offline.reason === 'expired')) {
    if (!row.registered_no) {
      return toResult({ ...offline, valid: false, status: 'invalid', reason: 'not_registered', message: '签名有效，但发证登记中没有这张证照' });
    }
    const revocation = revocationOf(row);
    if (revocation) return toResult(verifyDocument(doc, [key!], { now: ctx.now(), revocation, sm2UserId }), row.revoked_at);
  }
  return toResult(offline);
}

// ── the holder ──────────────────────────────────────────────────────────────────────────────

/** The signed-in person's ID number or business's credit code; null for anyone else. */
export async function subjectOfActor(ctx: Ctx): Promise<{ kind: 'person' | 'business'; id: string; name: string } | null> {
  const a = ctx.actor;
  if (a.kind !== 'person' && a.kind !== 'business') return null;
  const r = await repo.findAccountSubject(ctx.db, a.accountId);
  if (!r) return null;
  const id = r.kind === 'person' ? r.id_number : r.credit_code;
  return id && (r.kind === 'person' || r.kind === 'business') ? { kind: r.kind, id, name: r.name } : null;
}

function statusOf(row: { revoked_at: Date | null; valid_until: Date | null }, now: Date): 'valid' | 'revoked' | 'expired' {
  if (row.revoked_at) return 'revoked';
  return row.valid_until && row.valid_until <= now ? 'expired' : 'valid';
}

/** The holder's wallet (证照夹): every certificate issued to them, with the signed document. */
export async function listWallet(ctx: Ctx): Promise<WalletCertificate[]> {
  const subject = await subjectOfActor(ctx);
  requireAccess(ctx.actor, subject !== null, '查看证照夹（仅限本人或本企业）');
  const rows = await repo.listByHolder(ctx.db, subject!.kind, subject!.id);
  const now = ctx.now();
  return rows.map((r) => {
    const doc = r.document as CertificatePayload;
    return {
      certNo: r.cert_no,
      type: r.type,
      typeName: r.type_name,
      status: statusOf(r, now),
      issuer: { departmentId: r.issuer_department_id, name: doc.issuer.name },
      issuedAt: r.issued_at.toISOString(),
      validUntil: r.valid_until?.toISOString() ?? null,
      revokedAt: r.revoked_at?.toISOString() ?? null,
      revocationReason: r.revocation_reason,
      document: { certificate: doc, signature: r.signature, keyId: r.key_id, algorithm: r.key_id.startsWith('sm2-') ? 'sm2' : 'ed25519' },
    };
  });
}

export interface HeldCertificate {
  certNo: string;
  type: string;
  typeName: string;
  status: 'valid' | 'revoked' | 'expired';
  issuer: { departmentId: string; name: string };
  issuedAt: string;
  validUntil: string | null;
}

/**
 * The certificates a person or business holds, optionally of some types — for 免提交: a material
 * the catalogue marks `satisfiedBy.certificateType` is satisfied by reference to a valid one
 * (国务院令第716号: where an e-licence exists, the paper one may not be asked for). For the
 * holder themselves, staff, department systems and flows; the case keeps the certNo, not a copy.
 */
export async function holderCertificates(ctx: Ctx, holder: { kind: 'person' | 'business'; id: string }, types?: readonly string[]): Promise<HeldCertificate[]> {
  const a = ctx.actor;
  if (a.kind === 'person' || a.kind === 'business') {
    const me = await subjectOfActor(ctx);
    requireAccess(a, !!me && me.kind === holder.kind && me.id === holder.id, '查看他人的证照');
  } else {
    requireAccess(a, a.kind === 'staff' || a.kind === 'system' || a.kind === 'console', '查看持证情况');
  }
  const now = ctx.now();
  return (await repo.listByHolder(ctx.db, holder.kind, holder.id))
    .filter((r) => !types || types.includes(r.type))
    .map((r) => ({
      certNo: r.cert_no,
      type: r.type,
      typeName: r.type_name,
      status: statusOf(r, now),
      issuer: { departmentId: r.issuer_department_id, name: (r.document as CertificatePayload).issuer.name },
      issuedAt: r.issued_at.toISOString(),
      validUntil: r.valid_until?.toISOString() ?? null,
    }));
}

async function loadForHolder(ctx: Ctx, certNo: string, forUpdate = false) {
  const row = await repo.findCertificate(ctx.db, certNo, forUpdate);
  const subject = await subjectOfActor(ctx);
  const isHolder = !!row && !!subject && row.holder_kind === subject.kind && row.holder_id === subject.id;
  return { row, isHolder };
}

/** The issuing department revokes a certificate, with its reason (注销/撤销). @throws FORBIDDEN, NOT_FOUND, INVALID_STATE_TRANSITION */
export async function revokeCertificate(ctx: Ctx, input: { certNo: string; reason: string }): Promise<VerificationResult> {
  await inTransaction(ctx, async (tx) => {
    const row = await repo.findCertificate(tx.db, input.certNo, true);
    if (!row) throw new AppError('NOT_FOUND', `证照 ${input.certNo} 不存在`);
    requireAccess(tx.actor, canCertificates(tx.actor, 'revoke', { issuerDepartmentId: row.issuer_department_id }), '注销其他部门签发的证照');
    if (row.revoked_at) throw new AppError('INVALID_STATE_TRANSITION', `证照 ${input.certNo} 已于 ${chinaDate(row.revoked_at)} 注销`);
    await repo.revoke(tx.db, input.certNo, tx.now(), tx.actor.kind === 'staff' ? tx.actor.accountId : null, input.reason);
    await audit.record(tx, { action: 'certificate.revoked', subject: { certificate: input.certNo }, details: { reason: input.reason } });
  });
  return verifyCertificate(ctx, input.certNo);
}

// ── share links (亮证) ──────────────────────────────────────────────────────────────────────

const SHARE_PREFIX = 'tbs_';
const tokenHash = (t: string) => createHash('sha256').update(t).digest('hex');

function shareUrl(origin: string, token: string): string {
  return `${certificateSettings().publicUrl ?? origin}/certificates/shared/${token}`; // the web page (it calls the API): a person opens it or scans it
}

/** The holder makes a short-lived link that shows the certificate, holder masked. */
export async function createShare(ctx: Ctx, input: { certNo: string; minutes: number; origin: string }) {
  return inTransaction(ctx, async (tx) => {
    const { row, isHolder } = await loadForHolder(tx, input.certNo);
    if (!row) throw new AppError('NOT_FOUND', `证照 ${input.certNo} 不存在`);
    requireAccess(tx.actor, canCertificates(tx.actor, 'share', { issuerDepartmentId: row.issuer_department_id, actorIsHolder: isHolder }), '分享他人的证照');
    if (row.revoked_at) throw new AppError('INVALID_STATE_TRANSITION', '已注销的证照不能亮证');
    const token = SHARE_PREFIX + randomBytes(32).toString('base64url');
    const now = tx.now();
    const s = await repo.insertShare(tx.db, {
      cert_no: row.cert_no,
      token_hash: tokenHash(token),
      created_by: (tx.actor as { accountId: string }).accountId,
      created_at: now,
      expires_at: new Date(now.getTime() + input.minutes * 60_000),
    });
    await audit.record(tx, { action: 'certificate.shared', subject: { certificate: row.cert_no, share: s.id }, details: { minutes: input.minutes } });
    return { id: s.id, certNo: row.cert_no, createdAt: s.created_at.toISOString(), expiresAt: s.expires_at.toISOString(), withdrawnAt: null, token, url: shareUrl(input.origin, token) };
  });
}

export async function listShares(ctx: Ctx, certNo: string) {
  const { row, isHolder } = await loadForHolder(ctx, certNo);
  if (!row) throw new AppError('NOT_FOUND', `证照 ${certNo} 不存在`);
  requireAccess(ctx.actor, canCertificates(ctx.actor, 'share', { issuerDepartmentId: row.issuer_department_id, actorIsHolder: isHolder }), '查看他人证照的分享');
  return (await repo.listShares(ctx.db, certNo)).map((s) => ({
    id: s.id,
    certNo: s.cert_no,
    createdAt: s.created_at.toISOString(),
    expiresAt: s.expires_at.toISOString(),
    withdrawnAt: s.withdrawn_at?.toISOString() ?? null,
  }));
}

/** The holder withdraws a link before it expires. @throws NOT_FOUND, FORBIDDEN */
export async function withdrawShare(ctx: Ctx, input: { certNo: string; id: string }): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const { row, isHolder } = await loadForHolder(tx, input.certNo);
    if (!row) throw new AppError('NOT_FOUND', `证照 ${input.certNo} 不存在`);
    requireAccess(tx.actor, canCertificates(tx.actor, 'share', { issuerDepartmentId: row.issuer_department_id, actorIsHolder: isHolder }), '撤回他人证照的分享');
    const gone = await repo.withdrawShare(tx.db, input.id, input.certNo, tx.now());
    if (!gone) throw new AppError('NOT_FOUND', '分享链接不存在或已撤回');
    await audit.record(tx, { action: 'certificate.share_withdrawn', subject: { certificate: input.certNo, share: input.id } });
  });
}

/** What a share link shows (public): the certificate's fields, its status, the holder masked. Every view is logged for the holder's usage log. */
export async function viewShared(ctx: Ctx, token: string) {
  const share = await repo.findShareByToken(ctx.db, tokenHash(token));
  const now = ctx.now();
  if (!share || share.withdrawn_at || share.expires_at <= now) throw new AppError('NOT_FOUND', '分享链接不存在、已过期或已被持证人撤回');
  const row = await repo.findCertificateWithKey(ctx.db, share.cert_no);
  if (!row) throw new AppError('NOT_FOUND', '证照不存在');
  const key = toPublishedKey(row);
  const v = verifyDocument(documentOf(row, key.algorithm), [key], { now, revocation: revocationOf(row), sm2UserId: certificateSettings().sm2UserId });
  const doc = row.document as CertificatePayload;
  await inTransaction(ctx, (tx) => audit.record(tx, { action: 'certificate.share_viewed', subject: { certificate: row.cert_no, share: share.id } }));
  return {
    certNo: row.cert_no,
    type: row.type,
    typeName: row.type_name,
    valid: v.valid,
    status: v.status,
    issuer: { departmentId: row.issuer_department_id, name: doc.issuer.name },
    holder: maskedHolder(doc.holder),
    fields: doc.fields,
    issuedAt: doc.issuedAt,
    validUntil: doc.validUntil,
    shareExpiresAt: share.expires_at.toISOString(),
  };
}

// ── printable copy ──────────────────────────────────────────────────────────────────────────

/** A printable PDF with a QR code of the verify link: for the holder or the issuing department. */
export async function certificatePdf(ctx: Ctx, input: { certNo: string; origin: string }): Promise<Buffer> {
  const { row, isHolder } = await loadForHolder(ctx, input.certNo);
  if (!row) throw new AppError('NOT_FOUND', `证照 ${input.certNo} 不存在`);
  requireAccess(ctx.actor, canCertificates(ctx.actor, 'view', { issuerDepartmentId: row.issuer_department_id, actorIsHolder: isHolder }), '打印他人的证照');
  const verifyUrl = `${certificateSettings().publicUrl ?? input.origin}/certificates/${row.cert_no}/verify`; // the web page a QR scan opens
  return renderCertificatePdf({
    payload: row.document as CertificatePayload,
    keyId: row.key_id,
    status: statusOf(row, ctx.now()),
    verifyUrl,
  });
}
