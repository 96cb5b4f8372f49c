import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_catalogue.js';
import * as m0003 from './0003_cases.js';
import * as m0004 from './0004_certificates.js';
import * as m0005 from './0005_sharing.js';
import * as m0006 from './0006_delegation.js';
import * as m0007 from './0007_case_applicant_name.js';
import * as m0008 from './0008_case_writes.js';
import * as m0009 from './0009_idempotency_resource.js';
import * as m0010 from './0010_case_writes_set_based.js';
import * as m0011 from './0011_idempotency_key_expiry.js';
import * as m0012 from './0012_case_writes_generic_plans.js';

/** Every migration, in order. Append; never edit a landed one. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_catalogue': m0002,
  '0003_cases': m0003,
  '0004_certificates': m0004,
  '0005_sharing': m0005,
  '0006_delegation': m0006,
  '0007_case_applicant_name': m0007,
  '0008_case_writes': m0008,
  '0009_idempotency_resource': m0009,
  '0010_case_writes_set_based': m0010,
  '0011_idempotency_key_expiry': m0011,
  '0012_case_writes_generic_plans': m0012,
};
