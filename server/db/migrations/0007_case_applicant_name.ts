import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The applicant's name as filed: the application is made under the name the applicant held that
 * day, and reading it from the case spares a join on every view.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`ALTER TABLE cases ADD COLUMN applicant_name text`,
    sql`UPDATE cases c SET applicant_name = a.name FROM accounts a WHERE a.id = c.applicant_account_id`,
    sql`ALTER TABLE cases ALTER COLUMN applicant_name SET NOT NULL`,
  ]);
}
