/**
 * Seams that another module fills at start-up (`server/flows/` registers them), so the catalogue
 * can ask without importing it — the design's arrows run delegation → catalogue, never back:
 * - which 先行先试 Pilots are in force for an item where it is implemented (the guide shows the
 *   first; an approved ceiling may lift 承诺时限 above 法定时限);
 * - whether a draft item revives a cancelled one (冀政办发〔2020〕7号: no comeback by splitting,
 *   merging or renaming), which throws to hold the draft.
 * Unfilled, the catalogue stands alone: no pilots, no hold.
 */
import type { GuidePilot } from '../../../shared/contracts/catalogue.js';
import type { Ctx } from '../../core/ctx.js';

/** The Pilots in force for `itemCode` in a region (its path, province first), most specific first. */
export type PilotLookup = (ctx: Ctx, q: { itemCode: string; regionPath: readonly string[] }) => Promise<GuidePilot[]>;
/** Runs inside the drafting transaction; throws to hold the draft, records what it let through. */
export type ItemDraftCheck = (tx: Ctx, draft: { itemCode: string; name: string; legalBasis: string; justification: string | undefined }) => Promise<void>;

let pilotLookup: PilotLookup = async () => [];
let itemDraftCheck: ItemDraftCheck = async () => {};

export function setPilotLookup(fn: PilotLookup): void {
  pilotLookup = fn;
}

export function setItemDraftCheck(fn: ItemDraftCheck): void {
  itemDraftCheck = fn;
}

export function pilotsFor(ctx: Ctx, q: { itemCode: string; regionPath: readonly string[] }): Promise<GuidePilot[]> {
  return pilotLookup(ctx, q);
}

/** The highest promised-days ceiling among the Pilots in force, or null (the statutory limit stands). */
export async function pilotAllowedDays(ctx: Ctx, q: { itemCode: string; regionPath: readonly string[] }): Promise<number | null> {
  const days = (await pilotLookup(ctx, q)).flatMap((p) => (p.allowedDays === null ? [] : [p.allowedDays]));
  return days.length ? Math.max(...days) : null;
}

export function checkItemDraft(tx: Ctx, draft: Parameters<ItemDraftCheck>[1]): Promise<void> {
  return itemDraftCheck(tx, draft);
}
