/**
 * `npx tongban cert verify FILE (--keys KEYS.json | --url URL) [--json]`: verifies a certificate
 * document offline, with no database — the same `verifyDocument` as the API. KEYS.json is what
 * GET /api/v1/certificates/keys returns (or its `keys` array). With --url the keys are fetched
 * from that server first, and the registry is asked whether the certificate has been revoked
 * (revocation is the one thing an offline check cannot know).
 * Exit codes: 0 valid; 1 invalid (the reason is printed); 2 usage or input error.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { keyRing, verifyDocument, type PublishedKey, type Verification } from './certificates.verify.js';
import { SM2_DEFAULT_USER_ID } from './certificates.signer.js';

const USAGE = `用法 usage: npx tongban cert verify FILE (--keys KEYS.json | --url URL) [--json]
  FILE          a certificate document {certificate, signature, keyId, algorithm} (the wallet's "document")
  --keys FILE   the published keys, saved from GET /api/v1/certificates/keys
  --url URL     a Tongban server: fetch its keys, and check revocation online
  --json        print the result as JSON`;

interface KeysFile {
  keys?: PublishedKey[];
  sm2UserId?: string;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`无法读取${what} ${path}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} ${path} 不是有效的 JSON`);
  }
}

class UsageError extends Error {}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
  if (!res.ok && res.status !== 404) throw new UsageError(`${url}: HTTP ${res.status}`);
  return res.status === 404 ? null : res.json();
}

export async function certVerifyCommand(args: string[], out: (line: string) => void = console.log): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    out(USAGE);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { keys: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positionals[0];
    if (!file || (!values.keys && !values.url)) throw new UsageError(USAGE);
    const doc = await readJson(file, '证照文件');
    const base = values.url?.replace(/\/+$/, '');
    const keysJson = (values.keys ? await readJson(values.keys, '公钥文件') : await fetchJson(`${base}/api/v1/certificates/keys`)) as KeysFile | PublishedKey[];
    const keys = Array.isArray(keysJson) ? keysJson : (keysJson?.keys ?? []);
    if (!Array.isArray(keys)) throw new UsageError('公钥文件应为 GET /api/v1/certificates/keys 的结果');
    const sm2UserId = (!Array.isArray(keysJson) && keysJson?.sm2UserId) || SM2_DEFAULT_USER_ID;

    let v: Verification = verifyDocument(doc, keyRing(keys), { sm2UserId });
    let revocationChecked = false;
    if (base && v.certificate && (v.valid || v.reason === 'expired')) {
      const online = (await fetchJson(`${base}/api/v1/certificates/${encodeURIComponent(v.certificate.certNo)}/verify`)) as {
        status?: string;
        revokedAt?: string | null;
        message?: string;
      } | null;
      revocationChecked = true;
      if (!online) {
        v = { ...v, valid: false, status: 'invalid', reason: null, message: '签名有效，但发证登记中没有这张证照' };
      } else if (online.status === 'revoked') {
        v = verifyDocument(doc, keyRing(keys), { sm2UserId, revocation: { at: online.revokedAt ?? '', reason: online.message ?? '' } });
      }
    }
    if (values.json) {
      out(JSON.stringify({ valid: v.valid, status: v.status, reason: v.reason, message: v.message, certNo: v.certificate?.certNo ?? null, revocationChecked }, null, 2));
    } else {
      out(`${v.valid ? '✓' : '✗'} ${v.message}${v.reason ? ` [${v.reason}]` : ''}`);
      if (v.valid && !revocationChecked) out('  注意 note: 离线核验不含注销状态；加 --url 可在线查询 (offline: revocation not checked, use --url)');
    }
    return v.valid ? 0 : 1;
  } catch (e) {
    out(e instanceof UsageError ? e.message : `错误 error: ${(e as Error).message}`);
    return 2;
  }
}
