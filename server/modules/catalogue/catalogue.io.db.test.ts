import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testEnv, type TestEnv } from '../../../test/support.js';
import type { Ctx } from '../../core/ctx.js';
import { seedCatalogue } from '../../db/seed/catalogue/index.js';
import { ensureStandardDepartments } from '../regions/index.js';
import { exportCatalogue, importCatalogue, parseCsv } from './catalogue.io.js';
import { getGuide } from './catalogue.service.js';

let env: TestEnv;
let ctx: Ctx;

beforeAll(async () => {
  env = await testEnv();
  ctx = env.ctx({ kind: 'console', operator: 'test' });
  for (const r of ['130000', '130100', '130102', '133100']) await ensureStandardDepartments(ctx, r);
  await seedCatalogue(ctx);
});
afterAll(async () => env?.close());

const versions = async () =>
  (await env.runtime.db.selectFrom('implementation_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

describe('XLSX', () => {
  it('exports two sheets that import again without writing anything', async () => {
    const file = await exportCatalogue(ctx, 'xlsx');
    expect(file.filename).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['事项', '实施清单']);
    expect(String(wb.getWorksheet('事项')!.getRow(1).getCell(1).value)).toBe('事项编码(itemCode)');
    const r = await importCatalogue(ctx, file.body, file.filename);
    expect(r).toMatchObject({ items: 0, implementations: 0 });
    expect(r.unchanged).toBeGreaterThan(100);
  });
});

describe('CSV', () => {
  it('imports a changed promise as a new published version', async () => {
    const file = await exportCatalogue(ctx, 'csv');
    const text = file.body.toString('utf8');
    const rows = parseCsv(text.replace(/^\uFEFF/, ''));
    const head = rows[0]!.cells;
    const col = (key: string) => head.findIndex((h) => h.endsWith(`(${key})`));
    const row = rows.find((r) => r.cells[col('type')] === 'implementation' && r.cells[col('itemCode')] === 'HB-01-AMR-001' && r.cells[col('regionCode')] === '133100')!;
    expect(row.cells[col('promisedDays')]).toBe('3');
    const lines = text.split('\r\n');
    const cells = parseCsv(lines[row.line - 1]!)[0]!.cells;
    cells[col('promisedDays')] = '2';
    cells[col('reviewPlan')] = JSON.stringify([{ name: '审查决定', steps: [{ key: 'review', departmentKind: 'amr', name: '审查', days: 2 }] }]);
    lines[row.line - 1] = cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
    const r = await importCatalogue(ctx, Buffer.from(lines.join('\r\n')), 'catalogue.csv');
    expect(r).toMatchObject({ items: 0, implementations: 1 });
    expect((await getGuide(ctx, 'HB-01-AMR-001', '133100')).promisedDays).toBe(2);
  });

  it('reports each bad row with its line and field, and imports nothing of the file', async () => {
    const file = await exportCatalogue(ctx, 'csv');
    const lines = file.body.toString('utf8').split('\r\n');
    const head = parseCsv(lines[0]!.replace(/^\uFEFF/, ''))[0]!.cells;
    const col = (key: string) => head.findIndex((h) => h.endsWith(`(${key})`));
    const edit = (line: number, key: string, value: string) => {
      const cells = parseCsv(lines[line - 1]!)[0]!.cells;
      cells[col(key)] = value;
      lines[line - 1] = cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
    };
    const implLine = lines.findIndex((l) => l.startsWith('implementation,HB-01-AMR-001')) + 1;
    edit(2, 'statutoryDays', '十天');
    edit(implLine, 'promisedDays', '30');
    edit(implLine + 1, 'materials', '[{"id":"m1",');
    const before = await versions();
    const err = await importCatalogue(ctx, Buffer.from(lines.join('\r\n')), 'bad.csv').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
    const paths = (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
    expect(paths).toEqual(['bad.csv 第 2 行.statutoryDays', `bad.csv 第 ${implLine + 1} 行.materials`]);
    // fix the unparseable cells: now the rule check speaks, still naming the row
    edit(2, 'statutoryDays', '10');
    edit(implLine + 1, 'materials', '[]');
    const err2 = await importCatalogue(ctx, Buffer.from(lines.join('\r\n')), 'bad.csv').catch((e: unknown) => e);
    const issues = (err2 as { details: { issues: { path: string; message: string }[] } }).details.issues;
    expect(issues).toContainEqual({ path: `bad.csv 第 ${implLine} 行.promisedDays`, message: expect.stringContaining('超过法定时限') });
    expect(await versions()).toBe(before);
  });

  it('refuses a file of another kind or with unknown columns', async () => {
    await expect(importCatalogue(ctx, Buffer.from('x'), 'list.txt')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const err = await importCatalogue(ctx, Buffer.from('记录类别(type),itemCode,颜色\nitem,X,红\n'), 'odd.csv').catch((e: unknown) => e);
    expect((err as Error).message).toContain('不认识的列：颜色');
  });
});

describe(parseCsv.name, () => {
  it('reads quoted cells with commas, quotes and line breaks, numbering rows by their first line', () => {
    expect(parseCsv('a,b\r\n"x, ""y""","1\n2"\nlast,\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, "y"', '1\n2'] },
      { line: 4, cells: ['last', ''] },
    ]);
  });
});
