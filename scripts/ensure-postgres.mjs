#!/usr/bin/env node
// Makes sure the local PostgreSQL server answers at 127.0.0.1:5432, starting the Debian cluster
// when it is down. Used by `npm run test:pg`, the benchmarks' CI use and .ci/run.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';

function isReady() {
  const r = spawnSync('pg_isready', ['-h', HOST, '-q'], { stdio: 'ignore' });
  if (r.error) throw new Error(`pg_isready not found (${r.error.message}): install PostgreSQL (apt-get install postgresql)`);
  return r.status === 0;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once PostgreSQL accepts connections; starts the cluster if needed. */
export async function ensurePostgres({ quiet = false } = {}) {
  if (isReady()) return;
  let versions;
  try {
    versions = readdirSync('/etc/postgresql');
  } catch {
    versions = [];
  }
  const version = versions.sort().at(-1);
  if (!version) throw new Error('PostgreSQL is not running and /etc/postgresql has no cluster to start');
  if (!quiet) console.log(`ensure-postgres: starting PostgreSQL ${version} (cluster main) …`);
  const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  if (r.error || r.status !== 0) throw new Error(`pg_ctlcluster ${version} main start failed (${r.error?.message ?? `exit ${r.status}`})`);
  for (let i = 0; i < 60; i++) {
    if (isReady()) return;
    await sleep(500);
  }
  throw new Error(`PostgreSQL started but does not answer at ${HOST}:5432 after 30 s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await ensurePostgres();
    console.log(`ensure-postgres: PostgreSQL is accepting connections at ${HOST}:5432`);
  } catch (e) {
    console.error(`ensure-postgres: ${e.message}`);
    process.exit(1);
  }
}
