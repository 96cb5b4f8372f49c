import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * case_writes_apply's two UPDATEs are planned once per connection and kept (a generic plan).
 * Their parameters are arrays, and PostgreSQL's plan cache, comparing a generic plan costed for
 * arrays of unknown length (10 elements) with custom plans costed for the few elements of a small
 * batch, kept planning them afresh at every call: in `perf` under the HTTP benchmark, a fifth of
 * the function's time. The function's own SET is the one place this applies (a session-wide
 * setting would also plan every other statement without its parameters' values).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`ALTER FUNCTION case_writes_apply(uuid[], int[], jsonb[], uuid[], uuid[], jsonb[]) SET plan_cache_mode = force_generic_plan`,
  ]);
}
