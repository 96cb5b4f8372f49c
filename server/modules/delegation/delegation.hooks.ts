/**
 * What the delegation module asks of modules it does not import, filled at start-up by
 * `server/flows/`: how many staff accounts a department has (a takeOver needs people to exercise
 * the power, and accounts belong to identity). Unfilled, the answer is 0, so a takeOver cannot
 * be confirmed on an assumption.
 */
import type { Ctx } from '../../core/ctx.js';

export type StaffCounter = (ctx: Ctx, departmentId: string) => Promise<number>;

let staffCounter: StaffCounter = async () => 0;

export function setStaffCounter(fn: StaffCounter): void {
  staffCounter = fn;
}

export function staffCount(ctx: Ctx, departmentId: string): Promise<number> {
  return staffCounter(ctx, departmentId);
}
