/**
 * Canonical JSON (the subset of RFC 8785 that Tongban needs): object keys sorted by code unit,
 * no whitespace, `undefined` members dropped, Dates as ISO-8601 strings. Two equal values always
 * encode to the same bytes, so hashes and signatures over them are stable.
 */
export function canonicalJson(value: unknown): string {
  return encode(value);
}

function encode(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(v);
    case 'bigint':
      return JSON.stringify(v.toString());
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : encode(x))).join(',')}]`;
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof v}`);
  }
}
