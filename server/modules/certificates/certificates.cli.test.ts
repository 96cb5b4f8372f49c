import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { certVerifyCommand } from './certificates.cli.js';
import { ed25519Signer } from './certificates.signer.js';
import { signedBytes, type CertificatePayload, type PublishedKey } from './certificates.verify.js';
import { formatCertNo } from './certificates.numbers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tongban-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pair = ed25519Signer.generate();
const key: PublishedKey = {
  keyId: 'ed25519-1234567890abcdef',
  departmentId: '11111111-1111-4111-8111-111111111111',
  departmentName: '长安区市场监督管理局',
  regionCode: '130102',
  algorithm: 'ed25519',
  publicKey: pair.publicKey,
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: null,
  retiredAt: null,
};
const payload: CertificatePayload = {
  certNo: formatCertNo('YYZZ-130102-2026', 7),
  type: 'business_licence',
  typeName: '营业执照',
  holder: { kind: 'business', creditCode: '91130102MA0DXQ7K30', name: '石家庄市长安区通办餐饮有限公司' },
  fields: { legalRepresentative: '李四' },
  issuer: { departmentId: key.departmentId, name: key.departmentName, regionCode: '130102', keyId: key.keyId },
  issuedAt: '2026-11-20T02:00:00.000Z',
  validUntil: null,
};
const doc = { certificate: payload, signature: ed25519Signer.sign(pair.privateKey, signedBytes(payload)).toString('base64'), keyId: key.keyId, algorithm: 'ed25519' };

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const keysFile = file('keys.json', { keys: [key], sm2UserId: '1234567812345678' });

async function run(args: string[]) {
  const lines: string[] = [];
  const code = await certVerifyCommand(args, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('npx tongban cert verify (offline)', () => {
  it('exits 0 for a valid certificate and says revocation was not checked', async () => {
    const r = await run(['verify', file('ok.json', doc), '--keys', keysFile]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('证照有效');
    expect(r.out).toContain('--url');
  });

  it('exits 1 with the reason for a certificate with one field changed', async () => {
    const changed = structuredClone(doc);
    changed.certificate.fields.legalRepresentative = '王五';
    const r = await run(['verify', file('changed.json', changed), '--keys', keysFile, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ valid: false, reason: 'signature_mismatch' });
  });

  it('exits 1 for a signature from a key not in the file', async () => {
    const r = await run(['verify', file('ok2.json', doc), '--keys', file('other-keys.json', { keys: [] })]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('unknown_key');
  });

  it('exits 2 for a missing file, bad JSON, or no keys given', async () => {
    expect((await run(['verify', path.join(dir, 'nope.json'), '--keys', keysFile])).code).toBe(2);
    expect((await run(['verify', file('bad.json', '{not json'), '--keys', keysFile])).code).toBe(2);
    expect((await run(['verify', file('ok3.json', doc)])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('runs through bin/tongban.mjs without opening any database', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const r = spawnSync(process.execPath, [path.join(root, 'bin/tongban.mjs'), 'cert', 'verify', file('ok4.json', doc), '--keys', keysFile], {
      encoding: 'utf8',
      // a database that cannot be opened: the command must not need one
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', TONGBAN_DATA_DIR: path.join(dir, 'no-such-dir') },
      timeout: 60_000,
    });
    expect(r.stdout).toContain('证照有效');
    expect(r.status).toBe(0);
  });
});
