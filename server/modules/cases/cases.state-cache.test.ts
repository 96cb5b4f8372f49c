import { describe, expect, it } from 'vitest';
import { CaseStateCache } from './cases.state-cache.js';
import type { CaseState } from './cases.repository.js';

const state = (caseNo: string, version: number) => ({ row: { case_no: caseNo, version }, steps: [], materials: [], events: [], myName: null }) as unknown as CaseState;

describe('the kept case states', () => {
  it('gives a kept state for a minute, with the acting account name it noted', () => {
    const cache = new CaseStateCache();
    cache.keep({ ...state('1', 3), myName: '赵强' }, 'amr', 1_000);
    expect(cache.get('1', 'amr', 1_000)).toMatchObject({ row: { version: 3 }, myName: '赵强' });
    expect(cache.get('1', null, 1_000)?.myName).toBeNull();
    expect(cache.get('1', 'health', 1_000)).toBeUndefined(); // an account it has no name for reads
    expect(cache.get('1', 'amr', 61_001)).toBeUndefined();
  });

  it('after a lost race, forgets the state the loser decided on but keeps a newer one, which the winner wrote', () => {
    const cache = new CaseStateCache();
    cache.keep(state('1', 4), null);
    cache.forget('1', 3); // lost at 3: the 4 kept is the winner's
    expect(cache.get('1', null)?.row.version).toBe(4);
    cache.forget('1', 4); // lost at 4: someone else wrote after it, elsewhere
    expect(cache.get('1', null)).toBeUndefined();
    cache.keep(state('1', 5), null);
    cache.forget('1');
    expect(cache.get('1', null)).toBeUndefined();
  });

  it('holds at most its size, forgetting the oldest first', () => {
    const cache = new CaseStateCache(2);
    for (const n of ['1', '2', '3']) cache.keep(state(n, 1), null);
    expect([cache.get('1', null), cache.get('2', null), cache.get('3', null)].map((s) => s?.row.case_no)).toEqual([undefined, '2', '3']);
  });
});
