#!/usr/bin/env node
// First half of `npm start`: builds the web app into dist/web when the build is missing or older
// than any file under web/, so a fresh clone serves the UI and a rebuilt one is not rebuilt.
// Node built-ins only: this runs before anything else.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const webDir = path.join(root, 'web');
const viteConfig = path.join(webDir, 'vite.config.ts');
const builtIndex = path.join(root, 'dist', 'web', 'index.html');

if (!existsSync(webDir) || !existsSync(viteConfig)) {
  console.log('ensure-web: no web app yet (web/vite.config.ts missing); the server will serve the API only.');
  process.exit(0);
}

/** The newest modification time of any file under dir, skipping node_modules and build output. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
const sourceAt = newestMtime(webDir);
if (builtAt && builtAt >= sourceAt) process.exit(0);

console.log(builtAt ? 'ensure-web: web/ changed since the last build; rebuilding dist/web …' : 'ensure-web: building the web app into dist/web (first start) …');
const vite = path.join(root, 'node_modules', '.bin', 'vite');
const r = spawnSync(vite, ['build', '--config', viteConfig], { cwd: root, stdio: 'inherit' });
if (r.error) {
  console.error(`ensure-web: cannot run ${vite}: ${r.error.message} (run npm ci first)`);
  process.exit(1);
}
if (r.status !== 0) {
  console.error(`ensure-web: the web build failed (exit ${r.status ?? r.signal}); fix it or run \`npm run build\` to see why.`);
  process.exit(r.status ?? 1);
}
