#!/usr/bin/env node
// `npm run test:pg`: the db and http test tiers again on server PostgreSQL instead of PGlite.
// test/support.ts creates (and drops) a fresh database per test file from TEST_DATABASE_URL.
// Extra arguments pass through to vitest: `npm run test:pg -- --reporter=verbose`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensurePostgres } from './ensure-postgres.mjs';

const root = path.resolve(import.meta.dirname, '..');
const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

try {
  await ensurePostgres();
} catch (e) {
  console.error(`test:pg: ${e.message}`);
  process.exit(1);
}

const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
const args = ['run', '--project', 'db', '--project', 'http', ...process.argv.slice(2)];
const r = spawnSync(vitest, args, { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_DATABASE_URL: url } });
if (r.error) {
  console.error(`test:pg: cannot run ${vitest}: ${r.error.message} (run npm ci first)`);
  process.exit(1);
}
process.exit(r.status ?? 1);
