import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import type { Actor } from '../../core/actor.js';
import { PARALLEL_REVIEW, publishTestImplementation, publishTestItem, staffActor } from '../../../test/items.js';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { act, fileCase, getCase } from './index.js';
import { readCaseState, readCaseStatesAtOnce } from './cases.repository.js';

const ITEM = 'HB-TEST-FILE-001';
let env: TestEnv;
let console_: Ctx;
let business: Ctx;

/** A new published version of the item's implementation in 长安区, promising `days`; its id. */
async function publishVersion(days: number): Promise<string> {
  await publishTestImplementation(console_, ITEM, { promisedDays: days, reviewPlan: [{ name: '审查', steps: [{ key: 'amr', departmentKind: 'amr', name: '市场监管审查', days: 5 }] }] });
  const row = await env.runtime.db
    .selectFrom('implementation_versions')
    .select('id')
    .where('item_code', '=', ITEM)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  env = await testEnv({ demo: true });
  console_ = env.ctx({ kind: 'console', operator: 'test' });
  await publishTestItem(console_, ITEM, '测试备案事项');
  const b = await env.runtime.db.selectFrom('accounts').select(['id', 'region_code']).where('username', '=', 'business').executeTakeFirstOrThrow();
  business = env.ctx({ kind: 'business', accountId: b.id, regionCode: b.region_code } as Actor);
});
afterAll(async () => env?.close());

const file = (ctx: Ctx) => fileCase(ctx, { itemCode: ITEM, regionCode: '130102', form: { entityName: '测试有限公司' }, materials: [] });

describe('filing under the published implementation version', () => {
  it('files under the version published since the last filing, though the plan of that filing is still kept', async () => {
    const v1 = await publishVersion(10);
    const first = await file(business);
    const stored = async (caseNo: string) =>
      (await env.runtime.db.selectFrom('cases').select(['implementation_version_id', 'promised_days']).where('case_no', '=', caseNo).executeTakeFirstOrThrow());
    expect(await stored(first.caseNo)).toEqual({ implementation_version_id: v1, promised_days: 10 });

    // a new version within the seconds the first filing's plan is kept: the filing statement
    // finds the kept version superseded and the filing is made again under the new one
    const v2 = await publishVersion(8);
    expect(v2).not.toBe(v1);
    const second = await file(business);
    expect(await stored(second.caseNo)).toEqual({ implementation_version_id: v2, promised_days: 8 });
  });

  it('inside a transaction, refuses with a clear conflict and writes nothing; sent again, it files under the new version', async () => {
    await file(business); // the plan of the current version is kept
    const v3 = await publishVersion(7);
    const count = async () => (await env.runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('item_code', '=', ITEM).executeTakeFirstOrThrow()).n;
    const before = await count();
    await expect(inTransaction(business, (tx) => file(tx))).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'changed_meanwhile' } });
    expect(await count()).toBe(before);
    const again = await inTransaction(business, (tx) => file(tx));
    const row = await env.runtime.db.selectFrom('cases').select(['implementation_version_id', 'promised_days']).where('case_no', '=', again.caseNo).executeTakeFirstOrThrow();
    expect(row).toEqual({ implementation_version_id: v3, promised_days: 7 });
  });
});

describe('filing with the applicant kept from an earlier filing', () => {
  it('files with the account as it is now when it changed after the applicant was kept, and refuses inside a transaction', async () => {
    const accountId = (business.actor as { accountId: string }).accountId;
    const rename = (name: string) => env.runtime.db.updateTable('accounts').set({ name }).where('id', '=', accountId).execute();
    const nameOf = async (caseNo: string) => (await env.runtime.db.selectFrom('cases').select('applicant_name').where('case_no', '=', caseNo).executeTakeFirstOrThrow()).applicant_name;
    const original = (await file(business)).applicant.name; // the applicant is kept from here
    try {
      // renamed behind the process's back (another process, the console): the kept applicant is
      // refused by the filing statement, which is made again with the account read afresh
      await rename('改名后的测试有限公司');
      const renamed = await file(business);
      expect(renamed.applicant.name).toBe('改名后的测试有限公司');
      expect(await nameOf(renamed.caseNo)).toBe('改名后的测试有限公司');
      // inside a transaction the statement's refusal aborts it: a clear conflict, nothing written
      await rename(original);
      const before = await env.runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await expect(inTransaction(business, (tx) => file(tx))).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'changed_meanwhile' } });
      expect(await env.runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual(before);
      const again = await inTransaction(business, (tx) => file(tx));
      expect(await nameOf(again.caseNo)).toBe(original);
    } finally {
      await rename(original);
    }
  });
});

describe('filings arriving together', () => {
  /** What the statement wrote for a filing: its audit entry's subject, its notice, its event, its key. */
  async function writtenFor(caseNo: string) {
    const db = env.runtime.db;
    const c = await db.selectFrom('cases').select(['id', 'applicant_name']).where('case_no', '=', caseNo).executeTakeFirstOrThrow();
    const entries = await db.selectFrom('audit_log').select(['action', 'subject']).where('action', '=', 'case.submitted').where(sql<boolean>`subject->>'case' = ${caseNo}`).execute();
    const messages = await db.selectFrom('messages').select(['body', 'case_no']).where('case_no', '=', caseNo).execute();
    const events = await db.selectFrom('case_events').select(['action', 'to_status']).where('case_id', '=', c.id).execute();
    const keys = await db.selectFrom('idempotency_keys').select(['key', 'resource', 'response']).where('resource', '=', caseNo).execute();
    return { name: c.applicant_name, entries: entries.length, messages: messages.map((m) => m.body.startsWith(`办件编号 ${caseNo}。`)), events, keys };
  }
  const claim = (key: string) => ({ scope: 'cases:test', key, requestHash: 'h', status: 201 });

  it('writes each filing of one statement as its own: number, timeline, audit entry, notice, and the answer kept with its key', async () => {
    await file(business); // the plan and the applicant are kept: the filings below reach the writer together
    const keys = Array.from({ length: 6 }, () => randomUUID());
    const filed = await Promise.all(keys.map((k, i) => fileCase(business, { itemCode: ITEM, regionCode: '130102', form: { entityName: '测试有限公司' }, materials: [] }, i % 2 ? { claim: claim(k) } : {})));
    expect(new Set(filed.map((c) => c.caseNo)).size).toBe(6);
    for (const [i, c] of filed.entries()) {
      const w = await writtenFor(c.caseNo);
      expect(w.entries).toBe(1);
      expect(w.messages).toEqual([true]);
      expect(w.events).toEqual([{ action: 'submit', to_status: 'submitted' }]);
      // the answer is the case as a read gives it
      expect(c).toEqual(await getCase(business, c.caseNo));
      if (i % 2) {
        expect(w.keys).toHaveLength(1);
        expect(w.keys[0]!.key).toBe(keys[i]);
        expect((w.keys[0]!.response as { state: { case_no: string } }).state.case_no).toBe(c.caseNo);
      } else {
        expect(w.keys).toEqual([]);
      }
    }
  });

  it('files every one of them when one fails its guard: the statement is made again filing by filing', async () => {
    const accountId = (business.actor as { accountId: string }).accountId;
    const rename = (name: string) => env.runtime.db.updateTable('accounts').set({ name }).where('id', '=', accountId).execute();
    const original = (await file(business)).applicant.name;
    const used = randomUUID();
    await fileCase(business, { itemCode: ITEM, regionCode: '130102', form: { entityName: '测试有限公司' }, materials: [] }, { claim: claim(used) });
    try {
      await rename('并发改名测试有限公司');
      // the kept applicant is stale for all of them, and one reuses a key: each fails alone, as it would have on its own
      const results = await Promise.allSettled([
        file(business),
        file(business),
        fileCase(business, { itemCode: ITEM, regionCode: '130102', form: { entityName: '测试有限公司' }, materials: [] }, { claim: claim(used) }),
        file(business),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      for (const r of results) {
        if (r.status !== 'fulfilled') continue;
        expect(r.value.applicant.name).toBe('并发改名测试有限公司');
        expect((await writtenFor(r.value.caseNo)).name).toBe('并发改名测试有限公司');
      }
    } finally {
      await rename(original);
    }
  });
});

describe('actions arriving together on one case', () => {
  it('lets two departments claim and approve their parallel steps at the same moment: every action stands, the case concludes once', async () => {
    const PARALLEL = 'HB-TEST-FILE-002';
    await publishTestItem(console_, PARALLEL, '测试并联审批事项');
    await publishTestImplementation(console_, PARALLEL, { reviewPlan: PARALLEL_REVIEW });
    const staff = async (username: string) => env.ctx(await staffActor(env.runtime.db, username));
    const [window, amr, health] = [await staff('window'), await staff('reviewer.amr'), await staff('reviewer.health')];
    for (let i = 0; i < 5; i++) {
      const c = await fileCase(business, { itemCode: PARALLEL, regionCode: '130102', form: { entityName: '测试有限公司' }, materials: [] });
      await act(window, c.caseNo, { action: 'accept' });
      const claimed = await Promise.all([act(amr, c.caseNo, { action: 'claim', step: 'amr' }), act(health, c.caseNo, { action: 'claim', step: 'health' })]);
      expect(claimed.map((x) => x.status)).toEqual(['in_review', 'in_review']);
      const approved = await Promise.all([act(amr, c.caseNo, { action: 'approve', step: 'amr' }), act(health, c.caseNo, { action: 'approve', step: 'health' })]);
      // exactly one of the two approvals is the last one, and it concludes the case
      expect(approved.map((x) => x.status).sort()).toEqual(['concluded', 'in_review']);
      const events = await env.runtime.db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id').select(['action', 'step_key']).where('cases.case_no', '=', c.caseNo).execute();
      expect(events.filter((e) => e.action === 'claim').map((e) => e.step_key).sort()).toEqual(['amr', 'health']);
      expect(events.filter((e) => e.action === 'approve').map((e) => e.step_key).sort()).toEqual(['amr', 'health']);
      expect(events.filter((e) => e.action === 'conclude')).toHaveLength(1);
      const steps = await env.runtime.db.selectFrom('case_steps').innerJoin('cases', 'cases.id', 'case_steps.case_id').select(['case_steps.status', 'cases.status as caseStatus']).where('cases.case_no', '=', c.caseNo).execute();
      expect(steps.map((x) => [x.status, x.caseStatus])).toEqual([
        ['approved', 'concluded'],
        ['approved', 'concluded'],
      ]);
    }
  });
});

describe('reads of several actions in one statement', () => {
  it('reads each case as a read of its own would, in the order asked, with each asker’s name; an unknown number reads as nothing', async () => {
    const a = await file(business);
    const b = await file(business);
    const biz = (business.actor as { accountId: string }).accountId;
    const asks = [
      { caseNo: b.caseNo, me: biz },
      { caseNo: 'NO-SUCH-CASE', me: biz },
      { caseNo: a.caseNo, me: null },
      { caseNo: b.caseNo, me: null },
    ];
    const together = await readCaseStatesAtOnce(env.runtime.db, asks);
    const alone = await Promise.all(asks.map((q) => readCaseState(env.runtime.db, q.caseNo, q.me)));
    expect(together).toEqual(alone);
    expect(together[1]).toBeUndefined();
    expect(together[0]!.myName).not.toBeNull();
    expect(together[3]!.myName).toBeNull();
    expect(together.map((x) => x?.row.case_no)).toEqual([b.caseNo, undefined, a.caseNo, b.caseNo]);
  });
});
