/**
 * Pilots (先行先试): a region's approved deviation from the province standard — fewer promised
 * days, approval by commitment (告知承诺制), or another — with its approving document and term,
 * and its fault-tolerance (容错) reviews. A Pilot ends on its expiry, read from the clock; the
 * catalogue asks `pilotsInForce` (through flows/) for the guide and for the promised-days ceiling.
 */
import { PILOT_KINDS, type GuidePilot } from '../../../shared/contracts/catalogue.js';
import type { CreatePilot, FaultToleranceRecord, Pilot, RecordFaultTolerance } from '../../../shared/contracts/delegation.js';
import { AppError, type FieldIssue } from '../../../shared/errors.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { chinaDate } from '../../core/workdays.js';
import { HEBEI, regionPath } from '../regions/index.js';
import { canDelegation } from './delegation.policy.js';
import * as repo from './delegation.repository.js';
import { currentItem } from './delegation.service.js';
import { faultToleranceOutcome, pilotStatus } from './delegation.tolerance.js';

function toGuidePilot(p: repo.PilotRow): GuidePilot {
  return {
    id: p.id,
    regionCode: p.region_code,
    kind: p.kind,
    kindName: PILOT_KINDS[p.kind],
    description: p.description,
    legalBasis: p.legal_basis,
    approvedBy: p.approved_by,
    startDate: p.start_date,
    expiry: p.expiry,
    allowedDays: p.allowed_days,
  };
}

function toRecord(r: repo.FaultRow): FaultToleranceRecord {
  const conditions = { lawful: r.lawful, noPrivateGain: r.no_private_gain, noIntent: r.no_intent, correctedInTime: r.corrected_in_time };
  return {
    id: r.id,
    pilotId: r.pilot_id,
    ...conditions,
    narrative: r.narrative,
    reviewer: r.reviewer,
    outcome: r.outcome,
    unmet: faultToleranceOutcome(conditions).unmet,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at.toISOString(),
  };
}

async function toPilots(ctx: Ctx, rows: repo.PilotRow[]): Promise<Pilot[]> {
  const today = chinaDate(ctx.now());
  const records = await repo.faultRecordsOf(ctx.db, rows.map((r) => r.id));
  const names = new Map<string, string>();
  for (const code of new Set(rows.flatMap((r) => r.item_codes))) names.set(code, (await currentItem(ctx, code))?.item.name ?? code);
  return rows.map((p) => ({
    ...toGuidePilot(p),
    regionName: p.region_name,
    items: p.item_codes.map((code) => ({ itemCode: code, name: names.get(code)! })),
    status: pilotStatus({ startDate: p.start_date, expiry: p.expiry }, today),
    createdBy: p.created_by,
    createdAt: p.created_at.toISOString(),
    faultTolerance: records.filter((r) => r.pilot_id === p.id).map(toRecord),
  }));
}

/**
 * A catalogue_admin or system_admin of the region (or above) records an approved Pilot. A
 * promised-days ceiling must lie above the covered items' statutory limits: a shorter promise
 * needs no approval.
 * @throws VALIDATION_FAILED naming the field, FORBIDDEN
 */
export async function createPilot(ctx: Ctx, input: CreatePilot): Promise<Pilot> {
  return inTransaction(ctx, async (tx) => {
    let path: string[];
    try {
      path = await regionPath(tx, input.region);
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') throw AppError.validation([{ path: 'region', message: `行政区划 ${input.region} 不存在` }]);
      throw e;
    }
    requireAccess(tx.actor, canDelegation(tx.actor, 'pilot.create', { regionPath: path }), `登记 ${input.region} 的先行先试`);
    const issues: FieldIssue[] = [];
    const codes = new Set<string>();
    for (const [i, code] of input.items.entries()) {
      const found = await currentItem(tx, code);
      if (codes.has(code)) issues.push({ path: `items.${i}`, message: `事项 ${code} 重复` });
      else if (!found) issues.push({ path: `items.${i}`, message: `事项 ${code} 不存在或尚未发布` });
      else if (input.allowedDays !== null && (found.item.statutoryDays === null || input.allowedDays <= found.item.statutoryDays)) {
        issues.push({
          path: 'allowedDays',
          message: found.item.statutoryDays === null ? `事项 ${code} 没有法定时限，无需批准时限上限` : `时限上限 ${input.allowedDays} 个工作日不高于事项 ${code} 的法定时限 ${found.item.statutoryDays} 个工作日，无需试点批准`,
        });
      }
      codes.add(code);
    }
    if (issues.length) throw AppError.validation(issues);
    const { id } = await repo.insertPilot(tx.db, {
      region_code: input.region,
      item_codes: [...codes],
      kind: input.kind,
      description: input.description,
      legal_basis: input.legalBasis,
      start_date: input.startDate,
      expiry: input.expiry,
      approved_by: input.approvedBy,
      allowed_days: input.allowedDays,
      created_by: tx.actor.kind === 'staff' ? tx.actor.accountId : null,
      created_at: tx.now(),
    });
    await audit.record(tx, {
      action: 'delegation.pilot_recorded',
      subject: { pilot: id },
      details: { region: input.region, items: [...codes], kind: input.kind, legalBasis: input.legalBasis, startDate: input.startDate, expiry: input.expiry, allowedDays: input.allowedDays },
    });
    return (await toPilots(tx, [(await repo.findPilot(tx.db, id))!]))[0]!;
  });
}

/** The Pilots of a region and below, with their status on the clock's date (staff). */
export async function listPilots(ctx: Ctx, region: string): Promise<Pilot[]> {
  requireAccess(ctx.actor, canDelegation(ctx.actor, 'pilot.read', { regionPath: [HEBEI] }), '查看先行先试');
  await regionPath(ctx, region);
  return toPilots(ctx, await repo.pilotsUnder(ctx.db, region));
}

/**
 * An efficiency_officer or system_admin of the Pilot's region (or above) records a fault-tolerance
 * review; it is tolerated only when all four conditions hold.
 * @throws NOT_FOUND, FORBIDDEN
 */
export async function recordFaultTolerance(ctx: Ctx, input: RecordFaultTolerance & { pilotId: string }): Promise<FaultToleranceRecord> {
  return inTransaction(ctx, async (tx) => {
    const pilot = await repo.findPilot(tx.db, input.pilotId);
    if (!pilot) throw new AppError('NOT_FOUND', `先行先试 ${input.pilotId} 不存在`);
    requireAccess(tx.actor, canDelegation(tx.actor, 'faultTolerance.record', { regionPath: pilot.region_path }), `对 ${pilot.region_name} 的先行先试作容错认定`);
    const { outcome, unmet } = faultToleranceOutcome(input);
    const row = await repo.insertFaultRecord(tx.db, {
      pilot_id: pilot.id,
      lawful: input.lawful,
      no_private_gain: input.noPrivateGain,
      no_intent: input.noIntent,
      corrected_in_time: input.correctedInTime,
      narrative: input.narrative,
      reviewer: input.reviewer,
      outcome,
      recorded_by: tx.actor.kind === 'staff' ? tx.actor.accountId : null,
      recorded_at: tx.now(),
    });
    await audit.record(tx, { action: 'delegation.fault_tolerance_recorded', subject: { pilot: pilot.id, faultTolerance: row.id }, details: { outcome, unmet, reviewer: input.reviewer } });
    return toRecord(row);
  });
}

/**
 * The Pilots in force on the clock's date for an item in a region of `regionPath` (the catalogue's
 * PilotLookup): the deepest region first, then the latest.
 */
export async function pilotsInForce(ctx: Ctx, q: { itemCode: string; regionPath: readonly string[] }): Promise<GuidePilot[]> {
  if (q.regionPath.length === 0) return [];
  return (await repo.pilotsInForce(ctx.db, q.itemCode, q.regionPath, chinaDate(ctx.now()))).map(toGuidePilot);
}
