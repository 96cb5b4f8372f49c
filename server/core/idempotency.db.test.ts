import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../test/support.js';
import { pruneKeys } from './idempotency.js';
import { startJobs } from '../flows/jobs.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => env?.close());

const HOUR = 3_600_000;

describe('expired Idempotency-Keys', () => {
  it('deletes the keys made before the cut-off with their answers, batch by batch, and keeps the rest', async () => {
    const now = Date.now();
    const row = (key: string, hoursAgo: number) => ({
      scope: 'prune-test',
      key,
      request_hash: 'h',
      status_code: 201,
      response: JSON.stringify({ state: { applicant_name: '某某' } }),
      created_at: new Date(now - hoursAgo * HOUR),
    });
    await env.runtime.db
      .insertInto('idempotency_keys')
      .values([...['a', 'b', 'c', 'd', 'e'].map((k) => row(`old-${k}`, 25)), row('fresh', 1), row('edge', 23.9)])
      .execute();
    expect(await pruneKeys(env.runtime.db, new Date(now - 24 * HOUR), 2)).toBe(5);
    const left = await env.runtime.db.selectFrom('idempotency_keys').select('key').where('scope', '=', 'prune-test').orderBy('key').execute();
    expect(left.map((r) => r.key)).toEqual(['edge', 'fresh']);
    expect(await pruneKeys(env.runtime.db, new Date(now - 24 * HOUR))).toBe(0);
  });

  it('are deleted by the server’s background jobs once older than TONGBAN_IDEMPOTENCY_KEY_HOURS', async () => {
    const jobEnv = await testEnv({ config: { jobIntervalMs: 20, idempotencyKeyHours: 2 } });
    const jobs = startJobs(jobEnv.runtime, { error: (e) => console.error(e) });
    try {
      const made = (key: string, hoursAgo: number) => ({ scope: 'jobs-test', key, request_hash: 'h', status_code: 201, response: '{}', created_at: new Date(Date.now() - hoursAgo * HOUR) });
      await jobEnv.runtime.db.insertInto('idempotency_keys').values([made('three-hours-old', 3), made('an-hour-old', 1)]).execute();
      await expect
        .poll(async () => (await jobEnv.runtime.db.selectFrom('idempotency_keys').select('key').where('scope', '=', 'jobs-test').execute()).map((r) => r.key), { timeout: 10_000 })
        .toEqual(['an-hour-old']);
    } finally {
      await jobs.stop();
      await jobEnv.close();
    }
  });
});
