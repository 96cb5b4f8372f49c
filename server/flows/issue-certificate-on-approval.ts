/**
 * When a case concludes with approval and its item produces a certificate, the certificate is
 * issued in the same transaction as the decision (国务院令第716号: e-licences have the force of
 * paper; 谁审批、谁发证 — signed with the key of the department that owns the case).
 */
import { getItem } from '../modules/catalogue/index.js';
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

export async function issueOnApproval(tx: Ctx, c: ConcludedCase): Promise<void> {
  if (c.decision !== 'approved') return;
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
  onCaseConcluded(issueOnApproval);
}
