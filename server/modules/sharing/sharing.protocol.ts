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
 *
 * Batch signatures (X-Road's hash chains, after its Signed Document Format): a system with many
 * requests in flight may sign them together, once. The leaves are SHA-256(0x00 ‖ canonical
 * request), an inner node is SHA-256(0x01 ‖ left ‖ right) (the domain separation of RFC 6962, so
 * a leaf can never pass for a node), a node without a sibling goes up unchanged, and the
 * signature is over the ASCII bytes `tongban-exchange-batch-v1:` + hex(root). Each request of
 * the batch carries that signature and
 *     X-Tongban-Signature-Chain: r:{hex},l:{hex},…   its siblings from the leaf up, each with the
 *                                                     side it sits on (at most 20: 2^20 requests)
 * A request without the chain header is signed alone, over its canonical request. Either way
 * the server checks every request: its own fields, nonce, timestamp, grant; only the one
 * Ed25519 verification is shared (a verified root is remembered for a minute by the process).
 *
 * Answers are signed the same way: the answers of one provider ready at the same time share one
 * signature over `tongban-exchange-response-batch-v1:` + hex(root), the leaves being
 * SHA-256(0x00 ‖ canonical JSON of `data`), and each answer's `signature.chain` leads there; an
 * answer without `chain` is signed alone, over the canonical JSON of its `data`.
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
  chain: 'x-tongban-signature-chain',
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

// ── batch signatures ────────────────────────────────────────────────────────────────────────

/** A sibling on the way from a leaf to the root, and the side it sits on. */
export interface ChainLink {
  side: 'l' | 'r';
  hash: Buffer;
}

/** 2^20 requests in one batch at most: far more than a system has in flight. */
export const MAX_CHAIN = 20;
const BATCH_PREFIX = { request: 'tongban-exchange-batch-v1:', response: 'tongban-exchange-response-batch-v1:' } as const;

export function leafHash(canonical: string): Buffer {
  return createHash('sha256').update(LEAF).update(canonical, 'utf8').digest();
}
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

/** The root a leaf and its chain lead to. */
export function foldChain(leaf: Buffer, chain: readonly ChainLink[]): Buffer {
  return chain.reduce((h, link) => (link.side === 'l' ? nodeHash(link.hash, h) : nodeHash(h, link.hash)), leaf);
}

/** The bytes a batch signature signs: of requests (the client's key) or of answers (the provider's). */
export function batchMessage(root: Buffer, of: keyof typeof BATCH_PREFIX = 'request'): Buffer {
  return Buffer.from(BATCH_PREFIX[of] + root.toString('hex'), 'ascii');
}

/** The hash tree over `leaves`: its root, and each leaf's chain to it. */
export function batchTree(leaves: readonly Buffer[]): { root: Buffer; chains: ChainLink[][] } {
  if (leaves.length === 0) throw new RangeError('batchTree: no leaves');
  const chains: ChainLink[][] = leaves.map(() => []);
  let level = leaves.map((hash, i) => ({ hash, members: [i] }));
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i]!;
      const b = level[i + 1];
      if (!b) {
        next.push(a); // no sibling: goes up unchanged, no link at this level
        continue;
      }
      for (const m of a.members) chains[m]!.push({ side: 'r', hash: b.hash });
      for (const m of b.members) chains[m]!.push({ side: 'l', hash: a.hash });
      next.push({ hash: nodeHash(a.hash, b.hash), members: [...a.members, ...b.members] });
    }
    level = next;
  }
  return { root: level[0]!.hash, chains };
}

export function formatChain(chain: readonly ChainLink[]): string {
  return chain.map((l) => `${l.side}:${l.hash.toString('hex')}`).join(',');
}

const LINK = /^([lr]):([0-9a-f]{64})$/;

/** The chain of a header, or why it is malformed. */
export function parseChain(text: string): ChainLink[] | string {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > MAX_CHAIN) return `${HEADERS.chain} 最多 ${MAX_CHAIN} 节`;
  const out: ChainLink[] = [];
  for (const p of parts) {
    const m = LINK.exec(p);
    if (!m) return `${HEADERS.chain} 应为逗号分隔的 l:{64 位十六进制} 或 r:{64 位十六进制}`;
    out.push({ side: m[1] as 'l' | 'r', hash: Buffer.from(m[2]!, 'hex') });
  }
  return out;
}

/**
 * The bytes the request's signature must verify against: its canonical request when signed
 * alone, the batch message of the root its chain leads to otherwise.
 */
export function signedMessage(canonical: string, chain: readonly ChainLink[] | null, of: 'request' | 'response' = 'request'): Buffer {
  return chain ? batchMessage(foldChain(leafHash(canonical), chain), of) : Buffer.from(canonical, 'utf8');
}

/**
 * The bytes an answer's signature verifies against, as a department system checks it with the
 * provider's published key (GET /api/v1/certificates/keys); null for a malformed chain.
 */
export function answerSignedBytes(answer: { data: unknown; signature: { chain?: string } }): Buffer | null {
  const chain = answer.signature.chain === undefined ? null : parseChain(answer.signature.chain);
  if (typeof chain === 'string') return null;
  return signedMessage(canonicalJson(answer.data), chain, 'response');
}

export type Headers = Record<string, string | string[] | undefined>;

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Reads the protocol headers; a list of what is missing or malformed, or the request and its signature. */
export function parseHeaders(
  headers: Headers,
  path: string,
  subject: string,
): { ok: true; request: ExchangeRequest; signature: Buffer; chain: ChainLink[] | null } | { ok: false; problems: string[] } {
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
  const chainRaw = h(HEADERS.chain);
  let chain: ChainLink[] | null = null;
  if (chainRaw !== undefined) {
    const c = parseChain(chainRaw);
    if (typeof c === 'string') problems.push(c);
    else chain = c;
  }
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
    chain,
  };
}

/**
 * What a department system sends (a reference implementation, used by the tests): the headers
 * for one signed request.
 */
export function signedRequestHeaders(
  r: Omit<ExchangeRequest, 'method'>,
  sign: (message: Buffer) => Buffer,
): Record<string, string> {
  return { ...requestHeaders(r), [HEADERS.signature]: sign(Buffer.from(canonicalRequest({ method: 'GET', ...r }), 'utf8')).toString('base64') };
}

/** The headers for several requests signed together by one signature (a batch of one is signed alone). */
export function batchSignedRequestHeaders(
  rs: readonly Omit<ExchangeRequest, 'method'>[],
  sign: (message: Buffer) => Buffer,
): Record<string, string>[] {
  if (rs.length === 1) return [signedRequestHeaders(rs[0]!, sign)];
  const { root, chains } = batchTree(rs.map((r) => leafHash(canonicalRequest({ method: 'GET', ...r }))));
  const signature = sign(batchMessage(root)).toString('base64');
  return rs.map((r, i) => ({ ...requestHeaders(r), [HEADERS.signature]: signature, [HEADERS.chain]: formatChain(chains[i]!) }));
}

function requestHeaders(r: Omit<ExchangeRequest, 'method'>): Record<string, string> {
  return {
    [HEADERS.client]: r.client,
    [HEADERS.timestamp]: r.timestamp,
    [HEADERS.nonce]: r.nonce,
    [HEADERS.purpose]: encodeURIComponent(r.purpose),
    [HEADERS.fields]: r.fields.join(','),
    ...(r.caseNo ? { [HEADERS.caseNo]: r.caseNo } : {}),
  };
}
