/**
 * Several writes as one SQL statement. On node-postgres every statement costs the process about
 * 100 µs of CPU whatever it does, so a use case that writes five rows in five statements spends
 * most of its time in the driver; PostgreSQL runs data-modifying CTEs
 * (`WITH w0 AS (INSERT …), w1 AS (UPDATE …) SELECT …`) as one statement instead.
 *
 * What the caller must keep in mind (PostgreSQL docs, "Data-Modifying Statements in WITH"):
 * - every part sees the same snapshot, taken before any part runs: no part sees another's
 *   writes, except through its RETURNING rows;
 * - the parts run in no specified order, so rows whose order matters (a serial id, an audit seq)
 *   go in one multi-row INSERT, never in two parts;
 * - the same row must not be modified by two parts of one statement (only one change would stay).
 */
import { createHash } from 'node:crypto';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

export interface BatchPart {
  /** The CTE name, for a final query that reads the part's RETURNING rows. */
  name?: string;
  /** Run once, whoever reads it first (a SELECT part calling a function that writes). */
  materialized?: boolean;
  query: Compilable | CompiledQuery;
}

function compiled(q: Compilable | CompiledQuery): CompiledQuery {
  return 'compile' in q ? q.compile() : q;
}

/**
 * `$n` placeholders of `text` moved up by `offset`, so queries compiled on their own can share one
 * parameter list. Kysely writes values as placeholders only, never as literals, so a `$` followed
 * by digits in its output is always a placeholder (raw SQL given here must not hold `$1` in text).
 */
function shift(text: string, offset: number): string {
  return offset === 0 ? text : text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}

/** The names of the texts seen, so a recurring statement is not hashed again (a few shapes recur). */
const preparedNames = new Map<string, string>();

/**
 * One statement doing every part, then `final` (a query that may read the parts by name;
 * `SELECT 1` when absent). A single part without `final` runs as it is.
 *
 * With `prepared`, the statement is marked for db/create-db.ts to prepare once per connection,
 * under a name derived from its text (so a name never carries two texts): PostgreSQL plans an
 * unnamed statement at every execution, and a statement of several CTEs takes a while to plan.
 * For statements of a few recurring shapes only (each shape stays prepared on every connection).
 */
export function batchStatement(parts: readonly BatchPart[], final?: Compilable | CompiledQuery, opts: { prepared?: boolean } = {}): CompiledQuery {
  const q = unprepared(parts, final);
  if (!opts.prepared) return q;
  let name = preparedNames.get(q.sql);
  if (!name) {
    name = `wb_${createHash('sha256').update(q.sql).digest('hex').slice(0, 24)}`;
    if (preparedNames.size >= 1_000) preparedNames.clear();
    preparedNames.set(q.sql, name);
  }
  return CompiledQuery.raw(`/* prepared:${name} */ ${q.sql}`, [...q.parameters]);
}

function unprepared(parts: readonly BatchPart[], final?: Compilable | CompiledQuery): CompiledQuery {
  if (parts.length === 1 && !final) return compiled(parts[0]!.query);
  const params: unknown[] = [];
  const ctes = parts.map((p, i) => {
    const c = compiled(p.query);
    const text = shift(c.sql, params.length);
    params.push(...c.parameters);
    return `${p.name ?? `w${i}`} AS ${p.materialized ? 'MATERIALIZED ' : ''}(${text})`;
  });
  let tail = 'SELECT 1';
  if (final) {
    const c = compiled(final);
    tail = shift(c.sql, params.length);
    params.push(...c.parameters);
  }
  return CompiledQuery.raw(parts.length ? `WITH ${ctes.join(', ')} ${tail}` : tail, params);
}

/** A value as the JSON text a batch statement passes for a json column (text as is; null stays null). */
export function jsonText(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Whether `e` is a statement's guard refusing it: a condition written as a division by zero
 * (`1 / (SELECT count(*) …)`, `1 / (cond)::int`) fails the whole statement with 22012, so nothing
 * of it stays and the caller knows why (the case changed since it was read, the guide's version
 * was superseded).
 */
export function guardRefused(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === '22012';
}

/** Runs `parts` (and `final`) as one statement on `db` (a transaction's, usually); the rows of `final`. */
export async function runBatch<R = unknown>(
  db: Pick<Kysely<unknown>, 'executeQuery'>,
  parts: readonly BatchPart[],
  final?: Compilable | CompiledQuery,
  opts: { prepared?: boolean } = {},
): Promise<R[]> {
  if (parts.length === 0 && !final) return [];
  const r = await db.executeQuery<R>(batchStatement(parts, final, opts));
  return r.rows;
}
