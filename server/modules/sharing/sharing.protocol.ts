/**
 * The signed exchange request (after X-Road's message protocol: every request authenticated,
 * signed, bound to a purpose, and logged). A department system calls
 *
 *     GET /api/v1/exchange/{resourceCode}?subject={ID number | credit code}
 *     Authorization:        Bearer tbk_…            the API client token (identity module)
 *     X-Tongban-Client:     {client id}             must be the token's client
 *     X-Tongban-Timestamp:  2026-11-26T08:00:00.000Z  within ±5 minutes of the server's clock
 *     X-Tongban-Nonce:      16–64 of [A-Za-z0-9_-]  never reused by the client (kept 10 minutes)
 *     X-Tongban-Purpose:    percent-encoded UTF-8   must be the purpose of a grant
 *     X-Tongban-Fields:     name,idNumber           the fields wanted, all covered by that grant
 *     X-Tongban-Case:       {case number}           required whenever the subject is a person
 *     X-Tongban-Signature:  base64 Ed25519 signature with the client's own key over the canonical
 *                           request below (the key is registered with POST
 *                           /api/v1/exchange/clients/{clientId}/keys; the private half stays with
 *                           the department system)
 *
 * The canonical request is the canonical JSON (shared/canonical-json.ts) of
 *     {method, path, subject, client, timestamp, nonce, purpose, fields (sorted), caseNo (or null)}
 * and its SHA-256 is returned inside the signed response, so an answer cannot be replayed
 * against another question.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json.js';

export const HEADERS = {
  client: 'x-tongban-client',
  timestamp: 'x-tongban-timestamp',
  nonce: 'x-tongban-nonce',
  purpose: 'x-tongban-purpose',
  fields: 'x-tongban-fields',
  caseNo: 'x-tongban-case',
  signature: 'x-tongban-signature',
} as const;

/** ±5 minutes: clocks of government systems are NTP-synchronised; a wider window widens replay. */
export const MAX_SKEW_MS = 5 * 60_000;
/** Nonces are remembered twice the skew, after which the timestamp alone refuses a replay. */
export const NONCE_TTL_MS = 2 * MAX_SKEW_MS;

export interface ExchangeRequest {
  method: 'GET';
  path: string;
  subject: string;
  client: string;
  timestamp: string;
  nonce: string;
  purpose: string;
  fields: string[];
  caseNo: string | null;
}

export function canonicalRequest(r: ExchangeRequest): string {
  return canonicalJson({ ...r, fields: [...r.fields].sort() });
}

export function requestHash(r: ExchangeRequest): string {
  return createHash('sha256').update(canonicalRequest(r)).digest('hex');
}

export type Headers = Record<string, string | string[] | undefined>;

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Reads the protocol headers; a list of what is missing or malformed, or the request and its signature. */
export function parseHeaders(
  headers: Headers,
  path: string,
  subject: string,
): { ok: true; request: ExchangeRequest; signature: Buffer } | { ok: false; problems: string[] } {
  const h = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const problems: string[] = [];
  const client = h(HEADERS.client);
  const timestamp = h(HEADERS.timestamp);
  const nonce = h(HEADERS.nonce);
  const purposeRaw = h(HEADERS.purpose);
  const fieldsRaw = h(HEADERS.fields);
  const caseNo = h(HEADERS.caseNo)?.trim() || null;
  const signature = h(HEADERS.signature);
  if (!client) problems.push(`缺少 ${HEADERS.client}`);
  if (!timestamp || Number.isNaN(Date.parse(timestamp))) problems.push(`${HEADERS.timestamp} 应为 ISO 8601 时间`);
  if (!nonce || !NONCE.test(nonce)) problems.push(`${HEADERS.nonce} 应为 16–64 位字母、数字、下划线或连字符`);
  let purpose = '';
  try {
    purpose = decodeURIComponent(purposeRaw ?? '').trim();
  } catch {
    problems.push(`${HEADERS.purpose} 的百分号编码无效`);
  }
  if (!purpose || purpose.length > 200) problems.push(`${HEADERS.purpose} 应写明用途（1–200 字，UTF-8 百分号编码）`);
  const fields = (fieldsRaw ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  if (fields.length === 0 || fields.some((f) => !FIELD.test(f))) problems.push(`${HEADERS.fields} 应为逗号分隔的字段名`);
  if (caseNo !== null && caseNo.length > 64) problems.push(`${HEADERS.caseNo} 过长`);
  if (!signature || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) problems.push(`${HEADERS.signature} 应为 base64 编码的 64 字节 Ed25519 签名`);
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    request: { method: 'GET', path, subject, client: client!, timestamp: timestamp!, nonce: nonce!, purpose, fields: [...new Set(fields)], caseNo },
    signature: Buffer.from(signature!, 'base64'),
  };
}

/**
 * What a department system sends (a reference implementation, used by the tests and the
 * benchmark): the headers for one signed request.
 */
export function signedRequestHeaders(
  r: Omit<ExchangeRequest, 'method'>,
  sign: (message: Buffer) => Buffer,
): Record<string, string> {
  const request: ExchangeRequest = { method: 'GET', ...r };
  return {
    [HEADERS.client]: r.client,
    [HEADERS.timestamp]: r.timestamp,
    [HEADERS.nonce]: r.nonce,
    [HEADERS.purpose]: encodeURIComponent(r.purpose),
    [HEADERS.fields]: r.fields.join(','),
    ...(r.caseNo ? { [HEADERS.caseNo]: r.caseNo } : {}),
    [HEADERS.signature]: sign(Buffer.from(canonicalRequest(request), 'utf8')).toString('base64'),
  };
}
