/**
 * Many catalogue records at once, in one transaction: the demo seed and spreadsheet imports.
 * Every record is checked first; one bad record fails the whole batch with every problem named
 * (path prefixed by where the record came from) and nothing is written. A record whose content
 * equals its current published version is skipped, so applying the same batch twice writes
 * nothing the second time.
 */
import { z } from 'zod';
import { AppError, isAppError, type FieldIssue } from '../../../shared/errors.js';
import {
  DraftImplementation,
  DraftLifeEvent,
  DraftPower,
  DraftServiceItem,
  type DraftImplementationInput,
} from '../../../shared/contracts/catalogue.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { HEBEI } from '../regions/index.js';
import { canCatalogue } from './catalogue.policy.js';
import { checkItemDraft } from './catalogue.hooks.js';
import {
  Lookups,
  implementationIssues,
  prepareItem,
  resolveImplementation,
  preparePower,
  prepareLifeEvent,
  writeImplementationVersions,
  writeItemVersions,
  writeLifeEventVersion,
  writePowerVersions,
  type PreparedItem,
  type ReadyImplementation,
} from './catalogue.service.js';
import * as repo from './catalogue.repository.js';

type WithoutReason<T> = Omit<T, 'reason'> & { reason?: string };

export interface CatalogueBatch {
  certificateTypes?: { code: string; name: string; issuingDepartmentKind: string }[];
  synonyms?: { phrase: string; expandsTo: string }[];
  powers?: WithoutReason<z.input<typeof DraftPower>>[];
  items?: WithoutReason<z.input<typeof DraftServiceItem>>[];
  implementations?: WithoutReason<DraftImplementationInput>[];
  lifeEvents?: WithoutReason<z.input<typeof DraftLifeEvent>>[];
}

export type Section = keyof CatalogueBatch;

export interface BatchOptions {
  /** Why (recorded on every version written). */
  reason: string;
  /** Publish what is written (seed, import of the official list) or leave drafts. */
  publish: boolean;
  /** Where record `index` of `section` came from, for messages (`items.xlsx 第 7 行`); default `items.3`. */
  where?: (section: Section, index: number) => string;
}

export interface BatchResult {
  certificateTypes: number;
  synonyms: number;
  powers: number;
  items: number;
  implementations: number;
  lifeEvents: number;
  unchanged: number;
}

const CertificateTypeRow = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, { message: '证照类型代码应为小写字母、数字或下划线' }),
  name: z.string().trim().min(1).max(100),
  issuingDepartmentKind: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, { message: '部门类别应为小写字母、数字或下划线' }),
});
const SynonymRow = z.strictObject({ phrase: z.string().trim().min(1).max(50), expandsTo: z.string().trim().min(1).max(100) });

function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * The anti-renaming hold of a new or changed item (checkItemDraft: a cancelled approval may not
 * come back split, merged or renamed) as the row's issue, so an import names every held row at
 * once and writes nothing; a row with its written justification passes and is recorded.
 */
async function revivalHeld(tx: Ctx, it: { itemCode: string; name: string; legalBasis: string; justification?: string | undefined }): Promise<FieldIssue[]> {
  try {
    await checkItemDraft(tx, { itemCode: it.itemCode, name: it.name, legalBasis: it.legalBasis, justification: it.justification });
    return [];
  } catch (e) {
    if (isAppError(e) && (e.code === 'PRECONDITION_FAILED' || e.code === 'VALIDATION_FAILED')) return [{ path: 'justification', message: e.message }];
    throw e;
  }
}

/** Applies a batch. Console, or a province catalogue_admin (implementations: anyone who may edit each one). */
export async function applyCatalogue(ctx: Ctx, batch: CatalogueBatch, opts: BatchOptions): Promise<BatchResult> {
  const where = opts.where ?? ((s, i) => `${s}.${i}`);
  const result: BatchResult = { certificateTypes: 0, synonyms: 0, powers: 0, items: 0, implementations: 0, lifeEvents: 0, unchanged: 0 };
  return inTransaction(ctx, async (tx) => {
    const issues: FieldIssue[] = [];
    const located = (section: Section, index: number, list: FieldIssue[]) =>
      issues.push(...list.map((i) => ({ path: [where(section, index), i.path].filter(Boolean).join('.'), message: i.message })));
    const parsed = <S extends z.ZodType>(section: Section, schema: S, rows: unknown[] | undefined, withReason: boolean): z.infer<S>[] =>
      (rows ?? []).flatMap((row, i) => {
        const input = withReason ? { ...(row as object), reason: (row as { reason?: string }).reason ?? opts.reason } : row;
        const r = schema.safeParse(input);
        if (!r.success) {
          located(section, i, zodIssues(r.error));
          return [];
        }
        return [r.data as z.infer<S>];
      });
    // by the rows as sent: a row that failed its schema must not shift the index named for the others
    function duplicates(section: Section, field: string, what: string) {
      const first = new Map<string, number>();
      (batch[section] ?? []).forEach((row, i) => {
        const raw = (row as Record<string, unknown> | null)?.[field];
        const c = typeof raw === 'string' ? raw.trim() : '';
        if (!c) return;
        const j = first.get(c);
        if (j === undefined) first.set(c, i);
        else located(section, i, [{ path: '', message: `${what} ${c} 与 ${where(section, j)} 重复` }]);
      });
    }
    const standard = (batch.certificateTypes?.length ?? 0) + (batch.synonyms?.length ?? 0) + (batch.powers?.length ?? 0) + (batch.items?.length ?? 0) + (batch.lifeEvents?.length ?? 0);
    if (standard > 0) requireAccess(tx.actor, canCatalogue(tx.actor, 'standard.write', { regionPath: [HEBEI] }), '导入省级政务服务事项标准');
    // nothing to write: no right is checked, so say so rather than answer zeros to anyone
    else if (!batch.implementations?.length) throw AppError.validation([{ path: '', message: '没有要写入的记录：至少提交一条证照类型、同义词、权力事项、事项、实施清单或一件事' }]);

    const certificateTypes = parsed('certificateTypes', CertificateTypeRow, batch.certificateTypes, false);
    const synonyms = parsed('synonyms', SynonymRow, batch.synonyms, false);
    const powers = parsed('powers', DraftPower, batch.powers, true);
    const items = parsed('items', DraftServiceItem, batch.items, true);
    const implementations = parsed('implementations', DraftImplementation, batch.implementations, true);
    const lifeEvents = parsed('lifeEvents', DraftLifeEvent, batch.lifeEvents, true);
    duplicates('powers', 'code', '权力事项编码');
    duplicates('items', 'itemCode', '事项编码');
    duplicates('lifeEvents', 'code', '一件事编码');
    if (issues.length) throw AppError.validation(issues, batchMessage(issues));

    // reference data first: items point at certificate types, materials too
    result.certificateTypes = await repo.upsertCertificateTypes(
      tx.db,
      certificateTypes.map((c) => ({ code: c.code, name: c.name, issuing_department_kind: c.issuingDepartmentKind })),
    );
    if (result.certificateTypes) await audit.record(tx, { action: 'catalogue.certificate_types.saved', subject: { catalogue: 'certificate_types' }, details: { saved: result.certificateTypes } });
    result.synonyms = await repo.insertSynonyms(tx.db, synonyms.map((s) => ({ phrase: s.phrase.toLowerCase(), expands_to: s.expandsTo })));
    if (result.synonyms) await audit.record(tx, { action: 'catalogue.synonyms.added', subject: { catalogue: 'search_synonyms' }, details: { added: result.synonyms } });

    const look = new Lookups(tx);

    const powerHashes = new Map((await repo.publishedPowers(tx.db)).map((p) => [p.code, p.content_hash]));
    const powerWrites = [];
    for (const [i, p] of powers.entries()) {
      const prepared = await preparePower(look, p);
      if (prepared.issues.length) located('powers', i, prepared.issues);
      else if (powerHashes.get(p.code) === prepared.content_hash) result.unchanged++;
      else powerWrites.push({ input: p, p: prepared });
    }
    if (issues.length) throw AppError.validation(issues, batchMessage(issues));
    result.powers = (await writePowerVersions(tx, powerWrites, opts.publish)).length;
    look.forgetPowers();

    const itemHashes = new Map((await repo.allCurrentItems(tx.db)).map((r) => [r.item_code, r.content_hash]));
    const itemWrites: { input: (typeof items)[number]; p: PreparedItem }[] = [];
    for (const [i, it] of items.entries()) {
      const prepared = await prepareItem(look, it);
      if (!prepared.content) located('items', i, prepared.issues);
      else if (itemHashes.get(it.itemCode) === prepared.content_hash) result.unchanged++;
      else {
        // an imported item is held as a drafted one is (冀政办发〔2020〕7号, catalogue.hooks.ts)
        const held = await revivalHeld(tx, it);
        if (held.length) located('items', i, held);
        else itemWrites.push({ input: it, p: prepared as PreparedItem });
      }
    }
    if (issues.length) throw AppError.validation(issues, batchMessage(issues));
    result.items = (await writeItemVersions(tx, itemWrites, opts.publish)).length;

    await look.preloadItems();
    const implHashes = new Map((await repo.publishedImplementationHashes(tx.db)).map((r) => [`${r.item_code}/${r.region_code}/${r.department_kind}`, r.content_hash]));
    const implWrites: { p: ReadyImplementation; reason: string }[] = [];
    const seen = new Map<string, number>();
    for (const [i, im] of implementations.entries()) {
      const p = await resolveImplementation(look, im);
      if (!('content' in p)) {
        located('implementations', i, p.issues);
        continue;
      }
      const allowed = canCatalogue(tx.actor, 'implementation.write', { regionPath: p.path, departmentId: p.dept.id });
      if (!allowed) requireAccess(tx.actor, false, `编辑 ${p.dept.name} 的实施清单（${where('implementations', i)}）`);
      const key = `${p.item.item_code}/${p.dept.regionCode}/${p.dept.kind}`;
      const twin = seen.get(key);
      if (twin !== undefined) {
        located('implementations', i, [{ path: 'regionCode', message: `与 ${where('implementations', twin)} 重复：同一事项在同一区划只有一份实施清单` }]);
        continue;
      }
      seen.set(key, i);
      // unchanged content was checked when it was published
      if (implHashes.get(key) === p.content_hash) {
        result.unchanged++;
        continue;
      }
      const problems = await implementationIssues(look, p, im);
      if (problems.length) located('implementations', i, problems);
      else implWrites.push({ p, reason: im.reason });
    }
    if (issues.length) throw AppError.validation(issues, batchMessage(issues));
    result.implementations = (await writeImplementationVersions(tx, implWrites, opts.publish)).length;

    const eventHashes = new Map((await repo.publishedLifeEvents(tx.db)).map((e) => [e.code, e.content_hash]));
    for (const [i, e] of lifeEvents.entries()) {
      const prepared = await prepareLifeEvent(tx, e);
      if (prepared.issues.length) located('lifeEvents', i, prepared.issues);
      else if (eventHashes.get(e.code) === prepared.content_hash) result.unchanged++;
      else if (!issues.length) {
        await writeLifeEventVersion(tx, e, opts.publish);
        result.lifeEvents++;
      }
    }
    if (issues.length) throw AppError.validation(issues, batchMessage(issues));
    return result;
  });
}

function batchMessage(issues: FieldIssue[]): string {
  const shown = issues.slice(0, 20).map((i) => `${i.path}：${i.message}`);
  const more = issues.length > shown.length ? `；另有 ${issues.length - shown.length} 处` : '';
  return `导入未执行（全部回滚），共 ${issues.length} 处问题：${shown.join('；')}${more}`;
}
