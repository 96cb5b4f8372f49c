/**
 * Check digits of the two national identifiers, and masking for lists.
 * GB 11643-1999 (公民身份号码) and GB 32100-2015 (统一社会信用代码).
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character for the first 17 digits (ISO 7064 MOD 11-2). */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Why an ID number is invalid, or null when it is a well-formed GB 11643 number. */
export function idNumberProblem(value: string): string | null {
  if (!/^\d{17}[\dX]$/.test(value)) return '公民身份号码应为18位，前17位为数字，末位为数字或大写X';
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now()) {
    return '公民身份号码中的出生日期无效';
  }
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return '公民身份号码校验码错误（GB 11643），请核对号码';
  return null;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 check character for the first 17 characters (mod 31 over the 31-character set). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

/** Why a unified social credit code is invalid, or null when it is well formed. */
export function creditCodeProblem(value: string): string | null {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) {
    return '统一社会信用代码应为18位：登记管理部门码、机构类别码、6位行政区划码、9位主体标识码和1位校验码，不含I、O、Z、S、V';
  }
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) return '统一社会信用代码校验码错误（GB 32100），请核对代码';
  return null;
}

/** 1301**********123X — region kept for routing, birth date hidden (个人信息保护法: minimal display). */
export function maskIdNumber(value: string): string {
  return value.length < 8 ? '*'.repeat(value.length) : `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

export function maskPhone(value: string): string {
  return value.length < 7 ? '*'.repeat(value.length) : `${value.slice(0, 3)}****${value.slice(-4)}`;
}

/** 张* / 欧阳** — the surname stays. */
export function maskName(value: string): string {
  const chars = [...value];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}
