#!/usr/bin/env node
// `npm run deps`: dependency-cruiser over the source folders that exist (web/src may not yet),
// with the rules in .dependency-cruiser.cjs. Extra arguments pass through to depcruise.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dirs = ['server', 'shared', 'web/src'].filter((d) => existsSync(path.join(root, d)));
const bin = path.join(root, 'node_modules', '.bin', 'depcruise');
const r = spawnSync(bin, [...dirs, '--config', '.dependency-cruiser.cjs', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (r.error) {
  console.error(`deps: cannot run ${bin}: ${r.error.message} (run npm ci first)`);
  process.exit(1);
}
process.exit(r.status ?? 1);
