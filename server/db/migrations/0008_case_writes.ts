import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * `col = CASE WHEN s ? 'col' THEN <s's value> ELSE col END`: a column the change does not name
 * keeps its value. `s`: the change's jsonb (migration 0010 names it by its row's alias).
 */
export function sets(columns: Record<string, string>, target: string, s = 's'): string {
  return Object.entries(columns)
    .map(([col, type]) => {
      const value = type === 'jsonb' ? `nullif(${s}->'${col}', 'null'::jsonb)` : `(${s}->>'${col}')::${type}`;
      return `${col} = CASE WHEN ${s} ? '${col}' THEN ${value} ELSE ${target}.${col} END`;
    })
    .join(',\n           ');
}

/**
 * The columns case_writes_apply updates, with their SQL types (a jsonb column's value is its JSON
 * text): the batched writer sends only these (cases.writer.ts). A new one needs a new migration
 * that replaces the function, and the writer then takes its list from that one.
 */
export const CASE_WRITES_COLUMNS = {
  case: {
    status: 'text',
    decision: 'text',
    decision_reason: 'text',
    decision_basis: 'text',
    form: 'jsonb',
    accepted_at: 'timestamptz',
    deadline: 'date',
    intake_deadline: 'date',
    paused_since: 'date',
    concluded_at: 'timestamptz',
    bounces: 'int',
    escalated_at: 'timestamptz',
    owed: 'jsonb',
  },
  step: {
    status: 'text',
    claimed_by: 'uuid',
    started_at: 'timestamptz',
    deadline: 'date',
    finished_at: 'timestamptz',
    department_id: 'uuid',
    transfers: 'int',
  },
} as const;

/**
 * The case and step updates of the case engine's batched writer (server/modules/cases/cases.writer.ts):
 * for each change, its case is updated only at the version the change was decided on, and then
 * its steps; the ids of the cases updated are returned. A loop of updates by primary key, not one
 * UPDATE … FROM a list: PostgreSQL plans a prepared statement's join once per connection, and
 * while the table is small (a new database) it picks a hash join over a sequential scan of every
 * case, and keeps it (seen as 3–5 ms per batch at 3,000 cases). The writer's test sets each of
 * the columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql.raw(`CREATE FUNCTION case_writes_apply(case_ids uuid[], versions int[], case_sets jsonb[], step_case_ids uuid[], step_ids uuid[], step_sets jsonb[])
      RETURNS SETOF uuid LANGUAGE plpgsql AS $fn$
    DECLARE
      s jsonb;
      done uuid;
    BEGIN
      FOR i IN 1 .. coalesce(array_length(case_ids, 1), 0) LOOP
        s := case_sets[i];
        done := NULL;
        UPDATE cases c
           SET ${sets(CASE_WRITES_COLUMNS.case, 'c')},
               version = c.version + 1
         WHERE c.id = case_ids[i] AND c.version = versions[i]
        RETURNING c.id INTO done;
        CONTINUE WHEN done IS NULL;
        FOR j IN 1 .. coalesce(array_length(step_ids, 1), 0) LOOP
          CONTINUE WHEN step_case_ids[j] <> done;
          s := step_sets[j];
          UPDATE case_steps x
             SET ${sets(CASE_WRITES_COLUMNS.step, 'x')}
           WHERE x.case_id = done AND x.id = step_ids[j];
        END LOOP;
        RETURN NEXT done;
      END LOOP;
    END $fn$`),
  ]);
}
