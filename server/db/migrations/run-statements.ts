import type { Kysely, RawBuilder } from 'kysely';

/** PGlite's extended protocol takes one statement per query: run DDL one statement at a time. */
export async function runStatements(db: Kysely<unknown>, statements: RawBuilder<unknown>[]): Promise<void> {
  for (const s of statements) await s.execute(db);
}
