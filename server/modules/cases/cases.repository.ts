import { sql, type Kysely, type Insertable, type RawBuilder } from 'kysely';
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

// ------------------------------------------------------------------ the whole case in one statement

export interface MaterialRow {
  material_id: string;
  name: string;
  source: string;
  upload_id: string | null;
  reference: string | null;
}

export interface EventRow {
  at: Date;
  actor: unknown;
  action: string;
  step_key: string | null;
  from_status: string | null;
  to_status: string;
  details: unknown;
  actor_name: string | null;
}

/** A case with everything its answer shows: steps (stage, key), materials (id) and timeline (id), as the reads above order them. */
export interface CaseState {
  row: CaseRow;
  steps: StepRow[];
  materials: MaterialRow[];
  events: EventRow[];
  /** The acting account's name (for the timeline and a claim), null for the console and systems. */
  myName: string | null;
}

const STATE_CASE_COLUMNS = CASE_COLUMNS.map((c) => c.replace('cases.', 'c.')).join(', ');

/** Where the state is read from: the tables, or the RETURNING rows of the CTEs that just wrote them. */
export interface StateSources {
  cases: string;
  steps: string;
  materials: string;
  events: string;
}

const TABLES: StateSources = { cases: 'cases', steps: 'case_steps', materials: 'case_materials', events: 'case_events' };

/**
 * One SELECT for the case row with its steps, materials and timeline as JSON arrays (one statement
 * instead of four: on node-postgres each costs about 100 µs of CPU). The orders are those of
 * stepsOf, materialsOf and eventsOf. `lock` adds `seen_version`, the version in the statement's
 * snapshot, to be compared with the locked row's (see lockCaseState).
 */
export function stateQuery(src: StateSources, where: RawBuilder<unknown>, opts: { lock?: boolean; me?: string | null } = {}) {
  const t = (name: string) => sql.raw(name);
  return sql<Record<string, unknown>>`
    SELECT ${sql.raw(STATE_CASE_COLUMNS)}, d.name AS department_name, r.path AS region_path,
           ${opts.lock ? sql`(SELECT c2.version FROM cases c2 WHERE c2.id = c.id)` : sql`c.version`} AS seen_version,
           ${opts.me ? sql`(SELECT a.name FROM accounts a WHERE a.id = ${opts.me})` : sql`NULL::text`} AS my_name,
           (SELECT coalesce(json_agg(x ORDER BY x.stage, x.key), '[]'::json) FROM (
              SELECT s.id, s.stage, s.key, s.name, s.department_id, s.days, s.status, s.claimed_by, s.started_at, s.deadline,
                     s.finished_at, s.transfers, sd.name AS department_name, sa.name AS claimed_by_name
                FROM ${t(src.steps)} s
                JOIN departments sd ON sd.id = s.department_id
                LEFT JOIN accounts sa ON sa.id = s.claimed_by
               WHERE s.case_id = c.id) x) AS steps,
           (SELECT coalesce(json_agg(x ORDER BY x.material_id), '[]'::json) FROM (
              SELECT m.material_id, m.name, m.source, m.upload_id, m.reference FROM ${t(src.materials)} m WHERE m.case_id = c.id) x) AS materials,
           (SELECT coalesce(json_agg(x ORDER BY x.id), '[]'::json) FROM (
              SELECT e.id, e.at, e.actor, e.action, e.step_key, e.from_status, e.to_status, e.details, ea.name AS actor_name
                FROM ${t(src.events)} e
                LEFT JOIN accounts ea ON ea.id::text = e.actor->>'account'
               WHERE e.case_id = c.id) x) AS events
      FROM ${t(src.cases)} c
      JOIN departments d ON d.id = c.department_id
      JOIN regions r ON r.code = c.region_code
     WHERE ${where}
     ${opts.lock ? sql`FOR UPDATE OF c` : sql``}`;
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
// inside JSON an instant is text: the same Date the driver gives for a timestamptz column
const instant = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** A row of stateQuery as the state the service works on. */
export function toState(r: Record<string, unknown>): CaseState & { seenVersion: number } {
  const { steps, materials, events, my_name, seen_version, ...row } = r;
  return {
    row: row as unknown as CaseRow,
    steps: (json(steps) as Record<string, unknown>[]).map((s) => ({ ...s, started_at: instant(s.started_at), finished_at: instant(s.finished_at) }) as unknown as StepRow),
    materials: json(materials) as MaterialRow[],
    events: (json(events) as Record<string, unknown>[]).map(({ id: _id, ...e }) => ({ ...e, at: instant(e.at) }) as unknown as EventRow),
    myName: (my_name as string | null) ?? null,
    seenVersion: seen_version as number,
  };
}

/** The case with its steps, materials and timeline, unlocked. */
export async function readCaseState(db: Q, caseNo: string, me: string | null = null): Promise<CaseState | undefined> {
  const r = await stateQuery(TABLES, sql`c.case_no = ${caseNo}`, { me }).execute(db);
  return r.rows[0] ? toState(r.rows[0]) : undefined;
}

/**
 * Loads and locks the case with its steps, materials and timeline: two officers acting at once
 * are serialised here, one after the other. The subselects read the snapshot the statement took
 * before it waited for the lock (READ COMMITTED), while the locked row is the latest; every action
 * raises the case's version, so when the two versions differ an action committed while this one
 * waited, and the state is read again, now with a snapshot that sees it (the lock is held).
 */
export async function lockCaseState(db: Q, caseNo: string, me: string | null): Promise<CaseState | undefined> {
  const r = await stateQuery(TABLES, sql`c.case_no = ${caseNo}`, { lock: true, me }).execute(db);
  if (!r.rows[0]) return undefined;
  const s = toState(r.rows[0]);
  if (s.seenVersion === s.row.version) return s;
  return readCaseState(db, caseNo, me);
}
