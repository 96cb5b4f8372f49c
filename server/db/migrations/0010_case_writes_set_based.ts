import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';
import { CASE_WRITES_COLUMNS, sets } from './0008_case_writes.js';

/**
 * case_writes_apply (migration 0008) as two set-based UPDATEs instead of a loop of updates by
 * primary key: the same writes and the same answer (the ids of the cases updated at the version
 * their change was decided on; the steps of those cases only), but PostgreSQL starts an executor
 * for each UPDATE it runs, and the loop ran one per case and one per step of a batch — in `perf`
 * the loop's statements were a fifth of the server's CPU under the case benchmark.
 *
 * The plan must stay lookups by primary key whatever the table's size when it was made: a
 * function's plan is kept for the connection's life, and planned while the tables were small
 * (a new database) a hash join over a sequential scan of every case was chosen and kept (0008's
 * note). Sequential scans, hash and merge joins are therefore off inside the function (its SET
 * clauses), which leaves nested loops over the primary keys.
 *
 * Rows locked: every case of the batch, then their steps — a case before its steps, as the
 * locked way locks them. Two changes of one case never share a batch (cases.writer.ts), so no
 * row is updated twice by one statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql.raw(`CREATE OR REPLACE FUNCTION case_writes_apply(case_ids uuid[], versions int[], case_sets jsonb[], step_case_ids uuid[], step_ids uuid[], step_sets jsonb[])
      RETURNS SETOF uuid LANGUAGE plpgsql
      SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $fn$
    BEGIN
      RETURN QUERY
      WITH done AS (
        UPDATE cases c
           SET ${sets(CASE_WRITES_COLUMNS.case, 'c', 'v.s')},
               version = c.version + 1
          FROM unnest(case_ids, versions, case_sets) AS v(id, version, s)
         WHERE c.id = v.id AND c.version = v.version
        RETURNING c.id
      ), steps AS (
        UPDATE case_steps x
           SET ${sets(CASE_WRITES_COLUMNS.step, 'x', 'w.s')}
          FROM unnest(step_case_ids, step_ids, step_sets) AS w(case_id, id, s)
         WHERE x.id = w.id AND x.case_id = w.case_id AND w.case_id IN (SELECT d.id FROM done d)
      )
      SELECT d.id FROM done d;
    END $fn$`),
  ]);
}
