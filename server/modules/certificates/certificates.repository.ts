import { sql, type Insertable, type Kysely } from 'kysely';
import type { CertificatesTable, DB } from '../../db/schema.js';

type Q = Kysely<DB>;

/** Public columns of a key: the sealed private key is read only by `findSigningKey`. */
const KEY_COLUMNS = [
  'certificate_keys.key_id',
  'certificate_keys.department_id',
  'certificate_keys.algorithm',
  'certificate_keys.public_key',
  'certificate_keys.valid_from',
  'certificate_keys.valid_until',
  'certificate_keys.retired_at',
  'departments.name as department_name',
  'departments.region_code',
] as const;

export type KeyRow = NonNullable<Awaited<ReturnType<typeof findKey>>>;

export function listKeys(db: Q) {
  return db
    .selectFrom('certificate_keys')
    .innerJoin('departments', 'departments.id', 'certificate_keys.department_id')
    .select(KEY_COLUMNS)
    .orderBy('certificate_keys.created_at')
    .execute();
}

export function findKey(db: Q, keyId: string) {
  return db
    .selectFrom('certificate_keys')
    .innerJoin('departments', 'departments.id', 'certificate_keys.department_id')
    .select(KEY_COLUMNS)
    .where('certificate_keys.key_id', '=', keyId)
    .executeTakeFirst();
}

/** The department's current key of an algorithm, with its sealed private key (signing only). */
export function findSigningKey(db: Q, departmentId: string, algorithm: 'ed25519' | 'sm2', lock = false) {
  const q = db
    .selectFrom('certificate_keys')
    .select(['key_id', 'algorithm', 'private_key', 'public_key'])
    .where('department_id', '=', departmentId)
    .where('algorithm', '=', algorithm)
    .where('retired_at', 'is', null);
  // FOR SHARE: a rotation waits until the certificates signed with this key have committed
  return (lock ? q.forShare() : q).executeTakeFirst();
}

export function retireKeys(db: Q, departmentId: string, algorithm: 'ed25519' | 'sm2', at: Date) {
  return db
    .updateTable('certificate_keys')
    .set({ retired_at: at })
    .where('department_id', '=', departmentId)
    .where('algorithm', '=', algorithm)
    .where('retired_at', 'is', null)
    .returning('key_id')
    .execute();
}

/** Inserts a department's first key; a concurrent first use wins and this one is dropped. */
export function insertKeyIfNone(
  db: Q,
  k: { key_id: string; department_id: string; algorithm: 'ed25519' | 'sm2'; public_key: string; private_key: string; encrypted: boolean; valid_from: Date },
) {
  return db
    .insertInto('certificate_keys')
    .values(k)
    .onConflict((oc) => oc.columns(['department_id', 'algorithm']).where('retired_at', 'is', null).doNothing())
    .returning('key_id')
    .executeTakeFirst();
}

/** The next serial of a prefix; the row lock serialises concurrent issuers of the same prefix only. */
export async function nextSerial(db: Q, prefix: string): Promise<number> {
  const r = await db
    .insertInto('certificate_serials')
    .values({ prefix, last: 1 })
    .onConflict((oc) => oc.column('prefix').doUpdateSet({ last: sql`certificate_serials.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return r.last;
}

/** The INSERT of a certificate, unexecuted: issuing writes it in one statement with its audit entry. */
export function insertCertificate(db: Q, row: Insertable<CertificatesTable>) {
  return db.insertInto('certificates').values(row);
}

const CERT_COLUMNS = [
  'certificates.cert_no',
  'certificates.type',
  'certificates.type_name',
  'certificates.holder_kind',
  'certificates.holder_id',
  'certificates.holder_name',
  'certificates.issuer_department_id',
  'certificates.key_id',
  'certificates.issued_at',
  'certificates.valid_until',
  'certificates.document',
  'certificates.signature',
  'certificates.revoked_at',
  'certificates.revocation_reason',
] as const;

export type CertificateRow = NonNullable<Awaited<ReturnType<typeof findCertificate>>>;

export function findCertificate(db: Q, certNo: string, forUpdate = false) {
  const q = db.selectFrom('certificates').select(CERT_COLUMNS).where('cert_no', '=', certNo);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/** A certificate with its key in one round trip (the verify endpoints). */
export function findCertificateWithKey(db: Q, certNo: string) {
  return db
    .selectFrom('certificates')
    .innerJoin('certificate_keys', 'certificate_keys.key_id', 'certificates.key_id')
    .innerJoin('departments', 'departments.id', 'certificate_keys.department_id')
    .select(CERT_COLUMNS)
    .select(KEY_COLUMNS)
    .where('certificates.cert_no', '=', certNo)
    .executeTakeFirst();
}

/** A presented document's key and the registry's status of its number, in one round trip (POST verify). */
export function findKeyAndStatus(db: Q, keyId: string, certNo: string) {
  return db
    .selectFrom('certificate_keys')
    .innerJoin('departments', 'departments.id', 'certificate_keys.department_id')
    .leftJoin('certificates', (j) => j.on('certificates.cert_no', '=', certNo))
    .select(KEY_COLUMNS)
    .select(['certificates.cert_no as registered_no', 'certificates.revoked_at', 'certificates.revocation_reason'])
    .where('certificate_keys.key_id', '=', keyId)
    .executeTakeFirst();
}

export function listByHolder(db: Q, kind: 'person' | 'business', holderId: string) {
  return db
    .selectFrom('certificates')
    .select(CERT_COLUMNS)
    .where('holder_kind', '=', kind)
    .where('holder_id', '=', holderId)
    .orderBy('issued_at', 'desc')
    .execute();
}

export function findByOriginal(db: Q, type: string, departmentId: string, originalNos: string[]) {
  if (originalNos.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('certificates')
    .select(['original_no', 'cert_no'])
    .where('type', '=', type)
    .where('issuer_department_id', '=', departmentId)
    .where('original_no', 'in', originalNos)
    .execute();
}

export function revoke(db: Q, certNo: string, at: Date, by: string | null, reason: string) {
  return db.updateTable('certificates').set({ revoked_at: at, revoked_by: by, revocation_reason: reason }).where('cert_no', '=', certNo).execute();
}

/**
 * The full identifier of a signed-in person (ID number) or business (credit code). The identity
 * module's public surface shows these only masked; the wallet and the access records need the
 * full number to find what belongs to the account, so this one read of `accounts` lives here.
 */
export function findAccountSubject(db: Q, accountId: string) {
  return db.selectFrom('accounts').select(['kind', 'id_number', 'credit_code', 'name']).where('id', '=', accountId).executeTakeFirst();
}

export function insertShare(db: Q, s: { cert_no: string; token_hash: string; created_by: string; created_at: Date; expires_at: Date }) {
  return db.insertInto('certificate_shares').values(s).returning(['id', 'created_at', 'expires_at']).executeTakeFirstOrThrow();
}

export function findShareByToken(db: Q, tokenHash: string) {
  return db
    .selectFrom('certificate_shares')
    .select(['id', 'cert_no', 'expires_at', 'withdrawn_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function withdrawShare(db: Q, id: string, certNo: string, at: Date) {
  return db
    .updateTable('certificate_shares')
    .set({ withdrawn_at: at })
    .where('id', '=', id)
    .where('cert_no', '=', certNo)
    .where('withdrawn_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

export function listShares(db: Q, certNo: string) {
  return db.selectFrom('certificate_shares').select(['id', 'cert_no', 'created_at', 'expires_at', 'withdrawn_at']).where('cert_no', '=', certNo).orderBy('created_at', 'desc').execute();
}
