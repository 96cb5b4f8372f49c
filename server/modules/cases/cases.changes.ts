/**
 * The writes of one action on a case, kept until `flush` and then written in ONE statement
 * (core/write-batch.ts) — the case row, its steps, timeline events, audit entries and notices —
 * and applied as they are made to a copy of the state the action decided on, so that copy is the
 * case's answer without reading the case again. Where it cannot follow a change (materials
 * attached), `reread` says the answer must be read after the writes. See docs/adr/0006.
 */
import { sql, type Compilable, type CompiledQuery, type Insertable } from 'kysely';
import type { CaseEventsTable, CasesTable, CaseStepsTable } from '../../db/schema.js';
import { actorRef } from '../../core/actor.js';
import * as audit from '../../core/audit.js';
import type { Ctx } from '../../core/ctx.js';
import { guardRefused, runBatch, type BatchPart } from '../../core/write-batch.js';
import { noticeWrites, type Notice } from '../notifications/index.js';
import type { CaseState, StepRow } from './cases.repository.js';
import { writerTakes, type CaseWrites } from './cases.writer.js';

type CaseSet = Partial<Record<keyof CasesTable, unknown>>;
type StepSet = Partial<Record<keyof CaseStepsTable, unknown>>;

/** Columns written as JSON text and read back as values. */
const JSON_COLUMNS = new Set<string>(['form', 'owed']);

/**
 * `v` as PostgreSQL gives it back from a jsonb column: through JSON, object keys ordered shorter
 * first, then bytewise (jsonb's storage order), so the answer matches a read of the row exactly.
 */
export function asJsonb(v: unknown): unknown {
  return order(JSON.parse(JSON.stringify(v ?? null)));
}

function order(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(order);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v).sort((a, b) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length - y.length || Buffer.compare(x, y);
  });
  return Object.fromEntries(keys.map((k) => [k, order((v as Record<string, unknown>)[k])]));
}

export class CaseChanges {
  private caseSet: CaseSet = {};
  private versionRaised = false;
  private readonly stepSets = new Map<string, StepSet>();
  private events: Insertable<CaseEventsTable>[] = [];
  private audits: audit.AuditInput[] = [];
  private notices: Notice[] = [];
  private other: Compilable[] = [];
  /** The answer must be read again after the writes: a change the state in hand does not follow. */
  reread = false;
  /**
   * What must follow the writes in their transaction (the listeners of a concluded case), left
   * by an optimistic action: its statement then runs in a transaction with it (see cases.service act).
   */
  afterWrite: ((tx: Ctx) => Promise<void>) | undefined;

  /**
   * The case as it will be after the writes: a copy of the loaded state, changed as the writes
   * are made (the loaded state stays as it was: the action decides on it).
   */
  readonly state: CaseState;

  /**
   * @param optimistic the state was read without a lock and outside a transaction: the write
   *   statement then requires the version read, and is refused as a whole when it changed.
   */
  constructor(
    private tx: Ctx,
    private readonly loaded: CaseState,
    readonly optimistic = false,
  ) {
    // the changes below replace the row's values, change step objects and append events, never
    // deeper: a copy one level down keeps `loaded` as it was (a deep clone cost more than the rest of the action)
    this.state = {
      row: { ...loaded.row },
      steps: loaded.steps.map((s) => ({ ...s })),
      materials: loaded.materials,
      events: [...loaded.events],
      myName: loaded.myName,
    };
  }

  /** Writes from now on in `tx` (a transaction opened after the action was decided). */
  writeIn(tx: Ctx): void {
    this.tx = tx;
  }

  /** Whether `e` is the write statement refused as a whole: the case changed since the read (or a deadlock, which rolled it back). */
  static refused(e: unknown): boolean {
    const code = (e as { code?: unknown } | null)?.code;
    // the version guard of flush; 40P01, 40001: deadlock, serialization failure
    return guardRefused(e) || code === '40P01' || code === '40001';
  }

  private get me(): string | null {
    const a = this.tx.actor as { accountId?: string };
    return a.accountId ?? null;
  }

  /** Changes the case row; several changes in one action become one UPDATE (a row is written once per statement). */
  updateCase(set: CaseSet): void {
    Object.assign(this.caseSet, set);
    const row = this.state.row as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(set)) row[k] = JSON_COLUMNS.has(k) && typeof v === 'string' ? asJsonb(JSON.parse(v)) : v;
  }

  /** Changes one step; a new department needs its name for the answer. */
  updateStep(loaded: Pick<StepRow, 'id'>, set: StepSet, departmentName?: string): void {
    this.stepSets.set(loaded.id, { ...this.stepSets.get(loaded.id), ...set });
    const step = this.state.steps.find((x) => x.id === loaded.id)!;
    Object.assign(step, set);
    if ('claimed_by' in set) {
      if (set.claimed_by === null) step.claimed_by_name = null;
      else if (set.claimed_by === this.me) step.claimed_by_name = this.state.myName;
      else this.reread = true;
    }
    if ('department_id' in set) {
      if (departmentName === undefined) this.reread = true;
      else step.department_name = departmentName;
    }
  }

  /** A timeline event and its audit entry (`case.<action>`). */
  event(action: string, from: string, to: string, details: Record<string, unknown> = {}, stepKey: string | null = null): void {
    const { row } = this.state;
    const ref = actorRef(this.tx.actor);
    const at = this.tx.now();
    this.events.push({ case_id: row.id, at, actor: JSON.stringify(ref), action, step_key: stepKey, from_status: from, to_status: to, details: JSON.stringify(details) });
    this.audits.push({ action: `case.${action}`, subject: { case: row.case_no, ...(stepKey ? { step: stepKey } : {}) }, details: { from, to, ...details } });
    // the timeline names the account in actor.account: here always the one acting
    this.state.events.push({ at, actor: asJsonb(ref), action, step_key: stepKey, from_status: from, to_status: to, details: asJsonb(details), actor_name: ref.account ? this.state.myName : null });
  }

  /** Ends every step still open (waiting, active, claimed), as the steps stand after the changes so far. */
  cancelOpenSteps(at: Date): void {
    for (const s of this.state.steps) {
      if (s.status === 'waiting' || s.status === 'active' || s.status === 'claimed') this.updateStep(s, { status: 'cancelled', finished_at: at });
    }
  }

  notify(n: Notice): void {
    this.notices.push(n);
  }

  /** Another write of the action (after those above in the statement, in no particular order). */
  add(q: Compilable, opts: { reread?: boolean } = {}): void {
    this.other.push(q);
    if (opts.reread) this.reread = true;
  }

  /**
   * The writes pending, as data, for the batched writer (cases.writer.ts), which writes the
   * actions arriving at the same time in one statement; taking them counts as the first flush.
   * Null (nothing taken) when they cannot go there: not an optimistic action's first and only
   * writes, or writes the writer does not know (`add`, a column it does not list).
   */
  takeWrites(): CaseWrites | null {
    if (!this.optimistic || this.versionRaised || this.other.length || this.afterWrite || !writerTakes(this.caseSet, this.stepSets.values())) return null;
    const at = this.tx.now();
    const { caseSet, stepSets, events, audits, notices } = this.drain();
    return {
      caseId: this.state.row.id,
      version: this.loaded.row.version,
      caseSet,
      steps: [...stepSets].map(([id, set]) => ({ id, set })),
      events,
      audits: audits.map((a) => audit.entryValues(this.tx, a)),
      notices: notices.map((n) => ({ ...n, at })),
    };
  }

  /** Everything pending, handed over and forgotten; the state's version raised at the first. */
  private drain() {
    const pending = { caseSet: this.caseSet, stepSets: new Map(this.stepSets), events: this.events, audits: this.audits, notices: this.notices, other: this.other };
    this.caseSet = {};
    this.stepSets.clear();
    this.events = [];
    this.audits = [];
    this.notices = [];
    this.other = [];
    if (!this.versionRaised) this.state.row.version += 1;
    this.versionRaised = true;
    return pending;
  }

  /**
   * Writes everything pending as one statement. The first flush of an action always raises the
   * case's version, even for a change to a step only: the optimistic guard and lockCaseState
   * rely on it to notice an action that committed after the case was read.
   */
  async flush(): Promise<void> {
    const { tx } = this;
    const id = this.state.row.id;
    const first = !this.versionRaised;
    const { caseSet, stepSets, events, audits, notices, other } = this.drain();
    const parts: BatchPart[] = [];
    let guard: CompiledQuery | undefined;
    if (first || Object.keys(caseSet).length) {
      const update = tx.db.updateTable('cases').set({ ...(caseSet as object), version: sql`version + 1` }).where('id', '=', id);
      if (this.optimistic && first) {
        // The case's UPDATE requires the version read, and the statement's own query divides by
        // the rows it updated: none (another action got in first) fails the whole statement, so
        // nothing else of it stays. Being read by the main query, this part also runs first
        // (PostgreSQL runs the parts nobody reads after the main query), so the case row is
        // locked before any step row, in the order of the locked way (no deadlock between them).
        parts.push({ name: 'w_case', query: update.where('version', '=', this.loaded.row.version).returning('id') });
        guard = sql`SELECT 1 / (SELECT count(*)::int FROM w_case) AS ok`.compile(tx.db);
      } else {
        parts.push({ query: update });
      }
    }
    // steps given the same change (a stage starting, steps cancelled) share one UPDATE
    const bySet = new Map<string, { set: StepSet; ids: string[] }>();
    for (const [stepId, set] of stepSets) {
      const key = JSON.stringify(Object.entries(set).sort(([a], [b]) => (a < b ? -1 : 1)));
      const g = bySet.get(key) ?? { set, ids: [] };
      g.ids.push(stepId);
      bySet.set(key, g);
    }
    for (const { set, ids } of bySet.values()) {
      // one array parameter, not one per step: the statement's text (its prepared name) does not
      // depend on the count. The case_id condition lets the prepared statement's generic plan use
      // the (case_id, key) index: for `id = ANY($n)` alone PostgreSQL guesses 10 rows and, while
      // the table is small, prefers a sequential scan (seen in perf as ~10% of the server's CPU)
      parts.push({ query: tx.db.updateTable('case_steps').set(set as object).where('case_id', '=', id).where(sql<boolean>`id = ANY(${ids}::uuid[])`) });
    }
    if (events.length) parts.push({ query: tx.db.insertInto('case_events').values(events) });
    if (audits.length) parts.push({ query: audit.entriesInsert(tx, audits) });
    for (const q of noticeWrites(tx, notices)) parts.push({ query: q });
    for (const q of other) parts.push({ query: q });
    // an action's statement has one of a few shapes (the action, the steps it touches): prepared
    await runBatch(tx.db, parts, guard, { prepared: true });
  }
}
