/** `npx tongban catalogue export|import` as catalogue staff use it, on a fresh embedded database. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tongban } from './process.js';

describe('npx tongban catalogue', () => {
  it('exports the catalogue, re-imports it unchanged, and refuses a file with a bad row naming its line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tongban-cli-'));
    const env = { TONGBAN_DATA_DIR: dir };
    expect(tongban(['seed', '--demo'], env).code).toBe(0);
    const csv = path.join(dir, 'catalogue.csv');
    const exported = tongban(['catalogue', 'export', '--format', 'csv', '--out', csv], env);
    expect(exported.code).toBe(0);
    const again = tongban(['catalogue', 'import', csv], env);
    expect(again.code).toBe(0);
    expect(again.out).toContain('"items":0');
    const lines = readFileSync(csv, 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/,\d+,/, ',-7,'); // a negative time limit on the 4th line
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const refused = tongban(['catalogue', 'import', bad], env);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/第 4 行/);
  }, 120_000);
});
