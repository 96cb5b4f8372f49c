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

export interface DB {
  regions: RegionsTable;
  departments: DepartmentsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_clients: ApiClientsTable;
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
}
