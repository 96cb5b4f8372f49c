import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { engineUnderTest, testEnv, type TestEnv } from '../../test/support.js';
import { PREPARED_MARK } from './create-db.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => env?.close());

describe('statements marked to be prepared', () => {
  it('recognises only the mark at the very start', () => {
    expect(PREPARED_MARK.exec('/* prepared:exchange_reads */ WITH x AS (SELECT 1) SELECT 1')?.[1]).toBe('exchange_reads');
    expect(PREPARED_MARK.exec('SELECT 1 /* prepared:x */')).toBeNull();
    expect(PREPARED_MARK.exec('/* prepared:Bad-Name */ SELECT 1')).toBeNull();
  });

  it('run with their parameters on either engine, and on PostgreSQL are prepared once per connection', async () => {
    await env.runtime.db.transaction().execute(async (trx) => {
      for (const n of [1, 2, 3]) {
        const r = await sql<{ n: number }>`/* prepared:probe_twice */ SELECT ${n}::int8 * 2 AS n`.execute(trx);
        expect(r.rows[0]!.n).toBe(n * 2);
      }
      if (engineUnderTest() === 'postgresql') {
        const p = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements WHERE name = 'probe_twice'`.execute(trx);
        expect(p.rows).toHaveLength(1);
      }
    });
  });
});
