/**
 * Nobody asked twice (免提交, 国务院令第716号 and the EU once-only rule): before submitting, the
 * applicant sees which materials government already holds — an e-certificate in their wallet,
 * or a record in a shared data resource the handling department may read — with its source and
 * as-of date, and chooses to rely on it or to upload anyway. The case keeps a reference, never a
 * copy; the department reads the data when it reviews, and that read is recorded.
 */
import { AppError, type FieldIssue } from '../../../shared/errors.js';
import type { Ctx } from '../../core/ctx.js';
import { getGuide } from '../catalogue/index.js';
import { holderCertificates, verifyCertificate } from '../certificates/index.js';
import type { ApplicantInfo } from '../identity/index.js';
import { readForCase, readOwnRecord, usableGrant } from '../sharing/index.js';

export interface ReuseSource {
  kind: 'certificate' | 'data';
  /** certNo, or the data resource code. */
  reference: string;
  name: string;
  provider: string;
  asOf: string;
  validUntil: string | null;
}

export interface ReuseOption {
  materialId: string;
  name: string;
  required: boolean;
  source: ReuseSource | null;
  /** Why it cannot be reused, when it cannot. */
  unavailable: string | null;
}

type Guide = Awaited<ReturnType<typeof getGuide>>;

/** The source that can stand for one material, or why there is none. */
async function sourceFor(ctx: Ctx, guide: Guide, m: Guide['materials'][number], applicant: ApplicantInfo): Promise<{ source: ReuseSource | null; unavailable: string | null }> {
  const by = m.satisfiedBy;
  if (!by) return { source: null, unavailable: '该材料需要上传' };
  if (by.certificateType) {
    const held = (await holderCertificates(ctx, { kind: applicant.kind, id: applicant.subjectId }, [by.certificateType])).find((c) => c.status === 'valid');
    if (held) {
      return {
        source: { kind: 'certificate', reference: held.certNo, name: held.typeName, provider: held.issuer.name, asOf: held.issuedAt, validUntil: held.validUntil },
        unavailable: null,
      };
    }
    if (!by.dataResource) return { source: null, unavailable: '证照夹中没有有效的该类证照' };
  }
  if (by.dataResource) {
    const grant = await usableGrant(ctx, { departmentId: guide.department.id, resourceCode: by.dataResource });
    if (!grant) return { source: null, unavailable: `${guide.department.name} 尚未获得该数据的共享授权` };
    try {
      const own = await readOwnRecord(ctx, { resourceCode: by.dataResource, fields: grant.fields });
      return { source: { kind: 'data', reference: own.resource.code, name: own.resource.name, provider: own.provider.name, asOf: own.asOf, validUntil: null }, unavailable: null };
    } catch (e) {
      if (e instanceof AppError && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return { source: null, unavailable: e.message };
      throw e;
    }
  }
  return { source: null, unavailable: '该材料需要上传' };
}

/** The preview an applicant sees before submitting: every material, and what can stand for it. */
export async function reusePreview(ctx: Ctx, guide: Guide, applicant: ApplicantInfo): Promise<ReuseOption[]> {
  const out: ReuseOption[] = [];
  for (const m of guide.materials) {
    const r = await sourceFor(ctx, guide, m, applicant);
    out.push({ materialId: m.id, name: m.name, required: m.required, ...r });
  }
  return out;
}

/** Resolves the materials the applicant chose to reuse, again at filing (never trusting the client). */
export async function resolveReuse(ctx: Ctx, guide: Guide, applicant: ApplicantInfo, refs: { materialId: string; index: number }[]): Promise<Map<string, ReuseSource>> {
  const issues: FieldIssue[] = [];
  const out = new Map<string, ReuseSource>();
  for (const r of refs) {
    const m = guide.materials.find((x) => x.id === r.materialId);
    if (!m) continue; // reported by the material check
    const { source, unavailable } = await sourceFor(ctx, guide, m, applicant);
    if (!source) issues.push({ path: `materials.${r.index}.reuse`, message: `材料「${m.name}」不能免提交：${unavailable}，请上传` });
    else out.set(r.materialId, source);
  }
  if (issues.length) throw AppError.validation(issues);
  return out;
}

/**
 * Form fields whose value government has verified — the applicant's registered identifier (ID
 * number, checked against GB 11643; credit code, GB 32100): filled and locked, a submitted value
 * that differs is refused. Names are only suggested (prefill): a shop may trade under a 字号.
 */
export function verifiedFields(applicant: ApplicantInfo): Record<string, string> {
  return applicant.kind === 'person' ? { idNumber: applicant.subjectId } : { creditCode: applicant.subjectId };
}

export function suggestedFields(applicant: ApplicantInfo): Record<string, string> {
  return applicant.kind === 'person' ? { applicantName: applicant.name, name: applicant.name } : { entityName: applicant.name };
}

export function lockedFieldIssues(formSchema: Record<string, unknown>, form: Record<string, unknown>, verified: Record<string, string>): FieldIssue[] {
  const props = (formSchema.properties ?? {}) as Record<string, unknown>;
  return Object.entries(verified)
    .filter(([k, v]) => k in props && k in form && form[k] !== v)
    .map(([k, v]) => ({ path: `form.${k}`, message: `该项已由登记信息核验为「${v}」，不能修改` }));
}

/** GET /items/:itemCode/reuse: the applicant's preview before submitting. */
export async function previewForApplicant(ctx: Ctx, itemCode: string, regionCode: string, applicant: ApplicantInfo) {
  const guide = await getGuide(ctx, itemCode, regionCode);
  const props = Object.keys((guide.formSchema.properties ?? {}) as Record<string, unknown>);
  const only = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([k]) => props.includes(k)));
  return {
    itemCode: guide.itemCode,
    regionCode: guide.regionCode,
    materials: await reusePreview(ctx, guide, applicant),
    locked: only(verifiedFields(applicant)),
    prefill: only(suggestedFields(applicant)),
  };
}

/**
 * An officer opens a material of a case: an upload is pointed to; a certificate is verified now
 * (signature, status, validity); shared data is read under the department's grant, which leaves
 * an AccessRecord for the data subject.
 */
export async function readMaterial(
  ctx: Ctx,
  c: { caseNo: string; departmentId: string; applicant: ApplicantInfo },
  m: { material_id: string; name: string; source: string; upload_id: string | null; reference: string | null },
) {
  if (m.source === 'upload' || m.source === 'owed') return { materialId: m.material_id, name: m.name, source: m.source, uploadId: m.upload_id, download: m.upload_id ? `/api/v1/uploads/${m.upload_id}` : null };
  if (m.source === 'certificate') {
    const verification = await verifyCertificate(ctx, m.reference!);
    return { materialId: m.material_id, name: m.name, source: m.source, certNo: m.reference, verification };
  }
  const [resourceCode] = m.reference!.split('@');
  const grant = await usableGrant(ctx, { departmentId: c.departmentId, resourceCode: resourceCode! });
  if (!grant) throw new AppError('FORBIDDEN', `${resourceCode} 的共享授权已失效，请联系数据提供部门或通知申请人上传`);
  const read = await readForCase(ctx, { resourceCode: resourceCode!, subject: c.applicant.subjectId, fields: grant.fields, purpose: grant.purpose, caseNo: c.caseNo });
  return { materialId: m.material_id, name: m.name, source: m.source, data: { resource: read.resource, provider: read.provider, asOf: read.asOf, fields: read.fields } };
}
