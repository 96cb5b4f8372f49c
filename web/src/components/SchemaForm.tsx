/**
 * Form fields rendered from an application form's JSON Schema (2020-12, an object of fields):
 * string (pattern, length, `format: date`, `enum` → Select), integer and number, boolean,
 * arrays of an enum (multi-select) or of free strings (tags). The title is the label, `required`
 * makes a field required, and the fields sit under `name` in the surrounding antd Form, so the
 * server's issues (`form.creditCode`) land on them. The server validates again: this only says
 * early what it would say.
 */
import { Form, Input, InputNumber, Radio, Select } from 'antd';
import type { FormRule } from 'antd';
import { cloneElement, isValidElement, type ReactNode } from 'react';
import { useT } from './locale';

export interface JsonSchemaField {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchemaField;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  /** A UI hint: the field's place in the form. */
  'x-order'?: number;
}

export interface JsonSchemaObject {
  title?: string;
  properties?: Record<string, JsonSchemaField>;
  required?: string[];
}

/**
 * The fields of a schema in form order: `x-order` where a field has one, else the order of
 * `required` (an array keeps its order; the keys of `properties` may come back from a JSONB
 * column sorted by length), then the optional fields as they come.
 */
export function schemaFields(schema: unknown): { key: string; field: JsonSchemaField; required: boolean }[] {
  const s = (schema ?? {}) as JsonSchemaObject;
  const requiredList = Array.isArray(s.required) ? s.required : [];
  const required = new Set(requiredList);
  const entries = Object.entries(s.properties ?? {}).map(([key, field], i) => ({ key, field: field ?? {}, required: required.has(key), i }));
  const rank = (e: (typeof entries)[number]) => {
    const order = e.field['x-order'];
    if (typeof order === 'number') return order;
    const r = requiredList.indexOf(e.key);
    return r >= 0 ? 1000 + r : 100_000 + e.i;
  };
  return entries.sort((a, b) => rank(a) - rank(b)).map(({ key, field, required: req }) => ({ key, field, required: req }));
}

function typeOf(field: JsonSchemaField): string {
  const t = Array.isArray(field.type) ? field.type.find((x) => x !== 'null') : field.type;
  if (t) return t;
  if (field.enum?.every((v) => typeof v === 'string')) return 'string';
  return 'string';
}

/** A field's value as a reader sees it (是/否, a list joined with 、). */
export function displayValue(value: unknown, yes: string, no: string): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? yes : no;
  if (Array.isArray(value)) return value.map((v) => String(v)).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Form values → the object the schema describes: empty optional fields are left out (an empty
 * string is not "no answer" to JSON Schema), numbers stay numbers.
 */
export function cleanSchemaValues(schema: unknown, values: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, field } of schemaFields(schema)) {
    let v = values?.[key];
    if (typeof v === 'string' && typeOf(field) === 'string') v = v.trim();
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[key] = v;
  }
  return out;
}

/** A JSON Schema pattern as the browser reads it (ECMA-262, unicode); one it cannot read is left to the server. */
function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return null;
  }
}

function rulesFor(field: JsonSchemaField, label: string, required: boolean, t: ReturnType<typeof useT>): FormRule[] {
  const type = typeOf(field);
  const rules: FormRule[] = [];
  if (required) {
    rules.push(
      type === 'array'
        ? { required: true, type: 'array', min: Math.max(1, field.minItems ?? 1), message: t('schemaForm.chooseAtLeast', { title: label, n: Math.max(1, field.minItems ?? 1) }) }
        : {
            required: true,
            // the rule's type matters: without it async-validator checks a number as a string
            type: type === 'integer' ? 'integer' : type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'string',
            whitespace: type === 'string',
            message: t(field.enum || type === 'boolean' ? 'schemaForm.choose' : 'schemaForm.required', { title: label }),
          },
    );
  }
  if (type === 'string' && !field.enum) {
    if (field.pattern) {
      const re = compilePattern(field.pattern);
      if (re) rules.push({ pattern: re, message: t('schemaForm.pattern', { title: label }) });
    }
    if (field.minLength && field.minLength > 1) rules.push({ min: field.minLength, message: t('schemaForm.minLength', { title: label, n: field.minLength }) });
    if (field.maxLength) rules.push({ max: field.maxLength, message: t('schemaForm.maxLength', { title: label, n: field.maxLength }) });
    if (field.format === 'email') rules.push({ type: 'email', message: t('schemaForm.pattern', { title: label }) });
  }
  if (type === 'array' && field.maxItems) rules.push({ type: 'array', max: field.maxItems, message: t('schemaForm.chooseAtMost', { title: label, n: field.maxItems }) });
  return rules;
}

function controlFor(field: JsonSchemaField, label: string, t: ReturnType<typeof useT>): { control: ReactNode } {
  const type = typeOf(field);
  const options = (values: unknown[] | undefined) => (values ?? []).map((v) => ({ value: v as string | number, label: String(v) }));
  if (type === 'boolean') {
    return {
      control: (
        <Radio.Group
          options={[
            { value: true, label: t('common.yes') },
            { value: false, label: t('common.no') },
          ]}
        />
      ),
    };
  }
  if (type === 'integer' || type === 'number') {
    const min = field.minimum ?? (field.exclusiveMinimum !== undefined ? field.exclusiveMinimum + (type === 'integer' ? 1 : 0) : undefined);
    const max = field.maximum ?? (field.exclusiveMaximum !== undefined ? field.exclusiveMaximum - (type === 'integer' ? 1 : 0) : undefined);
    return {
      control: (
        <InputNumber
          style={{ width: '100%', maxWidth: 240 }}
          precision={type === 'integer' ? 0 : undefined}
          {...(min !== undefined ? { min } : {})}
          {...(max !== undefined ? { max } : {})}
          aria-label={label}
        />
      ),
    };
  }
  if (type === 'array') {
    const items = field.items ?? {};
    return items.enum
      ? { control: <Select mode="multiple" allowClear options={options(items.enum)} placeholder={t('schemaForm.choosePlaceholder')} aria-label={label} /> }
      : { control: <Select mode="tags" allowClear open={false} placeholder={t('schemaForm.tagsPlaceholder')} aria-label={label} /> };
  }
  if (field.enum) return { control: <Select allowClear options={options(field.enum)} placeholder={t('schemaForm.choosePlaceholder')} aria-label={label} /> };
  if (field.format === 'date') return { control: <Input type="date" style={{ maxWidth: 240 }} /> };
  if ((field.maxLength ?? 0) > 200) return { control: <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} showCount maxLength={field.maxLength} /> };
  return { control: <Input maxLength={field.maxLength} /> };
}

/**
 * The schema's fields as antd Form.Items under `name` (place inside a Form). `locked` fields
 * (verified by government) are filled and disabled, with `lockedNote` under them; `prefill`
 * values are only suggested and stay editable.
 */
export function SchemaForm({
  schema,
  name,
  locked,
  prefill,
  lockedNote,
}: {
  schema: unknown;
  name: string;
  locked?: Record<string, unknown>;
  prefill?: Record<string, unknown>;
  lockedNote?: string;
}) {
  const t = useT();
  return (
    <>
      {schemaFields(schema).map(({ key, field, required }) => {
        const label = field.title ?? key;
        const isLocked = locked !== undefined && key in locked;
        let { control } = controlFor(field, label, t);
        if (isLocked && isValidElement<{ disabled?: boolean }>(control)) control = cloneElement(control, { disabled: true });
        const initial = isLocked ? locked[key] : prefill && key in prefill ? prefill[key] : field.default;
        return (
          <Form.Item
            key={key}
            name={[name, key]}
            label={label}
            required={required}
            rules={rulesFor(field, label, required, t)}
            extra={isLocked && lockedNote ? lockedNote : field.description}
            data-testid={`field-${key}`}
            {...(initial !== undefined ? { initialValue: initial } : {})}
          >
            {control}
          </Form.Item>
        );
      })}
    </>
  );
}
