/**
 * 冀政办发〔2020〕7号: a cancelled approval may not come back by splitting, merging or renaming.
 * The catalogue asks this (through flows/) before it writes an item draft: a draft of a cancelled
 * item itself, or a new or renamed item whose name closely matches a cancelled one or whose legal
 * basis cites the same article of the same law, is held until a written justification is given;
 * the justification and what it answered go into the audit chain with the draft.
 */
import { AppError } from '../../../shared/errors.js';
import * as audit from '../../core/audit.js';
import type { Ctx } from '../../core/ctx.js';
import * as repo from './delegation.repository.js';
import { currentItem } from './delegation.service.js';
import { revivalMatch, type NameMatch } from './delegation.similarity.js';

/** A justification says why; a word or two does not. */
export const MIN_JUSTIFICATION = 10;

export interface CancelledMatch {
  itemCode: string;
  name: string;
  legalBasis: string;
  documentNo: string;
  delegationId: string;
  /** same_code: the cancelled item itself. */
  by: ('same_code' | 'name' | 'legal_basis')[];
  nameMatch: NameMatch | null;
  sharedCitations: string[];
}

/** The cancelled items a draft matches; none for an unchanged version of an item that was never cancelled. */
export async function cancelledMatches(tx: Ctx, draft: { itemCode: string; name: string; legalBasis: string }): Promise<CancelledMatch[]> {
  const cancelled = await repo.allCancelled(tx.db);
  if (cancelled.length === 0) return [];
  const current = (await currentItem(tx, draft.itemCode))?.item;
  const unchanged = current !== undefined && current.name === draft.name && current.legalBasis === draft.legalBasis;
  const out: CancelledMatch[] = [];
  for (const c of cancelled) {
    if (c.item_code === draft.itemCode) {
      out.push({ itemCode: c.item_code, name: c.name, legalBasis: c.legal_basis, documentNo: c.document_no, delegationId: c.delegation_id, by: ['same_code'], nameMatch: null, sharedCitations: [] });
      continue;
    }
    if (unchanged) continue;
    const m = revivalMatch(draft, { name: c.name, legalBasis: c.legal_basis });
    if (!m) continue;
    out.push({
      itemCode: c.item_code,
      name: c.name,
      legalBasis: c.legal_basis,
      documentNo: c.document_no,
      delegationId: c.delegation_id,
      by: [...(m.name ? (['name'] as const) : []), ...(m.sharedCitations.length ? (['legal_basis'] as const) : [])],
      nameMatch: m.name,
      sharedCitations: m.sharedCitations,
    });
  }
  return out;
}

/**
 * The catalogue's ItemDraftCheck: holds a draft that may revive a cancelled item (412 naming the
 * matches) unless it carries a justification, which is then recorded in the audit chain.
 * @throws PRECONDITION_FAILED, VALIDATION_FAILED (a justification too short to say why)
 */
export async function holdRevival(tx: Ctx, draft: { itemCode: string; name: string; legalBasis: string; justification: string | undefined }): Promise<void> {
  const matches = await cancelledMatches(tx, draft);
  if (matches.length === 0) return;
  const justification = draft.justification?.trim();
  if (!justification) {
    const first = matches[0]!;
    throw new AppError(
      'PRECONDITION_FAILED',
      `事项“${draft.name}”与已取消的“${first.name}”（${first.documentNo}）${first.by.includes('same_code') ? '为同一事项' : first.by.includes('name') ? '名称相近' : '设定依据相同'}：` +
        '冀政办发〔2020〕7号 规定已取消的审批事项不得通过拆分、合并、改名等方式变相恢复。如确有新的法定依据，请在 justification 中书面说明后再提交',
      { field: 'justification', cancelled: matches },
    );
  }
  if (justification.length < MIN_JUSTIFICATION) {
    throw AppError.validation([{ path: 'justification', message: `书面说明至少 ${MIN_JUSTIFICATION} 个字，写明恢复或新设的法定依据` }]);
  }
  await audit.record(tx, {
    action: 'delegation.revival_justified',
    subject: { item: draft.itemCode },
    details: { name: draft.name, justification, cancelled: matches.map((d) => ({ itemCode: d.itemCode, documentNo: d.documentNo, by: d.by, sharedCitations: d.sharedCitations })) },
  });
}
