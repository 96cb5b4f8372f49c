import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testEnv, type TestEnv } from '../../test/support.js';
import { inTransaction } from './ctx.js';
import * as audit from './audit.js';
import type { Actor } from './actor.js';

const operator: Actor = { kind: 'console', operator: 'test' };
let t: TestEnv;

beforeEach(async () => {
  t = await testEnv({ config: { auditSealIntervalMs: 60_000 } }); // seal only when the test says so
});
afterEach(async () => t?.close());

async function write(n: number, from = 0) {
  for (let i = from; i < from + n; i++) {
    await inTransaction(t.ctx(operator), (tx) => audit.record(tx, { action: 'test.wrote', subject: { item: i }, details: { i } }));
  }
}

async function seqOfItem(i: number): Promise<number> {
  const r = await sql<{ seq: number }>`SELECT seq FROM audit_log WHERE subject->>'item' = ${String(i)}`.execute(t.runtime.db);
  return r.rows[0]!.seq;
}

describe('the audit chain', () => {
  it('seals committed entries into an intact chain and counts the unsealed ones', async () => {
    await t.runtime.sealer.flush();
    const base = (await audit.verifyChain(t.runtime.db)).sealed;
    await write(5);
    expect((await audit.verifyChain(t.runtime.db)).unsealed).toBe(5);
    expect(await audit.sealPending(t.runtime.db)).toBe(5);
    const v = await audit.verifyChain(t.runtime.db);
    expect(v).toMatchObject({ ok: true, sealed: base + 5, unsealed: 0, problems: [] });
  });

  it('keeps every entry of concurrent writers, each sealed exactly once', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, w) => write(10, w * 100)));
    await t.runtime.sealer.flush();
    const v = await audit.verifyChain(t.runtime.db);
    expect(v.ok).toBe(true);
    const n = await sql<{ n: number; distinct_idx: number }>`SELECT count(*)::int8 AS n, count(DISTINCT chain_index)::int8 AS distinct_idx FROM audit_log WHERE action = 'test.wrote'`.execute(t.runtime.db);
    expect(n.rows[0]).toEqual({ n: 80, distinct_idx: 80 });
  });

  it('rolls the entry back with its transaction', async () => {
    await expect(
      inTransaction(t.ctx(operator), async (tx) => {
        await audit.record(tx, { action: 'test.wrote', subject: { item: 999 } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await sql`SELECT 1 FROM audit_log WHERE subject->>'item' = '999'`.execute(t.runtime.db);
    expect(rows.rows).toHaveLength(0);
  });

  it('reports a changed row by its seq', async () => {
    await write(6);
    await t.runtime.sealer.flush();
    const seq = await seqOfItem(3);
    await sql`UPDATE audit_log SET details = '{"i": 42}' WHERE seq = ${seq}`.execute(t.runtime.db);
    const v = await audit.verifyChain(t.runtime.db);
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ seq, problem: 'altered' }));
  });

  it('reports a deleted row, naming the seq after the gap', async () => {
    await write(6);
    await t.runtime.sealer.flush();
    const gone = await seqOfItem(2);
    const next = await seqOfItem(3);
    await sql`DELETE FROM audit_log WHERE seq = ${gone}`.execute(t.runtime.db);
    const v = await audit.verifyChain(t.runtime.db);
    expect(v.problems).toContainEqual(expect.objectContaining({ seq: next, problem: 'missing' }));
  });

  it('reports reordered rows', async () => {
    await write(6);
    await t.runtime.sealer.flush();
    const a = await seqOfItem(1);
    const b = await seqOfItem(4);
    // swap the two rows' places in the chain
    const idx = async (seq: number) =>
      (await t.runtime.db.selectFrom('audit_log').select('chain_index').where('seq', '=', seq).executeTakeFirstOrThrow()).chain_index!;
    const [ia, ib] = [await idx(a), await idx(b)];
    await sql`UPDATE audit_log SET chain_index = -1 WHERE seq = ${a}`.execute(t.runtime.db);
    await sql`UPDATE audit_log SET chain_index = ${ia} WHERE seq = ${b}`.execute(t.runtime.db);
    await sql`UPDATE audit_log SET chain_index = ${ib} WHERE seq = ${a}`.execute(t.runtime.db);
    const v = await audit.verifyChain(t.runtime.db);
    expect(v.ok).toBe(false);
    const seqs = v.problems.map((p) => p.seq);
    expect(seqs).toContain(a);
    expect(seqs).toContain(b);
  });

  it('reports a deleted tail through the checkpoint', async () => {
    await write(4);
    await t.runtime.sealer.flush();
    const last = await seqOfItem(3);
    await sql`DELETE FROM audit_log WHERE seq = ${last}`.execute(t.runtime.db);
    const v = await audit.verifyChain(t.runtime.db);
    expect(v.ok).toBe(false);
    expect(v.problems.some((p) => p.problem === 'missing')).toBe(true);
  });

  it('keeps ID numbers and phone numbers out of details', async () => {
    await inTransaction(t.ctx(operator), (tx) =>
      audit.record(tx, { action: 'test.pii', subject: { item: 1 }, details: { idNumber: '130102199003071233', note: '联系 13800138000，证件 130102199003071233', password: 'hunter2' } }),
    );
    const row = await t.runtime.db.selectFrom('audit_log').select('details').where('action', '=', 'test.pii').executeTakeFirstOrThrow();
    const text = JSON.stringify(row.details);
    expect(text).not.toContain('130102199003071233');
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('hunter2');
  });
});
