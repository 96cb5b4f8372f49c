import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/** Expired Idempotency-Keys are found by when they were made (core/idempotency.ts pruneKeys). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [sql`CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at)`]);
}
