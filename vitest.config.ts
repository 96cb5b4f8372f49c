import { defineConfig } from 'vitest/config';

/**
 * Test tiers by file name: `*.test.ts` pure units, `*.db.test.ts` against a database,
 * `*.http.test.ts` through the HTTP stack, `e2e/*.e2e.test.ts` in Chromium.
 * db and http run on PGlite by default and on PostgreSQL when TEST_DATABASE_URL is set.
 */
const unit = ['server/**/*.test.ts', 'shared/**/*.test.ts', 'bench/**/*.test.ts'];
const dbTiers = ['**/*.db.test.ts', '**/*.http.test.ts', 'e2e/**'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: unit, exclude: [...dbTiers, '**/node_modules/**'], testTimeout: 20_000 } },
      { test: { name: 'db', include: ['server/**/*.db.test.ts', 'test/**/*.db.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { test: { name: 'http', include: ['server/**/*.http.test.ts', 'test/**/*.http.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      // expect.poll waits up to 20 s: the journeys run beside the db and http tiers on 2 cores, and a
      // page that fetches after navigation can take longer than the 1 s default (a CI run saw it)
      { test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false, expect: { poll: { timeout: 20_000 } } } },
    ],
  },
});
