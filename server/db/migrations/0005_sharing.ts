import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Data sharing between departments (国发〔2016〕51号; 国务院令第809号 政务数据共享条例): the data
 * catalogue (政务信息资源目录) and each resource's records, sharing grants (共享申请), the signed
 * exchange (client keys, nonces against replay), and access records (数据访问记录) with the data
 * subject's objections.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`CREATE TABLE data_resources (
      -- '部门.资源' as the catalogue's materials name them (public_security.household)
      code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_.]*$'),
      name text NOT NULL,
      summary text NOT NULL DEFAULT '',
      provider_department_id uuid NOT NULL REFERENCES departments(id),
      subject_kind text NOT NULL CHECK (subject_kind IN ('person','business')),
      -- [{name, label, personal}]: what a grant may cover, field by field
      fields jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'array' AND jsonb_array_length(fields) > 0),
      sharing_type text NOT NULL CHECK (sharing_type IN ('open','conditional','closed')),
      conditions text,
      -- 国发〔2016〕51号: conditional and closed sharing need a basis in law, regulation or central policy
      legal_basis text,
      update_cycle text NOT NULL CHECK (update_cycle IN ('realtime','daily','weekly','monthly','quarterly','yearly')),
      published_at timestamptz NOT NULL,
      -- the catalogue is reviewed at least once a year
      reviewed_at timestamptz NOT NULL,
      CHECK (sharing_type = 'open' OR length(trim(coalesce(legal_basis, ''))) > 0)
    )`,
    sql`CREATE INDEX data_resources_provider ON data_resources (provider_department_id)`,
    sql`CREATE TABLE data_records (
      resource_code text NOT NULL REFERENCES data_resources(code),
      -- GB 11643 ID number or GB 32100 credit code
      subject text NOT NULL,
      fields jsonb NOT NULL,
      as_of timestamptz NOT NULL,
      PRIMARY KEY (resource_code, subject)
    )`,
    sql`CREATE TABLE sharing_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resource_code text NOT NULL REFERENCES data_resources(code),
      requester_department_id uuid NOT NULL REFERENCES departments(id),
      -- sorted, so that one field set has one spelling
      fields text[] NOT NULL CHECK (cardinality(fields) > 0),
      purpose text NOT NULL,
      legal_basis text,
      status text NOT NULL CHECK (status IN ('pending','granted','refused','withdrawn')),
      requested_by uuid NOT NULL REFERENCES accounts(id),
      requested_at timestamptz NOT NULL,
      -- a conditional request is answered within 10 working days of the provider's calendar
      deadline date,
      decided_by uuid REFERENCES accounts(id),
      decided_at timestamptz,
      decision_reason text,
      valid_until timestamptz,
      withdrawn_by uuid REFERENCES accounts(id),
      withdrawn_at timestamptz,
      withdrawal_reason text,
      CHECK (status <> 'refused' OR length(trim(coalesce(decision_reason, ''))) > 0),
      CHECK (status <> 'withdrawn' OR withdrawn_at IS NOT NULL)
    )`,
    sql`CREATE INDEX sharing_grants_lookup ON sharing_grants (requester_department_id, resource_code)`,
    sql`CREATE INDEX sharing_grants_pending ON sharing_grants (deadline) WHERE status = 'pending'`,
    sql`CREATE TABLE exchange_client_keys (
      key_id text PRIMARY KEY,
      client_id uuid NOT NULL REFERENCES api_clients(id),
      -- the department system's own Ed25519 public key (SPKI PEM); its private key never reaches us
      public_key text NOT NULL,
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      revoked_at timestamptz
    )`,
    sql`CREATE INDEX exchange_client_keys_client ON exchange_client_keys (client_id) WHERE revoked_at IS NULL`,
    sql`CREATE TABLE exchange_nonces (
      client_id uuid NOT NULL,
      nonce text NOT NULL,
      -- kept 10 minutes: a request older than ±5 minutes is refused by its timestamp anyway
      seen_at timestamptz NOT NULL,
      PRIMARY KEY (client_id, nonce)
    )`,
    sql`CREATE INDEX exchange_nonces_seen ON exchange_nonces (seen_at)`,
    sql`CREATE TABLE access_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      at timestamptz NOT NULL,
      subject_kind text NOT NULL CHECK (subject_kind IN ('person','business')),
      subject text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('exchange','case_view')),
      resource_code text REFERENCES data_resources(code),
      -- whose data it is: the resource's provider; for a case view, the department holding the case
      provider_department_id uuid REFERENCES departments(id),
      reader_department_id uuid NOT NULL REFERENCES departments(id),
      reader_kind text NOT NULL CHECK (reader_kind IN ('system','staff')),
      reader_client_id uuid,
      reader_account_id uuid REFERENCES accounts(id),
      fields text[] NOT NULL,
      purpose text NOT NULL,
      case_no text,
      grant_id uuid REFERENCES sharing_grants(id),
      -- SHA-256 of the canonical signed request (exchange), binding the record to it
      request_hash text,
      found boolean NOT NULL DEFAULT true
    )`,
    // 个人信息保护法 art. 56: records of personal-data processing are kept at least 3 years
    sql`CREATE INDEX access_records_subject ON access_records (subject_kind, subject, at DESC)`,
    sql`CREATE TABLE access_objections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      access_record_id uuid NOT NULL REFERENCES access_records(id),
      provider_department_id uuid NOT NULL REFERENCES departments(id),
      raised_by uuid NOT NULL REFERENCES accounts(id),
      reason text NOT NULL,
      raised_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('open','answered')),
      answer text,
      answered_by uuid REFERENCES accounts(id),
      answered_at timestamptz
    )`,
    sql`CREATE INDEX access_objections_provider ON access_objections (provider_department_id, status)`,
  ]);
}
