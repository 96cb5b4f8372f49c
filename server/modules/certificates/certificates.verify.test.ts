import { describe, expect, it } from 'vitest';
import { ed25519Signer, sm2Signer, type Algorithm, type Signer } from './certificates.signer.js';
import { keyRing, signedBytes, verifyDocument, type CertificateDocument, type CertificatePayload, type PublishedKey } from './certificates.verify.js';
import { formatCertNo, isCertNo, mod3736 } from './certificates.numbers.js';

const AMR = '11111111-1111-4111-8111-111111111111';
const HEALTH = '22222222-2222-4222-8222-222222222222';

function makeKey(signer: Signer, departmentId: string, name: string, keyId: string, extra: Partial<PublishedKey> = {}) {
  const pair = signer.generate();
  const published: PublishedKey = {
    keyId,
    departmentId,
    departmentName: name,
    regionCode: '130102',
    algorithm: signer.algorithm,
    publicKey: pair.publicKey,
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: null,
    retiredAt: null,
    ...extra,
  };
  return { published, privateKey: pair.privateKey, signer };
}

const amrKey = makeKey(ed25519Signer, AMR, '长安区市场监督管理局', 'ed25519-aaaaaaaaaaaaaaaa');
const healthKey = makeKey(ed25519Signer, HEALTH, '长安区卫生健康局', 'ed25519-bbbbbbbbbbbbbbbb');
const amrSm2 = makeKey(sm2Signer(), AMR, '长安区市场监督管理局', 'sm2-cccccccccccccccc');
const ring = keyRing([amrKey.published, healthKey.published, amrSm2.published]);

function payload(keyId: string, overrides: Partial<CertificatePayload> = {}): CertificatePayload {
  return {
    certNo: formatCertNo('SPJY-130102-2026', 42),
    type: 'food_business_licence',
    typeName: '食品经营许可证',
    holder: { kind: 'business', creditCode: '91130102MA0DXQ7K30', name: '石家庄市长安区通办餐饮有限公司' },
    fields: { premises: '中山东路 100 号', businessItems: '热食类食品制售' },
    issuer: { departmentId: AMR, name: '长安区市场监督管理局', regionCode: '130102', keyId },
    issuedAt: '2026-11-20T02:00:00.000Z',
    validUntil: '2031-11-19T16:00:00.000Z',
    ...overrides,
  };
}

function sign(key: { privateKey: string; signer: Signer; published: PublishedKey }, p: CertificatePayload, claimKeyId = key.published.keyId, algorithm: Algorithm = key.signer.algorithm): CertificateDocument {
  return { certificate: p, signature: key.signer.sign(key.privateKey, signedBytes(p)).toString('base64'), keyId: claimKeyId, algorithm };
}

const NOW = new Date('2026-11-26T00:00:00Z');

describe(verifyDocument.name, () => {
  it('accepts a certificate signed by its issuer’s published key', () => {
    const v = verifyDocument(sign(amrKey, payload(amrKey.published.keyId)), ring, { now: NOW });
    expect(v).toMatchObject({ valid: true, status: 'valid', reason: null });
    expect(v.message).toContain('长安区市场监督管理局');
  });

  it('accepts one signed with SM2/SM3', () => {
    expect(verifyDocument(sign(amrSm2, payload(amrSm2.published.keyId)), ring, { now: NOW })).toMatchObject({ valid: true });
  });

  it('does not depend on the order of keys in the document (canonical encoding)', () => {
    const doc = sign(amrKey, payload(amrKey.published.keyId));
    const reordered = JSON.parse(JSON.stringify({ algorithm: doc.algorithm, keyId: doc.keyId, signature: doc.signature, certificate: Object.fromEntries(Object.entries(doc.certificate).reverse()) }));
    expect(verifyDocument(reordered, ring, { now: NOW }).valid).toBe(true);
  });

  it.each([
    ['a field value', (d: CertificateDocument) => void (d.certificate.fields.businessItems = '热食类食品制售；冷食类食品制售')],
    ['the holder', (d: CertificateDocument) => void (d.certificate.holder.name = '另一家公司')],
    ['the validity', (d: CertificateDocument) => void (d.certificate.validUntil = '2099-12-31T16:00:00.000Z')],
    ['an added field', (d: CertificateDocument) => void (d.certificate.fields.extra = 'x')],
  ])('refuses a certificate with %s changed: signature mismatch', (_what, change) => {
    const doc = sign(amrKey, payload(amrKey.published.keyId));
    change(doc);
    expect(verifyDocument(doc, ring, { now: NOW })).toMatchObject({ valid: false, status: 'invalid', reason: 'signature_mismatch' });
  });

  it('refuses a signature made with another key while claiming the issuer’s key', () => {
    const forger = makeKey(ed25519Signer, AMR, 'x', 'ed25519-ffffffffffffffff');
    const doc = sign(forger, payload(amrKey.published.keyId), amrKey.published.keyId);
    expect(verifyDocument(doc, ring, { now: NOW }).reason).toBe('signature_mismatch');
  });

  it('refuses a certificate signed with another department’s key', () => {
    const doc = sign(healthKey, payload(healthKey.published.keyId));
    expect(verifyDocument(doc, ring, { now: NOW })).toMatchObject({ valid: false, reason: 'issuer_mismatch' });
  });

  it('refuses a key that was never published', () => {
    const stranger = makeKey(ed25519Signer, AMR, 'x', 'ed25519-0000000000000000');
    expect(verifyDocument(sign(stranger, payload('ed25519-0000000000000000')), ring, { now: NOW }).reason).toBe('unknown_key');
  });

  it('refuses an algorithm that is not the key’s, and a presented key id that was not signed', () => {
    const doc = sign(amrKey, payload(amrKey.published.keyId));
    expect(verifyDocument({ ...doc, algorithm: 'sm2' }, ring, { now: NOW }).reason).toBe('algorithm_mismatch');
    expect(verifyDocument({ ...doc, keyId: amrSm2.published.keyId, algorithm: 'sm2' }, ring, { now: NOW }).reason).toBe('key_id_mismatch');
  });

  it('reports an expired certificate as expired, with a valid signature', () => {
    const doc = sign(amrKey, payload(amrKey.published.keyId, { validUntil: '2026-11-25T16:00:00.000Z' }));
    expect(verifyDocument(doc, ring, { now: NOW })).toMatchObject({ valid: false, status: 'expired', reason: 'expired' });
  });

  it('reports a revoked certificate as revoked, with the date and reason', () => {
    const doc = sign(amrKey, payload(amrKey.published.keyId));
    const v = verifyDocument(doc, ring, { now: NOW, revocation: { at: '2026-11-25T03:00:00.000Z', reason: '经营者申请注销' } });
    expect(v).toMatchObject({ valid: false, status: 'revoked', reason: 'revoked' });
    expect(v.message).toContain('经营者申请注销');
  });

  it('refuses a certificate dated after its key was retired', () => {
    const retired = makeKey(ed25519Signer, AMR, '长安区市场监督管理局', 'ed25519-dddddddddddddddd', { retiredAt: '2026-06-01T00:00:00.000Z' });
    const doc = sign(retired, payload(retired.published.keyId));
    expect(verifyDocument(doc, [retired.published], { now: NOW }).reason).toBe('key_not_valid_at_issue');
    const before = sign(retired, payload(retired.published.keyId, { issuedAt: '2026-05-01T00:00:00.000Z' }));
    expect(verifyDocument(before, [retired.published], { now: NOW }).valid).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'certificate'],
    ['no signature', { certificate: payload('k'), keyId: 'k', algorithm: 'ed25519' }],
    ['a short signature', { certificate: payload('k'), signature: 'AAAA', keyId: 'k', algorithm: 'ed25519' }],
    ['an unknown algorithm', { certificate: payload('k'), signature: 'A'.repeat(86) + '==', keyId: 'k', algorithm: 'rsa' }],
    ['a bad date', { certificate: payload('k', { issuedAt: 'yesterday' }), signature: 'A'.repeat(86) + '==', keyId: 'k', algorithm: 'ed25519' }],
  ])('answers malformed, without throwing, for %s', (_what, doc) => {
    expect(verifyDocument(doc, ring, { now: NOW })).toMatchObject({ valid: false, reason: 'malformed' });
  });
});

describe('certificate numbers', () => {
  it('carry an ISO 7064 MOD 37-36 check character that catches a mistyped digit', () => {
    const no = formatCertNo('SPJY-130102-2026', 42);
    expect(no).toMatch(/^SPJY-130102-2026-0000042[0-9A-Z]$/);
    expect(isCertNo(no)).toBe(true);
    expect(isCertNo(no.replace('0000042', '0000043'))).toBe(false);
    expect(isCertNo(no.replace('130102', '130103'))).toBe(false);
  });

  it('computes MOD 37-36 so that the whole string validates (ISO/IEC 7064 hybrid system: last step gives 1)', () => {
    for (const body of ['A12425GH', 'SPJY13010220260000042', '0']) {
      const whole = body + mod3736(body);
      let p = 36;
      let t = 0;
      for (const ch of whole) {
        t = (p + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.indexOf(ch)) % 36;
        p = ((t === 0 ? 36 : t) * 2) % 37;
      }
      expect(t).toBe(1);
    }
  });
});
