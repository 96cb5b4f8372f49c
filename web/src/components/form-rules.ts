import type { FormRule } from 'antd';
import type { ZodType } from 'zod';

/**
 * An antd rule from a shared zod contract field, so the form says what the server would say
 * before the request is sent. Empty values are left to the `required` rule.
 */
export function zodRule(schema: ZodType): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === null || value === '') return;
      const r = schema.safeParse(value);
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? '取值无效');
    },
  };
}

/** A rule from a pure check that returns why a value is wrong, or null (idNumberProblem …). */
export function problemRule(problem: (value: string) => string | null, normalise: (v: string) => string = (v) => v): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (typeof value !== 'string' || value === '') return;
      const p = problem(normalise(value));
      if (p) throw new Error(p);
    },
  };
}
