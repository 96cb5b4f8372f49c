/**
 * The filings' writer: the writes of the filings that arrive at the same time in ONE statement
 * (core/group-commit.ts), as the actions' writes are (cases.writer.ts). A filing's writes are data
 * here (its case row, steps, materials, first event, audit entry, notice and Idempotency-Key),
 * passed as rows of jsonb parameters (see relation), so the statement's text is the same whatever
 * the batch holds and is prepared once per connection. A filing on its own (in a life event's transaction) is a batch of one.
 *
 * Under load one statement and one commit serve several filings: a commit waits for PostgreSQL to
 * flush the WAL, and one flush per filing was the larger part of a filing's wait (docs/benchmarks.md).
 *
 * Each filing keeps its own guards, as the single filing's statement had them: its implementation
 * version must still be the published one, and its applicant's account still as it was read (a
 * division by zero otherwise, guardRefused); its Idempotency-Key must be unused (the key's primary
 * key). A guard that fails fails the statement, and GroupCommit writes each filing of the batch
 * alone, so only the filing it concerns fails, and fileCase deals with it as before.
 */
import { sql, type Insertable } from 'kysely';
import type { AuditLogTable } from '../../db/schema.js';
import type { Ctx } from '../../core/ctx.js';
import * as audit from '../../core/audit.js';
import { GroupCommit } from '../../core/group-commit.js';
import { claimsInsertFrom, type KeyClaim } from '../../core/idempotency.js';
import { jsonText, runBatch } from '../../core/write-batch.js';
import type { ApplicantInfo } from '../identity/index.js';
import { noticeWritesFrom } from '../notifications/index.js';
import * as repo from './cases.repository.js';

/** The writes of one filing, as data. */
export interface FilingWrites {
  /** The case's id, made by the process so its steps and materials can name it. */
  id: string;
  /** The case number's prefix: region and date (the serial is the statement's, case_no_seq). */
  prefix: string;
  at: Date;
  queryCode: string;
  itemCode: string;
  itemName: string;
  /** The implementation version filed under: required to be still the published one. */
  implementationVersionId: string;
  implementationVersion: number;
  regionCode: string;
  departmentId: string;
  /** The applicant as read: the account is required to be still so (see APPLICANT_GUARD). */
  applicant: ApplicantInfo;
  filedBy: string;
  channel: 'online' | 'window';
  /** The form as JSON text. */
  form: string;
  promisedDays: number;
  intakeDeadline: string;
  lifeEventApplicationId: string | null;
  steps: { id: string; stage: number; key: string; name: string; departmentId: string; days: number }[];
  materials: { materialId: string; name: string; source: 'upload' | 'certificate' | 'data'; uploadId: string | null; reference: string | null }[];
  /** The first timeline event's actor and details (JSON text). */
  event: { actor: string; details: string };
  /** The audit entry (audit.entryValues); its subject is the case number, made by the statement. */
  entry: Insertable<AuditLogTable>;
  /** The applicant's notice: `body` follows the case number. */
  notice: { title: string; bodyAfterCaseNo: string };
  /** The Idempotency-Key the filing claims, its answer stored with it. */
  claim?: KeyClaim;
}

/**
 * The applicant's name for the case row, provided the account is still what the filing read (its
 * kind, name, ID number or credit code, region, e-mail and credit record); otherwise the division
 * by zero fails the statement. `f`: the filings' relation.
 */
const APPLICANT_GUARD = sql`(SELECT acc.name FROM accounts acc WHERE acc.id = f.applicant_account_id AND 1 / coalesce((
      acc.kind = f.applicant_kind AND acc.name = f.g_name
      AND coalesce(CASE WHEN acc.kind = 'person' THEN acc.id_number ELSE acc.credit_code END, '') = f.g_subject
      AND acc.region_code IS NOT DISTINCT FROM f.g_region AND acc.email IS NOT DISTINCT FROM f.g_email
      AND acc.serious_bad_credit = f.g_bad), false)::int = 1)`;

/** The implementation version's id, provided it is still the published one (a superseded one fails the statement). */
const VERSION_GUARD = sql`(SELECT v.id::text FROM implementation_versions v WHERE v.id = f.impl_id::uuid AND 1 / (v.status = 'published')::int = 1)`;

/**
 * `rows` as a relation for the statement: one jsonb parameter read by jsonb_to_recordset with the
 * columns and types of `columns`. One parameter instead of an array per column; and, unlike
 * unnest over arrays, whose rows PostgreSQL counts from each array's length when it plans with
 * the values, jsonb_to_recordset is costed the same with and without them, so the plan cache keeps
 * the prepared statement's generic plan instead of planning it again at every execution (it did
 * so for every filing of a small batch: in `perf` under the HTTP benchmark, planning was a fifth
 * of PostgreSQL's time).
 */
function relation(rows: readonly object[], columns: string) {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS ${sql.raw(columns)}`;
}

/** Writes a batch of filings; for each, the case's state as written (repo.toState), in order. */
export async function writeFilings(t: Ctx, batch: readonly FilingWrites[]): Promise<repo.CaseState[]> {
  if (batch.length === 0) return [];
  const steps = batch.flatMap((w) => w.steps.map((s) => ({ case_id: w.id, id: s.id, stage: s.stage, key: s.key, name: s.name, department_id: s.departmentId, days: s.days })));
  const materials = batch.flatMap((w) => w.materials.map((m) => ({ case_id: w.id, material_id: m.materialId, name: m.name, source: m.source, upload_id: m.uploadId, reference: m.reference })));
  const claims = batch.flatMap((w) =>
    w.claim ? [{ case_id: w.id, scope: w.claim.scope, key: w.claim.key, request_hash: w.claim.requestHash, status_code: w.claim.status, at: w.at.toISOString() }] : [],
  );
  const filed = batch.map((w, i) => ({
    n: i + 1,
    id: w.id,
    prefix: w.prefix,
    at: w.at.toISOString(),
    query_code: w.queryCode,
    item_code: w.itemCode,
    item_name: w.itemName,
    impl_id: w.implementationVersionId,
    impl_version: w.implementationVersion,
    region_code: w.regionCode,
    department_id: w.departmentId,
    applicant_account_id: w.applicant.accountId,
    applicant_kind: w.applicant.kind,
    g_name: w.applicant.name,
    g_subject: w.applicant.subjectId,
    g_region: w.applicant.regionCode,
    g_email: w.applicant.email,
    g_bad: w.applicant.seriousBadCredit,
    filed_by: w.filedBy,
    channel: w.channel,
    form: w.form,
    promised_days: w.promisedDays,
    intake_deadline: w.intakeDeadline,
    life_event_application_id: w.lifeEventApplicationId,
    event_actor: w.event.actor,
    event_details: w.event.details,
    audit_actor: jsonText(w.entry.actor),
    audit_action: w.entry.action,
    audit_details: jsonText(w.entry.details),
    notice_title: w.notice.title,
    notice_body: w.notice.bodyAfterCaseNo,
  }));
  // the filings, numbered in their order; each draws its serial in that order (the subquery with
  // nextval is not flattened: a volatile target list keeps it a subquery of its own)
  const filings = sql`SELECT u.*, ${repo.caseNoOf(sql`u.prefix`, sql`u.serial`)} AS case_no FROM (
      SELECT u.*, nextval('case_no_seq') AS serial
        FROM ${relation(
          filed,
          `u(n int, id uuid, prefix text, at timestamptz, query_code text, item_code text, item_name text, impl_id text, impl_version int, region_code text,
             department_id uuid, applicant_account_id uuid, applicant_kind text, g_name text, g_subject text, g_region text, g_email text, g_bad bool, filed_by uuid,
             channel text, form text, promised_days int, intake_deadline date, life_event_application_id uuid, event_actor text, event_details text,
             audit_actor text, audit_action text, audit_details text, notice_title text, notice_body text)`,
        )}
       ORDER BY u.n) u`;
  const rows = await runBatch<Record<string, unknown>>(
    t.db,
    [
      // run once, whoever reads it first: every part sees the same case numbers
      { name: 'f', materialized: true, query: filings.compile(t.db) },
      {
        name: 'w_case',
        query: sql`INSERT INTO cases (id, case_no, query_code, item_code, item_name, implementation_version_id, implementation_version, region_code, department_id,
                                      applicant_account_id, applicant_kind, applicant_name, filed_by, channel, status, form, promised_days, submitted_at, intake_deadline,
                                      life_event_application_id)
                   SELECT f.id, f.case_no, f.query_code, f.item_code, f.item_name, ${VERSION_GUARD}, f.impl_version, f.region_code, f.department_id,
                          f.applicant_account_id, f.applicant_kind, ${APPLICANT_GUARD}, f.filed_by, f.channel, 'submitted', f.form::jsonb, f.promised_days, f.at, f.intake_deadline,
                          f.life_event_application_id
                     FROM f ORDER BY f.n
                   RETURNING *`.compile(t.db),
      },
      {
        name: 'w_steps',
        query: sql`INSERT INTO case_steps (id, case_id, stage, key, name, department_id, days, status)
                   SELECT s.id, s.case_id, s.stage, s.key, s.name, s.department_id, s.days, 'waiting'
                     FROM ${relation(steps, 's(case_id uuid, id uuid, stage int, key text, name text, department_id uuid, days int)')}
                   RETURNING *`.compile(t.db),
      },
      {
        name: 'w_materials',
        query: sql`INSERT INTO case_materials (case_id, material_id, name, source, upload_id, reference)
                   SELECT m.case_id, m.material_id, m.name, m.source, m.upload_id, m.reference
                     FROM ${relation(materials, 'm(case_id uuid, material_id text, name text, source text, upload_id uuid, reference text)')}
                   RETURNING *`.compile(t.db),
      },
      {
        name: 'w_events',
        query: sql`INSERT INTO case_events (case_id, at, actor, action, step_key, from_status, to_status, details)
                   SELECT f.id, f.at, f.event_actor::jsonb, 'submit', NULL, NULL, 'submitted', f.event_details::jsonb FROM f ORDER BY f.n
                   RETURNING *`.compile(t.db),
      },
      // the audit entries as audit.record writes them, each subject naming the number made above
      {
        query: audit.entriesInsertFrom(
          t,
          sql`(SELECT f.n, f.at, f.audit_actor AS actor, f.audit_action AS action, jsonb_build_object('case', f.case_no)::text AS subject, f.audit_details AS details FROM f) r`,
        ),
      },
      ...noticeWritesFrom(
        t,
        sql`(SELECT f.n, f.applicant_account_id AS account_id, f.case_no, f.notice_title AS title, '办件编号 ' || f.case_no || f.notice_body AS body, f.at AS created_at FROM f) r`,
      ).map((query) => ({ query })),
      // the statement answers with the cases as it wrote them (RETURNING), read by the query that
      // reads a stored case: a read after the writes would cost a statement and see the same
      {
        name: 'w_answer',
        query: repo.stateQuery({ cases: 'w_case', steps: 'w_steps', materials: 'w_materials', events: 'w_events' }, sql`true`).compile(t.db),
      },
      // each key is taken by the statement that files, so a second filing with it fails as a
      // whole; and its answer is stored with it, as the state the answer is made of and the
      // moment it was made at (cases.service's storedFiling makes the same answer again)
      {
        query: claimsInsertFrom(
          t,
          sql`${relation(claims, 'k(case_id uuid, scope text, key text, request_hash text, status_code int, at text)')} JOIN w_answer a ON a.id = k.case_id`,
          { response: sql`jsonb_build_object('state', to_jsonb(a), 'at', k.at)`, createdAt: sql`k.at::timestamptz`, resource: sql`a.case_no` },
        ),
      },
    ],
    sql`SELECT * FROM w_answer`.compile(t.db),
    { prepared: true },
  );
  const byId = new Map(rows.map((r) => [r.id as string, repo.toState(r)]));
  return batch.map((w) => {
    const s = byId.get(w.id);
    if (!s) throw new Error(`filing ${w.id}: not in its statement's answer`);
    return s;
  });
}

const writers = new WeakMap<object, GroupCommit<{ ctx: Ctx; writes: FilingWrites }, repo.CaseState>>();

/**
 * Writes one filing with the filings arriving at the same time, on the pool; its case as written.
 * The filing's own context gave its audit entry its actor (already in `writes`).
 */
export function fileTogether(ctx: Ctx, writes: FilingWrites): Promise<repo.CaseState> {
  const db = ctx.runtime.db;
  let writer = writers.get(db);
  if (!writer) {
    // outside a transaction (see fileCase): each context's db is the pool
    writer = new GroupCommit((items) => writeFilings(items[0]!.ctx, items.map((i) => i.writes)));
    writers.set(db, writer);
  }
  return writer.submit({ ctx, writes });
}
