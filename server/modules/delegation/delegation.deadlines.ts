/**
 * The takeOver deadlines of 冀政办发〔2020〕7号 and days overdue. Pure: the caller passes the
 * receiving region's working-day calendar.
 */
import { dateOf, dayNumber, type WorkCalendar } from '../../core/workdays.js';

/** 冀政办发〔2020〕7号: a cancelled or delegated item is handed over within 15 days … */
export const HANDOVER_DAYS = 15;
/** … and the receiving level's 实施清单 updated within 5 working days, with no empty, missing or wrong entry. */
export const LISTING_WORKING_DAYS = 5;

export interface TakeOverDeadlines {
  handoverDeadline: string;
  listingDeadline: string;
}

/**
 * The hand-over period counts calendar days from the effective date, the start day not counted
 * (民法典 第二百零一条); when it ends on a rest day it ends on the next working day (第二百零三条).
 * The list is updated within 5 working days of the end of the hand-over period: the 实施清单
 * describes what was handed over, so it is counted from there (our reading of the notice).
 */
export function takeOverDeadlines(effectiveDate: string, cal: WorkCalendar): TakeOverDeadlines {
  const handover = cal.addWorkingDays(dayNumber(effectiveDate) + HANDOVER_DAYS, 0);
  return { handoverDeadline: dateOf(handover), listingDeadline: dateOf(cal.addWorkingDays(handover, LISTING_WORKING_DAYS)) };
}

/** Working days from `deadline` to `today` in the calendar, 0 when `today` is not past it. */
export function workingDaysOverdue(today: string, deadline: string, cal: WorkCalendar): number {
  if (today <= deadline) return 0;
  return cal.workingDaysBetween(dayNumber(deadline), dayNumber(today));
}

/**
 * Where a pending takeOver stands on `today`: past the listing deadline (the heavier breach, the
 * list still not updated), past the hand-over deadline, or within time (null).
 */
export function pendingOverdue(task: TakeOverDeadlines, today: string): { kind: 'listing_overdue' | 'handover_overdue'; deadline: string } | null {
  if (today > task.listingDeadline) return { kind: 'listing_overdue', deadline: task.listingDeadline };
  if (today > task.handoverDeadline) return { kind: 'handover_overdue', deadline: task.handoverDeadline };
  return null;
}
