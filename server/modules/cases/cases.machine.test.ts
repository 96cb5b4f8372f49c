import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STATUSES, TRANSITIONS, nextStatus, nextStepStatus, reviewOutcome, requireActionFields, type CaseAction, type CaseStatus } from './cases.machine.js';

const INVALID = 'INVALID';

describe('case transitions', () => {
  it.each<[CaseStatus, CaseAction, CaseStatus | typeof INVALID]>([
    ['submitted', 'accept', 'in_review'],
    ['submitted', 'reject', 'rejected'],
    ['submitted', 'requestCorrection', 'awaiting_correction'],
    ['submitted', 'acceptWithDeficiency', 'in_review'],
    ['submitted', 'approveByCommitment', 'concluded'],
    ['submitted', 'deemAccepted', 'in_review'],
    ['awaiting_correction', 'resubmit', 'submitted'],
    ['awaiting_correction', 'accept', INVALID],
    ['awaiting_applicant', 'resubmit', 'in_review'],
    ['in_review', 'accept', INVALID],
    ['in_review', 'expireDeficiency', 'terminated'],
    ['concluded', 'withdraw', INVALID],
    ['rejected', 'accept', INVALID],
  ])('%s --%s--> %s', (from, action, to) => {
    if (to === INVALID) {
      expect(() => nextStatus(from, action)).toThrow(expect.objectContaining({ code: 'INVALID_STATE_TRANSITION', details: { state: from, action } }));
    } else {
      expect(nextStatus(from, action)).toBe(to);
    }
  });

  it('leaves every final state final', () => {
    for (const s of ['concluded', 'rejected', 'terminated', 'withdrawn'] as const) {
      for (const a of CASE_ACTIONS) expect(() => nextStatus(s, a)).toThrow();
    }
  });

  it('only moves to known states', () => {
    for (const s of CASE_STATUSES) for (const to of Object.values(TRANSITIONS[s])) expect(CASE_STATUSES).toContain(to);
  });

  it('names the state and the action in Chinese for a wrong move', () => {
    expect(() => nextStatus('concluded', 'accept')).toThrow(/已办结.*受理/);
  });
});

describe('step transitions', () => {
  it.each([
    ['active', 'claim', 'claimed'],
    ['claimed', 'approve', 'approved'],
    ['claimed', 'transfer', 'active'],
    ['active', 'transfer', 'active'],
  ] as const)('%s --%s--> %s', (from, action, to) => expect(nextStepStatus(from, action)).toBe(to));

  it('refuses approving an unclaimed step and acting on a decided one', () => {
    expect(() => nextStepStatus('active', 'approve')).toThrow(expect.objectContaining({ code: 'INVALID_STATE_TRANSITION' }));
    expect(() => nextStepStatus('approved', 'claim')).toThrow(expect.objectContaining({ code: 'INVALID_STATE_TRANSITION' }));
  });
});

describe('review outcome of parallel steps', () => {
  const s = (key: string, stage: number, status: 'waiting' | 'active' | 'claimed' | 'approved' | 'denied' | 'returned') => ({ key, stage, status });
  it.each([
    ['one of two parallel steps approved', [s('a', 0, 'approved'), s('b', 0, 'claimed')], { kind: 'waiting' }],
    ['both parallel steps approved, nothing after', [s('a', 0, 'approved'), s('b', 0, 'approved')], { kind: 'concluded', decision: 'approved' }],
    ['a stage done, the next waiting', [s('a', 0, 'approved'), s('c', 1, 'waiting')], { kind: 'nextStage', stage: 1 }],
    ['one department denies', [s('a', 0, 'approved'), s('b', 0, 'denied')], { kind: 'concluded', decision: 'denied' }],
    ['a reviewer returns', [s('a', 0, 'returned'), s('b', 0, 'active')], { kind: 'returned' }],
  ] as const)('%s', (_name, steps, outcome) => expect(reviewOutcome(steps)).toEqual(outcome));
});

describe('fields the law requires', () => {
  it('wants reasons and basis for refusals and transfers, and the full list for a correction', () => {
    expect(() => requireActionFields('reject', {})).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => requireActionFields('transfer', { reason: '不属本部门职责' })).toThrow(/法律依据/);
    expect(() => requireActionFields('requestCorrection', { items: [] })).toThrow(/一次性/);
    expect(() => requireActionFields('deny', { reason: '不符合条件', basis: '《食品经营许可和备案管理办法》第十二条' })).not.toThrow();
  });
});
