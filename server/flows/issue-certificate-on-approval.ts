/**
 * When a case concludes with approval and its item produces a certificate, the certificate is
 * issued in the same transaction as the decision (国务院令第716号: e-licences have the force of
 * paper; 谁审批、谁发证 — signed with the key of the department that owns the case).
 */
import { getImplementationVersion, getItem, getItemVersion } from '../modules/catalogue/index.js';
import { onCaseConcluded, type ConcludedCase } from '../modules/cases/index.js';
import { issueCertificate } from '../modules/certificates/index.js';
import { withActor, type Ctx } from '../core/ctx.js';

/** 食品经营许可证 and most licences run five years (食品经营许可和备案管理办法 art. 36); a type may say otherwise later. */
const DEFAULT_VALID_YEARS = 5;

function certificateFields(c: ConcludedCase): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = { item: c.itemName, caseNo: c.caseNo };
  for (const [k, v] of Object.entries(c.form)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) fields[k] = v.join('、');
  }
  return fields;
}

/**
 * Per database and implementation version: whether the item version it follows names a
 * certificate. Published versions never change (a trigger refuses it), so one read serves every
 * case filed under the version, and concluding a case whose item produces no certificate reads
 * nothing. When it does, the current item is read as before (its type and the type's name).
 */
const producesCertificate = new WeakMap<object, Map<string, Promise<boolean>>>();

function itemProducesCertificate(tx: Ctx, versionId: string): Promise<boolean> {
  let byVersion = producesCertificate.get(tx.runtime.db);
  if (!byVersion) producesCertificate.set(tx.runtime.db, (byVersion = new Map()));
  let p = byVersion.get(versionId);
  if (!p) {
    p = getImplementationVersion(tx, versionId).then(async (impl) => (await getItemVersion(tx, impl.itemCode, impl.itemVersion)).resultType !== null);
    byVersion.set(versionId, p);
    p.catch(() => byVersion.delete(versionId));
    if (byVersion.size > 5_000) byVersion.delete(byVersion.keys().next().value!);
  }
  return p;
}

export async function issueOnApproval(tx: Ctx, c: ConcludedCase): Promise<void> {
  if (c.decision !== 'approved') return;
  if (!(await itemProducesCertificate(tx, c.implementationVersionId))) return;
  const { item } = await getItem(tx, c.itemCode);
  if (!item.resultType) return;
  const validUntil = new Date(tx.now());
  validUntil.setUTCFullYear(validUntil.getUTCFullYear() + DEFAULT_VALID_YEARS);
  const applicant = await c.applicant();
  // the decision is the authority: the flow signs for the case's department, recorded as such
  await issueCertificate(withActor(tx, { kind: 'console', operator: `case ${c.caseNo} approved` }), {
    type: item.resultType.code,
    typeName: item.resultType.name,
    holder:
      applicant.kind === 'person'
        ? { kind: 'person', idNumber: applicant.subjectId, name: applicant.name }
        : { kind: 'business', creditCode: applicant.subjectId, name: applicant.name },
    fields: certificateFields(c),
    issuerDepartmentId: c.departmentId,
    validUntil,
    caseNo: c.caseNo,
  });
}

export function registerCertificateFlow(): void {
  // a denial or an item without a certificate needs nothing written: the case concludes on its own
  onCaseConcluded(issueOnApproval, { concerns: async (ctx, c) => c.decision === 'approved' && (await itemProducesCertificate(ctx, c.implementationVersionId)) });
}
