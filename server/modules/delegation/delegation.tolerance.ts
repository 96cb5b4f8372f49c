/**
 * A Pilot's term and its fault-tolerance (容错) review. Pure.
 *
 * 容错 follows the 中办《关于进一步激励广大干部新时代新担当新作为的意见》(2018) — “三个区分开来”:
 * a mistake made while piloting a reform, without private gain and without intent, is told apart
 * from a knowing breach. Local 容错纠错 rules turn that into conditions that must all hold; the
 * four recorded here are the ones they commonly share.
 */
import type { FaultToleranceRecord } from '../../../shared/contracts/delegation.js';

/** A Pilot is in force from its start date to its expiry, both inclusive (China dates). */
export function pilotStatus(p: { startDate: string; expiry: string }, today: string): 'scheduled' | 'active' | 'expired' {
  if (today < p.startDate) return 'scheduled';
  return today > p.expiry ? 'expired' : 'active';
}

export const FAULT_TOLERANCE_CONDITIONS = {
  lawful: '依法依规决策（在试点批准的范围内）',
  noPrivateGain: '未谋取私利',
  noIntent: '非主观故意',
  correctedInTime: '及时纠错、消除影响',
} as const;

export type FaultToleranceConditions = Record<keyof typeof FAULT_TOLERANCE_CONDITIONS, boolean>;

/** Tolerated only when every condition holds; otherwise the unmet ones, named. */
export function faultToleranceOutcome(c: FaultToleranceConditions): Pick<FaultToleranceRecord, 'outcome' | 'unmet'> {
  const unmet = (Object.keys(FAULT_TOLERANCE_CONDITIONS) as (keyof FaultToleranceConditions)[]).filter((k) => !c[k]).map((k) => FAULT_TOLERANCE_CONDITIONS[k]);
  return { outcome: unmet.length === 0 ? 'tolerated' : 'not_tolerated', unmet };
}
