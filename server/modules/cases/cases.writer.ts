/**
 * The batched writer of optimistic actions: the writes of the actions that arrive at the same
 * time, on different cases, in ONE statement (core/group-commit.ts), whatever their shapes. Each
 * action's writes are data here (its case's columns, its steps', its events, audit entries and
 * notices), passed as arrays, so the statement's text is always the same and is prepared once
 * per connection. See docs/adr/0006 (addendum 3).
 *
 * Each action keeps its own guard: its case is updated only at the version its state was read at,
 * and every other write of the action is made only if its case was (they read the ids the update
 * returned). An action that lost its race writes nothing and is told so; its neighbours in
 * the batch are written. Two actions on one case never share a batch, nor two batches in flight
 * (GroupCommit's key): one UPDATE cannot change a row twice, and two statements locking the same
 * cases in different orders could deadlock.
 */
import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { AuditLogTable, CaseEventsTable } from '../../db/schema.js';
import { CASE_WRITES_COLUMNS } from '../../db/migrations/0008_case_writes.js';
import * as audit from '../../core/audit.js';
import type { Ctx } from '../../core/ctx.js';
import { GroupCommit } from '../../core/group-commit.js';
import { jsonText, runBatch } from '../../core/write-batch.js';
import { noticeWritesFrom, type Notice } from '../notifications/index.js';

/** The writes of one optimistic action, as data. */
export interface CaseWrites {
  caseId: string;
  /** The version the action's state was read at: the case is updated only if it still has it. */
  version: number;
  caseSet: Record<string, unknown>;
  steps: { id: string; set: Record<string, unknown> }[];
  events: Insertable<CaseEventsTable>[];
  audits: Insertable<AuditLogTable>[];
  notices: (Notice & { at: Date })[];
}

const { case: CASE_COLUMNS, step: STEP_COLUMNS } = CASE_WRITES_COLUMNS;

/** Whether the writer takes these changes: every column one that case_writes_apply updates (migration 0008). */
export function writerTakes(caseSet: Record<string, unknown>, stepSets: Iterable<Record<string, unknown>>): boolean {
  const known = (set: Record<string, unknown>, columns: Record<string, string>) => Object.keys(set).every((k) => Object.hasOwn(columns, k));
  return known(caseSet, CASE_COLUMNS) && [...stepSets].every((s) => known(s, STEP_COLUMNS));
}

/** The value of `set` as JSON: dates as ISO text, jsonb columns' JSON text as the value it holds. */
function setJson(set: Record<string, unknown>, columns: Record<string, string>): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(set)) out[k] = columns[k] === 'jsonb' && typeof v === 'string' ? JSON.parse(v) : v instanceof Date ? v.toISOString() : v;
  return JSON.stringify(out);
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

/** Rows of `arrays` (unnested, numbered n) whose case was updated by this statement. */
function written(arrays: RawBuilder<unknown>, columns: string): RawBuilder<unknown> {
  return sql`(SELECT * FROM unnest(${arrays}) WITH ORDINALITY AS u(case_id, ${sql.raw(columns)}, n) WHERE u.case_id IN (SELECT id FROM w_case)) r`;
}

/** Writes a batch; for each action, whether it was written (false: its case changed since it was read). */
async function writeBatch(ctx: Ctx, batch: CaseWrites[]): Promise<boolean[]> {
  const db = ctx.db;
  const steps = batch.flatMap((w) => w.steps.map((s) => ({ caseId: w.caseId, ...s })));
  const events = batch.flatMap((w) => w.events);
  const entries = batch.flatMap((w) => w.audits.map((a) => ({ caseId: w.caseId, ...a })));
  const notices = batch.flatMap((w) => w.notices.map((n) => ({ caseId: w.caseId, ...n })));
  const rows = await runBatch<{ id: string }>(
    db,
    [
      {
        // the case and step updates (db/migrations/0010_case_writes_set_based.ts); MATERIALIZED:
        // run once, whoever reads it first
        name: 'w_case',
        materialized: true,
        query: sql`SELECT id FROM case_writes_apply(
                     ${batch.map((w) => w.caseId)}::uuid[], ${batch.map((w) => w.version)}::int[], ${batch.map((w) => setJson(w.caseSet, CASE_COLUMNS))}::text[]::jsonb[],
                     ${steps.map((s) => s.caseId)}::uuid[], ${steps.map((s) => s.id)}::uuid[], ${steps.map((s) => setJson(s.set, STEP_COLUMNS))}::text[]::jsonb[]) AS id`.compile(db),
      },
      {
        query: sql`INSERT INTO case_events (case_id, at, actor, action, step_key, from_status, to_status, details)
                   SELECT r.case_id, r.at::timestamptz, r.actor::jsonb, r.action, r.step_key, r.from_status, r.to_status, r.details::jsonb
                     FROM ${written(
                       sql`${events.map((e) => e.case_id)}::uuid[], ${events.map((e) => iso(e.at))}::text[], ${events.map((e) => jsonText(e.actor))}::text[], ${events.map((e) => e.action)}::text[],
                           ${events.map((e) => e.step_key ?? null)}::text[], ${events.map((e) => e.from_status ?? null)}::text[], ${events.map((e) => e.to_status)}::text[], ${events.map((e) => jsonText(e.details))}::text[]`,
                       'at, actor, action, step_key, from_status, to_status, details',
                     )}
                    ORDER BY r.n`.compile(db),
      },
      {
        query: audit.entriesInsertFrom(
          ctx,
          written(
            sql`${entries.map((e) => e.caseId)}::uuid[], ${entries.map((e) => iso(e.at))}::text[], ${entries.map((e) => jsonText(e.actor))}::text[], ${entries.map((e) => e.action)}::text[],
                ${entries.map((e) => jsonText(e.subject))}::text[], ${entries.map((e) => jsonText(e.details))}::text[]`,
            'at, actor, action, subject, details',
          ),
        ),
      },
      ...noticeWritesFrom(
        ctx,
        written(
          sql`${notices.map((n) => n.caseId)}::uuid[], ${notices.map((n) => n.accountId)}::uuid[], ${notices.map((n) => n.caseNo ?? null)}::text[], ${notices.map((n) => n.title)}::text[],
              ${notices.map((n) => n.body)}::text[], ${notices.map((n) => n.at.toISOString())}::timestamptz[]`,
          'account_id, case_no, title, body, created_at',
        ),
      ).map((query) => ({ query })),
    ],
    sql`SELECT id FROM w_case`.compile(db),
    { prepared: true },
  );
  const done = new Set(rows.map((r) => r.id));
  return batch.map((w) => done.has(w.caseId));
}

const writers = new WeakMap<object, GroupCommit<{ ctx: Ctx; writes: CaseWrites }, boolean>>();

/**
 * Writes one action's writes with those of the actions arriving at the same time; false when its
 * case changed since it was read (nothing of it written). The batch is written on the pool (each
 * action's own context only gives the audit entries their actor, already in `writes`).
 */
export function writeTogether(ctx: Ctx, writes: CaseWrites): Promise<boolean> {
  const db = ctx.runtime.db;
  let writer = writers.get(db);
  if (!writer) {
    writer = new GroupCommit((items) => writeBatch(items[0]!.ctx, items.map((i) => i.writes)), { key: (i) => i.writes.caseId });
    writers.set(db, writer);
  }
  return writer.submit({ ctx, writes });
}
