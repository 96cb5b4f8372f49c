/**
 * Small builders that keep the demo catalogue readable: application-form fields (JSON Schema
 * 2020-12) and the materials that recur across items.
 */
import type { Material } from '../../../../shared/contracts/catalogue.js';

export interface Field {
  key: string;
  schema: Record<string, unknown>;
  required: boolean;
}

const str = (title: string, extra: Record<string, unknown> = {}) => ({ type: 'string', title, minLength: 1, maxLength: 200, ...extra });

/** Form fields: `f.text('entityName', '经营者名称')`; `.optional()` variants end in `Opt`. */
export const f = {
  text: (key: string, title: string, maxLength = 200): Field => ({ key, schema: str(title, { maxLength }), required: true }),
  textOpt: (key: string, title: string, maxLength = 200): Field => ({ key, schema: str(title, { maxLength }), required: false }),
  longText: (key: string, title: string): Field => ({ key, schema: str(title, { maxLength: 2000 }), required: true }),
  choice: (key: string, title: string, values: string[]): Field => ({ key, schema: { type: 'string', title, enum: values }, required: true }),
  choices: (key: string, title: string, values: string[]): Field => ({
    key,
    schema: { type: 'array', title, items: { type: 'string', enum: values }, minItems: 1, uniqueItems: true },
    required: true,
  }),
  date: (key: string, title: string): Field => ({ key, schema: { type: 'string', title, format: 'date' }, required: true }),
  integer: (key: string, title: string, minimum = 0): Field => ({ key, schema: { type: 'integer', title, minimum }, required: true }),
  number: (key: string, title: string, minimum = 0): Field => ({ key, schema: { type: 'number', title, minimum }, required: true }),
  yesNo: (key: string, title: string): Field => ({ key, schema: { type: 'boolean', title }, required: true }),
  /** GB 32100 unified social credit code. */
  creditCode: (key = 'creditCode', title = '统一社会信用代码'): Field => ({
    key,
    schema: { type: 'string', title, pattern: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$' },
    required: true,
  }),
  /** GB 11643 citizen identity number. */
  idNumber: (key = 'idNumber', title = '公民身份号码'): Field => ({ key, schema: { type: 'string', title, pattern: '^\\d{17}[\\dX]$' }, required: true }),
  phone: (key = 'contactPhone', title = '联系电话'): Field => ({ key, schema: { type: 'string', title, pattern: '^1[3-9]\\d{9}$' }, required: true }),
};

/** The application form of an item: a JSON Schema object of the fields. */
export function form(title: string, fields: Field[]): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    properties: Object.fromEntries(fields.map((x) => [x.key, x.schema])),
    required: fields.filter((x) => x.required).map((x) => x.key),
    additionalProperties: false,
  };
}

/** Who applies for a business item. */
export const BUSINESS_FIELDS: Field[] = [
  f.text('entityName', '单位名称'),
  f.creditCode(),
  f.text('legalRepName', '法定代表人（负责人）', 50),
  f.idNumber('legalRepIdNumber', '法定代表人公民身份号码'),
  f.text('address', '住所（经营场所）'),
  f.phone(),
];

/** Who applies for a personal item. */
export const PERSON_FIELDS: Field[] = [f.text('applicantName', '申请人姓名', 50), f.idNumber(), f.phone('phone', '手机号码')];

type M = Material;

/** Materials that recur. Each `id` is stable within an implementation. */
export const m = {
  application: (id: string, name: string): M => ({ id, name, form: 'original', count: 1, required: true }),
  businessLicence: (id: string): M => ({
    id,
    name: '营业执照',
    form: 'electronic',
    count: 1,
    required: true,
    satisfiedBy: { certificateType: 'business_licence' },
    note: '已领取电子营业执照的，免提交',
  }),
  legalRepId: (id: string): M => ({
    id,
    name: '法定代表人（负责人）身份证明',
    form: 'copy',
    count: 1,
    required: true,
    satisfiedBy: { certificateType: 'resident_id_card' },
  }),
  idCard: (id: string, who = '申请人'): M => ({
    id,
    name: `${who}居民身份证`,
    form: 'original',
    count: 1,
    required: true,
    satisfiedBy: { certificateType: 'resident_id_card' },
  }),
  householdRegister: (id: string, who = '申请人'): M => ({
    id,
    name: `${who}居民户口簿`,
    form: 'original',
    count: 1,
    required: true,
    satisfiedBy: { dataResource: 'public_security.household' },
  }),
  premises: (id: string): M => ({
    id,
    name: '经营场所使用证明（产权证明或租赁合同）',
    form: 'copy',
    count: 1,
    required: true,
    satisfiedBy: { certificateType: 'real_estate_certificate' },
    note: '自有房产的，以不动产权证书替代',
  }),
  copy: (id: string, name: string, required = true): M => ({ id, name, form: 'copy', count: 1, required }),
  original: (id: string, name: string, required = true): M => ({ id, name, form: 'original', count: 1, required }),
  certificate: (id: string, name: string, certificateType: string, required = true): M => ({
    id,
    name,
    form: 'electronic',
    count: 1,
    required,
    satisfiedBy: { certificateType },
  }),
  data: (id: string, name: string, dataResource: string, required = true): M => ({
    id,
    name,
    form: 'electronic',
    count: 1,
    required,
    satisfiedBy: { dataResource },
  }),
};
