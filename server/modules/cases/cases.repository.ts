import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
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

/** A case as the service works on it: every column, its department's name and its region's path. */
export type CaseRow = Selectable<CasesTable> & { department_name: string; region_path: string[] };

/** A review step with its department's name and the claimant's. */
export type StepRow = Omit<Selectable<CaseStepsTable>, 'case_id'> & { department_name: string; claimed_by_name: string | null };

/**
 * A case number: `prefix` (region and date) and `serial` (from case_no_seq), zero-padded to 8
 * digits (a longer serial kept whole, as padStart would).
 */
export function caseNoOf(prefix: RawBuilder<unknown>, serial: RawBuilder<unknown>) {
  return sql<string>`(${prefix} || lpad(${serial}::text, greatest(8, length(${serial}::text)), '0'))`;
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

/** A case with everything its answer shows: steps by (stage, key), materials by id, the timeline in the order written. */
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
 * instead of four: on node-postgres each costs about 100 µs of CPU). The orders are the
 * database's (its collation for keys and material ids), so an answer never depends on sorting in
 * JavaScript; names are scalar subselects, which PostgreSQL plans in about half the time of the
 * equivalent joins. `lock` adds `seen_version`, the version in the statement's
 * snapshot, to be compared with the locked row's (see lockCaseState).
 */
export function stateQuery(
  src: StateSources,
  where: RawBuilder<unknown>,
  opts: {
    lock?: boolean;
    me?: string | null;
    prepared?: string;
    /** Instead of `{src.cases} c`: what the case rows `c` come from (joined to the asks of a grouped read). */
    from?: RawBuilder<unknown>;
    /** Instead of the name of `me`: the acting account's name. */
    myName?: RawBuilder<unknown>;
    /** Columns after my_name (each followed by a comma). */
    extra?: RawBuilder<unknown>;
  } = {},
) {
  const t = (name: string) => sql.raw(name);
  // db/create-db.ts prepares a statement marked so once per connection: PostgreSQL would plan
  // this one (0.4 ms) at every read otherwise. The name must only ever carry one text.
  const mark = sql.raw(opts.prepared ? `/* prepared:${opts.prepared} */ ` : '');
  const myName = opts.myName ?? (opts.me ? sql`(SELECT a.name FROM accounts a WHERE a.id = ${opts.me})` : sql`NULL::text`);
  return sql<Record<string, unknown>>`${mark}SELECT ${sql.raw(STATE_CASE_COLUMNS)}, d.name AS department_name, r.path AS region_path,
           ${opts.lock ? sql`(SELECT c2.version FROM cases c2 WHERE c2.id = c.id)` : sql`c.version`} AS seen_version,
           ${myName} AS my_name, ${opts.extra ?? sql``}
           (SELECT coalesce(json_agg(x ORDER BY x.stage, x.key), '[]'::json) FROM (
              SELECT s.id, s.stage, s.key, s.name, s.department_id, s.days, s.status, s.claimed_by, s.started_at, s.deadline,
                     s.finished_at, s.transfers,
                     (SELECT sd.name FROM departments sd WHERE sd.id = s.department_id) AS department_name,
                     (SELECT sa.name FROM accounts sa WHERE sa.id = s.claimed_by) AS claimed_by_name
                FROM ${t(src.steps)} s
               WHERE s.case_id = c.id) x) AS steps,
           (SELECT coalesce(json_agg(x ORDER BY x.material_id), '[]'::json) FROM (
              SELECT m.material_id, m.name, m.source, m.upload_id, m.reference FROM ${t(src.materials)} m WHERE m.case_id = c.id) x) AS materials,
           (SELECT coalesce(json_agg(x ORDER BY x.id), '[]'::json) FROM (
              SELECT e.id, e.at, e.actor, e.action, e.step_key, e.from_status, e.to_status, e.details,
                     (SELECT ea.name FROM accounts ea WHERE ea.id = ${ACCOUNT_OF_EVENT}) AS actor_name
                FROM ${t(src.events)} e
               WHERE e.case_id = c.id) x) AS events
      FROM ${opts.from ?? sql`${t(src.cases)} c`}
      JOIN departments d ON d.id = c.department_id
      JOIN regions r ON r.code = c.region_code
     WHERE ${where}
     ${opts.lock ? sql`FOR UPDATE OF c` : sql``}`;
}

/**
 * The account an event names (actor.account), as a uuid so the lookup uses the primary key;
 * comparing text (`accounts.id::text = …`) would scan every account. Only a uuid as PostgreSQL
 * writes it (lowercase) is cast, inside CASE so nothing else reaches the cast: it matches exactly
 * what the text comparison matches.
 */
const ACCOUNT_OF_EVENT = sql.raw(
  `CASE WHEN e.actor->>'account' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (e.actor->>'account')::uuid END`,
);

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
// inside JSON an instant is text: the same Date the driver gives for a timestamptz column
const instant = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** The case's instants (timestamptz), which JSON holds as text. */
const CASE_INSTANTS = ['submitted_at', 'accepted_at', 'concluded_at', 'escalated_at'] as const;

/** A row of stateQuery kept as JSON (`to_jsonb`) as the driver reads it: its instants as Dates. */
export function stateFromJson(r: Record<string, unknown>): Record<string, unknown> {
  const out = { ...r };
  for (const c of CASE_INSTANTS) out[c] = instant(r[c]);
  return out;
}

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
  const r = await stateQuery(TABLES, sql`c.case_no = ${caseNo}`, { me, prepared: me ? 'case_state_me' : 'case_state' }).execute(db);
  return r.rows[0] ? toState(r.rows[0]) : undefined;
}

/**
 * Several cases read by one statement, each with its own acting account (for its `myName`): the
 * reads of concurrent actions, gathered by cases.service's readTogether. Results in the order
 * asked; an unknown case number reads as undefined.
 */
export async function readCaseStatesAtOnce(db: Q, asks: readonly { caseNo: string; me: string | null }[]): Promise<(CaseState | undefined)[]> {
  const r = await stateQuery(TABLES, sql`true`, {
    prepared: 'case_states_lateral',
    // each ask reads its case by the unique index: the LIMIT keeps PostgreSQL from flattening the
    // subquery into a join, which it planned (once, for the prepared statement, while the table
    // was small) as a hash join over a sequential scan of every case — a scan per read
    from: sql`unnest(${asks.map((a) => a.caseNo)}::text[], ${asks.map((a) => a.me)}::uuid[]) WITH ORDINALITY AS q(case_no, me, i)
      CROSS JOIN LATERAL (SELECT * FROM cases WHERE cases.case_no = q.case_no LIMIT 1) c`,
    myName: sql`(SELECT a.name FROM accounts a WHERE a.id = q.me)`,
    extra: sql`q.i AS ask_index,`,
  }).execute(db);
  const out: (CaseState | undefined)[] = new Array(asks.length).fill(undefined);
  for (const row of r.rows) {
    const { ask_index, ...rest } = row;
    out[Number(ask_index) - 1] = toState(rest);
  }
  return out;
}

/**
 * Loads and locks the case with its steps, materials and timeline: two officers acting at once
 * are serialised here, one after the other. The subselects read the snapshot the statement took
 * before it waited for the lock (READ COMMITTED), while the locked row is the latest; every action
 * raises the case's version, so when the two versions differ an action committed while this one
 * waited, and the state is read again, now with a snapshot that sees it (the lock is held).
 */
export async function lockCaseState(db: Q, caseNo: string, me: string | null): Promise<CaseState | undefined> {
  const r = await stateQuery(TABLES, sql`c.case_no = ${caseNo}`, { lock: true, me, prepared: me ? 'case_state_lock_me' : 'case_state_lock' }).execute(db);
  if (!r.rows[0]) return undefined;
  const s = toState(r.rows[0]);
  if (s.seenVersion === s.row.version) return s;
  return readCaseState(db, caseNo, me);
}
