/**
 * Text PostgreSQL cannot store: the NUL character (a `text` value cannot hold it, and jsonb
 * refuses `\u0000`) and a lone UTF-16 surrogate (it has no UTF-8 form; jsonb refuses its escape,
 * and in a text column it would be changed silently into U+FFFD). JSON lets a client send both,
 * so they are looked for in every request at the edge and each field holding one is named, rather
 * than failing at the database with a 500.
 */
import type { FieldIssue } from '../../shared/errors.js';

const MESSAGE = '含有无法保存的字符（NUL 空字符或不成对的 UTF-16 代理项）';
/** Objects nested deeper are not walked: no request of the API nests a tenth of this. */
const MAX_DEPTH = 64;

/** NUL, a high surrogate not followed by a low one, or a low surrogate not after a high one. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function bad(s: string): boolean {
  return UNSTORABLE.test(s);
}

/**
 * Each place in `value` (a parsed JSON body, a query, route parameters) whose key or text is not
 * storable, its path under `path` as the schemas' failures name it (`form.name`; `querystring.q`).
 */
export function unstorableText(value: unknown, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const under = (at: string, k: string | number) => (at ? `${at}.${k}` : String(k));
  const walk = (v: unknown, at: string, depth: number) => {
    if (typeof v === 'string') {
      if (bad(v)) issues.push({ path: at, message: MESSAGE });
      return;
    }
    if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, under(at, i), depth + 1));
      return;
    }
    // what JSON and query strings give: plain objects (the query parser's have a prototype of
    // their own whose prototype is null), never a file's stream or buffer
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null && Object.getPrototypeOf(proto) !== null) return;
    for (const [k, x] of Object.entries(v)) {
      if (bad(k)) issues.push({ path: under(at, k.replace(/\0/g, '\\0')), message: `字段名${MESSAGE}` });
      else walk(x, under(at, k), depth + 1);
    }
  };
  walk(value, path, 0);
  return issues;
}
