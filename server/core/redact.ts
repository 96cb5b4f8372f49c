/**
 * Keeps personal data out of the audit chain's `details` (个人信息保护法: minimal, purpose-bound).
 * Fields named like personal data are masked; ID numbers and mobile numbers inside any string
 * are masked wherever they appear.
 */
import { maskIdNumber, maskPhone } from '../../shared/identity-numbers.js';

const SECRET_KEYS = /^(password|passwordHash|token|secret|cookie|session)$/i;
const PERSONAL_KEYS = /^(idNumber|phone|mobile|legalRepIdNumber)$/i;
const ID_IN_TEXT = /(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])/g;
const PHONE_IN_TEXT = /(?<![0-9])1[3-9]\d{9}(?![0-9])/g;

export function redact(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEYS.test(key)) return '[secret]';
    if (PERSONAL_KEYS.test(key)) return key.toLowerCase().includes('phone') || key === 'mobile' ? maskPhone(value) : maskIdNumber(value);
    return value.replace(ID_IN_TEXT, (m) => maskIdNumber(m)).replace(PHONE_IN_TEXT, (m) => maskPhone(m));
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, key));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}
