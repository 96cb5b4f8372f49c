import { afterEach, describe, expect, it } from 'vitest';
import { cjkFont, renderCertificatePdf } from './certificates.pdf.js';
import type { CertificatePayload } from './certificates.verify.js';

const payload: CertificatePayload = {
  certNo: 'SPJY-130102-2026-00000010',
  type: 'food_business_licence',
  typeName: '食品经营许可证',
  holder: { kind: 'person', idNumber: '130102199003071233', name: '张三' },
  fields: { premises: '石家庄市长安区中山东路 100 号', businessItems: '热食类食品制售' },
  issuer: { departmentId: 'd', name: '长安区市场监督管理局', regionCode: '130102', keyId: 'ed25519-0000000000000000' },
  issuedAt: '2026-11-26T02:00:00.000Z',
  validUntil: null,
};
const input = { payload, keyId: payload.issuer.keyId, status: 'valid' as const, verifyUrl: 'http://127.0.0.1/api/v1/certificates/SPJY-130102-2026-00000010/verify' };

afterEach(() => {
  delete process.env.TONGBAN_CJK_FONT;
});

describe(renderCertificatePdf.name, () => {
  it('prints a PDF with the CJK font it finds', async () => {
    const pdf = await renderCertificatePdf(input);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('falls back to Latin labels without a CJK font, and says so', async () => {
    process.env.TONGBAN_CJK_FONT = 'none';
    expect(cjkFont()).toBeNull();
    const pdf = await renderCertificatePdf(input);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
  });
});
