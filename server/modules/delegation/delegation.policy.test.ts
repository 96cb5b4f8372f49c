import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../core/actor.js';
import { canDelegation, type DelegationAction, type DelegationTarget } from './delegation.policy.js';
import { faultToleranceOutcome, pilotStatus } from './delegation.tolerance.js';

const staff = (regionCode: string, ...roles: Role[]): Actor => ({ kind: 'staff', accountId: 'a', departmentId: 'd', regionCode, roles });
const PROVINCE = ['130000'];
const CITY = ['130000', '130100'];
const COUNTY = ['130000', '130100', '130102'];
const XIONGAN = ['130000', '133100'];

describe(canDelegation.name, () => {
  const confirm = (path: string[], kind: string): DelegationTarget => ({ regionPath: path, actorDepartmentKind: kind, departmentKinds: ['natural_resources'] });
  it.each([
    ['a province catalogue_admin orders for the city', staff('130000', 'catalogue_admin'), 'order.create', { regionPath: CITY }, true],
    ['a province system_admin orders for the province', staff('130000', 'system_admin'), 'order.create', { regionPath: PROVINCE }, true],
    ['a county catalogue_admin cannot order for the city above it', staff('130102', 'catalogue_admin'), 'order.create', { regionPath: CITY }, false],
    ['a department head cannot order', staff('130000', 'department_head'), 'order.create', { regionPath: PROVINCE }, false],
    ['an applicant cannot read orders', { kind: 'person', accountId: 'p', regionCode: null }, 'order.read', { regionPath: PROVINCE }, false],
    ['any staff member reads orders', staff('130102', 'window_clerk'), 'order.read', { regionPath: PROVINCE }, true],
    ['the receiving head of the right kind confirms', staff('130102', 'department_head'), 'takeover.confirm', confirm(COUNTY, 'natural_resources'), true],
    ['a head of another kind in the region does not', staff('130102', 'department_head'), 'takeover.confirm', confirm(COUNTY, 'amr'), false],
    ['a head of the right kind in another region does not', staff('133100', 'department_head'), 'takeover.confirm', confirm(COUNTY, 'natural_resources'), false],
    ['the receiving region’s catalogue_admin confirms', staff('130102', 'catalogue_admin'), 'takeover.confirm', { regionPath: COUNTY }, true],
    ['a catalogue_admin above the receiving region does not (the unit confirms itself)', staff('130000', 'catalogue_admin'), 'takeover.confirm', { regionPath: COUNTY }, false],
    ['an efficiency officer watches floating below', staff('130000', 'efficiency_officer'), 'floating.read', { regionPath: XIONGAN }, true],
    ['a county efficiency officer does not watch the province', staff('130102', 'efficiency_officer'), 'floating.read', { regionPath: PROVINCE }, false],
    ['a reviewer does not watch floating', staff('130000', 'reviewer'), 'floating.read', { regionPath: PROVINCE }, false],
    ['the province catalogue_admin links items', staff('130000', 'catalogue_admin'), 'link.write', { regionPath: PROVINCE }, true],
    ['a city catalogue_admin does not', staff('130100', 'catalogue_admin'), 'link.write', { regionPath: PROVINCE }, false],
    ['a catalogue_admin records a pilot below', staff('130000', 'catalogue_admin'), 'pilot.create', { regionPath: XIONGAN }, true],
    ['a catalogue_admin of another city does not', staff('130100', 'catalogue_admin'), 'pilot.create', { regionPath: XIONGAN }, false],
    ['an efficiency officer reviews fault tolerance below', staff('130000', 'efficiency_officer'), 'faultTolerance.record', { regionPath: XIONGAN }, true],
    ['a catalogue_admin does not review fault tolerance', staff('130000', 'catalogue_admin'), 'faultTolerance.record', { regionPath: XIONGAN }, false],
    ['the console does everything', { kind: 'console', operator: 'ops' }, 'order.create', { regionPath: PROVINCE }, true],
  ] as [string, Actor, DelegationAction, DelegationTarget, boolean][])('%s', (_what, actor, action, target, expected) => {
    expect(canDelegation(actor, action, target)).toBe(expected);
  });
});

describe(pilotStatus.name, () => {
  const p = { startDate: '2026-01-01', expiry: '2026-12-31' };
  it.each([
    ['2025-12-31', 'scheduled'],
    ['2026-01-01', 'active'],
    ['2026-12-31', 'active'],
    ['2027-01-01', 'expired'],
  ])('%s → %s', (today, status) => expect(pilotStatus(p, today)).toBe(status));
});

describe(faultToleranceOutcome.name, () => {
  const all = { lawful: true, noPrivateGain: true, noIntent: true, correctedInTime: true };
  it('tolerates only when all four conditions hold', () => {
    expect(faultToleranceOutcome(all)).toEqual({ outcome: 'tolerated', unmet: [] });
  });
  it.each([
    ['lawful', '依法依规决策（在试点批准的范围内）'],
    ['noPrivateGain', '未谋取私利'],
    ['noIntent', '非主观故意'],
    ['correctedInTime', '及时纠错、消除影响'],
  ] as const)('does not tolerate without %s, and names it', (key, name) => {
    expect(faultToleranceOutcome({ ...all, [key]: false })).toEqual({ outcome: 'not_tolerated', unmet: [name] });
  });
});
