/**
 * Each region's working-day calendar: the national schedule plus the overrides of the region and
 * its ancestors (a city's local holiday applies to its districts). Calendars are built once and
 * cached; an override change drops the cache.
 */
import { AppError } from '../../../shared/errors.js';
import { hasRole } from '../../core/actor.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { WorkCalendar, dateOf, dayNumber, isProvisional, LAST_SCHEDULED_YEAR, type Override } from '../../core/workdays.js';
import { regionPath } from '../regions/index.js';

/** Per database (one runtime may not see another's overrides), per region. */
const caches = new WeakMap<object, Map<string, WorkCalendar>>();

function cacheOf(ctx: Ctx): Map<string, WorkCalendar> {
  let c = caches.get(ctx.runtime.db);
  if (!c) caches.set(ctx.runtime.db, (c = new Map()));
  return c;
}

/** The calendar of a region (throws NOT_FOUND for an unknown region). */
export async function calendarFor(ctx: Ctx, regionCode: string): Promise<WorkCalendar> {
  const cache = cacheOf(ctx);
  const hit = cache.get(regionCode);
  if (hit) return hit;
  const path = await regionPath(ctx, regionCode);
  const rows = await ctx.db.selectFrom('calendar_overrides').select(['date', 'kind', 'region_code']).where('region_code', 'in', path).execute();
  // the nearer region wins: apply the province first, the region itself last
  rows.sort((a, b) => path.indexOf(a.region_code) - path.indexOf(b.region_code));
  const calendar = new WorkCalendar(rows.map((r): Override => ({ date: r.date, kind: r.kind })));
  cache.set(regionCode, calendar);
  return calendar;
}

export interface DeadlineAnswer {
  region: string;
  from: string;
  days: number;
  deadline: string;
  /** True when the date lies in a year whose holiday schedule the State Council has not yet published. */
  provisional: boolean;
  rule: string;
}

export async function deadline(ctx: Ctx, input: { region: string; from: string; days: number }): Promise<DeadlineAnswer> {
  const cal = await calendarFor(ctx, input.region);
  let d: number;
  try {
    d = cal.addWorkingDays(dayNumber(input.from), input.days);
  } catch (e) {
    throw AppError.validation([{ path: 'from', message: (e as Error).message }]);
  }
  return {
    region: input.region,
    from: input.from,
    days: input.days,
    deadline: dateOf(d),
    provisional: isProvisional(d),
    rule: `工作日计算，起始日不计入（民法典第二百零一条、行政许可法第八十二条）；节假日安排至 ${LAST_SCHEDULED_YEAR} 年`,
  };
}

/** A system administrator of the region declares a local holiday or working day. */
export async function setOverride(ctx: Ctx, input: { region: string; date: string; kind: 'workday' | 'holiday'; reason: string }): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const path = await regionPath(tx, input.region);
    requireAccess(tx.actor, tx.actor.kind === 'console' || (hasRole(tx.actor, 'system_admin') && path.includes(tx.actor.regionCode)), `调整 ${input.region} 的工作日`);
    await tx.db
      .insertInto('calendar_overrides')
      .values({ region_code: input.region, date: input.date, kind: input.kind, reason: input.reason, created_by: tx.actor.kind === 'staff' ? tx.actor.accountId : null })
      .onConflict((oc) => oc.columns(['region_code', 'date']).doUpdateSet({ kind: input.kind, reason: input.reason }))
      .execute();
    await audit.record(tx, { action: 'calendar.override_set', subject: { region: input.region, date: input.date }, details: { kind: input.kind, reason: input.reason } });
  });
  cacheOf(ctx).clear();
}
