/**
 * Wires the delegation module into the seams of the modules it may not be imported by (the
 * arrows run delegation → catalogue): the catalogue asks it for Pilots in force (the guide, the
 * promised-days ceiling) and whether a draft item revives a cancelled one (冀政办发〔2020〕7号);
 * delegation asks identity how many staff a receiving department has (a takeOver needs people).
 */
import { setItemDraftCheck, setPilotLookup } from '../modules/catalogue/index.js';
import { holdRevival, pilotsInForce, setStaffCounter } from '../modules/delegation/index.js';
import { listStaff } from '../modules/identity/index.js';
import { withActor } from '../core/ctx.js';

export function registerDelegationFlow(): void {
  setPilotLookup(pilotsInForce);
  setItemDraftCheck(holdRevival);
  // a count, not the accounts: read as the system, whoever confirms the takeOver
  setStaffCounter(async (ctx, departmentId) => (await listStaff(withActor(ctx, { kind: 'console', operator: 'takeOver staff check' }), departmentId)).length);
}
