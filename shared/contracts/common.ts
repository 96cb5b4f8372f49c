import { z } from 'zod';
import { creditCodeProblem, idNumberProblem } from '../identity-numbers.js';

/** A bounded, NUL-free, trimmed string: every text field at the edge uses this. */
export function text(max: number, min = 1) {
  return z
    .string()
    .trim()
    .min(min, { message: min === 1 ? '不能为空' : `至少 ${min} 个字符` })
    .max(max, { message: `最多 ${max} 个字符` })
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), { message: '不能包含控制字符（如 NUL）' });
}

/** GB/T 2260 six-digit region code. */
export const RegionCode = z.string().regex(/^\d{6}$/, { message: '应为6位行政区划代码（GB/T 2260）' });

export const Uuid = z.uuid({ message: '应为 UUID' });

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** A resident ID number, its GB 11643 check digit verified. */
export const IdNumber = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const p = idNumberProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });

/** A unified social credit code, its GB 32100 check character verified. */
export const CreditCode = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const p = creditCodeProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });
