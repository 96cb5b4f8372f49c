/**
 * Application forms are JSON Schema (draft 2020-12), checked with Ajv: a form schema must itself be
 * a valid schema (validated against the 2020-12 meta-schema and compiled, which also catches
 * unresolvable `$ref`s) and describe an object, since a form is a set of named fields.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldIssue } from '../../../shared/errors.js';
import { canonicalJson } from '../../../shared/canonical-json.js';

// ajv-formats is CommonJS with a default export
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function makeAjv(): Ajv2020 {
  // strict: false — forms may carry UI keywords (`x-order`, `title`s) that are not validation
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

let shared: Ajv2020 | undefined;
function ajv(): Ajv2020 {
  return (shared ??= makeAjv());
}

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

function issuesOf(errors: ErrorObject[] | null | undefined, base: string): FieldIssue[] {
  return (errors ?? []).map((e) => ({
    path: [base, ...e.instancePath.split('/').filter(Boolean)].join('.'),
    message: `不是有效的 JSON Schema：${e.message ?? e.keyword}`,
  }));
}

const verdicts = new Map<string, FieldIssue[]>();
const VERDICTS_KEPT = 1_000;

/**
 * Problems with a form schema, each naming where (`formSchema.properties.name.type`). Verdicts
 * are remembered by content: many implementations share one form.
 */
export function formSchemaIssues(schema: unknown, base = 'formSchema'): FieldIssue[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [{ path: base, message: '应为 JSON Schema 对象' }];
  }
  const key = `${base}\u0000${canonicalJson(schema)}`;
  let issues = verdicts.get(key);
  if (!issues) {
    issues = check(schema as Record<string, unknown>, base);
    if (verdicts.size >= VERDICTS_KEPT) verdicts.clear();
    verdicts.set(key, issues);
  }
  return issues;
}

function check(s: Record<string, unknown>, base: string): FieldIssue[] {
  if (s.$schema !== undefined && s.$schema !== DRAFT_2020_12) {
    return [{ path: `${base}.$schema`, message: `只支持 JSON Schema 2020-12（${DRAFT_2020_12}）` }];
  }
  const checker = ajv();
  if (!checker.validateSchema(s)) return issuesOf(checker.errors, base);
  // the meta-schema checks everything but references: resolve those by compiling (on a copy
  // without $id, so nothing is registered under a caller's id), then forget the compiled copy
  if (/"\$(ref|dynamicRef)"/.test(JSON.stringify(s))) {
    const { $id: _ignored, ...anonymous } = s;
    try {
      checker.compile(anonymous);
    } catch (e) {
      return [{ path: base, message: `不是有效的 JSON Schema：${(e as Error).message}` }];
    } finally {
      checker.removeSchema(anonymous);
    }
  }
  if (s.type !== 'object' || typeof s.properties !== 'object' || s.properties === null) {
    return [{ path: `${base}.type`, message: '申请表应为 "type": "object" 并列出 properties（表单字段）' }];
  }
  return [];
}

/** The field names a form schema declares at its top level. */
export function formFields(schema: Record<string, unknown>): string[] {
  const p = schema.properties;
  return p && typeof p === 'object' ? Object.keys(p) : [];
}

const compiled = new WeakMap<object, ReturnType<Ajv2020['compile']>>();

/** Checks an applicant's form data against the implementation's form (used by the cases module). */
export function formDataIssues(schema: Record<string, unknown>, data: unknown, base = 'form'): FieldIssue[] {
  let validate = compiled.get(schema);
  if (!validate) {
    const { $id: _ignored, ...anonymous } = schema; // two versions of one form may share an $id
    validate = ajv().compile(anonymous);
    compiled.set(schema, validate);
  }
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => ({
    path: [base, ...e.instancePath.split('/').filter(Boolean), ...(e.keyword === 'required' ? [String(e.params.missingProperty)] : [])].join('.'),
    message: e.keyword === 'required' ? '必填' : (e.message ?? e.keyword),
  }));
}

/**
 * Keeps the form's field order: jsonb stores object keys sorted (by length, then bytes), so each
 * field records its place as `x-order` (a UI keyword the web form reads; validation ignores it).
 */
export function withFieldOrder(schema: Record<string, unknown>): Record<string, unknown> {
  const props = schema.properties;
  if (!props || typeof props !== 'object') return schema;
  const ordered = Object.fromEntries(
    Object.entries(props as Record<string, unknown>).map(([k, v], i) =>
      v && typeof v === 'object' && !('x-order' in v) ? [k, { ...(v as object), 'x-order': i }] : [k, v],
    ),
  );
  return { ...schema, properties: ordered };
}
