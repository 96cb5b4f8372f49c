/**
 * Table types for Kysely. Keep in step with migrations/ (one history, append only).
 * Generated<T> marks columns with a database default.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface RegionsTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent_code: string | null;
  gb_parent_code: string | null;
  in_gb2260: Generated<boolean>;
  path: string[];
}

export interface DepartmentsTable {
  id: Generated<string>;
  region_code: string;
  kind: string;
  name: string;
  created_at: Generated<Date>;
}

export interface AccountsTable {
  id: Generated<string>;
  kind: 'person' | 'business' | 'staff';
  username: string;
  password_hash: string;
  name: string;
  id_number: string | null;
  phone: string | null;
  credit_code: string | null;
  legal_rep_name: string | null;
  legal_rep_id_number: string | null;
  region_code: string | null;
  department_id: string | null;
  roles: Generated<string[]>;
  serious_bad_credit: Generated<boolean>;
  failed_attempts: Generated<number>;
  locked_until: Timestamp | null;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
  email: string | null;
}

export interface SessionsTable {
  id_hash: string;
  account_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiClientsTable {
  id: Generated<string>;
  department_id: string;
  name: string;
  token_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: Timestamp;
  actor: Json;
  action: string;
  subject: Json;
  details: Json;
  chain_index: number | null;
  prev_hash: string | null;
  hash: string | null;
  sealed_at: Timestamp | null;
}

export interface AuditCheckpointsTable {
  chain_index: number;
  hash: string;
  sealed_at: Timestamp;
}

/** Catalogue (0002_catalogue): versions are rows; `created_by`/`published_by` are NULL when the console acted. */
type VersionStatus = 'draft' | 'published' | 'superseded';

export interface CertificateTypesTable {
  code: string;
  name: string;
  issuing_department_kind: string;
}

export interface SearchSynonymsTable {
  phrase: string;
  expands_to: string;
}

export interface PowersTable {
  code: string;
  version: number;
  status: VersionStatus;
  name: string;
  power_type: string;
  legal_basis: string;
  competent_department_kind: string;
  content_hash: string;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
  published_by: string | null;
  published_at: Timestamp | null;
  superseded_at: Timestamp | null;
}

export interface ServiceItemsTable {
  id: Generated<string>;
  item_code: string;
  created_at: Timestamp;
}

export interface ServiceItemVersionsTable {
  id: Generated<string>;
  item_id: string;
  item_code: string;
  version: number;
  status: VersionStatus;
  name: string;
  item_type: string;
  applicant_kinds: string[];
  power_code: string | null;
  legal_basis: string;
  set_at_level: string;
  statutory_days: number | null;
  result_type: string | null;
  competent_department_kind: string;
  competent_department_name: string;
  implementing_department_kind: string;
  conditions: string;
  quantity_limit: string;
  search_vector: string;
  content_hash: string;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
  published_by: string | null;
  published_at: Timestamp | null;
  superseded_at: Timestamp | null;
}

export interface ItemImplementationsTable {
  id: Generated<string>;
  item_id: string;
  region_code: string;
  department_id: string;
  created_at: Timestamp;
}

export interface ImplementationVersionsTable {
  id: Generated<string>;
  implementation_id: string;
  version: number;
  status: VersionStatus;
  item_id: string;
  item_code: string;
  item_version: number;
  region_code: string;
  region_path: string[];
  department_id: string;
  department_kind: string;
  department_name: string;
  name: string;
  item_type: string;
  legal_basis: string;
  competent_department_kind: string;
  implementing_department_kind: string;
  promised_days: number;
  case_type: 'instant' | 'promised';
  online_depth: number;
  visits_required: number;
  fees: Json;
  materials: Json;
  form_schema: Json;
  review_plan: Json;
  service_hall: string;
  office_hours: string;
  consult_phone: string;
  complaint_phone: string;
  content_hash: string;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
  published_by: string | null;
  published_at: Timestamp | null;
  superseded_at: Timestamp | null;
}

export interface LifeEventsTable {
  code: string;
  version: number;
  status: VersionStatus;
  name: string;
  description: string;
  item_codes: string[];
  form_schema: Json;
  field_map: Json;
  content_hash: string;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
  published_by: string | null;
  published_at: Timestamp | null;
  superseded_at: Timestamp | null;
}

export interface CalendarOverridesTable {
  region_code: string;
  date: string;
  kind: 'workday' | 'holiday';
  reason: string;
  created_by: string | null;
}

export interface UploadsTable {
  id: Generated<string>;
  owner_account_id: string;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: Timestamp;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json;
  created_at: Timestamp;
  /** What the request created (a case number), when its statement claimed the key (0009). */
  resource: string | null;
}

export interface LifeEventApplicationsTable {
  id: Generated<string>;
  event_code: string;
  applicant_account_id: string;
  owner_department_id: string;
  region_code: string;
  form: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface CasesTable {
  id: Generated<string>;
  case_no: string;
  query_code: string;
  item_code: string;
  item_name: string;
  implementation_version_id: string;
  implementation_version: number;
  region_code: string;
  department_id: string;
  applicant_account_id: string;
  applicant_kind: string;
  applicant_name: string;
  filed_by: string;
  channel: 'online' | 'window';
  status: string;
  decision: 'approved' | 'denied' | null;
  decision_reason: string | null;
  decision_basis: string | null;
  form: Json<Record<string, unknown>>;
  promised_days: number;
  submitted_at: Timestamp;
  intake_deadline: string;
  accepted_at: Timestamp | null;
  deadline: string | null;
  paused_since: string | null;
  concluded_at: Timestamp | null;
  bounces: Generated<number>;
  escalated_at: Timestamp | null;
  life_event_application_id: string | null;
  owed: Json<unknown> | null;
  version: Generated<number>;
}

export interface CaseMaterialsTable {
  case_id: string;
  material_id: string;
  name: string;
  source: 'upload' | 'certificate' | 'data' | 'owed';
  upload_id: string | null;
  reference: string | null;
}

export interface CaseStepsTable {
  id: Generated<string>;
  case_id: string;
  stage: number;
  key: string;
  name: string;
  department_id: string;
  days: number;
  status: string;
  claimed_by: string | null;
  started_at: Timestamp | null;
  deadline: string | null;
  finished_at: Timestamp | null;
  transfers: Generated<number>;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_id: string;
  at: Timestamp;
  actor: Json;
  action: string;
  step_key: string | null;
  from_status: string | null;
  to_status: string;
  details: Json;
}

export interface VerificationTasksTable {
  id: Generated<string>;
  case_id: string;
  department_id: string;
  due: string;
  status: Generated<string>;
  created_at: Timestamp;
}

export interface MessagesTable {
  id: Generated<string>;
  account_id: string;
  case_no: string | null;
  title: string;
  body: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: 'email';
  recipient: string;
  subject: string;
  body: string;
  created_at: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  sent_at: Timestamp | null;
  last_error: string | null;
}

export interface DB {
  regions: RegionsTable;
  departments: DepartmentsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_clients: ApiClientsTable;
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
  calendar_overrides: CalendarOverridesTable;
  uploads: UploadsTable;
  idempotency_keys: IdempotencyKeysTable;
  life_event_applications: LifeEventApplicationsTable;
  cases: CasesTable;
  case_materials: CaseMaterialsTable;
  case_steps: CaseStepsTable;
  case_events: CaseEventsTable;
  verification_tasks: VerificationTasksTable;
  messages: MessagesTable;
  outbox: OutboxTable;
  certificate_types: CertificateTypesTable;
  search_synonyms: SearchSynonymsTable;
  powers: PowersTable;
  service_items: ServiceItemsTable;
  service_item_versions: ServiceItemVersionsTable;
  item_implementations: ItemImplementationsTable;
  implementation_versions: ImplementationVersionsTable;
  life_events: LifeEventsTable;
}

// ── certificates (migration 0004_certificates) ─────────────────────────────────────────────
export interface CertificateKeysTable {
  key_id: string;
  department_id: string;
  algorithm: 'ed25519' | 'sm2';
  public_key: string;
  /** Sealed (certificates.keystore.ts); never leaves the certificates module. */
  private_key: string;
  encrypted: boolean;
  valid_from: Timestamp;
  valid_until: Timestamp | null;
  retired_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface CertificateSerialsTable {
  prefix: string;
  last: number;
}

export interface CertificatesTable {
  cert_no: string;
  type: string;
  type_name: string;
  holder_kind: 'person' | 'business';
  holder_id: string;
  holder_name: string;
  issuer_department_id: string;
  key_id: string;
  issued_at: Timestamp;
  valid_until: Timestamp | null;
  case_no: string | null;
  original_no: string | null;
  document: Json;
  signature: string;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revocation_reason: string | null;
  created_at: Generated<Date>;
}

export interface CertificateSharesTable {
  id: Generated<string>;
  cert_no: string;
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  withdrawn_at: Timestamp | null;
}

/** Declaration merging: each module appends its tables to DB without touching the list above. */
export interface DB {
  certificate_keys: CertificateKeysTable;
  certificate_serials: CertificateSerialsTable;
  certificates: CertificatesTable;
  certificate_shares: CertificateSharesTable;
}

// ── sharing (migration 0005_sharing) ───────────────────────────────────────────────────────
export interface DataResourcesTable {
  code: string;
  name: string;
  summary: Generated<string>;
  provider_department_id: string;
  subject_kind: 'person' | 'business';
  fields: Json<{ name: string; label: string; personal: boolean }[]>;
  sharing_type: 'open' | 'conditional' | 'closed';
  conditions: string | null;
  legal_basis: string | null;
  update_cycle: 'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
  published_at: Timestamp;
  reviewed_at: Timestamp;
}

export interface DataRecordsTable {
  resource_code: string;
  subject: string;
  fields: Json<Record<string, unknown>>;
  as_of: Timestamp;
}

export interface SharingGrantsTable {
  id: Generated<string>;
  resource_code: string;
  requester_department_id: string;
  fields: string[];
  purpose: string;
  legal_basis: string | null;
  status: 'pending' | 'granted' | 'refused' | 'withdrawn';
  requested_by: string;
  requested_at: Timestamp;
  deadline: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  valid_until: Timestamp | null;
  withdrawn_by: string | null;
  withdrawn_at: Timestamp | null;
  withdrawal_reason: string | null;
}

export interface ExchangeClientKeysTable {
  key_id: string;
  client_id: string;
  public_key: string;
  created_by: string | null;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ExchangeNoncesTable {
  client_id: string;
  nonce: string;
  seen_at: Timestamp;
}

export interface AccessRecordsTable {
  id: Generated<string>;
  at: Timestamp;
  subject_kind: 'person' | 'business';
  subject: string;
  channel: 'exchange' | 'case_view';
  resource_code: string | null;
  provider_department_id: string | null;
  reader_department_id: string;
  reader_kind: 'system' | 'staff';
  reader_client_id: string | null;
  reader_account_id: string | null;
  fields: string[];
  purpose: string;
  case_no: string | null;
  grant_id: string | null;
  request_hash: string | null;
  found: Generated<boolean>;
}

export interface AccessObjectionsTable {
  id: Generated<string>;
  access_record_id: string;
  provider_department_id: string;
  raised_by: string;
  reason: string;
  raised_at: Timestamp;
  status: 'open' | 'answered';
  answer: string | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
}

export interface DB {
  data_resources: DataResourcesTable;
  data_records: DataRecordsTable;
  sharing_grants: SharingGrantsTable;
  exchange_client_keys: ExchangeClientKeysTable;
  exchange_nonces: ExchangeNoncesTable;
  access_records: AccessRecordsTable;
  access_objections: AccessObjectionsTable;
}

// ── delegation (migration 0006_delegation) ─────────────────────────────────────────────────
export interface DelegationsTable {
  id: Generated<string>;
  document_no: string;
  title: string;
  mode: 'cancel' | 'delegate' | 'entrust' | 'authorise';
  from_region: string;
  receiving_regions: string[];
  powers: string[];
  effective_date: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface DelegationItemsTable {
  delegation_id: string;
  item_code: string;
  item_name: string;
  power_code: string | null;
}

export interface TakeoverTasksTable {
  id: Generated<string>;
  delegation_id: string;
  region_code: string;
  region_path: string[];
  item_code: string;
  department_kind: string;
  handover_deadline: string;
  listing_deadline: string;
  status: 'pending' | 'confirmed';
  confirmed_by: string | null;
  confirmed_at: Timestamp | null;
  department_id: string | null;
  implementation_version_id: string | null;
}

export interface CancelledItemsTable {
  item_code: string;
  delegation_id: string;
  name: string;
  legal_basis: string;
  competent_department_kind: string;
  effective_date: string;
  supervision_entry: string | null;
  supervision_recorded_at: Timestamp | null;
}

export interface ItemLinksTable {
  item_code: string;
  prerequisite_code: string;
  basis: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface PilotsTable {
  id: Generated<string>;
  region_code: string;
  item_codes: string[];
  kind: 'fewer_days' | 'approval_by_commitment' | 'other';
  description: string;
  legal_basis: string;
  start_date: string;
  expiry: string;
  approved_by: string;
  allowed_days: number | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface FaultToleranceRecordsTable {
  id: Generated<string>;
  pilot_id: string;
  lawful: boolean;
  no_private_gain: boolean;
  no_intent: boolean;
  corrected_in_time: boolean;
  narrative: string;
  reviewer: string;
  outcome: 'tolerated' | 'not_tolerated';
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface DB {
  delegations: DelegationsTable;
  delegation_items: DelegationItemsTable;
  takeover_tasks: TakeoverTasksTable;
  cancelled_items: CancelledItemsTable;
  item_links: ItemLinksTable;
  pilots: PilotsTable;
  fault_tolerance_records: FaultToleranceRecordsTable;
}
