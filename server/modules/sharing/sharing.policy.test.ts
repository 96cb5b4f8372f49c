import { describe, expect, it } from 'vitest';
import { decideExchange, type GrantView } from './sharing.policy.js';

const NOW = new Date('2026-11-26T02:00:00Z');
const grant = (over: Partial<GrantView> = {}): GrantView => ({ id: 'g1', status: 'granted', fields: ['address', 'name'], purpose: '核验身份', validUntil: null, ...over });
const ask = (fields: string[], purpose = '核验身份') => ({ fields, purpose });

describe(decideExchange.name, () => {
  it.each([
    ['a grant in force covering every field', 'conditional', [grant()], ask(['name']), { ok: true, grantId: 'g1' }],
    ['an open resource still needs its (automatic) grant', 'open', [], ask(['name']), { ok: false, reason: 'no_grant' }],
    ['a closed resource, whatever the grants', 'closed', [grant()], ask(['name']), { ok: false, reason: 'closed_resource' }],
    ['no grant at all', 'conditional', [], ask(['name']), { ok: false, reason: 'no_grant' }],
    ['a field the grant does not cover', 'conditional', [grant()], ask(['name', 'idNumber']), { ok: false, reason: 'fields_not_granted', fields: ['idNumber'] }],
    ['another purpose', 'conditional', [grant()], ask(['name'], '营销'), { ok: false, reason: 'purpose_not_granted' }],
    ['a grant past its validity', 'conditional', [grant({ validUntil: new Date('2026-11-25T00:00:00Z') })], ask(['name']), { ok: false, reason: 'grant_expired' }],
    ['a withdrawn grant', 'conditional', [grant({ status: 'withdrawn' })], ask(['name']), { ok: false, reason: 'grant_withdrawn' }],
    ['a request still pending', 'conditional', [grant({ status: 'pending' })], ask(['name']), { ok: false, reason: 'grant_pending' }],
    ['a refused request', 'conditional', [grant({ status: 'refused' })], ask(['name']), { ok: false, reason: 'no_grant' }],
    ['two grants whose union covers the fields but neither alone', 'conditional', [grant({ id: 'a', fields: ['name'] }), grant({ id: 'b', fields: ['address'] })], ask(['name', 'address']), { ok: false, reason: 'fields_not_granted' }],
    ['the one of several grants that covers the fields', 'conditional', [grant({ id: 'a', fields: ['name'] }), grant({ id: 'b', fields: ['name', 'address', 'gender'] })], ask(['name', 'gender']), { ok: true, grantId: 'b' }],
    ['an expired grant beside one in force', 'conditional', [grant({ id: 'old', validUntil: new Date('2026-01-01T00:00:00Z') }), grant({ id: 'new' })], ask(['name']), { ok: true, grantId: 'new' }],
  ] as const)('%s', (_what, type, grants, request, expected) => {
    expect(decideExchange(type, grants, request, NOW)).toMatchObject(expected);
  });

  it('names the fields outside the grant in its message', () => {
    const d = decideExchange('conditional', [grant()], ask(['name', 'idNumber', 'birthDate']), NOW);
    expect(d).toMatchObject({ ok: false, message: expect.stringContaining('idNumber、birthDate') });
  });
});
