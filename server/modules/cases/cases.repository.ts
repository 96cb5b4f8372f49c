import { sql, type Kysely, type Insertable } from 'kysely';
import type { DB, CasesTable, CaseStepsTable } from '../../db/schema.js';

type Q = Kysely<DB>;

const CASE_COLUMNS = [
  'cases.id',
  'cases.case_no',
  'cases.query_code',
  'cases.item_code',
  'cases.item_name',
  'cases.implementation_version_id',
  'cases.implementation_version',
  'cases.region_code',
  'cases.department_id',
  'cases.applicant_account_id',
  'cases.applicant_kind',
  'cases.applicant_name',
  'cases.filed_by',
  'cases.channel',
  'cases.status',
  'cases.decision',
  'cases.decision_reason',
  'cases.decision_basis',
  'cases.form',
  'cases.promised_days',
  'cases.submitted_at',
  'cases.intake_deadline',
  'cases.accepted_at',
  'cases.deadline',
  'cases.paused_since',
  'cases.concluded_at',
  'cases.bounces',
  'cases.escalated_at',
  'cases.life_event_application_id',
  'cases.owed',
  'cases.version',
] as const;

function caseQuery(db: Q) {
  return db
    .selectFrom('cases')
    .innerJoin('departments', 'departments.id', 'cases.department_id')
    .innerJoin('regions', 'regions.code', 'cases.region_code')
    .select(CASE_COLUMNS)
    .select(['departments.name as department_name', 'regions.path as region_path']);
}

export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

export function findCase(db: Q, caseNo: string) {
  return caseQuery(db).where('cases.case_no', '=', caseNo).executeTakeFirst();
}

/** Loads and locks the case row: two officers acting at once are serialised here, one after the other. */
export function lockCase(db: Q, caseNo: string) {
  return caseQuery(db).where('cases.case_no', '=', caseNo).forUpdate('cases').executeTakeFirst();
}

export async function nextCaseSerial(db: Q): Promise<number> {
  const r = await sql<{ n: number }>`SELECT nextval('case_no_seq')::int8 AS n`.execute(db);
  return r.rows[0]!.n;
}

export function insertCase(db: Q, values: Insertable<CasesTable>) {
  return db.insertInto('cases').values(values).returning('id').executeTakeFirstOrThrow();
}

export function updateCase(db: Q, id: string, set: Partial<Record<keyof CasesTable, unknown>>) {
  return db
    .updateTable('cases')
    .set({ ...(set as object), version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}

export function insertSteps(db: Q, rows: Insertable<CaseStepsTable>[]) {
  return rows.length ? db.insertInto('case_steps').values(rows).execute() : Promise.resolve([]);
}

export function stepsOf(db: Q, caseId: string) {
  return db
    .selectFrom('case_steps')
    .innerJoin('departments', 'departments.id', 'case_steps.department_id')
    .leftJoin('accounts', 'accounts.id', 'case_steps.claimed_by')
    .select([
      'case_steps.id',
      'case_steps.stage',
      'case_steps.key',
      'case_steps.name',
      'case_steps.department_id',
      'case_steps.days',
      'case_steps.status',
      'case_steps.claimed_by',
      'case_steps.started_at',
      'case_steps.deadline',
      'case_steps.finished_at',
      'case_steps.transfers',
      'departments.name as department_name',
      'accounts.name as claimed_by_name',
    ])
    .where('case_steps.case_id', '=', caseId)
    .orderBy('case_steps.stage')
    .orderBy('case_steps.key')
    .execute();
}

export type StepRow = Awaited<ReturnType<typeof stepsOf>>[number];

export function updateStep(db: Q, id: string, set: Partial<Record<keyof CaseStepsTable, unknown>>) {
  return db.updateTable('case_steps').set(set as object).where('id', '=', id).execute();
}

export function materialsOf(db: Q, caseId: string) {
  return db
    .selectFrom('case_materials')
    .select(['material_id', 'name', 'source', 'upload_id', 'reference'])
    .where('case_id', '=', caseId)
    .orderBy('material_id')
    .execute();
}

/** The timeline, with the acting account's name (officers are named: 谁办理、谁负责). */
export function eventsOf(db: Q, caseId: string) {
  return db
    .selectFrom('case_events')
    .leftJoin('accounts', (j) => j.on(sql`accounts.id::text`, '=', sql`case_events.actor->>'account'`))
    .select(['case_events.at', 'case_events.actor', 'case_events.action', 'case_events.step_key', 'case_events.from_status', 'case_events.to_status', 'case_events.details', 'accounts.name as actor_name'])
    .where('case_events.case_id', '=', caseId)
    .orderBy('case_events.id')
    .execute();
}

export function insertEvent(
  db: Q,
  e: { case_id: string; at: Date; actor: unknown; action: string; step_key?: string | null; from_status: string | null; to_status: string; details?: unknown },
) {
  return db
    .insertInto('case_events')
    .values({ ...e, step_key: e.step_key ?? null, actor: JSON.stringify(e.actor), details: JSON.stringify(e.details ?? {}) })
    .execute();
}
