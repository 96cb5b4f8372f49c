import { sql, type Kysely } from 'kysely';
import type { DB, AccountsTable } from '../../db/schema.js';
import type { Insertable } from 'kysely';

type Q = Kysely<DB>;

export const ACCOUNT_COLUMNS = [
  'accounts.id',
  'accounts.kind',
  'accounts.username',
  'accounts.password_hash',
  'accounts.name',
  'accounts.id_number',
  'accounts.phone',
  'accounts.credit_code',
  'accounts.legal_rep_name',
  'accounts.legal_rep_id_number',
  'accounts.region_code',
  'accounts.department_id',
  'accounts.roles',
  'accounts.serious_bad_credit',
  'accounts.failed_attempts',
  'accounts.locked_until',
  'accounts.disabled',
] as const;

function accountWithDepartment(db: Q) {
  return db
    .selectFrom('accounts')
    .leftJoin('departments', 'departments.id', 'accounts.department_id')
    .select(ACCOUNT_COLUMNS)
    .select(['departments.name as department_name', 'departments.region_code as department_region']);
}

export type AccountRow = NonNullable<Awaited<ReturnType<typeof findAccountById>>>;

export function findAccountById(db: Q, id: string) {
  return accountWithDepartment(db).where('accounts.id', '=', id).executeTakeFirst();
}

export function findAccountByUsername(db: Q, username: string, forUpdate = false) {
  const q = accountWithDepartment(db).where(sql`lower(accounts.username)`, '=', username.toLowerCase());
  return (forUpdate ? q.forUpdate('accounts') : q).executeTakeFirst();
}

export function insertAccount(db: Q, values: Insertable<AccountsTable>) {
  return db.insertInto('accounts').values(values).returning('id').executeTakeFirstOrThrow();
}

export function setLoginState(db: Q, id: string, failedAttempts: number, lockedUntil: Date | null) {
  return db.updateTable('accounts').set({ failed_attempts: failedAttempts, locked_until: lockedUntil }).where('id', '=', id).execute();
}

export function listStaff(db: Q, departmentId: string) {
  return accountWithDepartment(db).where('accounts.department_id', '=', departmentId).orderBy('accounts.username').execute();
}

export function insertSession(db: Q, idHash: string, accountId: string, createdAt: Date, expiresAt: Date) {
  return db.insertInto('sessions').values({ id_hash: idHash, account_id: accountId, created_at: createdAt, expires_at: expiresAt }).execute();
}

export function deleteSession(db: Q, idHash: string) {
  return db.deleteFrom('sessions').where('id_hash', '=', idHash).returning('account_id').executeTakeFirst();
}

/** The account behind a live session, in one round trip (every authenticated request asks). */
export function findSessionAccount(db: Q, idHash: string, now: Date) {
  return accountWithDepartment(db)
    .innerJoin('sessions', 'sessions.account_id', 'accounts.id')
    .select('sessions.expires_at')
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export function insertApiClient(db: Q, v: { department_id: string; name: string; token_hash: string; scopes: string[]; created_by: string | null }) {
  return db.insertInto('api_clients').values(v).returning(['id', 'department_id', 'name', 'scopes', 'created_at']).executeTakeFirstOrThrow();
}

export function findApiClientByHash(db: Q, tokenHash: string) {
  return db
    .selectFrom('api_clients')
    .innerJoin('departments', 'departments.id', 'api_clients.department_id')
    .select(['api_clients.id', 'api_clients.department_id', 'api_clients.scopes', 'api_clients.revoked_at', 'departments.region_code'])
    .where('api_clients.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function listApiClients(db: Q, departmentId: string) {
  return db
    .selectFrom('api_clients')
    .select(['id', 'department_id', 'name', 'scopes', 'created_at', 'revoked_at'])
    .where('department_id', '=', departmentId)
    .orderBy('created_at')
    .execute();
}

export function countAdmins(db: Q) {
  return db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql<boolean>`'system_admin' = ANY(roles)`)
    .executeTakeFirstOrThrow();
}
