/**
 * The `tongban` command: `npx tongban <command>`. It opens the same database the server uses
 * (DATABASE_URL, or PGlite in TONGBAN_DATA_DIR / ./data — stop the server first, PGlite is
 * single-process) and acts as the console operator, which the audit chain records.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../core/config.js';
import { makeCtx } from '../core/ctx.js';
import { openRuntime, type OpenRuntime } from '../runtime.js';
import { AppError } from '../../shared/errors.js';
import { verifyAuditChain } from '../modules/audit/index.js';
import { countAdministrators, createStaff } from '../modules/identity/index.js';
import { ensureStandardDepartments, findDepartmentByKind, HEBEI } from '../modules/regions/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { exportCatalogue, importCatalogue } from '../modules/catalogue/index.js';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { certVerifyCommand } from '../modules/certificates/index.js';

const HELP = `用法 usage: npx tongban <command>

  migrate                      apply pending database migrations
  seed --demo                  load the demo province (demo accounts, password tongban-demo)
  audit verify [--json]        recompute the audit chain; exit 1 if any entry was changed, deleted or reordered
  cert verify FILE (--keys KEYS.json | --url URL) [--json]
                               verify an e-certificate document offline with the published keys
                               (no database); exit 0 when valid, 1 with the reason when not
  catalogue import FILE [--draft] [--reason TEXT]
                               import items and implementations from CSV or XLSX (one transaction:
                               a bad row is reported with its line and field and nothing is imported)
  catalogue export [--format csv|xlsx] [--out FILE]
                               export the published catalogue (default xlsx to tongban-catalogue.xlsx)
  admin create --username U --name N [--password P]
                               create a system administrator (the first one outside demo mode);
                               the password is read from TONGBAN_ADMIN_PASSWORD or asked for

Environment: DATABASE_URL (PostgreSQL) or TONGBAN_DATA_DIR (embedded PGlite, default ./data).`;

type Command = (rt: OpenRuntime, args: string[]) => Promise<number>;

const operator = process.env.SUDO_USER ?? process.env.USER ?? 'console';

const commands: Record<string, Command> = {
  async migrate(rt) {
    const applied = await migrateToLatest(rt.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : '数据库已是最新 (up to date)');
    return 0;
  },

  async seed(rt, args) {
    const { values } = parseArgs({ args, options: { demo: { type: 'boolean' } } });
    if (!values.demo) throw new AppError('VALIDATION_FAILED', 'seed 需要 --demo');
    if (rt.config.production) throw new AppError('FORBIDDEN', '生产环境（NODE_ENV=production）不加载演示数据');
    const { seedDemo } = await import('../db/seed/demo.js');
    const r = await seedDemo(makeCtx(rt, { kind: 'console', operator }));
    console.log(`demo province loaded; new accounts: ${r.created.join(', ') || '(none)'}`);
    return 0;
  },

  async audit(rt, args) {
    const [sub, ...rest] = args;
    if (sub !== 'verify') throw new AppError('VALIDATION_FAILED', `未知子命令 audit ${sub ?? ''}：可用 audit verify`);
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
    await rt.sealer.flush();
    const v = await verifyAuditChain(makeCtx(rt, { kind: 'console', operator }));
    if (values.json) console.log(JSON.stringify(v, null, 2));
    else {
      console.log(`审计链 audit chain: ${v.sealed} sealed, ${v.unsealed} not yet sealed, head #${v.headIndex} ${v.headHash.slice(0, 16)}…`);
      for (const p of v.problems) console.log(`  ✗ seq ${p.seq ?? '-'} (chain #${p.chainIndex}) ${p.problem}: ${p.message}`);
      console.log(v.ok ? '✓ intact' : `✗ ${v.problems.length} problem(s)`);
    }
    return v.ok ? 0 : 1;
  },

  async catalogue(rt, args) {
    const [sub, ...rest] = args;
    const ctx = makeCtx(rt, { kind: 'console', operator });
    if (sub === 'import') {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { draft: { type: 'boolean' }, reason: { type: 'string' } } });
      const file = positionals[0];
      if (!file) throw new AppError('VALIDATION_FAILED', 'catalogue import 需要文件路径：npx tongban catalogue import FILE.xlsx|FILE.csv');
      const r = await importCatalogue(ctx, await readFile(file), path.basename(file), { publish: !values.draft, reason: values.reason ?? `导入 ${path.basename(file)}` });
      console.log(`已导入 imported: ${JSON.stringify(r)}`);
      return 0;
    }
    if (sub === 'export') {
      const { values } = parseArgs({ args: rest, options: { format: { type: 'string' }, out: { type: 'string' } } });
      const format = values.format ?? 'xlsx';
      if (format !== 'csv' && format !== 'xlsx') throw new AppError('VALIDATION_FAILED', '--format 只能是 csv 或 xlsx');
      const r = await exportCatalogue(ctx, format);
      const out = values.out ?? r.filename;
      await writeFile(out, r.body);
      console.log(`已导出 exported: ${out} (${r.body.length} bytes)`);
      return 0;
    }
    throw new AppError('VALIDATION_FAILED', `未知子命令 catalogue ${sub ?? ''}：可用 catalogue import / catalogue export`);
  },

  async admin(rt, args) {
    const [sub, ...rest] = args;
    if (sub !== 'create') throw new AppError('VALIDATION_FAILED', `未知子命令 admin ${sub ?? ''}：可用 admin create`);
    const { values } = parseArgs({
      args: rest,
      options: { username: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, region: { type: 'string' } },
    });
    if (!values.username || !values.name) throw new AppError('VALIDATION_FAILED', 'admin create 需要 --username 和 --name');
    const password = values.password ?? process.env.TONGBAN_ADMIN_PASSWORD ?? (await ask('密码 password (≥10): '));
    const ctx = makeCtx(rt, { kind: 'console', operator });
    const region = values.region ?? HEBEI;
    await ensureStandardDepartments(ctx, region);
    const dept = await findDepartmentByKind(ctx, region, 'data_service');
    if (!dept) throw new AppError('NOT_FOUND', `${region} 没有数据和政务服务部门`);
    const before = await countAdministrators(ctx);
    const user = await createStaff(ctx, { username: values.username, password, name: values.name, departmentId: dept.id, roles: ['system_admin'] });
    console.log(`系统管理员 ${user.username} 已创建（${dept.name}）${before === 0 ? '：这是第一位管理员' : ''}`);
    return 0;
  },
};

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new AppError('VALIDATION_FAILED', '请用 --password 或 TONGBAN_ADMIN_PASSWORD 提供密码');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(HELP);
    return name ? 0 : 2;
  }
  // offline: verifying a certificate needs the published keys, not the database
  if (name === 'cert') return certVerifyCommand(args);
  const command = commands[name];
  if (!command) {
    console.error(`未知命令 unknown command: ${name}\n\n${HELP}`);
    return 2;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  // the CLI never seeds on its own: `seed --demo` does that explicitly
  const rt = await openRuntime({ config, demo: false });
  try {
    return await command(rt, args);
  } finally {
    await rt.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof AppError ? `错误 ${e.code}: ${e.message}` : e);
    process.exit(1);
  },
);
