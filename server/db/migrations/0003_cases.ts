import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/** Calendar overrides, uploads, idempotency keys, cases with steps and timeline, the inbox and the outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`CREATE TABLE calendar_overrides (
      region_code text NOT NULL REFERENCES regions(code),
      date date NOT NULL,
      kind text NOT NULL CHECK (kind IN ('workday','holiday')),
      reason text NOT NULL,
      created_by uuid REFERENCES accounts(id),
      PRIMARY KEY (region_code, date)
    )`,
    sql`CREATE TABLE uploads (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_account_id uuid NOT NULL REFERENCES accounts(id),
      filename text NOT NULL,
      media_type text NOT NULL,
      size_bytes integer NOT NULL,
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      created_at timestamptz NOT NULL
    )`,
    sql`CREATE INDEX uploads_owner ON uploads(owner_account_id)`,
    sql`CREATE TABLE idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (scope, key)
    )`,
    sql`CREATE TABLE life_event_applications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      event_code text NOT NULL,
      applicant_account_id uuid NOT NULL REFERENCES accounts(id),
      owner_department_id uuid NOT NULL REFERENCES departments(id),
      region_code text NOT NULL REFERENCES regions(code),
      form jsonb NOT NULL,
      created_at timestamptz NOT NULL
    )`,
    sql`CREATE SEQUENCE case_no_seq`,
    sql`CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_no text NOT NULL UNIQUE,
      query_code text NOT NULL,
      item_code text NOT NULL,
      item_name text NOT NULL,
      implementation_version_id text NOT NULL,
      implementation_version integer NOT NULL,
      region_code text NOT NULL REFERENCES regions(code),
      department_id uuid NOT NULL REFERENCES departments(id),
      applicant_account_id uuid NOT NULL REFERENCES accounts(id),
      applicant_kind text NOT NULL,
      filed_by uuid NOT NULL REFERENCES accounts(id),
      channel text NOT NULL CHECK (channel IN ('online','window')),
      status text NOT NULL,
      decision text CHECK (decision IN ('approved','denied')),
      decision_reason text,
      decision_basis text,
      form jsonb NOT NULL,
      promised_days integer NOT NULL,
      submitted_at timestamptz NOT NULL,
      intake_deadline date NOT NULL,
      accepted_at timestamptz,
      deadline date,
      paused_since date,
      concluded_at timestamptz,
      bounces integer NOT NULL DEFAULT 0,
      escalated_at timestamptz,
      life_event_application_id uuid REFERENCES life_event_applications(id),
      owed jsonb,
      version integer NOT NULL DEFAULT 1
    )`,
    sql`CREATE INDEX cases_applicant ON cases(applicant_account_id, submitted_at DESC)`,
    sql`CREATE INDEX cases_department_status ON cases(department_id, status)`,
    sql`CREATE INDEX cases_open_deadline ON cases(deadline) WHERE status IN ('in_review','awaiting_applicant')`,
    sql`CREATE INDEX cases_intake ON cases(intake_deadline) WHERE status = 'submitted'`,
    sql`CREATE INDEX cases_life_event ON cases(life_event_application_id) WHERE life_event_application_id IS NOT NULL`,
    sql`CREATE TABLE case_materials (
      case_id uuid NOT NULL REFERENCES cases(id),
      material_id text NOT NULL,
      name text NOT NULL,
      source text NOT NULL CHECK (source IN ('upload','certificate','data','owed')),
      upload_id uuid REFERENCES uploads(id),
      reference text,
      PRIMARY KEY (case_id, material_id)
    )`,
    sql`CREATE TABLE case_steps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      stage integer NOT NULL,
      key text NOT NULL,
      name text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      days integer NOT NULL,
      status text NOT NULL,
      claimed_by uuid REFERENCES accounts(id),
      started_at timestamptz,
      deadline date,
      finished_at timestamptz,
      transfers integer NOT NULL DEFAULT 0,
      UNIQUE (case_id, key)
    )`,
    sql`CREATE INDEX case_steps_queue ON case_steps(department_id, deadline) WHERE status IN ('active','claimed')`,
    sql`CREATE TABLE case_events (
      id bigserial PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      at timestamptz NOT NULL,
      actor jsonb NOT NULL,
      action text NOT NULL,
      step_key text,
      from_status text,
      to_status text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'
    )`,
    sql`CREATE INDEX case_events_case ON case_events(case_id, id)`,
    sql`CREATE TABLE verification_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      due date NOT NULL,
      status text NOT NULL DEFAULT 'open',
      created_at timestamptz NOT NULL
    )`,
    sql`CREATE TABLE messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id),
      case_no text,
      title text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL,
      read_at timestamptz
    )`,
    sql`CREATE INDEX messages_account ON messages(account_id, created_at DESC)`,
    sql`CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      channel text NOT NULL CHECK (channel IN ('email')),
      recipient text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      sent_at timestamptz,
      last_error text
    )`,
    sql`CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL`,
    sql`ALTER TABLE accounts ADD COLUMN email text`,
  ]);
}
