/**
 * Certificate numbers, after the structure of the e-certificate identifier of GB/T 36905-2018
 * (type, issuing body, serial, check character), readable on paper and in a URL:
 *
 *     {type abbr}-{issuer's region code}-{year}-{serial, 7 digits}{check}
 *     SPJY-130102-2026-0000042K
 *
 * The serial counts per type, issuing region and year (certificate_serials). The check character
 * is ISO 7064 MOD 37-36 over the rest without dashes, so a mistyped number is refused as
 * malformed instead of looked up.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** ISO/IEC 7064 MOD 37-36 (hybrid system, M = 36) check character over [0-9A-Z]. */
export function mod3736(s: string): string {
  let p = 36;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError(`mod3736: character ${ch} outside 0-9A-Z`);
    let t = (p + v) % 36;
    if (t === 0) t = 36;
    p = (t * 2) % 37;
  }
  return ALPHABET[(37 - p) % 36]!;
}

export function serialPrefix(abbr: string, regionCode: string, year: number): string {
  return `${abbr}-${regionCode}-${year}`;
}

export function formatCertNo(prefix: string, serial: number): string {
  const body = `${prefix}-${String(serial).padStart(7, '0')}`;
  return body + mod3736(body.replaceAll('-', ''));
}

export const CERT_NO = /^[A-Z]{2,6}-\d{6}-\d{4}-\d{7}[0-9A-Z]$/;

/** Whether `certNo` is well formed and its check character matches. */
export function isCertNo(certNo: string): boolean {
  if (!CERT_NO.test(certNo)) return false;
  const body = certNo.slice(0, -1);
  return mod3736(body.replaceAll('-', '')) === certNo.slice(-1);
}
