/**
 * The printable copy of a certificate (预览、下载): A4, its fields, the issuer and the signing key,
 * and a QR code carrying the verify link so that whoever holds the paper can check it online.
 * The signed original is the JSON document (GB/T 36905 names OFD for the file format; a PDF is the
 * printable view, not the evidence).
 *
 * Chinese text needs a CJK font: Debian's `fonts-noto-cjk` (CI installs it), or any font named by
 * TONGBAN_CJK_FONT (a .ttf/.otf, or a .ttc with `path#PostScriptName`). Without one the PDF
 * falls back to Latin labels and prints non-Latin characters as '?', with a line saying so; the QR
 * code still verifies the full certificate. TONGBAN_CJK_FONT=none forces that fallback.
 */
import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CertificatePayload } from './certificates.verify.js';
import { maskIdNumber } from '../../../shared/identity-numbers.js';
import { FIELD_LABELS } from './certificates.types.js';

interface FontChoice {
  path: string;
  family?: string;
  /** The file, read once: a CJK collection is ~20 MB. */
  data?: Buffer;
}

const CANDIDATES: FontChoice[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
];

const chosen = new Map<string, FontChoice | null>();

/**
 * The CJK font found at run time (looked up once per setting), or null. TONGBAN_CJK_FONT names a
 * font file (`path` or `path.ttc#PostScriptName`), or `none` for the Latin-only fallback.
 */
export function cjkFont(env: NodeJS.ProcessEnv = process.env): FontChoice | null {
  const given = env.TONGBAN_CJK_FONT ?? '';
  const hit = chosen.get(given);
  if (hit !== undefined) return hit;
  let font: FontChoice | null = null;
  if (given !== 'none') {
    const [path, family] = given ? given.split('#') : [];
    const found = path && existsSync(path) ? { path, ...(family ? { family } : {}) } : CANDIDATES.find((c) => existsSync(c.path));
    font = found ? { ...found, data: readFileSync(found.path) } : null;
  }
  chosen.set(given, font);
  return font;
}

const LABELS = {
  zh: { certNo: '证照编号', holder: '持证主体', holderId: '证件号码', issuer: '发证机关', issuedAt: '签发日期', validUntil: '有效期至', none: '长期', key: '签名密钥', scan: '扫码核验', status: { valid: '有效', revoked: '已注销', expired: '已过期' }, caseNo: '办件编号', originalNo: '原证照编号' },
  en: { certNo: 'Certificate No.', holder: 'Holder', holderId: 'ID / credit code', issuer: 'Issued by', issuedAt: 'Issued on', validUntil: 'Valid until', none: 'no expiry', key: 'Signing key', scan: 'Scan to verify', status: { valid: 'valid', revoked: 'REVOKED', expired: 'EXPIRED' }, caseNo: 'Case No.', originalNo: 'Paper licence No.' },
};

export interface PdfInput {
  payload: CertificatePayload;
  keyId: string;
  status: 'valid' | 'revoked' | 'expired';
  verifyUrl: string;
}

const dateText = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export async function renderCertificatePdf(input: PdfInput): Promise<Buffer> {
  const font = cjkFont();
  const L = font ? LABELS.zh : LABELS.en;
  // Helvetica has no CJK glyphs: keep Latin-1, show the rest as '?'
  const t = (s: string) => (font ? s : s.replace(/[^\x20-\x7E\u00A0-\u00FF]/g, '?'));
  const p = input.payload;
  const qr = await QRCode.toBuffer(input.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 360 });

  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `${p.typeName} ${p.certNo}`, Creator: 'Tongban 通办' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  if (font) doc.registerFont('cjk', font.data ?? font.path, font.family);
  const face = font ? 'cjk' : 'Helvetica';

  doc.font(face).fontSize(26).text(t(p.typeName), { align: 'center' });
  doc.moveDown(0.3).fontSize(11).fillColor('#555').text(`${L.certNo}: ${p.certNo}`, { align: 'center' });
  if (input.status !== 'valid') doc.moveDown(0.3).fontSize(16).fillColor('#c00').text(L.status[input.status], { align: 'center' });
  doc.fillColor('#000').moveDown(1.2).fontSize(12);

  const holderId = p.holder.kind === 'person' ? maskIdNumber(p.holder.idNumber ?? '') : (p.holder.creditCode ?? '');
  const rows: [string, string][] = [
    [L.holder, p.holder.name],
    [L.holderId, holderId],
    ...Object.entries(p.fields).map(([k, v]): [string, string] => [(font && FIELD_LABELS[k]) || k, v === null ? '—' : String(v)]),
    [L.issuer, p.issuer.name],
    [L.issuedAt, dateText(p.issuedAt)],
    [L.validUntil, p.validUntil ? dateText(p.validUntil) : L.none],
    ...(p.caseNo ? [[L.caseNo, p.caseNo] as [string, string]] : []),
    ...(p.originalNo ? [[L.originalNo, p.originalNo] as [string, string]] : []),
  ];
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font(face).fillColor('#555').text(t(label), 56, y, { width: 130 });
    doc.fillColor('#000').text(t(value), 196, y, { width: 340 });
    doc.moveDown(0.4);
  }

  const qrY = Math.max(doc.y + 20, 560);
  doc.image(qr, 56, qrY, { width: 120 });
  doc.fontSize(9).fillColor('#555');
  doc.text(t(L.scan), 190, qrY + 10, { width: 350 });
  doc.text(input.verifyUrl, 190, qrY + 26, { width: 350 });
  doc.text(`${t(L.key)}: ${input.keyId}`, 190, qrY + 56, { width: 350 });
  if (!font) doc.text('CJK font not installed on the server (apt-get install fonts-noto-cjk): non-Latin text shown as "?".', 190, qrY + 80, { width: 350 });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
