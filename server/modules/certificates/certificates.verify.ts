/**
 * Offline verification of a certificate document (核验, GB/T 36901: anyone can check an
 * e-certificate with the issuer's published public key). Pure: no database, no network. The
 * POST /certificates/verify endpoint, the GET …/verify endpoint and `npx tongban cert verify`
 * all run this one function; only the online callers can add the revocation status.
 *
 * Checks, in order, each failure with its own reason: the document's shape; the key is known;
 * the algorithm is the key's; the signed key id is the one presented; the key belongs to the
 * department named as issuer; the signature over the canonical encoding (shared/canonical-json)
 * of `certificate`; the key was current when the certificate was issued; not revoked; not expired.
 */
import { canonicalJson } from '../../../shared/canonical-json.js';
import { signerFor, isAlgorithm, SM2_DEFAULT_USER_ID, type Algorithm } from './certificates.signer.js';

export interface CertificateHolder {
  kind: 'person' | 'business';
  /** GB 11643 ID number (person). */
  idNumber?: string;
  /** GB 32100 unified social credit code (business). */
  creditCode?: string;
  name: string;
}

export type FieldValue = string | number | boolean | null;

/** What is signed. */
export interface CertificatePayload {
  certNo: string;
  type: string;
  typeName: string;
  holder: CertificateHolder;
  fields: Record<string, FieldValue>;
  issuer: { departmentId: string; name: string; regionCode: string; keyId: string };
  issuedAt: string;
  validUntil: string | null;
  caseNo?: string;
  originalNo?: string;
}

/** The document a holder keeps: the payload, its signature (base64), and which key made it. */
export interface CertificateDocument {
  certificate: CertificatePayload;
  signature: string;
  keyId: string;
  algorithm: Algorithm;
}

/** A published public key, as GET /api/v1/certificates/keys lists it. */
export interface PublishedKey {
  keyId: string;
  departmentId: string;
  departmentName: string;
  regionCode: string;
  algorithm: Algorithm;
  publicKey: string;
  validFrom: string;
  validUntil: string | null;
  retiredAt: string | null;
}

export const VERIFY_REASONS = [
  'malformed',
  'unknown_key',
  'algorithm_mismatch',
  'key_id_mismatch',
  'issuer_mismatch',
  'signature_mismatch',
  'key_not_valid_at_issue',
  'revoked',
  'expired',
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

export type CertificateStatus = 'valid' | 'revoked' | 'expired' | 'invalid';

export interface Verification {
  valid: boolean;
  status: CertificateStatus;
  reason: VerifyReason | null;
  /** Says what is wrong (zh-CN), or that the certificate is valid. */
  message: string;
  certificate: CertificatePayload | null;
  key: PublishedKey | null;
}

export interface VerifyOptions {
  now?: Date;
  /** Known online only: when and why the issuer revoked it. */
  revocation?: { at: string; reason: string } | null;
  sm2UserId?: string;
}

/** Keys by id: build once, verify many. */
export type KeyRing = ReadonlyMap<string, PublishedKey>;

export function keyRing(keys: readonly PublishedKey[]): KeyRing {
  return new Map(keys.map((k) => [k.keyId, k]));
}

const MESSAGES: Record<VerifyReason, string> = {
  malformed: '证照文件格式不正确：应包含 certificate、signature、keyId、algorithm',
  unknown_key: '签名密钥未公布：不是本平台任何发证部门的密钥',
  algorithm_mismatch: '签名算法与所称密钥的算法不符',
  key_id_mismatch: '文件所称的密钥与证照内签名的密钥标识不符',
  issuer_mismatch: '签名密钥不属于证照所载的发证部门（用其他部门的密钥签名）',
  signature_mismatch: '签名与证照内容不符：证照内容被改动，或签名不是用所称密钥生成的',
  key_not_valid_at_issue: '签发时该密钥不在有效期内',
  revoked: '证照已被发证部门注销',
  expired: '证照已过有效期',
};

function fail(reason: VerifyReason, certificate: CertificatePayload | null, key: PublishedKey | null, extra = ''): Verification {
  return { valid: false, status: reason === 'revoked' ? 'revoked' : reason === 'expired' ? 'expired' : 'invalid', reason, message: MESSAGES[reason] + extra, certificate, key };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** The shape, checked by hand: this runs once per verification and must stay cheap. */
function payloadOf(doc: unknown): { payload: CertificatePayload; signature: Buffer; keyId: string; algorithm: Algorithm } | null {
  if (!isObject(doc) || !isObject(doc.certificate) || !isString(doc.signature) || !isString(doc.keyId) || !isAlgorithm(doc.algorithm)) return null;
  const c = doc.certificate;
  if (!isString(c.certNo) || !isString(c.type) || !isString(c.issuedAt) || !ISO.test(c.issuedAt)) return null;
  if (!(c.validUntil === null || (isString(c.validUntil) && ISO.test(c.validUntil)))) return null;
  if (!isObject(c.holder) || !isObject(c.fields) || !isObject(c.issuer)) return null;
  if (!isString(c.issuer.keyId) || !isString(c.issuer.departmentId)) return null;
  if (!/^[A-Za-z0-9+/]{86}==$/.test(doc.signature)) return null; // 64 bytes, base64
  return { payload: c as unknown as CertificatePayload, signature: Buffer.from(doc.signature, 'base64'), keyId: doc.keyId, algorithm: doc.algorithm };
}

/** The bytes that are signed: the UTF-8 canonical JSON of the payload. */
export function signedBytes(payload: CertificatePayload): Buffer {
  return Buffer.from(canonicalJson(payload), 'utf8');
}

export function verifyDocument(doc: unknown, keys: KeyRing | readonly PublishedKey[], opts: VerifyOptions = {}): Verification {
  const ring: KeyRing = Array.isArray(keys) ? keyRing(keys) : (keys as KeyRing);
  const parsed = payloadOf(doc);
  if (!parsed) return fail('malformed', null, null);
  const { payload, signature, keyId, algorithm } = parsed;
  const key = ring.get(keyId);
  if (!key) return fail('unknown_key', payload, null, `（${keyId}）`);
  if (key.algorithm !== algorithm) return fail('algorithm_mismatch', payload, key, `（文件称 ${algorithm}，密钥为 ${key.algorithm}）`);
  if (payload.issuer.keyId !== keyId) return fail('key_id_mismatch', payload, key);
  if (key.departmentId !== payload.issuer.departmentId) return fail('issuer_mismatch', payload, key, `（密钥属于 ${key.departmentName}）`);
  const signer = signerFor(key.algorithm, opts.sm2UserId ?? SM2_DEFAULT_USER_ID);
  if (!signer.verify(key.publicKey, signedBytes(payload), signature)) return fail('signature_mismatch', payload, key);
  const issued = Date.parse(payload.issuedAt);
  const retired = key.retiredAt ? Date.parse(key.retiredAt) : Infinity;
  const keyUntil = key.validUntil ? Date.parse(key.validUntil) : Infinity;
  if (issued < Date.parse(key.validFrom) || issued >= Math.min(retired, keyUntil)) return fail('key_not_valid_at_issue', payload, key);
  if (opts.revocation) return fail('revoked', payload, key, `（${opts.revocation.at.slice(0, 10)}：${opts.revocation.reason}）`);
  const now = (opts.now ?? new Date()).getTime();
  if (payload.validUntil !== null && Date.parse(payload.validUntil) <= now) return fail('expired', payload, key, `（有效期至 ${payload.validUntil.slice(0, 10)}）`);
  return { valid: true, status: 'valid', reason: null, message: `证照有效：${payload.typeName} ${payload.certNo}，由 ${key.departmentName} 签发`, certificate: payload, key };
}
