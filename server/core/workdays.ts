/**
 * Working days (工作日). 行政许可法 art. 82: time limits of licensing count working days, statutory
 * holidays excluded; 民法典 art. 201: the start day of a period is not counted; a period ending on
 * a rest day ends on the next working day (automatic when counting working days). The national
 * schedule — statutory holidays and the weekend days made working days (调休) — comes from the
 * State Council's yearly notice as packaged by `chinese-days`; regions add local overrides.
 *
 * Dates are calendar dates ('YYYY-MM-DD') in China Standard Time, handled as day numbers (days
 * since 1970-01-01) so that one deadline costs two array reads.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const NATIONAL = require('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;

export function dayNumber(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) throw new RangeError(`no such date: ${date}`);
  return t / DAY_MS;
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date in China (UTC+8) of an instant. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last year whose national schedule is published in the data; later years count Mon–Fri only. */
export const LAST_SCHEDULED_YEAR = Math.max(...Object.keys(NATIONAL.holidays).map((d) => Number(d.slice(0, 4))));
const FIRST_YEAR = Math.min(...Object.keys(NATIONAL.holidays).map((d) => Number(d.slice(0, 4))));
const START = dayNumber(`${FIRST_YEAR}-01-01`);
const END = dayNumber(`${LAST_SCHEDULED_YEAR + 10}-12-31`); // ten provisional years beyond the data

export interface Override {
  date: string;
  kind: 'workday' | 'holiday';
}

/**
 * One region's calendar, precomputed: `ordinal[i]` counts working days on or before day START+i,
 * `byOrdinal[k]` is the k-th working day. Adding N working days is then two lookups.
 */
export class WorkCalendar {
  private readonly ordinal: Int32Array;
  private readonly byOrdinal: Int32Array;

  constructor(overrides: readonly Override[] = []) {
    const n = END - START + 1;
    const work = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const weekday = (START + i + 4) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
      work[i] = weekday !== 0 && weekday !== 6 ? 1 : 0;
    }
    const set = (date: string, v: 0 | 1) => {
      const i = dayNumber(date) - START;
      if (i >= 0 && i < n) work[i] = v;
    };
    for (const d of Object.keys(NATIONAL.holidays)) set(d, 0);
    for (const d of Object.keys(NATIONAL.workdays)) set(d, 1);
    for (const o of overrides) set(o.date, o.kind === 'workday' ? 1 : 0);
    this.ordinal = new Int32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      count += work[i]!;
      this.ordinal[i] = count;
    }
    this.byOrdinal = new Int32Array(count + 1);
    for (let i = 0; i < n; i++) if (work[i]) this.byOrdinal[this.ordinal[i]!] = START + i;
  }

  private index(day: number): number {
    const i = day - START;
    if (i < 0 || i >= this.ordinal.length) throw new RangeError(`date ${dateOf(day)} is outside the calendar (${FIRST_YEAR}–${LAST_SCHEDULED_YEAR + 10})`);
    return i;
  }

  isWorkday(day: number): boolean {
    const i = this.index(day);
    return this.ordinal[i]! !== (i === 0 ? 0 : this.ordinal[i - 1]!);
  }

  /** The day `n` working days after `from`, the start day not counted. n = 0 gives the first working day on or after `from`. */
  addWorkingDays(from: number, n: number): number {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    const i = this.index(from);
    const k = n === 0 ? this.ordinal[i]! + (this.isWorkday(from) ? 0 : 1) : this.ordinal[i]! + n;
    const d = this.byOrdinal[k];
    if (d === undefined || k >= this.byOrdinal.length) throw new RangeError('deadline is beyond the calendar');
    return d;
  }

  /** Working days strictly after `from` up to and including `to` (negative when `to` is before `from`). */
  workingDaysBetween(from: number, to: number): number {
    return this.ordinal[this.index(to)]! - this.ordinal[this.index(from)]!;
  }

  /** Working days left from `today` until `deadline` (0 on the deadline day, negative when overdue). */
  workingDaysLeft(today: number, deadline: number): number {
    if (deadline >= today) return this.workingDaysBetween(today, deadline);
    return -this.workingDaysBetween(deadline, today);
  }
}

/** Deadline colour of the efficiency watch (电子监察): yellow with ≤ 1 working day left, red when overdue. */
export type Light = 'green' | 'yellow' | 'red';
export function light(workingDaysLeft: number): Light {
  if (workingDaysLeft < 0) return 'red';
  return workingDaysLeft <= 1 ? 'yellow' : 'green';
}

export function isProvisional(day: number): boolean {
  return Number(dateOf(day).slice(0, 4)) > LAST_SCHEDULED_YEAR;
}

export const NATIONAL_CALENDAR = new WorkCalendar();
