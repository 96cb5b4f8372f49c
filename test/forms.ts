/**
 * Fills an application form from its JSON Schema the way a careful applicant would: every
 * required field, valid by type, pattern, enum and format. Known identifiers get real, valid
 * values (the demo business's credit code, its legal representative's ID number).
 */
const KNOWN: Record<string, unknown> = {
  creditCode: '91130102MA0DXQ7K30',
  legalRepIdNumber: '130102198506123459',
  idNumber: '130102199003071233',
  contactPhone: '13900139000',
  phone: '13900139000',
};

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
  format?: string;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  maxLength?: number;
}

function valueFor(key: string, s: Schema): unknown {
  if (key in KNOWN) return KNOWN[key];
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'array':
      return s.items?.enum ? [s.items.enum[0]] : [valueFor(key, s.items ?? { type: 'string' })];
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    case 'object':
      return fillForm(s as Record<string, unknown>);
    default:
      if (s.format === 'date') return '2026-12-01';
      if (s.format === 'email') return 'applicant@example.cn';
      if (s.pattern === '^1[3-9]\\d{9}$') return '13900139000';
      if (s.pattern?.includes('\\d{17}[\\dX]')) return '130102198506123459';
      if (s.pattern?.includes('0-9A-HJ-NPQRTUWXY')) return '91130102MA0DXQ7K30';
      if (s.pattern === '^\\d{6}$') return '130102';
      return '石家庄市长安区测试路1号'.slice(0, Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 20, 12)));
  }
}

export function fillForm(schema: Record<string, unknown>): Record<string, unknown> {
  const s = schema as Schema;
  const out: Record<string, unknown> = {};
  for (const key of s.required ?? []) out[key] = valueFor(key, s.properties?.[key] ?? { type: 'string' });
  return out;
}
