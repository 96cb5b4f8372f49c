import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/** Regions, departments, accounts, sessions, API clients and the audit chain. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`CREATE TABLE regions (
      code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
      name text NOT NULL,
      level text NOT NULL CHECK (level IN ('province','city','county')),
      parent_code text REFERENCES regions(code),
      -- GB/T 2260 parent where the governing parent differs (雄县 130638 is filed under 保定 130600, governed by 雄安新区 133100)
      gb_parent_code text,
      -- false for codes GB/T 2260 does not list (雄安新区 133100 is a provincial local code)
      in_gb2260 boolean NOT NULL DEFAULT true,
      -- ancestors from the province down to this region, inclusive
      path text[] NOT NULL
    )`,
    sql`CREATE INDEX regions_parent ON regions(parent_code)`,
    sql`CREATE INDEX regions_path ON regions USING gin(path)`,
    sql`CREATE TABLE departments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      region_code text NOT NULL REFERENCES regions(code),
      kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{1,31}$'),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (region_code, kind)
    )`,
    sql`CREATE TABLE accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('person','business','staff')),
      username text NOT NULL,
      password_hash text NOT NULL,
      name text NOT NULL,
      id_number text,
      phone text,
      credit_code text,
      legal_rep_name text,
      legal_rep_id_number text,
      region_code text REFERENCES regions(code),
      department_id uuid REFERENCES departments(id),
      roles text[] NOT NULL DEFAULT '{}',
      -- seam for supervision: serious bad credit excludes 容缺受理 and 告知承诺 (国办发〔2020〕42号)
      serious_bad_credit boolean NOT NULL DEFAULT false,
      failed_attempts integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      disabled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (kind <> 'person' OR id_number IS NOT NULL),
      CHECK (kind <> 'business' OR (credit_code IS NOT NULL AND legal_rep_id_number IS NOT NULL)),
      CHECK (kind <> 'staff' OR department_id IS NOT NULL)
    )`,
    sql`CREATE UNIQUE INDEX accounts_username ON accounts (lower(username))`,
    sql`CREATE UNIQUE INDEX accounts_person_id_number ON accounts (id_number) WHERE kind = 'person'`,
    sql`CREATE UNIQUE INDEX accounts_business_credit_code ON accounts (credit_code) WHERE kind = 'business'`,
    sql`CREATE INDEX accounts_department ON accounts (department_id) WHERE department_id IS NOT NULL`,
    sql`CREATE TABLE sessions (
      id_hash text PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )`,
    sql`CREATE INDEX sessions_account ON sessions(account_id)`,
    sql`CREATE TABLE api_clients (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      scopes text[] NOT NULL,
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`,
    sql`CREATE TABLE audit_log (
      seq bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      actor jsonb NOT NULL,
      action text NOT NULL,
      subject jsonb NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      -- filled by the sealer shortly after commit, in commit order (see docs/adr/0003)
      chain_index bigint UNIQUE,
      prev_hash text,
      hash text,
      sealed_at timestamptz
    )`,
    sql`CREATE INDEX audit_log_unsealed ON audit_log(seq) WHERE chain_index IS NULL`,
    sql`CREATE INDEX audit_log_subject ON audit_log USING gin(subject jsonb_path_ops)`,
    sql`CREATE TABLE audit_checkpoints (
      chain_index bigint PRIMARY KEY,
      hash text NOT NULL,
      sealed_at timestamptz NOT NULL
    )`,
  ]);
}
