import { describe, expect, it } from 'vitest';
import type { Actor } from '../../core/actor.js';
import { canCatalogue, materialIssues, promisedDaysIssues, reviewPlanDays, reviewPlanIssues } from './catalogue.policy.js';
import { formDataIssues, formSchemaIssues } from './catalogue.forms.js';

const staff = (roles: string[], departmentId = 'd-amr-changan', regionCode = '130102'): Actor =>
  ({ kind: 'staff', accountId: 'a1', departmentId, regionCode, roles }) as Actor;

describe(canCatalogue.name, () => {
  const changanAmr = { regionPath: ['130000', '130100', '130102'], departmentId: 'd-amr-changan' };
  it.each([
    ['a province catalogue_admin edits the standard', staff(['catalogue_admin'], 'd-ds', '130000'), 'standard.write', { regionPath: ['130000'] }, true],
    ['a city catalogue_admin does not edit the province standard', staff(['catalogue_admin'], 'd-ds', '130100'), 'standard.write', { regionPath: ['130000'] }, false],
    ['a department head does not edit the standard', staff(['department_head']), 'standard.write', { regionPath: ['130000'] }, false],
    ['a department head edits their own department’s implementation', staff(['department_head']), 'implementation.write', changanAmr, true],
    ['a department head of another department may not', staff(['department_head'], 'd-health-changan'), 'implementation.write', changanAmr, false],
    ['a reviewer of the department may not', staff(['reviewer']), 'implementation.write', changanAmr, false],
    ['a catalogue_admin above the region may', staff(['catalogue_admin'], 'd-ds', '130100'), 'implementation.write', changanAmr, true],
    ['a catalogue_admin of a sibling region may not', staff(['catalogue_admin'], 'd-ds', '133100'), 'implementation.write', changanAmr, false],
    ['an applicant may not', { kind: 'person', accountId: 'p', regionCode: '130102' } as Actor, 'implementation.write', changanAmr, false],
    ['the console may', { kind: 'console', operator: 'seed' } as Actor, 'standard.write', { regionPath: ['130000'] }, true],
  ] as const)('%s', (_, actor, action, target, expected) => {
    expect(canCatalogue(actor, action, target)).toBe(expected);
  });
});

describe(promisedDaysIssues.name, () => {
  it('refuses a promise above the statutory limit, naming the field', () => {
    expect(promisedDaysIssues({ statutoryDays: 10, promisedDays: 12, caseType: 'promised' })).toEqual([
      { path: 'promisedDays', message: '承诺时限 12 个工作日超过法定时限 10 个工作日' },
    ]);
  });
  it('accepts a shorter promise, and any promise where the law sets no period', () => {
    expect(promisedDaysIssues({ statutoryDays: 10, promisedDays: 5, caseType: 'promised' })).toEqual([]);
    expect(promisedDaysIssues({ statutoryDays: null, promisedDays: 30, caseType: 'promised' })).toEqual([]);
  });
  it('lets an approved pilot allowance stand in for the statutory limit (the seam for 先行先试)', () => {
    expect(promisedDaysIssues({ statutoryDays: 10, promisedDays: 12, caseType: 'promised' }, 15)).toEqual([]);
  });
  it('wants 0 days for an instant case and at least 1 for a promised one', () => {
    expect(promisedDaysIssues({ statutoryDays: 3, promisedDays: 1, caseType: 'instant' })[0]?.message).toMatch(/即办件/);
    expect(promisedDaysIssues({ statutoryDays: 3, promisedDays: 0, caseType: 'promised' })[0]?.message).toMatch(/至少1个工作日/);
  });
});

describe(materialIssues.name, () => {
  const known = new Set(['business_licence']);
  it('names a material pointing at an unknown certificate type, and a repeated key', () => {
    const issues = materialIssues(
      [
        { id: 'm1', name: '营业执照', form: 'electronic', count: 1, required: true, satisfiedBy: { certificateType: 'business_licence' } },
        { id: 'm2', name: '许可证', form: 'copy', count: 1, required: true, satisfiedBy: { certificateType: 'no_such_licence' } },
        { id: 'm1', name: '申请书', form: 'original', count: 1, required: true },
      ],
      known,
    );
    expect(issues).toEqual([
      { path: 'materials.1.satisfiedBy.certificateType', message: '未知的证照类型 no_such_licence' },
      { path: 'materials.2.id', message: '材料编号 m1 重复' },
    ]);
  });
});

describe(reviewPlanIssues.name, () => {
  const plan = [
    { name: '审查', steps: [{ key: 'amr', departmentKind: 'amr', name: '材料审查', days: 3 }, { key: 'health', departmentKind: 'health', name: '卫生审查', days: 4 }] },
    { name: '决定', steps: [{ key: 'decide', departmentKind: 'amr', name: '决定', days: 1 }] },
  ];
  it('counts parallel steps once (the longest) and stages one after another', () => {
    expect(reviewPlanDays(plan)).toBe(5);
    expect(reviewPlanIssues(plan, 5, () => true)).toEqual([]);
  });
  it('refuses a plan longer than the promise and an unknown department kind', () => {
    const issues = reviewPlanIssues(plan, 4, (k) => k !== 'health');
    expect(issues).toContainEqual({ path: 'reviewPlan.0.steps.1.departmentKind', message: '未知的部门类别 health' });
    expect(issues).toContainEqual({ path: 'reviewPlan', message: '审查环节共需 5 个工作日，超过承诺时限 4 个工作日' });
  });
});

describe(formSchemaIssues.name, () => {
  it('accepts a 2020-12 object schema', () => {
    expect(formSchemaIssues({ type: 'object', properties: { name: { type: 'string', title: '名称' } }, required: ['name'] })).toEqual([]);
  });
  it('names the bad keyword of an invalid schema', () => {
    const issues = formSchemaIssues({ type: 'object', properties: { name: { type: 'strnig' } } });
    expect(issues[0]?.path).toBe('formSchema.properties.name.type');
    expect(issues[0]?.message).toMatch(/不是有效的 JSON Schema/);
  });
  it('refuses an unresolvable $ref, another draft, and a schema that is not a form', () => {
    expect(formSchemaIssues({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } })[0]?.message).toMatch(/missing/);
    expect(formSchemaIssues({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: {} })[0]?.path).toBe('formSchema.$schema');
    expect(formSchemaIssues({ type: 'string' })[0]?.path).toBe('formSchema.type');
  });
});

describe(formDataIssues.name, () => {
  it('names missing and malformed fields of an application', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, day: { type: 'string', format: 'date' } }, required: ['name'] };
    expect(formDataIssues(schema, { day: '2026-13-40' })).toEqual(
      expect.arrayContaining([{ path: 'form.name', message: '必填' }, expect.objectContaining({ path: 'form.day' })]),
    );
    expect(formDataIssues(schema, { name: '张三', day: '2026-11-26' })).toEqual([]);
  });
});
