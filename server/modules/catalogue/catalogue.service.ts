/**
 * The catalogue's services: the province standard (ServiceItem, Power, LifeEvent), each region's
 * implementation (实施清单) and the 办事指南. Every write makes a new version in one transaction
 * with its audit entry; a published version never changes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AppError, type FieldIssue } from '../../../shared/errors.js';
import { canonicalJson } from '../../../shared/canonical-json.js';
import {
  ITEM_TYPES,
  MATERIAL_FORM_NAMES,
  type DraftImplementation,
  type DraftLifeEvent,
  type DraftPower,
  type DraftServiceItem,
  type Fee,
  type Guide,
  type Implementation,
  type ItemDetail,
  type ItemType,
  type LifeEvent,
  type Material,
  type ReviewStage,
  type ServiceItem,
  type VersionSummary,
} from '../../../shared/contracts/catalogue.js';
import type { Department } from '../../../shared/contracts/regions.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/ctx.js';
import { findDepartmentByKind, HEBEI, regionPath } from '../regions/index.js';
import { canCatalogue, materialIssues, promisedDaysIssues, reviewPlanIssues } from './catalogue.policy.js';
import { formFields, formSchemaIssues, withFieldOrder } from './catalogue.forms.js';
import { checkItemDraft, pilotAllowedDays, pilotsFor } from './catalogue.hooks.js';
import { tsvectorLiteral } from './catalogue.tokens.js';
import * as repo from './catalogue.repository.js';

/** The province standard belongs to the province. */
const PROVINCE_SCOPE = { regionPath: [HEBEI] };

export function contentHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

function accountOf(ctx: Ctx): string | null {
  return ctx.actor.kind === 'staff' ? ctx.actor.accountId : null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

// ---------------------------------------------------------------- lookups

/**
 * Reference look-ups shared by one transaction's writes, memoised so a batch of a thousand rows
 * asks the database once per region, department kind and certificate type.
 */
export class Lookups {
  private certs: Promise<Map<string, string>> | undefined;
  private departments = new Map<string, Promise<Department | null>>();
  private paths = new Map<string, Promise<string[] | null>>();
  private items = new Map<string, Promise<ItemRow | undefined>>();
  private powers: Promise<Set<string>> | undefined;

  constructor(readonly ctx: Ctx) {}

  certificateTypes(): Promise<Map<string, string>> {
    return (this.certs ??= repo.listCertificateTypes(this.ctx.db).then((rows) => new Map(rows.map((r) => [r.code, r.name]))));
  }

  department(regionCode: string, kind: string): Promise<Department | null> {
    const key = `${regionCode}/${kind}`;
    let p = this.departments.get(key);
    if (!p) this.departments.set(key, (p = findDepartmentByKind(this.ctx, regionCode, kind)));
    return p;
  }

  /** The region's path from the province, or null for an unknown code. */
  regionPath(code: string): Promise<string[] | null> {
    let p = this.paths.get(code);
    if (!p) {
      p = regionPath(this.ctx, code).catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
        throw e;
      });
      this.paths.set(code, p);
    }
    return p;
  }

  /** Whether a power of the 权责清单 is published (all codes loaded once). */
  async hasPower(code: string): Promise<boolean> {
    this.powers ??= repo.publishedPowers(this.ctx.db).then((rows) => new Set(rows.map((r) => r.code)));
    return (await this.powers).has(code);
  }

  forgetPowers(): void {
    this.powers = undefined;
  }

  /** The current published version of an item, memoised; `forgetItem` after writing one. */
  currentItem(code: string): Promise<ItemRow | undefined> {
    let p = this.items.get(code);
    if (!p) this.items.set(code, (p = repo.currentItem(this.ctx.db, code)));
    return p;
  }

  forgetItem(code: string): void {
    this.items.delete(code);
  }

  /** Loads every current item at once (a batch about to write many implementations). */
  async preloadItems(): Promise<void> {
    for (const r of await repo.allCurrentItems(this.ctx.db)) this.items.set(r.item_code, Promise.resolve(r));
  }

  /** A department kind is known when the province has such a department (every competent department does). */
  async knownKind(kind: string): Promise<boolean> {
    return (await this.department(HEBEI, kind)) !== null;
  }

  /** The department of `kind` in the region or the nearest level above it. */
  async nearestDepartment(path: string[], kind: string): Promise<Department | null> {
    for (const code of [...path].reverse()) {
      const d = await this.department(code, kind);
      if (d) return d;
    }
    return null;
  }
}

function fail(issues: FieldIssue[]): never {
  throw AppError.validation(issues);
}

// ---------------------------------------------------------------- mapping

type ItemRow = repo.ItemVersionRow;

export function toItem(r: ItemRow): ServiceItem {
  const t = r.item_type as ItemType;
  return {
    id: r.item_id,
    versionId: r.id,
    itemCode: r.item_code,
    name: r.name,
    itemType: t,
    itemTypeCode: ITEM_TYPES[t].code,
    itemTypeName: ITEM_TYPES[t].name,
    applicantKinds: r.applicant_kinds as ServiceItem['applicantKinds'],
    powerCode: r.power_code,
    legalBasis: r.legal_basis,
    setAtLevel: r.set_at_level as ServiceItem['setAtLevel'],
    statutoryDays: r.statutory_days,
    resultType: r.result_type ? { code: r.result_type, name: r.result_type_name ?? r.result_type } : null,
    competentDepartmentKind: r.competent_department_kind,
    competentDepartmentName: r.competent_department_name,
    implementingDepartmentKind: r.implementing_department_kind,
    conditions: r.conditions,
    quantityLimit: r.quantity_limit,
    version: r.version,
    status: r.status,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    publishedBy: r.published_by,
    publishedAt: iso(r.published_at),
  };
}

type ImplRow = repo.ImplementationVersionRow;

export function toImplementation(r: ImplRow): Implementation {
  return {
    id: r.implementation_id,
    versionId: r.id,
    itemCode: r.item_code,
    itemVersion: r.item_version,
    name: r.name,
    itemType: r.item_type as ItemType,
    legalBasis: r.legal_basis,
    competentDepartmentKind: r.competent_department_kind,
    regionCode: r.region_code,
    department: { id: r.department_id, kind: r.department_kind, name: r.department_name },
    promisedDays: r.promised_days,
    caseType: r.case_type,
    onlineDepth: r.online_depth,
    visitsRequired: r.visits_required,
    fees: r.fees as Fee[],
    materials: r.materials as Material[],
    formSchema: r.form_schema as Record<string, unknown>,
    reviewPlan: r.review_plan as ReviewStage[],
    serviceHall: r.service_hall,
    officeHours: r.office_hours,
    consultPhone: r.consult_phone,
    complaintPhone: r.complaint_phone,
    version: r.version,
    status: r.status,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    publishedBy: r.published_by,
    publishedAt: iso(r.published_at),
  };
}

function toSummary(r: Awaited<ReturnType<typeof repo.listItemVersions>>[number]): VersionSummary {
  return {
    versionId: r.id,
    version: r.version,
    status: r.status,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    publishedBy: r.published_by,
    publishedAt: iso(r.published_at),
  };
}

// ---------------------------------------------------------------- service items

/** The content of an item version (what its hash covers), checked against reference data. */
export async function prepareItem(look: Lookups, input: DraftServiceItem) {
  const issues: FieldIssue[] = [];
  const implementingKind = input.implementingDepartmentKind ?? input.competentDepartmentKind;
  const competent = await look.department(HEBEI, input.competentDepartmentKind);
  if (!competent) issues.push({ path: 'competentDepartmentKind', message: `未知的部门类别 ${input.competentDepartmentKind}（省级无此部门）` });
  if (input.implementingDepartmentKind && !(await look.knownKind(input.implementingDepartmentKind))) {
    issues.push({ path: 'implementingDepartmentKind', message: `未知的部门类别 ${input.implementingDepartmentKind}` });
  }
  const certs = await look.certificateTypes();
  if (input.resultType !== null && !certs.has(input.resultType)) issues.push({ path: 'resultType', message: `未知的证照类型 ${input.resultType}` });
  if (input.powerCode !== null && !(await look.hasPower(input.powerCode))) {
    issues.push({ path: 'powerCode', message: `权责清单中没有已发布的权力事项 ${input.powerCode}` });
  }
  if (input.itemType === 'licensing' && input.statutoryDays === null) {
    // 行政许可法 art. 42: a licence always has a statutory period (20 working days unless a law says otherwise)
    issues.push({ path: 'statutoryDays', message: '行政许可应有法定时限（《中华人民共和国行政许可法》第四十二条：一般为20个工作日）' });
  }
  if (issues.length) return { issues } as const;
  const content = {
    name: input.name,
    item_type: input.itemType,
    applicant_kinds: [...input.applicantKinds].sort(),
    power_code: input.powerCode,
    legal_basis: input.legalBasis,
    set_at_level: input.setAtLevel,
    statutory_days: input.statutoryDays,
    result_type: input.resultType,
    competent_department_kind: input.competentDepartmentKind,
    competent_department_name: competent!.name,
    implementing_department_kind: implementingKind,
    conditions: input.conditions,
    quantity_limit: input.quantityLimit,
  };
  const search_vector = tsvectorLiteral([
    { text: input.name, weight: 'A' },
    { text: input.resultType ? (certs.get(input.resultType) ?? '') : '', weight: 'B' },
    { text: competent!.name, weight: 'C' },
    { text: input.legalBasis, weight: 'D' },
  ]);
  return { issues, content, search_vector, content_hash: contentHash(content) } as const;
}

export type PreparedItem = Awaited<ReturnType<typeof prepareItem>> & { content: object };

/**
 * Writes a new version of each item: drafts, or (seed and import) straight to published, the
 * previous version and older drafts superseded. One audit entry per version.
 */
export async function writeItemVersions(tx: Ctx, list: { input: DraftServiceItem; p: PreparedItem }[], publish: boolean): Promise<{ id: string; itemCode: string; version: number }[]> {
  if (list.length === 0) return [];
  const now = tx.now();
  const by = accountOf(tx);
  const stable = await repo.ensureItems(tx.db, list.map((x) => x.input.itemCode), now);
  if (publish) await repo.supersedeItems(tx.db, [...stable.values()].map((s) => s.id), now);
  const rows = list.map(({ input, p }) => {
    const s = stable.get(input.itemCode)!;
    return {
      ...p.content,
      id: randomUUID(),
      item_id: s.id,
      item_code: input.itemCode,
      version: s.version + 1,
      status: publish ? ('published' as const) : ('draft' as const),
      search_vector: p.search_vector,
      content_hash: p.content_hash,
      reason: input.reason,
      created_by: by,
      created_at: now,
      published_by: publish ? by : null,
      published_at: publish ? now : null,
    };
  });
  await repo.insertItemVersions(tx.db, rows);
  for (const r of rows) {
    await audit.record(tx, {
      action: publish ? 'catalogue.item.published' : 'catalogue.item.drafted',
      subject: { item: r.item_code, version: r.version },
      details: { reason: r.reason },
    });
  }
  return rows.map((r) => ({ id: r.id, itemCode: r.item_code, version: r.version }));
}

/** A catalogue_admin of the province drafts a new version of an item (a new item at version 1). */
export async function draftItem(ctx: Ctx, input: DraftServiceItem): Promise<ServiceItem> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx.actor, canCatalogue(tx.actor, 'standard.write', PROVINCE_SCOPE), '编辑省级政务服务事项标准');
    const p = await prepareItem(new Lookups(tx), input);
    if (!p.content) fail(p.issues);
    await checkItemDraft(tx, { itemCode: input.itemCode, name: input.name, legalBasis: input.legalBasis, justification: input.justification });
    const [r] = await writeItemVersions(tx, [{ input, p }], false);
    return toItem((await repo.findItemVersionById(tx.db, r!.id))!);
  });
}

/** Publishes a draft: it becomes the current version; the previous one is superseded. */
export async function publishItem(ctx: Ctx, input: { itemCode: string; version: number }): Promise<ServiceItem> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx.actor, canCatalogue(tx.actor, 'standard.write', PROVINCE_SCOPE), '发布省级政务服务事项标准');
    const item = await repo.lockItem(tx.db, input.itemCode);
    const row = item && (await repo.findItemVersion(tx.db, input.itemCode, input.version));
    if (!item || !row) throw new AppError('NOT_FOUND', `事项 ${input.itemCode} 没有第 ${input.version} 版`);
    if (row.status !== 'draft') {
      throw new AppError('INVALID_STATE_TRANSITION', `事项 ${input.itemCode} 第 ${input.version} 版${row.status === 'published' ? '已发布' : '已被取代'}，只能发布草稿`, { status: row.status });
    }
    await repo.publishItemVersion(tx.db, item.id, input.version, accountOf(tx), tx.now());
    await audit.record(tx, { action: 'catalogue.item.published', subject: { item: input.itemCode, version: input.version } });
    return toItem((await repo.findItemVersion(tx.db, input.itemCode, input.version))!);
  });
}

/** The current standard of an item with every region's current implementation. Public. */
export async function getItem(ctx: Ctx, itemCode: string): Promise<ItemDetail> {
  const row = await repo.currentItem(ctx.db, itemCode);
  if (!row) throw new AppError('NOT_FOUND', `事项 ${itemCode} 不存在或尚未发布`);
  const impls = await repo.currentImplementationsOfItem(ctx.db, row.item_id);
  return { item: toItem(row), implementations: impls.map(toImplementation) };
}

/** The version history of an item, drafts included (catalogue staff). */
export async function listItemVersions(ctx: Ctx, itemCode: string): Promise<VersionSummary[]> {
  requireAccess(ctx.actor, canCatalogue(ctx.actor, 'drafts.read', PROVINCE_SCOPE), '查看事项的版本记录');
  const rows = await repo.listItemVersions(ctx.db, itemCode);
  if (rows.length === 0) throw new AppError('NOT_FOUND', `事项 ${itemCode} 不存在`);
  return rows.map(toSummary);
}

/** One version of an item, draft or not (catalogue staff; a case reads the version it was filed under). */
export async function getItemVersion(ctx: Ctx, itemCode: string, version: number): Promise<ServiceItem> {
  const row = await repo.findItemVersion(ctx.db, itemCode, version);
  if (!row) throw new AppError('NOT_FOUND', `事项 ${itemCode} 没有第 ${version} 版`);
  if (row.status === 'draft') requireAccess(ctx.actor, canCatalogue(ctx.actor, 'drafts.read', PROVINCE_SCOPE), '查看事项草稿');
  return toItem(row);
}

// ---------------------------------------------------------------- implementations

/** The six unified elements an implementation copies from its item version (四级四同). */
export function unifiedElements(item: ItemRow) {
  return {
    item_version: item.version,
    name: item.name,
    item_type: item.item_type,
    legal_basis: item.legal_basis,
    competent_department_kind: item.competent_department_kind,
    implementing_department_kind: item.implementing_department_kind,
  };
}

export interface ReadyImplementation {
  issues: FieldIssue[];
  item: ItemRow;
  path: string[];
  dept: Department;
  content: ReturnType<typeof unifiedElements> & {
    promised_days: number;
    case_type: 'instant' | 'promised';
    online_depth: number;
    visits_required: number;
    fees: Fee[];
    materials: Material[];
    form_schema: Record<string, unknown>;
    review_plan: ReviewStage[];
    service_hall: string;
    office_hours: string;
    consult_phone: string;
    complaint_phone: string;
  };
  content_hash: string;
}

/**
 * Resolves an implementation against its item and region: its department, the unified elements
 * it copies and its content hash. Without an item, region or implementing department there is
 * nothing more to say: `{ issues }` alone.
 */
export async function resolveImplementation(look: Lookups, input: DraftImplementation): Promise<ReadyImplementation | { issues: FieldIssue[] }> {
  const item = await look.currentItem(input.itemCode);
  if (!item) return { issues: [{ path: 'itemCode', message: `事项 ${input.itemCode} 不存在或尚未发布` }] };
  const path = await look.regionPath(input.regionCode);
  if (!path) return { issues: [{ path: 'regionCode', message: `行政区划 ${input.regionCode} 不存在` }] };
  const dept = await look.department(input.regionCode, item.implementing_department_kind);
  if (!dept) {
    return { issues: [{ path: 'regionCode', message: `${input.regionCode} 没有实施机关（${item.implementing_department_kind} 类部门）` }] };
  }
  const content = {
    ...unifiedElements(item),
    promised_days: input.promisedDays,
    case_type: input.caseType,
    online_depth: input.onlineDepth,
    visits_required: input.visitsRequired,
    fees: input.fees,
    materials: input.materials,
    form_schema: withFieldOrder(input.formSchema),
    review_plan: input.reviewPlan,
    service_hall: input.serviceHall,
    office_hours: input.officeHours,
    consult_phone: input.consultPhone,
    complaint_phone: input.complaintPhone,
  };
  return { issues: [], item, path, dept, content, content_hash: contentHash({ ...content, department_id: dept.id }) };
}

/** The rules an implementation must meet: time limits, materials, form, review plan. */
export async function implementationIssues(look: Lookups, p: ReadyImplementation, input: DraftImplementation): Promise<FieldIssue[]> {
  const statutory = p.item.statutory_days;
  // a Pilot is asked only when the promise exceeds the law, so a large import pays nothing for it
  const allowed = statutory !== null && input.promisedDays > statutory ? await pilotAllowedDays(look.ctx, { itemCode: p.item.item_code, regionPath: p.path }) : null;
  const issues: FieldIssue[] = [
    ...promisedDaysIssues({ statutoryDays: statutory, promisedDays: input.promisedDays, caseType: input.caseType }, allowed),
    ...materialIssues(input.materials, new Set((await look.certificateTypes()).keys())),
    ...formSchemaIssues(input.formSchema),
  ];
  const kinds = new Map<string, boolean>();
  for (const k of new Set(input.reviewPlan.flatMap((s) => s.steps.map((x) => x.departmentKind)))) {
    kinds.set(k, (await look.nearestDepartment(p.path, k)) !== null);
  }
  issues.push(...reviewPlanIssues(input.reviewPlan, input.promisedDays, (k) => kinds.get(k) ?? false));
  return issues;
}

/** Writes a new version of each checked implementation (access already decided by the caller). */
export async function writeImplementationVersions(tx: Ctx, list: { p: ReadyImplementation; reason: string }[], publish: boolean): Promise<{ id: string; implementationId: string; version: number }[]> {
  if (list.length === 0) return [];
  const now = tx.now();
  const by = accountOf(tx);
  const key = (p: ReadyImplementation) => `${p.item.item_id}/${p.dept.regionCode}/${p.dept.id}`;
  const stable = await repo.ensureImplementations(tx.db, list.map(({ p }) => ({ item_id: p.item.item_id, region_code: p.dept.regionCode, department_id: p.dept.id })), now);
  if (publish) await repo.supersedeImplementations(tx.db, [...stable.values()].map((s) => s.id), now);
  const rows = list.map(({ p, reason }) => {
    const s = stable.get(key(p))!;
    const c = p.content;
    return {
      ...c,
      fees: JSON.stringify(c.fees),
      materials: JSON.stringify(c.materials),
      form_schema: JSON.stringify(c.form_schema),
      review_plan: JSON.stringify(c.review_plan),
      id: randomUUID(),
      implementation_id: s.id,
      version: s.version + 1,
      status: publish ? ('published' as const) : ('draft' as const),
      item_id: p.item.item_id,
      item_code: p.item.item_code,
      region_code: p.dept.regionCode,
      region_path: p.path,
      department_id: p.dept.id,
      department_kind: p.dept.kind,
      department_name: p.dept.name,
      content_hash: p.content_hash,
      reason,
      created_by: by,
      created_at: now,
      published_by: publish ? by : null,
      published_at: publish ? now : null,
    };
  });
  await repo.insertImplementationVersions(tx.db, rows);
  for (const r of rows) {
    await audit.record(tx, {
      action: publish ? 'catalogue.implementation.published' : 'catalogue.implementation.drafted',
      subject: { implementation: r.implementation_id, version: r.version },
      details: { item: r.item_code, region: r.region_code, department: r.department_id, reason: r.reason },
    });
  }
  return rows.map((r) => ({ id: r.id, implementationId: r.implementation_id, version: r.version }));
}

/**
 * A department drafts its implementation of an item (its head, or a catalogue_admin over the
 * region). The six unified elements are copied from the item's current version, never taken
 * from the input.
 */
export async function draftImplementation(ctx: Ctx, input: DraftImplementation): Promise<Implementation> {
  return inTransaction(ctx, async (tx) => {
    const look = new Lookups(tx);
    const p = await resolveImplementation(look, input);
    if (!('content' in p)) fail(p.issues);
    requireAccess(tx.actor, canCatalogue(tx.actor, 'implementation.write', { regionPath: p.path, departmentId: p.dept.id }), `编辑 ${p.dept.name} 的实施清单`);
    const issues = await implementationIssues(look, p, input);
    if (issues.length) fail(issues);
    const [r] = await writeImplementationVersions(tx, [{ p, reason: input.reason }], false);
    return toImplementation((await repo.findImplementationVersionById(tx.db, r!.id))!);
  });
}

/**
 * Publishes an implementation draft. Refused when the item's standard has changed since the draft
 * was written: the draft would publish outdated unified elements.
 */
export async function publishImplementation(ctx: Ctx, input: { id: string; version: number }): Promise<Implementation> {
  return inTransaction(ctx, async (tx) => {
    const stable = await repo.lockImplementation(tx.db, input.id);
    const row = stable && (await repo.findImplementationVersion(tx.db, input.id, input.version));
    if (!stable || !row) throw new AppError('NOT_FOUND', `实施清单 ${input.id} 没有第 ${input.version} 版`);
    const path = row.region_path;
    requireAccess(tx.actor, canCatalogue(tx.actor, 'implementation.write', { regionPath: path, departmentId: row.department_id }), `发布 ${row.department_name} 的实施清单`);
    if (row.status !== 'draft') {
      throw new AppError('INVALID_STATE_TRANSITION', `实施清单第 ${input.version} 版${row.status === 'published' ? '已发布' : '已被取代'}，只能发布草稿`, { status: row.status });
    }
    const item = await repo.currentItem(tx.db, row.item_code);
    if (!item || item.version !== row.item_version) {
      throw new AppError('PRECONDITION_FAILED', `事项标准已更新为第 ${item?.version ?? '-'} 版，请基于新版本重新起草实施清单`, { itemVersion: item?.version ?? null, draftItemVersion: row.item_version });
    }
    await repo.publishImplementationVersion(tx.db, input.id, input.version, accountOf(tx), tx.now());
    await audit.record(tx, {
      action: 'catalogue.implementation.published',
      subject: { implementation: input.id, version: input.version },
      details: { item: row.item_code, region: row.region_code, department: row.department_id },
    });
    return toImplementation((await repo.findImplementationVersion(tx.db, input.id, input.version))!);
  });
}

/** An implementation's current version. Public. */
export async function getImplementation(ctx: Ctx, id: string): Promise<Implementation> {
  const row = await repo.currentImplementation(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', `实施清单 ${id} 不存在或尚未发布`);
  return toImplementation(row);
}

/** One implementation version by its id (what a case points at). Drafts for staff only. */
export async function getImplementationVersion(ctx: Ctx, versionId: string): Promise<Implementation> {
  const row = await repo.findImplementationVersionById(ctx.db, versionId);
  if (!row) throw new AppError('NOT_FOUND', `实施清单版本 ${versionId} 不存在`);
  if (row.status === 'draft') requireAccess(ctx.actor, canCatalogue(ctx.actor, 'drafts.read', { regionPath: row.region_path }), '查看实施清单草稿');
  return toImplementation(row);
}

export async function listImplementationVersions(ctx: Ctx, id: string): Promise<VersionSummary[]> {
  requireAccess(ctx.actor, canCatalogue(ctx.actor, 'drafts.read', PROVINCE_SCOPE), '查看实施清单的版本记录');
  const rows = await repo.listImplementationVersions(ctx.db, id);
  if (rows.length === 0) throw new AppError('NOT_FOUND', `实施清单 ${id} 不存在`);
  return rows.map(toSummary);
}

// ---------------------------------------------------------------- the guide (办事指南)

/**
 * The 办事指南 for an applicant in `region`: the implementation of that region, or of the nearest
 * level above it that implements the item. Public (十公开).
 */
export async function getGuide(ctx: Ctx, itemCode: string, region: string): Promise<Guide> {
  const item = await repo.currentItem(ctx.db, itemCode);
  if (!item) throw new AppError('NOT_FOUND', `事项 ${itemCode} 不存在或尚未发布`);
  const path = await regionPath(ctx, region);
  const impl = await repo.nearestImplementation(ctx.db, item.item_id, path);
  if (!impl) throw new AppError('NOT_FOUND', `${region} 及其上级均未实施事项 ${itemCode}`);
  const look = new Lookups(ctx);
  const plan = impl.review_plan as ReviewStage[];
  const stages = [];
  for (const stage of plan) {
    const parallel = [];
    for (const s of stage.steps) {
      const d = await look.nearestDepartment(impl.region_path, s.departmentKind);
      parallel.push({ department: d?.name ?? s.departmentKind, name: s.name, days: s.days });
    }
    stages.push({ name: stage.name, parallel });
  }
  const window = { department: impl.department_name, name: impl.case_type === 'instant' ? '受理并当场办结' : '受理', days: 0 };
  const procedure = [
    { name: '申请', parallel: [{ department: impl.department_name, name: '申请人提交申请（网上或窗口）', days: 0 }] },
    { name: '受理', parallel: [window] },
    ...(impl.case_type === 'instant' ? [] : stages),
    { name: '办结', parallel: [{ department: impl.department_name, name: '作出决定并送达（统一窗口出件）', days: 0 }] },
  ].map((s, i) => ({ order: i + 1, ...s }));
  return {
    itemCode: item.item_code,
    name: impl.name,
    itemType: impl.item_type as ItemType,
    itemTypeName: ITEM_TYPES[impl.item_type as ItemType].name,
    applicantKinds: item.applicant_kinds as Guide['applicantKinds'],
    legalBasis: impl.legal_basis,
    conditions: item.conditions,
    quantityLimit: item.quantity_limit,
    procedure,
    materials: (impl.materials as Material[]).map((m) => ({ ...m, formName: MATERIAL_FORM_NAMES[m.form] })),
    promisedDays: impl.promised_days,
    statutoryDays: item.statutory_days,
    caseType: impl.case_type,
    onlineDepth: impl.online_depth,
    visitsRequired: impl.visits_required,
    fees: impl.fees as Fee[],
    resultType: item.result_type ? { code: item.result_type, name: item.result_type_name ?? item.result_type } : null,
    consultPhone: impl.consult_phone,
    complaintPhone: impl.complaint_phone,
    serviceHall: impl.service_hall,
    officeHours: impl.office_hours,
    department: { id: impl.department_id, kind: impl.department_kind, name: impl.department_name },
    regionCode: impl.region_code,
    requestedRegion: region,
    formSchema: impl.form_schema as Record<string, unknown>,
    implementationId: impl.implementation_id,
    implementationVersionId: impl.id,
    implementationVersion: impl.version,
    pilot: (await pilotsFor(ctx, { itemCode: item.item_code, regionPath: impl.region_path }))[0] ?? null,
  };
}

// ---------------------------------------------------------------- powers (权责清单)

export async function preparePower(look: Lookups, input: DraftPower) {
  const issues: FieldIssue[] = [];
  if (!(await look.knownKind(input.competentDepartmentKind))) {
    issues.push({ path: 'competentDepartmentKind', message: `未知的部门类别 ${input.competentDepartmentKind}` });
  }
  const content = { name: input.name, power_type: input.powerType, legal_basis: input.legalBasis, competent_department_kind: input.competentDepartmentKind };
  return { issues, content, content_hash: contentHash(content) };
}

export async function writePowerVersions(tx: Ctx, list: { input: DraftPower; p: Awaited<ReturnType<typeof preparePower>> }[], publish: boolean): Promise<{ code: string; version: number }[]> {
  if (list.length === 0) return [];
  const now = tx.now();
  const by = accountOf(tx);
  const codes = list.map((x) => x.input.code);
  const max = await repo.maxPowerVersions(tx.db, codes);
  if (publish) await repo.supersedePowers(tx.db, codes, now);
  const rows = list.map(({ input, p }) => ({
    ...p.content,
    code: input.code,
    version: (max.get(input.code) ?? 0) + 1,
    status: publish ? ('published' as const) : ('draft' as const),
    content_hash: p.content_hash,
    reason: input.reason,
    created_by: by,
    created_at: now,
    published_by: publish ? by : null,
    published_at: publish ? now : null,
  }));
  await repo.insertPowers(tx.db, rows);
  for (const r of rows) {
    await audit.record(tx, { action: publish ? 'catalogue.power.published' : 'catalogue.power.drafted', subject: { power: r.code, version: r.version }, details: { reason: r.reason } });
  }
  return rows.map((r) => ({ code: r.code, version: r.version }));
}

/** A catalogue_admin of the province records a power of the 权责清单 and publishes it. */
export async function savePower(ctx: Ctx, input: DraftPower): Promise<{ code: string; version: number }> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx.actor, canCatalogue(tx.actor, 'standard.write', PROVINCE_SCOPE), '编辑权责清单');
    const p = await preparePower(new Lookups(tx), input);
    if (p.issues.length) fail(p.issues);
    const [r] = await writePowerVersions(tx, [{ input, p }], true);
    return r!;
  });
}

// ---------------------------------------------------------------- life events (一件事一次办)

export async function prepareLifeEvent(tx: Ctx, input: DraftLifeEvent) {
  const issues: FieldIssue[] = [...formSchemaIssues(input.formSchema)];
  const items = await repo.currentItems(tx.db, input.itemCodes);
  const known = new Set(items.map((i) => i.item_code));
  input.itemCodes.forEach((c, i) => {
    if (!known.has(c)) issues.push({ path: `itemCodes.${i}`, message: `事项 ${c} 不存在或尚未发布` });
  });
  const fields = new Set(formFields(input.formSchema));
  for (const [field, targets] of Object.entries(input.fieldMap)) {
    if (!fields.has(field)) issues.push({ path: `fieldMap.${field}`, message: `一表申请的表单中没有字段 ${field}` });
    targets.forEach((t, i) => {
      if (!input.itemCodes.includes(t.itemCode)) issues.push({ path: `fieldMap.${field}.${i}.itemCode`, message: `事项 ${t.itemCode} 不在本一件事中` });
    });
  }
  const content = {
    name: input.name,
    description: input.description,
    item_codes: input.itemCodes,
    form_schema: withFieldOrder(input.formSchema),
    field_map: input.fieldMap,
  };
  return { issues, content, content_hash: contentHash(content) };
}

export async function writeLifeEventVersion(tx: Ctx, input: DraftLifeEvent, publish: boolean): Promise<{ issues: FieldIssue[] } | { version: number }> {
  const p = await prepareLifeEvent(tx, input);
  if (p.issues.length) return { issues: p.issues };
  const now = tx.now();
  const version = await repo.nextLifeEventVersion(tx.db, input.code);
  const by = accountOf(tx);
  await repo.insertLifeEvent(tx.db, {
    ...p.content,
    form_schema: JSON.stringify(p.content.form_schema),
    field_map: JSON.stringify(p.content.field_map),
    code: input.code,
    version,
    status: 'draft',
    content_hash: p.content_hash,
    reason: input.reason,
    created_by: by,
    created_at: now,
  });
  if (publish) await repo.publishLifeEvent(tx.db, input.code, version, by, now);
  await audit.record(tx, { action: publish ? 'catalogue.life_event.published' : 'catalogue.life_event.drafted', subject: { lifeEvent: input.code, version }, details: { reason: input.reason } });
  return { version };
}

/** A catalogue_admin of the province defines a life event and publishes it. */
export async function saveLifeEvent(ctx: Ctx, input: DraftLifeEvent): Promise<LifeEvent> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx.actor, canCatalogue(tx.actor, 'standard.write', PROVINCE_SCOPE), '编辑一件事一次办');
    const r = await writeLifeEventVersion(tx, input, true);
    if ('issues' in r) fail(r.issues);
    return getLifeEvent(tx, input.code);
  });
}

type LifeEventRow = Awaited<ReturnType<typeof repo.publishedLifeEvents>>[number];

async function toLifeEvents(ctx: Ctx, rows: LifeEventRow[]): Promise<LifeEvent[]> {
  const items = new Map((await repo.currentItems(ctx.db, [...new Set(rows.flatMap((r) => r.item_codes))])).map((i) => [i.item_code, i]));
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    description: r.description,
    items: r.item_codes.flatMap((c) => {
      const i = items.get(c);
      return i ? [{ itemCode: c, name: i.name, department: i.competent_department_name, departmentKind: i.competent_department_kind }] : [];
    }),
    formSchema: r.form_schema as Record<string, unknown>,
    fieldMap: r.field_map as LifeEvent['fieldMap'],
    version: r.version,
    status: r.status,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    publishedBy: r.published_by,
    publishedAt: iso(r.published_at),
  }));
}

export async function listLifeEvents(ctx: Ctx): Promise<LifeEvent[]> {
  return toLifeEvents(ctx, await repo.publishedLifeEvents(ctx.db));
}

export async function getLifeEvent(ctx: Ctx, code: string): Promise<LifeEvent> {
  const row = await repo.findPublishedLifeEvent(ctx.db, code);
  if (!row) throw new AppError('NOT_FOUND', `一件事 ${code} 不存在或尚未发布`);
  return (await toLifeEvents(ctx, [row]))[0]!;
}
