import { sql, type Insertable, type Kysely } from 'kysely';
import type { AccessRecordsTable, DB } from '../../db/schema.js';

type Q = Kysely<DB>;

// ── catalogue ──────────────────────────────────────────────────────────────────────────────

const RESOURCE_COLUMNS = [
  'data_resources.code',
  'data_resources.name',
  'data_resources.summary',
  'data_resources.provider_department_id',
  'data_resources.subject_kind',
  'data_resources.fields',
  'data_resources.sharing_type',
  'data_resources.conditions',
  'data_resources.legal_basis',
  'data_resources.update_cycle',
  'data_resources.published_at',
  'data_resources.reviewed_at',
  'departments.name as provider_name',
  'departments.kind as provider_kind',
  'departments.region_code as provider_region',
] as const;

export type ResourceRow = NonNullable<Awaited<ReturnType<typeof findResource>>>;

export function listResources(db: Q) {
  return db.selectFrom('data_resources').innerJoin('departments', 'departments.id', 'data_resources.provider_department_id').select(RESOURCE_COLUMNS).orderBy('data_resources.code').execute();
}

export function findResource(db: Q, code: string) {
  return db
    .selectFrom('data_resources')
    .innerJoin('departments', 'departments.id', 'data_resources.provider_department_id')
    .select(RESOURCE_COLUMNS)
    .where('data_resources.code', '=', code)
    .executeTakeFirst();
}

export function insertResourceIfNew(db: Q, r: Insertable<DB['data_resources']>) {
  return db.insertInto('data_resources').values(r).onConflict((oc) => oc.column('code').doNothing()).returning('code').executeTakeFirst();
}

export function upsertRecord(db: Q, r: { resource_code: string; subject: string; fields: string; as_of: Date }) {
  return db
    .insertInto('data_records')
    .values(r)
    .onConflict((oc) => oc.columns(['resource_code', 'subject']).doUpdateSet({ fields: r.fields, as_of: r.as_of }))
    .execute();
}

// ── grants ─────────────────────────────────────────────────────────────────────────────────

function grantQuery(db: Q) {
  return db
    .selectFrom('sharing_grants as g')
    .innerJoin('data_resources as r', 'r.code', 'g.resource_code')
    .innerJoin('departments as p', 'p.id', 'r.provider_department_id')
    .innerJoin('departments as q', 'q.id', 'g.requester_department_id')
    .select([
      'g.id',
      'g.resource_code',
      'g.requester_department_id',
      'g.fields',
      'g.purpose',
      'g.legal_basis',
      'g.status',
      'g.requested_at',
      'g.deadline',
      'g.decided_at',
      'g.decision_reason',
      'g.valid_until',
      'g.withdrawn_at',
      'g.withdrawal_reason',
      'r.name as resource_name',
      'r.sharing_type',
      'r.provider_department_id',
      'p.name as provider_name',
      'p.region_code as provider_region',
      'q.name as requester_name',
    ]);
}

export type GrantRow = NonNullable<Awaited<ReturnType<typeof findGrant>>>;

export function findGrant(db: Q, id: string) {
  return grantQuery(db).where('g.id', '=', id).executeTakeFirst();
}

export function lockGrant(db: Q, id: string) {
  return db.selectFrom('sharing_grants').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface GrantFilter {
  /** Only grants this department requested or provides; absent = all (the efficiency officer). */
  departmentId?: string;
  status?: 'pending' | 'granted' | 'refused' | 'withdrawn' | 'expired';
  overdueBefore?: string;
  resource?: string;
  now: Date;
}

export function listGrants(db: Q, f: GrantFilter) {
  let q = grantQuery(db);
  if (f.departmentId) {
    const d = f.departmentId;
    q = q.where((eb) => eb.or([eb('g.requester_department_id', '=', d), eb('r.provider_department_id', '=', d)]));
  }
  if (f.status === 'expired') q = q.where('g.status', '=', 'granted').where('g.valid_until', '<=', f.now);
  else if (f.status === 'granted') q = q.where('g.status', '=', 'granted').where((eb) => eb.or([eb('g.valid_until', 'is', null), eb('g.valid_until', '>', f.now)]));
  else if (f.status) q = q.where('g.status', '=', f.status);
  if (f.overdueBefore) q = q.where('g.status', '=', 'pending').where('g.deadline', '<', f.overdueBefore);
  if (f.resource) q = q.where('g.resource_code', '=', f.resource);
  return q.orderBy('g.requested_at', 'desc').limit(500).execute();
}

/** A request for the same resource, field set and purpose that is pending or in force. */
export function findLiveDuplicate(db: Q, g: { resource: string; department: string; fields: string[]; purpose: string; now: Date }) {
  return db
    .selectFrom('sharing_grants')
    .select(['id', 'status'])
    .where('resource_code', '=', g.resource)
    .where('requester_department_id', '=', g.department)
    .where('purpose', '=', g.purpose)
    .where(sql<boolean>`fields = ${g.fields}::text[]`)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'granted'), eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', g.now)])])]))
    .executeTakeFirst();
}

export function insertGrant(db: Q, g: Insertable<DB['sharing_grants']>) {
  return db.insertInto('sharing_grants').values(g).returning('id').executeTakeFirstOrThrow();
}

export function decideGrant(db: Q, id: string, v: { status: 'granted' | 'refused'; decided_by: string; decided_at: Date; decision_reason: string | null; valid_until: Date | null }) {
  return db.updateTable('sharing_grants').set(v).where('id', '=', id).execute();
}

export function withdrawGrant(db: Q, id: string, v: { withdrawn_by: string; withdrawn_at: Date; withdrawal_reason: string }) {
  return db.updateTable('sharing_grants').set({ ...v, status: 'withdrawn' }).where('id', '=', id).execute();
}

// ── the exchange ───────────────────────────────────────────────────────────────────────────

export interface ExchangeContext {
  code: string;
  name: string;
  sharing_type: 'open' | 'conditional' | 'closed';
  subject_kind: 'person' | 'business';
  provider_department_id: string;
  provider_name: string;
  grants: { id: string; status: 'pending' | 'granted' | 'refused' | 'withdrawn'; fields: string[]; purpose: string; validUntil: string | null }[];
}

/**
 * A resource and the reader department's grants for it, in one round trip: what
 * sharing.policy.ts `decideExchange` needs to name why a read is refused.
 */
export async function loadGrants(db: Q, p: { code: string; departmentId: string }) {
  const r = await sql<{ resource: ExchangeContext | null }>`
    SELECT
      (SELECT json_build_object(
         'code', r.code, 'name', r.name, 'sharing_type', r.sharing_type, 'subject_kind', r.subject_kind,
         'provider_department_id', r.provider_department_id, 'provider_name', d.name,
         'grants', coalesce((SELECT json_agg(json_build_object('id', g.id, 'status', g.status, 'fields', g.fields, 'purpose', g.purpose, 'validUntil', g.valid_until))
                               FROM sharing_grants g
                              WHERE g.resource_code = r.code AND g.requester_department_id = ${p.departmentId}), '[]'::json))
         FROM data_resources r JOIN departments d ON d.id = r.provider_department_id
        WHERE r.code = ${p.code}) AS resource`.execute(db);
  return r.rows[0]!;
}

export type ResourceMeta = NonNullable<Awaited<ReturnType<typeof findResourceMeta>>>;

/** What the exchange needs to know of a resource; cached by the service (reference data). */
export function findResourceMeta(db: Q, code: string) {
  return db
    .selectFrom('data_resources')
    .innerJoin('departments', 'departments.id', 'data_resources.provider_department_id')
    .select([
      'data_resources.code',
      'data_resources.name',
      'data_resources.sharing_type',
      'data_resources.subject_kind',
      'data_resources.provider_department_id',
      'departments.name as provider_name',
    ])
    .where('data_resources.code', '=', code)
    .executeTakeFirst();
}

export function findClientKeys(db: Q, clientId: string) {
  return db.selectFrom('exchange_client_keys').select(['key_id', 'public_key']).where('client_id', '=', clientId).where('revoked_at', 'is', null).execute();
}

/**
 * One exchange read, decided and recorded in one statement — one statement is one transaction,
 * and one round trip: the client's key is still registered, a grant of the reader's department
 * for this resource is in force, names this purpose and covers every field (the allow rule of
 * sharing.policy.ts `decideExchange`, whose refusals explain the misses); the nonce is
 * remembered whatever the outcome (a replay inserts nothing); only when both hold is the record
 * read and the access record and its audit entry written. The audit row is the one
 * core/audit.ts `record` writes (the caller builds actor and details with actorRef and redact,
 * as `record` does); the sealer chains it after commit.
 */
export interface ExchangeRead {
  clientId: string;
  keyId: string;
  nonce: string;
  now: Date;
  code: string;
  subject: string;
  subjectKind: 'person' | 'business';
  providerDepartmentId: string;
  readerDepartmentId: string;
  fields: string[];
  purpose: string;
  caseNo: string | null;
  requestHash: string;
  auditActor: Record<string, unknown>;
  auditDetails: Record<string, unknown>;
}

export interface ExchangeOutcome {
  fresh: boolean;
  key_ok: boolean;
  grant_id: string | null;
  fields: Record<string, unknown> | null;
  as_of: Date | null;
  access_id: string | null;
}

/**
 * Decides and records a batch of exchange reads in ONE statement (server/core/group-commit.ts):
 * for each read the client key must be unrevoked and the API client live, a granted grant must
 * cover the purpose and the fields, and the nonce must be new; the access record and its audit
 * entry are written only for reads that pass, in the same snapshot that checked the grant, so a
 * withdrawal can never slip between the check and the record. Reads are told apart by their
 * request hash, which covers client and nonce: a batch must not hold one (client, nonce) twice.
 * Prepared once per connection (server/db/create-db.ts): planning this statement costs more
 * than running it.
 */
export async function decideReadsAndRecord(db: Q, reads: readonly ExchangeRead[]): Promise<ExchangeOutcome[]> {
  const batch = JSON.stringify(
    reads.map((p, i) => ({
      i,
      key_id: p.keyId,
      client_id: p.clientId,
      nonce: p.nonce,
      at: p.now.toISOString(),
      code: p.code,
      subject: p.subject,
      subject_kind: p.subjectKind,
      provider: p.providerDepartmentId,
      reader: p.readerDepartmentId,
      fields: p.fields,
      purpose: p.purpose,
      case_no: p.caseNo,
      request_hash: p.requestHash,
      audit_actor: p.auditActor,
      audit_details: p.auditDetails,
    })),
  );
  const r = await sql<{ i: number; fresh: boolean; key_ok: boolean; grant_id: string | null; fields: Record<string, unknown> | null; as_of: Date | null; access_id: string | null }>`/* prepared:exchange_reads */
    WITH req AS (
      SELECT * FROM jsonb_to_recordset(${batch}::jsonb) AS x(
        i int, key_id text, client_id uuid, nonce text, at timestamptz, code text, subject text, subject_kind text, provider uuid,
        reader uuid, fields text[], purpose text, case_no text, request_hash text, audit_actor jsonb, audit_details jsonb)
    ), k AS (
      SELECT r.i FROM req r
        JOIN exchange_client_keys k ON k.key_id = r.key_id AND k.client_id = r.client_id AND k.revoked_at IS NULL
        JOIN api_clients c ON c.id = r.client_id AND c.revoked_at IS NULL
    ), g AS (
      SELECT DISTINCT ON (r.i) r.i, g.id FROM req r
        JOIN sharing_grants g ON g.resource_code = r.code AND g.requester_department_id = r.reader AND g.purpose = r.purpose
        JOIN data_resources d ON d.code = g.resource_code
       WHERE g.status = 'granted' AND (g.valid_until IS NULL OR g.valid_until > r.at) AND g.fields @> r.fields
         AND d.sharing_type <> 'closed' AND r.i IN (SELECT i FROM k)
       ORDER BY r.i, g.requested_at
    ), n AS (
      INSERT INTO exchange_nonces (client_id, nonce, seen_at) SELECT client_id, nonce, at FROM req
      ON CONFLICT DO NOTHING RETURNING client_id, nonce
    ), rec AS (
      SELECT r.i, d.fields, d.as_of FROM req r JOIN data_records d ON d.resource_code = r.code AND d.subject = r.subject
    ), a AS (
      INSERT INTO access_records (at, subject_kind, subject, channel, resource_code, provider_department_id, reader_department_id,
                                  reader_kind, reader_client_id, fields, purpose, case_no, grant_id, request_hash, found)
      SELECT r.at, r.subject_kind, r.subject, 'exchange', r.code, r.provider, r.reader, 'system', r.client_id, r.fields, r.purpose,
             r.case_no, g.id, r.request_hash, rec.i IS NOT NULL
        FROM req r JOIN g ON g.i = r.i JOIN n ON n.client_id = r.client_id AND n.nonce = r.nonce LEFT JOIN rec ON rec.i = r.i
       ORDER BY r.i
      RETURNING id, found, grant_id, request_hash
    ), l AS (
      INSERT INTO audit_log (at, actor, action, subject, details)
      SELECT r.at, r.audit_actor, 'data.accessed', jsonb_build_object('accessRecord', a.id::text, 'dataResource', r.code),
             r.audit_details || jsonb_build_object('found', a.found, 'grant', a.grant_id::text)
        FROM a JOIN req r ON r.request_hash = a.request_hash
       ORDER BY r.i
      RETURNING 1
    )
    SELECT r.i, n.nonce IS NOT NULL AS fresh, k.i IS NOT NULL AS key_ok, g.id AS grant_id, rec.fields, rec.as_of, a.id AS access_id,
           (SELECT count(*) FROM l)::int AS audited
      FROM req r
      LEFT JOIN n ON n.client_id = r.client_id AND n.nonce = r.nonce
      LEFT JOIN k ON k.i = r.i
      LEFT JOIN g ON g.i = r.i
      LEFT JOIN rec ON rec.i = r.i
      LEFT JOIN a ON a.request_hash = r.request_hash
     ORDER BY r.i`.execute(db);
  if (r.rows.length !== reads.length) throw new Error(`exchange batch: ${r.rows.length} outcomes for ${reads.length} reads`);
  return r.rows.map(({ fresh, key_ok, grant_id, fields, as_of, access_id }) => ({ fresh, key_ok, grant_id, fields, as_of, access_id }));
}

export function findRecord(db: Q, code: string, subject: string) {
  return db.selectFrom('data_records').select(['fields', 'as_of']).where('resource_code', '=', code).where('subject', '=', subject).executeTakeFirst();
}

export function burnNonce(db: Q, clientId: string, nonce: string, now: Date) {
  return db.insertInto('exchange_nonces').values({ client_id: clientId, nonce, seen_at: now }).onConflict((oc) => oc.doNothing()).execute();
}

export function deleteNoncesBefore(db: Q, before: Date) {
  return db.deleteFrom('exchange_nonces').where('seen_at', '<', before).execute();
}

export function insertClientKey(db: Q, k: { key_id: string; client_id: string; public_key: string; created_by: string | null; created_at: Date }) {
  return db.insertInto('exchange_client_keys').values(k).onConflict((oc) => oc.column('key_id').doNothing()).returning(['key_id', 'client_id', 'created_at']).executeTakeFirst();
}

export function revokeClientKey(db: Q, clientId: string, keyId: string, at: Date) {
  return db
    .updateTable('exchange_client_keys')
    .set({ revoked_at: at })
    .where('client_id', '=', clientId)
    .where('key_id', '=', keyId)
    .where('revoked_at', 'is', null)
    .returning('key_id')
    .executeTakeFirst();
}

export function listClientKeys(db: Q, clientId: string) {
  return db.selectFrom('exchange_client_keys').select(['key_id', 'client_id', 'created_at', 'revoked_at']).where('client_id', '=', clientId).orderBy('created_at').execute();
}

// ── access records and objections ─────────────────────────────────────────────────────────

export function insertAccessRecord(db: Q, r: Insertable<AccessRecordsTable>) {
  return db.insertInto('access_records').values(r).returning('id').executeTakeFirstOrThrow();
}

export function listAccessRecords(db: Q, subjectKind: 'person' | 'business', subject: string) {
  return db
    .selectFrom('access_records as a')
    .innerJoin('departments as rd', 'rd.id', 'a.reader_department_id')
    .leftJoin('departments as pd', 'pd.id', 'a.provider_department_id')
    .leftJoin('data_resources as r', 'r.code', 'a.resource_code')
    .leftJoin('access_objections as o', 'o.access_record_id', 'a.id')
    .select([
      'a.id',
      'a.at',
      'a.channel',
      'a.resource_code',
      'r.name as resource_name',
      'a.provider_department_id',
      'pd.name as provider_name',
      'a.reader_department_id',
      'rd.name as reader_name',
      'a.reader_kind',
      'a.reader_client_id',
      'a.reader_account_id',
      'a.fields',
      'a.purpose',
      'a.case_no',
      'a.found',
      'o.id as objection_id',
      'o.status as objection_status',
      'o.answer as objection_answer',
    ])
    .where('a.subject_kind', '=', subjectKind)
    .where('a.subject', '=', subject)
    .orderBy('a.at', 'desc')
    .limit(1000)
    .execute();
}

/** Reads of a provider department's data, newest first (the steward's view of use). */
export function listProviderAccessRecords(db: Q, f: { providerDepartmentId: string; resource?: string | undefined; limit: number }) {
  let q = db
    .selectFrom('access_records as a')
    .innerJoin('departments as rd', 'rd.id', 'a.reader_department_id')
    .select(['a.id', 'a.at', 'a.channel', 'a.resource_code', 'a.subject', 'a.reader_department_id', 'rd.name as reader_name', 'a.reader_kind', 'a.reader_client_id', 'a.reader_account_id', 'a.fields', 'a.purpose', 'a.case_no', 'a.grant_id', 'a.found'])
    .where('a.provider_department_id', '=', f.providerDepartmentId);
  if (f.resource) q = q.where('a.resource_code', '=', f.resource);
  return q.orderBy('a.at', 'desc').limit(f.limit).execute();
}

export function findAccessRecord(db: Q, id: string) {
  return db
    .selectFrom('access_records')
    .select(['id', 'subject_kind', 'subject', 'provider_department_id', 'reader_department_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function insertObjection(db: Q, o: { access_record_id: string; provider_department_id: string; raised_by: string; reason: string; raised_at: Date }) {
  return db.insertInto('access_objections').values({ ...o, status: 'open' }).returning(['id', 'raised_at']).executeTakeFirstOrThrow();
}

export function listObjections(db: Q, departmentId: string) {
  return db
    .selectFrom('access_objections as o')
    .innerJoin('access_records as a', 'a.id', 'o.access_record_id')
    .innerJoin('departments as rd', 'rd.id', 'a.reader_department_id')
    .select([
      'o.id',
      'o.reason',
      'o.raised_at',
      'o.status',
      'o.answer',
      'o.answered_at',
      'a.id as record_id',
      'a.at as record_at',
      'rd.name as reader_name',
      'a.fields',
      'a.purpose',
      'a.case_no',
      'a.resource_code',
      'a.subject',
    ])
    .where('o.provider_department_id', '=', departmentId)
    .orderBy('o.raised_at', 'desc')
    .limit(500)
    .execute();
}

export function lockObjection(db: Q, id: string) {
  return db.selectFrom('access_objections').select(['id', 'status', 'provider_department_id']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function answerObjection(db: Q, id: string, v: { answer: string; answered_by: string; answered_at: Date }) {
  return db.updateTable('access_objections').set({ ...v, status: 'answered' }).where('id', '=', id).execute();
}
