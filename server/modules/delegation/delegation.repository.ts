import { sql, type Insertable, type Kysely } from 'kysely';
import type { DB, DelegationsTable, FaultToleranceRecordsTable, PilotsTable, TakeoverTasksTable } from '../../db/schema.js';

type Q = Kysely<DB>;

// ── orders ─────────────────────────────────────────────────────────────────────────────────

export function insertDelegation(db: Q, v: Insertable<DelegationsTable>) {
  return db.insertInto('delegations').values(v).returning('id').executeTakeFirstOrThrow();
}

export async function insertDelegationItems(db: Q, rows: { delegation_id: string; item_code: string; item_name: string; power_code: string | null }[]): Promise<void> {
  if (rows.length) await db.insertInto('delegation_items').values(rows).execute();
}

export async function insertTasks(db: Q, rows: Insertable<TakeoverTasksTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('takeover_tasks').values(rows).execute();
}

export async function insertCancelled(db: Q, rows: Insertable<DB['cancelled_items']>[]): Promise<void> {
  if (rows.length) await db.insertInto('cancelled_items').values(rows).execute();
}

function delegationQuery(db: Q) {
  return db
    .selectFrom('delegations as d')
    .innerJoin('regions as r', 'r.code', 'd.from_region')
    .select([
      'd.id',
      'd.document_no',
      'd.title',
      'd.mode',
      'd.from_region',
      'd.receiving_regions',
      'd.powers',
      'd.effective_date',
      'd.created_by',
      'd.created_at',
      'r.name as from_name',
      'r.level as from_level',
      (eb) => eb.selectFrom('takeover_tasks as t').whereRef('t.delegation_id', '=', 'd.id').select((e) => e.fn.countAll<number>().as('n')).as('tasks'),
      (eb) =>
        eb
          .selectFrom('takeover_tasks as t')
          .whereRef('t.delegation_id', '=', 'd.id')
          .where('t.status', '=', 'confirmed')
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('confirmed'),
    ]);
}

export type DelegationRow = NonNullable<Awaited<ReturnType<typeof findDelegation>>>;

export function findDelegation(db: Q, id: string) {
  return delegationQuery(db).where('d.id', '=', id).executeTakeFirst();
}

/** Orders issued in `region` or below, or with a receiving unit there or below; newest first. */
export function listDelegations(db: Q, region: string | undefined, limit: number, offset: number) {
  let q = delegationQuery(db);
  if (region !== undefined) {
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`r.path @> ARRAY[${region}]::text[]`,
        eb.exists(eb.selectFrom('takeover_tasks as t').whereRef('t.delegation_id', '=', 'd.id').where(sql<boolean>`t.region_path @> ARRAY[${region}]::text[]`).select('t.id')),
      ]),
    );
  }
  return q
    .select(sql<number>`count(*) OVER ()`.as('total'))
    .orderBy('d.effective_date', 'desc')
    .orderBy('d.created_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export function itemsOf(db: Q, delegationIds: string[]) {
  if (delegationIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('delegation_items').selectAll().where('delegation_id', 'in', delegationIds).orderBy('item_code').execute();
}

function taskQuery(db: Q) {
  return db
    .selectFrom('takeover_tasks as t')
    .innerJoin('delegations as d', 'd.id', 't.delegation_id')
    .innerJoin('delegation_items as i', (j) => j.onRef('i.delegation_id', '=', 't.delegation_id').onRef('i.item_code', '=', 't.item_code'))
    .innerJoin('regions as r', 'r.code', 't.region_code')
    .leftJoin('departments as dep', (j) => j.onRef('dep.region_code', '=', 't.region_code').onRef('dep.kind', '=', 't.department_kind'))
    .select([
      't.id',
      't.delegation_id',
      't.region_code',
      't.item_code',
      't.department_kind',
      't.handover_deadline',
      't.listing_deadline',
      't.status',
      't.confirmed_by',
      't.confirmed_at',
      't.department_id',
      't.implementation_version_id',
      'i.item_name',
      'r.name as region_name',
      'r.level',
      'r.parent_code',
      'dep.id as dept_id',
      'dep.name as dept_name',
      'd.document_no',
      'd.title',
      'd.mode',
      'd.effective_date',
    ]);
}

export type TaskRow = Awaited<ReturnType<typeof tasksOf>>[number];

export function tasksOf(db: Q, delegationId: string) {
  return taskQuery(db).where('t.delegation_id', '=', delegationId).orderBy('t.region_code').orderBy('t.item_code').execute();
}

/** Every takeOver task received in `region` or below. */
export function tasksUnder(db: Q, region: string) {
  return taskQuery(db).where(sql<boolean>`t.region_path @> ARRAY[${region}]::text[]`).orderBy('t.region_code').orderBy('t.item_code').execute();
}

/** The (region, item) pairs received by any order in these regions: where an item has moved to. */
export function receivedIn(db: Q, regions: string[]) {
  if (regions.length === 0) return Promise.resolve([]);
  return db.selectFrom('takeover_tasks').select(['region_code', 'item_code']).distinct().where('region_code', 'in', regions).execute();
}

export function findTask(db: Q, delegationId: string, taskId: string) {
  return taskQuery(db).where('t.delegation_id', '=', delegationId).where('t.id', '=', taskId).executeTakeFirst();
}

/** Locks the task so two confirmations cannot both pass. */
export function lockTask(db: Q, taskId: string) {
  return db.selectFrom('takeover_tasks').select(['id', 'status']).where('id', '=', taskId).forUpdate().executeTakeFirst();
}

export async function confirmTask(db: Q, taskId: string, v: { confirmed_by: string | null; confirmed_at: Date; department_id: string; implementation_version_id: string }): Promise<void> {
  await db.updateTable('takeover_tasks').set({ ...v, status: 'confirmed' }).where('id', '=', taskId).where('status', '=', 'pending').execute();
}

// ── cancelled items ────────────────────────────────────────────────────────────────────────

function cancelledQuery(db: Q) {
  return db
    .selectFrom('cancelled_items as c')
    .innerJoin('delegations as d', 'd.id', 'c.delegation_id')
    .innerJoin('regions as r', 'r.code', 'd.from_region')
    .leftJoin('departments as dep', (j) => j.onRef('dep.region_code', '=', 'd.from_region').onRef('dep.kind', '=', 'c.competent_department_kind'))
    .select([
      'c.item_code',
      'c.delegation_id',
      'c.name',
      'c.legal_basis',
      'c.competent_department_kind',
      'c.effective_date',
      'c.supervision_entry',
      'c.supervision_recorded_at',
      'd.document_no',
      'd.title',
      'd.from_region',
      'r.name as region_name',
      'r.level',
      'r.parent_code',
      'dep.name as dept_name',
    ]);
}

export type CancelledRow = Awaited<ReturnType<typeof allCancelled>>[number];

export function cancelledOf(db: Q, delegationId: string) {
  return cancelledQuery(db).where('c.delegation_id', '=', delegationId).orderBy('c.item_code').execute();
}

export function allCancelled(db: Q) {
  return cancelledQuery(db).orderBy('c.item_code').execute();
}

/** Cancelled by an order of `region` or a region below it. */
export function cancelledUnder(db: Q, region: string) {
  return cancelledQuery(db).where(sql<boolean>`r.path @> ARRAY[${region}]::text[]`).orderBy('c.item_code').execute();
}

// ── item links ─────────────────────────────────────────────────────────────────────────────

export function insertLink(db: Q, v: Insertable<DB['item_links']>) {
  return db.insertInto('item_links').values(v).onConflict((oc) => oc.columns(['item_code', 'prerequisite_code']).doNothing()).returning('item_code').executeTakeFirst();
}

export function listLinks(db: Q, itemCode?: string) {
  let q = db.selectFrom('item_links').select(['item_code', 'prerequisite_code', 'basis']);
  if (itemCode !== undefined) q = q.where((eb) => eb.or([eb('item_code', '=', itemCode), eb('prerequisite_code', '=', itemCode)]));
  return q.orderBy('item_code').orderBy('prerequisite_code').execute();
}

// ── pilots ─────────────────────────────────────────────────────────────────────────────────

const PILOT_COLUMNS = [
  'p.id',
  'p.region_code',
  'p.item_codes',
  'p.kind',
  'p.description',
  'p.legal_basis',
  'p.start_date',
  'p.expiry',
  'p.approved_by',
  'p.allowed_days',
  'p.created_by',
  'p.created_at',
  'r.name as region_name',
  'r.path as region_path',
] as const;

export type PilotRow = NonNullable<Awaited<ReturnType<typeof findPilot>>>;

export function insertPilot(db: Q, v: Insertable<PilotsTable>) {
  return db.insertInto('pilots').values(v).returning('id').executeTakeFirstOrThrow();
}

export function findPilot(db: Q, id: string) {
  return db.selectFrom('pilots as p').innerJoin('regions as r', 'r.code', 'p.region_code').select(PILOT_COLUMNS).where('p.id', '=', id).executeTakeFirst();
}

/** Pilots of `region` and below, newest first. */
export function pilotsUnder(db: Q, region: string) {
  return db
    .selectFrom('pilots as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select(PILOT_COLUMNS)
    .where(sql<boolean>`r.path @> ARRAY[${region}]::text[]`)
    .orderBy('p.start_date', 'desc')
    .orderBy('p.created_at', 'desc')
    .execute();
}

/** Pilots in force on `today` for an item in a region of `path`: the deepest region first, then the latest. */
export function pilotsInForce(db: Q, itemCode: string, path: readonly string[], today: string) {
  return db
    .selectFrom('pilots as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select(PILOT_COLUMNS)
    .where('p.region_code', 'in', [...path])
    .where(sql<boolean>`p.item_codes @> ARRAY[${itemCode}]::text[]`)
    .where('p.start_date', '<=', today)
    .where('p.expiry', '>=', today)
    .orderBy(sql`array_position(${sql.val([...path])}::text[], p.region_code)`, 'desc')
    .orderBy('p.start_date', 'desc')
    .orderBy('p.created_at', 'desc')
    .execute();
}

export function insertFaultRecord(db: Q, v: Insertable<FaultToleranceRecordsTable>) {
  return db.insertInto('fault_tolerance_records').values(v).returningAll().executeTakeFirstOrThrow();
}

export type FaultRow = Awaited<ReturnType<typeof faultRecordsOf>>[number];

export function faultRecordsOf(db: Q, pilotIds: string[]) {
  if (pilotIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('fault_tolerance_records').selectAll().where('pilot_id', 'in', pilotIds).orderBy('recorded_at').execute();
}
