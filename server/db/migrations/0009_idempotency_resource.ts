import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * What a key's request created (a case number): the statement that creates it claims the key in
 * the same statement (core/idempotency.ts idempotentStatement), and a retry that finds the key
 * claimed but its answer not yet stored answers from the resource.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [sql`ALTER TABLE idempotency_keys ADD COLUMN resource text`]);
}
