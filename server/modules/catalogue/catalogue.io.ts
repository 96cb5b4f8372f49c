/**
 * Spreadsheets in and out: catalogue staff keep their lists in Excel. An XLSX file has two
 * sheets, 事项 (items) and 实施清单 (implementations); a CSV file has both in one table told apart
 * by the `type` column. Structured cells (materials, fees, form, review plan) hold JSON.
 *
 * An import is one transaction: a bad row is reported with its line and field, and nothing of
 * the file is written. Unchanged rows write nothing, so exporting and importing again is a no-op.
 */
import ExcelJS from 'exceljs';
import { AppError, type FieldIssue } from '../../../shared/errors.js';
import { ITEM_TYPES, type ItemType } from '../../../shared/contracts/catalogue.js';
import type { Ctx } from '../../core/ctx.js';
import { applyCatalogue, type BatchResult, type CatalogueBatch } from './catalogue.batch.js';
import { toImplementation, toItem } from './catalogue.service.js';
import * as repo from './catalogue.repository.js';

type Kind = 'text' | 'int' | 'intOrNull' | 'list' | 'json' | 'itemType' | 'caseType';

interface Column {
  key: string;
  label: string;
  kind: Kind;
  optional?: boolean;
}

const ITEM_COLUMNS: Column[] = [
  { key: 'itemCode', label: '事项编码', kind: 'text' },
  { key: 'name', label: '事项名称', kind: 'text' },
  { key: 'itemType', label: '事项类型', kind: 'itemType' },
  { key: 'applicantKinds', label: '服务对象', kind: 'list' },
  { key: 'powerCode', label: '权力事项编码', kind: 'text', optional: true },
  { key: 'legalBasis', label: '设定依据', kind: 'text' },
  { key: 'setAtLevel', label: '设定层级', kind: 'text' },
  { key: 'statutoryDays', label: '法定时限（工作日）', kind: 'intOrNull' },
  { key: 'resultType', label: '审批结果（证照类型）', kind: 'text', optional: true },
  { key: 'competentDepartmentKind', label: '主管部门', kind: 'text' },
  { key: 'implementingDepartmentKind', label: '实施机关', kind: 'text', optional: true },
  { key: 'conditions', label: '受理条件', kind: 'text' },
  { key: 'quantityLimit', label: '数量限制', kind: 'text', optional: true },
  { key: 'reason', label: '变更原因', kind: 'text', optional: true },
  // only for an item held as a cancelled one's comeback (冀政办发〔2020〕7号): the written ground
  { key: 'justification', label: '恢复的书面说明', kind: 'text', optional: true },
];

const IMPLEMENTATION_COLUMNS: Column[] = [
  { key: 'itemCode', label: '事项编码', kind: 'text' },
  { key: 'regionCode', label: '行政区划代码', kind: 'text' },
  { key: 'promisedDays', label: '承诺时限（工作日）', kind: 'int' },
  { key: 'caseType', label: '办件类型', kind: 'caseType' },
  { key: 'onlineDepth', label: '办理深度', kind: 'int' },
  { key: 'visitsRequired', label: '跑动次数', kind: 'int' },
  { key: 'serviceHall', label: '办理地点', kind: 'text' },
  { key: 'officeHours', label: '办理时间', kind: 'text', optional: true },
  { key: 'consultPhone', label: '咨询电话', kind: 'text' },
  { key: 'complaintPhone', label: '监督电话', kind: 'text' },
  { key: 'fees', label: '收费（JSON）', kind: 'json', optional: true },
  { key: 'materials', label: '申请材料（JSON）', kind: 'json' },
  { key: 'formSchema', label: '申请表（JSON Schema）', kind: 'json' },
  { key: 'reviewPlan', label: '审查环节（JSON）', kind: 'json' },
  { key: 'reason', label: '变更原因', kind: 'text', optional: true },
];

const SHEETS = { items: '事项', implementations: '实施清单' } as const;
const TYPE_COLUMN: Column = { key: 'type', label: '记录类别', kind: 'text' };
const ITEM_TYPE_BY_NAME = new Map<string, ItemType>(Object.entries(ITEM_TYPES).map(([k, v]) => [v.name, k as ItemType]));
const CASE_TYPE_BY_NAME = new Map([['即办件', 'instant'], ['承诺件', 'promised']]);

const header = (c: Column) => `${c.label}(${c.key})`;

/** Which column a header cell names: `事项编码(itemCode)`, `itemCode` or `事项编码`. */
function columnIndex(headers: string[], columns: Column[]): { map: Map<string, number>; unknown: string[] } {
  const map = new Map<string, number>();
  const unknown: string[] = [];
  headers.forEach((h, i) => {
    const text = h.trim();
    if (text === '') return;
    const key = /\(([A-Za-z]+)\)\s*$/.exec(text)?.[1] ?? text;
    const c = columns.find((x) => x.key === key || x.label === text);
    if (c) map.set(c.key, i);
    else unknown.push(text);
  });
  return { map, unknown };
}

interface Row {
  /** Where the row came from: `items.csv 第 7 行` or `catalogue.xlsx 实施清单 第 3 行`. */
  label: string;
  cells: string[];
}

function convert(row: Row, columns: Column[], map: Map<string, number>, issues: FieldIssue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const i = map.get(c.key);
    const raw = (i === undefined ? '' : (row.cells[i] ?? '')).trim();
    const bad = (message: string) => issues.push({ path: `${row.label}.${c.key}`, message });
    if (raw === '') {
      if (c.kind === 'intOrNull') out[c.key] = null;
      else if (c.key === 'powerCode' || c.key === 'resultType') out[c.key] = null;
      else if (!c.optional) bad(`「${c.label}」不能为空`);
      continue;
    }
    switch (c.kind) {
      case 'text':
        out[c.key] = raw;
        break;
      case 'int':
      case 'intOrNull':
        if (/^-?\d+$/.test(raw)) out[c.key] = Number(raw);
        else bad(`「${c.label}」应为整数，而不是 ${raw}`);
        break;
      case 'list':
        out[c.key] = raw.split(/[,，、;；\s]+/).filter(Boolean);
        break;
      case 'itemType':
        out[c.key] = ITEM_TYPE_BY_NAME.get(raw) ?? raw;
        break;
      case 'caseType':
        out[c.key] = CASE_TYPE_BY_NAME.get(raw) ?? raw;
        break;
      case 'json':
        try {
          out[c.key] = JSON.parse(raw);
        } catch {
          bad(`「${c.label}」不是有效的 JSON`);
        }
        break;
    }
  }
  return out;
}

/** Builds the batch from the rows of both tables; every problem named by row and field. */
function toBatch(itemRows: Row[], itemMap: Map<string, number>, implRows: Row[], implMap: Map<string, number>) {
  const issues: FieldIssue[] = [];
  const batch: CatalogueBatch = {
    items: itemRows.map((r) => convert(r, ITEM_COLUMNS, itemMap, issues)) as CatalogueBatch['items'],
    implementations: implRows.map((r) => convert(r, IMPLEMENTATION_COLUMNS, implMap, issues)) as CatalogueBatch['implementations'],
  };
  // an empty optional cell means "the default", not an empty string
  for (const list of [batch.items ?? [], batch.implementations ?? []]) {
    for (const rec of list as Record<string, unknown>[]) for (const k of Object.keys(rec)) if (rec[k] === undefined) delete rec[k];
  }
  return { batch, issues };
}

// ---------------------------------------------------------------- CSV (RFC 4180)

/** UTF-8 (with or without BOM); GB 18030 when the bytes are not UTF-8, as Excel saves CSV on Chinese Windows. */
function decode(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

/** Rows of a CSV text, each with the line it starts on. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((c) => c !== '')) rows.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += ch;
  }
  cells.push(cell);
  if (cells.some((c) => c !== '')) rows.push({ line: start, cells });
  return rows;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

// ---------------------------------------------------------------- XLSX

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return String(v);
}

function sheetRows(ws: ExcelJS.Worksheet): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(cellText(row.getCell(c).value));
    if (cells.some((x) => x.trim() !== '')) rows.push({ line, cells });
  });
  return rows;
}

// ---------------------------------------------------------------- import

export interface ImportOptions {
  /** Publish what is imported (default), or leave drafts for review. */
  publish?: boolean;
  /** Why, recorded on each version that has no reason of its own. */
  reason?: string;
}

/**
 * Imports items and implementations from a CSV or XLSX file (by its extension). Console, or a
 * province catalogue_admin; implementations also by those who may edit each one.
 * @throws VALIDATION_FAILED naming `file 第 N 行.field` for every bad cell; nothing is written.
 */
export async function importCatalogue(ctx: Ctx, buffer: Buffer, filename: string, opts: ImportOptions = {}): Promise<BatchResult> {
  const name = filename.split(/[\\/]/).pop() ?? filename;
  const ext = name.toLowerCase().split('.').pop();
  const itemRows: Row[] = [];
  const implRows: Row[] = [];
  let itemMap = new Map<string, number>();
  let implMap = new Map<string, number>();
  const headerIssues: FieldIssue[] = [];
  const checkHeader = (where: string, unknown: string[], map: Map<string, number>, columns: Column[]) => {
    if (unknown.length) headerIssues.push({ path: `${where} 第 1 行`, message: `不认识的列：${unknown.join('、')}` });
    const missing = columns.filter((c) => !c.optional && !map.has(c.key)).map((c) => header(c));
    if (missing.length) headerIssues.push({ path: `${where} 第 1 行`, message: `缺少列：${missing.join('、')}` });
  };
  if (ext === 'csv') {
    const rows = parseCsv(decode(buffer));
    const [head, ...data] = rows;
    if (!head) throw AppError.validation([{ path: name, message: '文件是空的' }]);
    const all = [TYPE_COLUMN, ...ITEM_COLUMNS, ...IMPLEMENTATION_COLUMNS];
    const typeAt = columnIndex(head.cells, [TYPE_COLUMN]).map.get('type');
    if (typeAt === undefined) throw AppError.validation([{ path: `${name} 第 1 行`, message: `缺少列 ${header(TYPE_COLUMN)}（item 或 implementation）` }]);
    const idx = columnIndex(head.cells, all);
    if (idx.unknown.length) headerIssues.push({ path: `${name} 第 1 行`, message: `不认识的列：${idx.unknown.join('、')}` });
    itemMap = columnIndex(head.cells, ITEM_COLUMNS).map;
    implMap = columnIndex(head.cells, IMPLEMENTATION_COLUMNS).map;
    for (const r of data) {
      const type = (r.cells[typeAt] ?? '').trim();
      const row = { label: `${name} 第 ${r.line} 行`, cells: r.cells };
      if (type === 'item' || type === '事项') itemRows.push(row);
      else if (type === 'implementation' || type === '实施清单') implRows.push(row);
      else headerIssues.push({ path: `${row.label}.type`, message: `记录类别应为 item（事项）或 implementation（实施清单），而不是「${type}」` });
    }
    if (itemRows.length) checkHeader(name, [], itemMap, ITEM_COLUMNS);
    if (implRows.length) checkHeader(name, [], implMap, IMPLEMENTATION_COLUMNS);
  } else if (ext === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    } catch {
      throw AppError.validation([{ path: name, message: '不是有效的 XLSX 文件' }]);
    }
    const sheet = (names: string[]) => wb.worksheets.find((w) => names.includes(w.name));
    const itemsSheet = sheet([SHEETS.items, 'items']);
    const implSheet = sheet([SHEETS.implementations, 'implementations']);
    if (!itemsSheet && !implSheet) throw AppError.validation([{ path: name, message: `找不到工作表「${SHEETS.items}」或「${SHEETS.implementations}」` }]);
    for (const [ws, columns, target, setMap] of [
      [itemsSheet, ITEM_COLUMNS, itemRows, (m: Map<string, number>) => (itemMap = m)],
      [implSheet, IMPLEMENTATION_COLUMNS, implRows, (m: Map<string, number>) => (implMap = m)],
    ] as const) {
      if (!ws) continue;
      const [head, ...data] = sheetRows(ws);
      if (!head) continue;
      const idx = columnIndex(head.cells, columns);
      setMap(idx.map);
      checkHeader(`${name} ${ws.name}`, idx.unknown, idx.map, columns);
      for (const r of data) target.push({ label: `${name} ${ws.name} 第 ${r.line} 行`, cells: r.cells });
    }
  } else {
    throw AppError.validation([{ path: name, message: '只支持 .csv 或 .xlsx 文件' }]);
  }
  if (headerIssues.length) throw AppError.validation(headerIssues, `导入未执行：${headerIssues.map((i) => `${i.path} ${i.message}`).join('；')}`);
  const { batch, issues } = toBatch(itemRows, itemMap, implRows, implMap);
  if (issues.length) throw AppError.validation(issues, `导入未执行（全部回滚），共 ${issues.length} 处问题：${issues.slice(0, 20).map((i) => `${i.path}：${i.message}`).join('；')}`);
  return applyCatalogue(ctx, batch, {
    reason: opts.reason ?? `导入 ${name}`,
    publish: opts.publish ?? true,
    where: (section, i) => (section === 'items' ? itemRows[i]?.label : section === 'implementations' ? implRows[i]?.label : undefined) ?? `${section}.${i}`,
  });
}

// ---------------------------------------------------------------- export

function itemCells(i: ReturnType<typeof toItem>): Record<string, string> {
  return {
    itemCode: i.itemCode,
    name: i.name,
    itemType: i.itemType,
    applicantKinds: i.applicantKinds.join(','),
    powerCode: i.powerCode ?? '',
    legalBasis: i.legalBasis,
    setAtLevel: i.setAtLevel,
    statutoryDays: i.statutoryDays === null ? '' : String(i.statutoryDays),
    resultType: i.resultType?.code ?? '',
    competentDepartmentKind: i.competentDepartmentKind,
    implementingDepartmentKind: i.implementingDepartmentKind === i.competentDepartmentKind ? '' : i.implementingDepartmentKind,
    conditions: i.conditions,
    quantityLimit: i.quantityLimit,
    reason: '',
  };
}

function implementationCells(m: ReturnType<typeof toImplementation>): Record<string, string> {
  return {
    itemCode: m.itemCode,
    regionCode: m.regionCode,
    promisedDays: String(m.promisedDays),
    caseType: m.caseType,
    onlineDepth: String(m.onlineDepth),
    visitsRequired: String(m.visitsRequired),
    serviceHall: m.serviceHall,
    officeHours: m.officeHours,
    consultPhone: m.consultPhone,
    complaintPhone: m.complaintPhone,
    fees: JSON.stringify(m.fees),
    materials: JSON.stringify(m.materials),
    formSchema: JSON.stringify(m.formSchema),
    reviewPlan: JSON.stringify(m.reviewPlan),
    reason: '',
  };
}

export interface ExportedFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** Exports the current published items and implementations. Public data: anyone may. */
export async function exportCatalogue(ctx: Ctx, format: 'csv' | 'xlsx' = 'xlsx'): Promise<ExportedFile> {
  const items = (await repo.allCurrentItems(ctx.db)).map(toItem);
  const impls = (await ctx.db.selectFrom('implementation_versions').select(repo.IMPLEMENTATION_COLUMNS).where('status', '=', 'published').orderBy('item_code').orderBy('region_code').execute()).map(toImplementation);
  const stamp = ctx.now().toISOString().slice(0, 10);
  if (format === 'csv') {
    const columns = [TYPE_COLUMN, ...ITEM_COLUMNS, ...IMPLEMENTATION_COLUMNS.filter((c) => !ITEM_COLUMNS.some((x) => x.key === c.key))];
    const lines = [columns.map((c) => csvCell(header(c))).join(',')];
    for (const i of items) {
      const cells = { type: 'item', ...itemCells(i) } as Record<string, string>;
      lines.push(columns.map((c) => csvCell(cells[c.key] ?? '')).join(','));
    }
    for (const m of impls) {
      const cells = { type: 'implementation', ...implementationCells(m) } as Record<string, string>;
      lines.push(columns.map((c) => csvCell(cells[c.key] ?? '')).join(','));
    }
    // a BOM so Excel opens the UTF-8 file with the right encoding
    return { filename: `catalogue-${stamp}.csv`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8') };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tongban 通办';
  for (const [sheetName, columns, rows] of [
    [SHEETS.items, ITEM_COLUMNS, items.map(itemCells)],
    [SHEETS.implementations, IMPLEMENTATION_COLUMNS, impls.map(implementationCells)],
  ] as const) {
    const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(columns.map(header)).font = { bold: true };
    for (const r of rows) ws.addRow(columns.map((c) => r[c.key] ?? ''));
    columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.kind === 'json' || c.key === 'conditions' || c.key === 'legalBasis' ? 40 : 16));
  }
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return { filename: `catalogue-${stamp}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body };
}
