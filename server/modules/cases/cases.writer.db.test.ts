import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testEnv, type TestEnv } from '../../../test/support.js';
import type { Ctx } from '../../core/ctx.js';
import type { Actor } from '../../core/actor.js';
import { PARALLEL_REVIEW, publishTestImplementation, publishTestItem, staffActor } from '../../../test/items.js';
import { act, fileCase } from './index.js';
import { readCaseState } from './cases.repository.js';
import { CaseChanges } from './cases.changes.js';
import { CASE_WRITES_COLUMNS } from '../../db/migrations/0008_case_writes.js';
import { writeTogether } from './cases.writer.js';

const { case: CASE_SET_COLUMNS, step: STEP_SET_COLUMNS } = CASE_WRITES_COLUMNS;

const ITEM = 'HB-TEST-WRITE-001';
let env: TestEnv;
let business: Ctx;
let window: Ctx;

beforeAll(async () => {
  env = await testEnv({ demo: true });
  const console_ = env.ctx({ kind: 'console', operator: 'test' });
  await publishTestItem(console_, ITEM, '测试批量写入事项');
  await publishTestImplementation(console_, ITEM, { reviewPlan: PARALLEL_REVIEW });
  const b = await env.runtime.db.selectFrom('accounts').select(['id', 'region_code']).where('username', '=', 'business').executeTakeFirstOrThrow();
  business = env.ctx({ kind: 'business', accountId: b.id, regionCode: b.region_code } as Actor);
  window = env.ctx(await staffActor(env.runtime.db, 'window'));
});
afterAll(async () => env?.close());

const file = () => fileCase(business, { itemCode: ITEM, regionCode: '130102', form: { entityName: '测试有限公司' }, materials: [] });

/** The writes of a change decided on the case as stored now (an optimistic action's). */
async function changeOf(ctx: Ctx, caseNo: string, make: (c: CaseChanges) => void) {
  const state = (await readCaseState(env.runtime.db, caseNo))!;
  const c = new CaseChanges(ctx, state, true);
  make(c);
  return { c, writes: c.takeWrites()! };
}

const eventsOf = async (caseNo: string) =>
  (await env.runtime.db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id').select('action').where('cases.case_no', '=', caseNo).orderBy('case_events.id').execute()).map(
    (e) => e.action,
  );

describe('the batched writer', () => {
  it('writes the actions of one batch together; one decided on an old version writes nothing, its neighbours are written', async () => {
    const [a, b, stale] = [await file(), await file(), await file()];
    const ws = await Promise.all(
      [a, b, stale].map((x) =>
        changeOf(window, x.caseNo, (c) => {
          c.updateCase({ status: 'rejected', decision_reason: '材料不齐', concluded_at: new Date() });
          c.event('reject', 'submitted', 'rejected', { reason: '材料不齐' });
          c.notify({ accountId: c.state.row.applicant_account_id, caseNo: x.caseNo, title: '不予受理', body: '测试' });
        }),
      ),
    );
    // another action changed the third case after its change was decided
    await sql`UPDATE cases SET version = version + 1 WHERE case_no = ${stale.caseNo}`.execute(env.runtime.db);
    const audits = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'case.reject'`.execute(env.runtime.db)).rows[0]!.n);
    const before = await audits();
    expect(await Promise.all(ws.map((w) => writeTogether(window, w.writes)))).toEqual([true, true, false]);
    for (const x of [a, b]) {
      const s = (await readCaseState(env.runtime.db, x.caseNo))!;
      expect(s.row.status).toBe('rejected');
      expect(s.row.decision_reason).toBe('材料不齐');
      expect(await eventsOf(x.caseNo)).toEqual(['submit', 'reject']);
    }
    const untouched = (await readCaseState(env.runtime.db, stale.caseNo))!;
    expect(untouched.row.status).toBe('submitted');
    expect(await eventsOf(stale.caseNo)).toEqual(['submit']);
    expect(await audits()).toBe(before + 2);
    const messages = await env.runtime.db.selectFrom('messages').select('case_no').where('title', '=', '不予受理').execute();
    expect(messages.map((m) => m.case_no).sort()).toEqual([a.caseNo, b.caseNo].sort());
  });

  it('sets every column it lists, of the case and of a step, as the single statement would; a jsonb column can be emptied', async () => {
    const x = await file();
    const sample = (type: string, i: number) =>
      ({ text: `值${i}`, jsonb: JSON.stringify({ k: i, 名: '值' }), timestamptz: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), date: '2026-03-0' + ((i % 9) + 1), int: i, uuid: null })[type];
    const caseSet = Object.fromEntries(Object.entries(CASE_SET_COLUMNS).map(([col, type], i) => [col, col === 'decision' ? 'approved' : sample(type, i)]));
    const { c, writes } = await changeOf(window, x.caseNo, (ch) => {
      ch.updateCase(caseSet);
      const step = ch.state.steps[0]!;
      ch.updateStep(step, Object.fromEntries(Object.entries(STEP_SET_COLUMNS).map(([col, type], i) => [col, col === 'department_id' ? step.department_id : sample(type, i)])));
    });
    expect(await writeTogether(window, writes)).toBe(true);
    const stored = (await readCaseState(env.runtime.db, x.caseNo))!;
    // what the writer stored is what the change's own copy of the state says it stored
    for (const col of Object.keys(CASE_SET_COLUMNS)) expect([col, (stored.row as unknown as Record<string, unknown>)[col]]).toEqual([col, (c.state.row as unknown as Record<string, unknown>)[col]]);
    const step = stored.steps.find((s) => s.id === c.state.steps[0]!.id)!;
    for (const col of Object.keys(STEP_SET_COLUMNS)) expect([col, (step as unknown as Record<string, unknown>)[col]]).toEqual([col, (c.state.steps[0] as unknown as Record<string, unknown>)[col]]);
    expect(stored.row.version).toBe(c.state.row.version);

    const { writes: emptied } = await changeOf(window, x.caseNo, (ch) => ch.updateCase({ owed: null }));
    expect(await writeTogether(window, emptied)).toBe(true);
    expect((await readCaseState(env.runtime.db, x.caseNo))!.row.owed).toBeNull();
  });
});

describe('the states this process keeps', () => {
  it('never acts on a kept state another process has changed since: the action is taken on the case as it is', async () => {
    // the officers have acted before: their names are known, as the timeline needs them
    const amr = env.ctx(await staffActor(env.runtime.db, 'reviewer.amr'));
    const w = await file();
    await act(window, w.caseNo, { action: 'accept' });
    await act(amr, w.caseNo, { action: 'claim', step: 'amr' });

    const x = await file(); // kept as filed ('submitted')
    // the applicant withdrew it through another server process
    await sql`UPDATE cases SET status = 'withdrawn', concluded_at = now(), version = version + 1 WHERE case_no = ${x.caseNo}`.execute(env.runtime.db);
    await expect(act(window, x.caseNo, { action: 'accept' })).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(await eventsOf(x.caseNo)).toEqual(['submit']);

    // and a change made elsewhere that leaves the action possible: the answer shows both
    const y = await file();
    await act(window, y.caseNo, { action: 'accept' }); // kept as accepted
    await sql`UPDATE cases SET bounces = bounces + 1, version = version + 1 WHERE case_no = ${y.caseNo}`.execute(env.runtime.db);
    const claimed = await act(amr, y.caseNo, { action: 'claim', step: 'amr' });
    expect(claimed.bounces).toBe(1);
    expect(claimed.steps.find((s) => s.key === 'amr')!.claimedByMe).toBe(true);
    expect(await eventsOf(y.caseNo)).toEqual(['submit', 'accept', 'claim']);
  });
});

describe('actions of this process racing on one case', () => {
  it('two departments claiming their parallel steps at once: both claimed, each once, whichever lost taking the winner\'s state', async () => {
    const amr = env.ctx(await staffActor(env.runtime.db, 'reviewer.amr'));
    const health = env.ctx(await staffActor(env.runtime.db, 'reviewer.health'));
    for (let i = 0; i < 5; i++) {
      const c = await file();
      await act(window, c.caseNo, { action: 'accept' });
      const before = (await readCaseState(env.runtime.db, c.caseNo))!.row.version;
      const [a, h] = await Promise.all([act(amr, c.caseNo, { action: 'claim', step: 'amr' }), act(health, c.caseNo, { action: 'claim', step: 'health' })]);
      // the later answer shows both claims: it was decided on the state the earlier one left
      const later = a.timeline.length > h.timeline.length ? a : h;
      expect(later.steps.map((s) => s.status)).toEqual(['claimed', 'claimed']);
      const after = (await readCaseState(env.runtime.db, c.caseNo))!;
      expect(after.row.version).toBe(before + 2);
      expect(after.steps.map((s) => [s.key, s.status])).toEqual([['amr', 'claimed'], ['health', 'claimed']]);
      expect(await eventsOf(c.caseNo)).toEqual(['submit', 'accept', 'claim', 'claim']);
    }
  });
});

describe('e-mail notices of batched actions', () => {
  it('puts the notices of a filing and of batched actions in the outbox for an applicant with an address, and only the inbox for one without', async () => {
    const mail = await testEnv({ demo: true, config: { smtpUrl: 'smtp://127.0.0.1:9', mailFrom: 'noreply@tongban.test' } });
    try {
      const console_ = mail.ctx({ kind: 'console', operator: 'test' });
      await publishTestItem(console_, ITEM, '测试批量写入事项');
      await publishTestImplementation(console_, ITEM, { reviewPlan: PARALLEL_REVIEW });
      await mail.runtime.db.updateTable('accounts').set({ email: 'boss@company.test' }).where('username', '=', 'business').execute();
      const b = await mail.runtime.db.selectFrom('accounts').select(['id', 'region_code']).where('username', '=', 'business').executeTakeFirstOrThrow();
      const applicant = mail.ctx({ kind: 'business', accountId: b.id, regionCode: b.region_code } as Actor);
      const clerk = mail.ctx(await staffActor(mail.runtime.db, 'window'));
      const filed = await Promise.all([1, 2].map(() => fileCase(applicant, { itemCode: ITEM, regionCode: '130102', form: { entityName: '测试有限公司' }, materials: [] })));
      // both accepted at once: their writes go together
      await Promise.all(filed.map((c) => act(clerk, c.caseNo, { action: 'accept' })));
      const outbox = await mail.runtime.db.selectFrom('outbox').select(['recipient', 'subject']).orderBy('id').execute();
      expect(outbox.map((o) => o.recipient)).toEqual(Array(4).fill('boss@company.test'));
      expect(outbox.filter((o) => o.subject.startsWith('【通办】测试批量写入事项：已受理'))).toHaveLength(2);
      expect(outbox.filter((o) => o.subject.startsWith('【通办】已收到您的申请'))).toHaveLength(2);

      await mail.runtime.db.updateTable('accounts').set({ email: null }).where('username', '=', 'business').execute();
      const quiet = await fileCase(applicant, { itemCode: ITEM, regionCode: '130102', form: { entityName: '测试有限公司' }, materials: [] });
      await act(clerk, quiet.caseNo, { action: 'accept' });
      expect(await mail.runtime.db.selectFrom('outbox').select('id').execute()).toHaveLength(4);
      const inbox = await mail.runtime.db.selectFrom('messages').select('title').where('case_no', '=', quiet.caseNo).execute();
      expect(inbox).toHaveLength(2);
    } finally {
      await mail.close();
    }
  });
});
