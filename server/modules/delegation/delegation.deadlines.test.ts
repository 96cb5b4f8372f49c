import { describe, expect, it } from 'vitest';
import { documentNoProblem, documentYear } from '../../../shared/contracts/delegation.js';
import { NATIONAL_CALENDAR, WorkCalendar } from '../../core/workdays.js';
import { pendingOverdue, takeOverDeadlines, workingDaysOverdue } from './delegation.deadlines.js';

describe(takeOverDeadlines.name, () => {
  // 冀政办发〔2020〕7号: 15 days to hand over (start day not counted, 民法典 art. 201; a period ending on a
  // rest day ends on the next working day, art. 203), then 5 working days for the 实施清单
  it.each([
    ['an ordinary Monday', '2026-11-02', '2026-11-17', '2026-11-24'],
    ['15 days ending on a Saturday', '2026-10-09', '2026-10-26', '2026-11-02'],
    ['15 days ending inside the National Day holiday, the list counting the make-up Saturday 10-10', '2026-09-19', '2026-10-08', '2026-10-14'],
    ['15 days ending inside the Spring Festival, the list counting the make-up Saturday 02-28', '2026-02-01', '2026-02-24', '2026-03-02'],
  ])('%s: effective %s → hand over by %s, list by %s', (_what, effective, handover, listing) => {
    expect(takeOverDeadlines(effective, NATIONAL_CALENDAR)).toEqual({ handoverDeadline: handover, listingDeadline: listing });
  });

  it('follows a region whose calendar declares a local holiday', () => {
    const local = new WorkCalendar([{ date: '2026-11-17', kind: 'holiday' }]);
    expect(takeOverDeadlines('2026-11-02', local)).toEqual({ handoverDeadline: '2026-11-18', listingDeadline: '2026-11-25' });
  });
});

describe(pendingOverdue.name, () => {
  const task = { handoverDeadline: '2026-11-17', listingDeadline: '2026-11-24' };
  it.each([
    ['2026-11-17', null],
    ['2026-11-18', { kind: 'handover_overdue', deadline: '2026-11-17' }],
    ['2026-11-24', { kind: 'handover_overdue', deadline: '2026-11-17' }],
    ['2026-11-25', { kind: 'listing_overdue', deadline: '2026-11-24' }],
  ] as const)('on %s: %o', (today, expected) => {
    expect(pendingOverdue(task, today)).toEqual(expected);
  });
});

describe(workingDaysOverdue.name, () => {
  it.each([
    ['2026-11-17', '2026-11-17', 0],
    ['2026-11-16', '2026-11-17', 0],
    ['2026-11-20', '2026-11-17', 3],
    ['2026-11-21', '2026-11-20', 0], // a Saturday after a Friday deadline: late, but no working day lost yet
    ['2026-11-23', '2026-11-20', 1],
    ['2026-10-08', '2026-09-30', 1], // the National Day week is not counted
  ])('today %s, deadline %s → %i working days', (today, deadline, days) => {
    expect(workingDaysOverdue(today, deadline, NATIONAL_CALENDAR)).toBe(days);
  });
});

describe(documentNoProblem.name, () => {
  // GB/T 9704-2012 7.2.4: 发文机关代字〔年份〕序号号
  it.each([
    ['冀政办发〔2020〕7号', null],
    ['冀政办字〔2025〕19号', null],
    ['国发〔2016〕51号', null],
    ['冀政办发[2020]7号', /六角括号/],
    ['冀政办发【2020】7号', /六角括号/],
    ['冀政办发（2020）7号', /六角括号/],
    ['冀政办发〔20〕7号', /四位/],
    ['冀政办发〔2020〕第7号', /第/],
    ['冀政办发〔2020〕07号', /虚位/],
    ['冀政办发〔2020〕7', /机关代字/],
    ['〔2020〕7号', /机关代字/],
  ])('%s', (no, problem) => {
    const p = documentNoProblem(no);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toMatch(problem);
  });

  it('reads the year of a well-formed number only', () => {
    expect(documentYear('冀政办发〔2020〕7号')).toBe(2020);
    expect(documentYear('冀政办发[2020]7号')).toBeNull();
  });
});
