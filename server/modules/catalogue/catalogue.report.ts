/**
 * 标准化: the same item, the same code and the same standard across regions. For each item, the
 * current implementations in a region and below are compared with the item's current standard
 * and with each other:
 * - a difference in the six unified elements (四级四同) is a violation — versions make it
 *   impossible to write one, but an implementation published before the item's standard changed
 *   keeps the old copy until it is redrafted, and stored copies are checked, not assumed;
 * - a spread of promised days or of materials between regions is a finding;
 * - each implementation's guide is scored for completeness against the 十公开 (no empty,
 *   missing or wrong element: 冀政办发〔2020〕7号 asks for exactly that after a delegation).
 */
import type { Material, ReviewStage, StandardisationReport } from '../../../shared/contracts/catalogue.js';
import { requireAccess } from '../../core/access.js';
import type { Ctx } from '../../core/ctx.js';
import { regionPath } from '../regions/index.js';
import { canCatalogue, reviewPlanDays } from './catalogue.policy.js';
import { formFields } from './catalogue.forms.js';
import * as repo from './catalogue.repository.js';

type ItemRow = repo.ItemVersionRow;
type ImplRow = repo.ImplementationVersionRow;

/** The six unified elements as an implementation stores them, beside the standard's. */
export function unifiedDifferences(item: ItemRow, impl: ImplRow): { element: string; expected: string; actual: string }[] {
  const pairs: [string, string, string][] = [
    ['事项名称', item.name, impl.name],
    ['事项编码', item.item_code, impl.item_code],
    ['事项类型', item.item_type, impl.item_type],
    ['主管部门', item.competent_department_kind, impl.competent_department_kind],
    ['实施机关', item.implementing_department_kind, impl.department_kind],
    ['设定依据', item.legal_basis, impl.legal_basis],
  ];
  return pairs.filter(([, e, a]) => e !== a).map(([element, expected, actual]) => ({ element, expected, actual }));
}

/** The 十公开 checks of one guide: each element present and right. */
export function guideChecks(item: ItemRow, impl: ImplRow): { element: string; ok: boolean; message?: string }[] {
  const materials = impl.materials as Material[];
  const plan = impl.review_plan as ReviewStage[];
  const fees = impl.fees as { basis?: string }[];
  const check = (element: string, ok: boolean, message: string) => (ok ? { element, ok } : { element, ok, message });
  return [
    check('审批项目', impl.name.trim() !== '' && impl.name === item.name, '事项名称缺失或与标准不一致'),
    check('依据', impl.legal_basis.trim().length > 0 && impl.legal_basis === item.legal_basis, '设定依据缺失或与标准不一致'),
    check('条件', item.conditions.trim().length > 0, '未写明受理条件'),
    check('数量', item.quantity_limit.trim().length > 0, '未写明数量限制'),
    check('程序', impl.case_type === 'instant' || (plan.length > 0 && reviewPlanDays(plan) <= impl.promised_days), '审查程序缺失或超出承诺时限'),
    check('申报材料', materials.length > 0 && materials.every((m) => m.name.trim() !== '' && m.count >= 1), '未列明申报材料及其形式、份数'),
    check('承诺时限', item.statutory_days === null || impl.promised_days <= item.statutory_days, '承诺时限超过法定时限'),
    check('收费', fees.every((f) => (f.basis ?? '').trim() !== ''), '收费项目未写明依据'),
    check('咨询电话', impl.consult_phone.trim() !== '', '未公开咨询电话'),
    check('监督电话', impl.complaint_phone.trim() !== '', '未公开监督投诉电话'),
    check('办理地点', impl.service_hall.trim() !== '', '未写明办理地点'),
    check('申请表', formFields(impl.form_schema as Record<string, unknown>).length > 0, '申请表没有字段'),
  ];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function spread(values: { value: number; region: string }[], what: string, unit: string): string | null {
  if (values.length < 2) return null;
  const min = Math.min(...values.map((v) => v.value));
  const max = Math.max(...values.map((v) => v.value));
  if (min === max) return null;
  const detail = values.map((v) => `${v.region} ${v.value}`).join('，');
  return `${what}不一致：${min}–${max} ${unit}（${detail}）`;
}

/** `GET /standardisation/report?region=`: catalogue_admin or efficiency_officer over the region. */
export async function standardisationReport(ctx: Ctx, region: string): Promise<StandardisationReport> {
  const path = await regionPath(ctx, region);
  requireAccess(ctx.actor, canCatalogue(ctx.actor, 'report.read', { regionPath: path }), `查看 ${region} 的标准化报告`);
  const items = new Map((await repo.allCurrentItems(ctx.db)).map((i) => [i.item_code, i]));
  const impls = await repo.currentImplementationsUnder(ctx.db, region);
  const byItem = new Map<string, ImplRow[]>();
  for (const im of impls) byItem.set(im.item_code, [...(byItem.get(im.item_code) ?? []), im]);

  const regionStats = new Map<string, { implementations: number; completeness: number; violations: number }>();
  const reportItems: StandardisationReport['items'] = [];
  for (const [code, list] of [...byItem.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const item = items.get(code);
    if (!item) continue;
    const violations = [];
    const implementations = [];
    for (const im of list) {
      const diffs = unifiedDifferences(item, im);
      violations.push(...diffs.map((d) => ({ implementationId: im.implementation_id, regionCode: im.region_code, ...d })));
      const checks = guideChecks(item, im);
      const completeness = round1((100 * checks.filter((c) => c.ok).length) / checks.length);
      implementations.push({
        implementationId: im.implementation_id,
        version: im.version,
        regionCode: im.region_code,
        department: im.department_name,
        promisedDays: im.promised_days,
        materialsCount: (im.materials as Material[]).length,
        completeness,
        problems: [
          ...checks.filter((c) => !c.ok).map((c) => `${c.element}：${c.message}`),
          ...(diffs.length ? [`六要素与现行标准（第 ${item.version} 版）不一致：${diffs.map((d) => d.element).join('、')}（依据第 ${im.item_version} 版），须重新起草`] : []),
        ],
      });
      const s = regionStats.get(im.region_code) ?? { implementations: 0, completeness: 0, violations: 0 };
      s.implementations++;
      s.completeness += completeness;
      s.violations += diffs.length;
      regionStats.set(im.region_code, s);
    }
    const days = implementations.map((i) => ({ value: i.promisedDays, region: i.regionCode }));
    const counts = implementations.map((i) => ({ value: i.materialsCount, region: i.regionCode }));
    const findings = [spread(days, '承诺时限', '个工作日'), spread(counts, '申报材料数量', '项')].filter((f): f is string => f !== null);
    const names = list.map((im) => new Set((im.materials as Material[]).map((m) => m.name)));
    if (names.length > 1 && names.some((n) => n.size !== names[0]!.size || [...n].some((x) => !names[0]!.has(x)))) {
      findings.push('各地申报材料清单不一致');
    }
    reportItems.push({
      itemCode: code,
      name: item.name,
      implementations,
      violations,
      findings,
      promisedDays: days.length ? { min: Math.min(...days.map((d) => d.value)), max: Math.max(...days.map((d) => d.value)) } : null,
      materialsCount: counts.length ? { min: Math.min(...counts.map((d) => d.value)), max: Math.max(...counts.map((d) => d.value)) } : null,
    });
  }
  // a region's score: its guides' mean completeness, less 10 points per unified-element violation
  const regions = [...regionStats.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([regionCode, s]) => ({
      regionCode,
      implementations: s.implementations,
      violations: s.violations,
      score: round1(Math.max(0, s.completeness / s.implementations - 10 * s.violations)),
    }));
  const total = regions.reduce((n, r) => n + r.implementations, 0);
  return {
    region,
    generatedAt: ctx.now().toISOString(),
    items: reportItems,
    regions,
    score: total ? round1(regions.reduce((n, r) => n + r.score * r.implementations, 0) / total) : 100,
  };
}
