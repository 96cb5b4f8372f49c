import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Electronic certificates (电子证照, GB/T 36901–36905-2018; 国务院令第716号): department signing
 * keys, certificate numbers, the certificates with their signed documents, and share links (亮证).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`CREATE TABLE certificate_keys (
      key_id text PRIMARY KEY,
      department_id uuid NOT NULL REFERENCES departments(id),
      algorithm text NOT NULL CHECK (algorithm IN ('ed25519','sm2')),
      -- Ed25519: SPKI PEM; SM2: uncompressed point in hex (04‖x‖y). Published at /certificates/keys.
      public_key text NOT NULL,
      -- never returned by any query that leaves the module: 'v1.<iv>.<tag>.<ct>' (AES-256-GCM under
      -- TONGBAN_KEY_ENCRYPTION_KEY) or 'plain.<…>' when no key-encryption key is set (not in production)
      private_key text NOT NULL,
      encrypted boolean NOT NULL,
      valid_from timestamptz NOT NULL,
      valid_until timestamptz,
      -- a retired key signs nothing new but still verifies what it signed while it was current
      retired_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    // one current key per department and algorithm: created on first use, races end in ON CONFLICT
    sql`CREATE UNIQUE INDEX certificate_keys_current ON certificate_keys (department_id, algorithm) WHERE retired_at IS NULL`,
    sql`CREATE TABLE certificate_serials (
      -- '{TYPE}-{region}-{year}': one counter per certificate type, issuing region and year
      prefix text PRIMARY KEY,
      last integer NOT NULL
    )`,
    sql`CREATE TABLE certificates (
      cert_no text PRIMARY KEY,
      type text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]{1,63}$'),
      type_name text NOT NULL,
      holder_kind text NOT NULL CHECK (holder_kind IN ('person','business')),
      -- GB 11643 ID number or GB 32100 credit code: the wallet and access records look it up
      holder_id text NOT NULL,
      holder_name text NOT NULL,
      issuer_department_id uuid NOT NULL REFERENCES departments(id),
      key_id text NOT NULL REFERENCES certificate_keys(key_id),
      issued_at timestamptz NOT NULL,
      valid_until timestamptz,
      case_no text,
      -- the number of the paper licence this one digitises (import)
      original_no text,
      -- exactly what was signed (the canonical encoding of it), and the base64 signature
      document jsonb NOT NULL,
      signature text NOT NULL,
      revoked_at timestamptz,
      revoked_by uuid REFERENCES accounts(id),
      revocation_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))
    )`,
    sql`CREATE INDEX certificates_holder ON certificates (holder_kind, holder_id)`,
    sql`CREATE INDEX certificates_issuer ON certificates (issuer_department_id, issued_at)`,
    sql`CREATE UNIQUE INDEX certificates_original ON certificates (type, issuer_department_id, original_no) WHERE original_no IS NOT NULL`,
    sql`CREATE TABLE certificate_shares (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      cert_no text NOT NULL REFERENCES certificates(cert_no),
      -- SHA-256 of the bearer token in the link; the token itself is shown once
      token_hash text NOT NULL UNIQUE,
      created_by uuid NOT NULL REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      withdrawn_at timestamptz,
      CHECK (expires_at > created_at)
    )`,
    sql`CREATE INDEX certificate_shares_cert ON certificate_shares (cert_no)`,
  ]);
}
