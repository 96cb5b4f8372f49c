import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The service catalogue: certificate types, search synonyms, powers (权责清单), service items
 * (基本目录) and their implementations (实施清单), life events (一件事一次办).
 *
 * Versions are rows: each change inserts a new version (draft → published → superseded). A
 * partial unique index keeps one published version per record (the "current" lookup), and a
 * trigger keeps every version's content immutable once written, so a case filed under a version
 * can always be read back exactly as the applicant saw it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    // The kinds of certificate a decision produces; materials may point at one (免提交, 国务院令第716号).
    sql`CREATE TABLE certificate_types (
      code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,63}$'),
      name text NOT NULL,
      issuing_department_kind text NOT NULL CHECK (issuing_department_kind ~ '^[a-z][a-z0-9_]{1,31}$')
    )`,
    // Colloquial wording as data: a query containing `phrase` also searches for `expands_to`.
    sql`CREATE TABLE search_synonyms (
      phrase text NOT NULL CHECK (length(phrase) BETWEEN 1 AND 50),
      expands_to text NOT NULL CHECK (length(expands_to) BETWEEN 1 AND 100),
      PRIMARY KEY (phrase, expands_to)
    )`,
    sql`CREATE FUNCTION catalogue_version_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        -- what may change on a written version: its lifecycle, and the derived search terms
        -- (rebuilt when the segmentation dictionary changes)
        lifecycle text[] := ARRAY['status', 'published_by', 'published_at', 'superseded_at', 'search_vector'];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION '% version % was published and cannot be deleted', TG_TABLE_NAME, OLD.version USING ERRCODE = '55000';
          END IF;
          RETURN OLD;
        END IF;
        IF (to_jsonb(NEW) - lifecycle) IS DISTINCT FROM (to_jsonb(OLD) - lifecycle) THEN
          RAISE EXCEPTION '% version % is immutable: write a new version', TG_TABLE_NAME, OLD.version USING ERRCODE = '55000';
        END IF;
        IF NOT ((OLD.status = 'draft' AND NEW.status IN ('draft', 'published', 'superseded'))
             OR (OLD.status = 'published' AND NEW.status IN ('published', 'superseded'))
             OR (OLD.status = 'superseded' AND NEW.status = 'superseded')) THEN
          RAISE EXCEPTION '% version %: % → % is not allowed', TG_TABLE_NAME, OLD.version, OLD.status, NEW.status USING ERRCODE = '55000';
        END IF;
        IF OLD.status <> 'draft' AND (NEW.published_by IS DISTINCT FROM OLD.published_by OR NEW.published_at IS DISTINCT FROM OLD.published_at) THEN
          RAISE EXCEPTION '% version %: publication is recorded once', TG_TABLE_NAME, OLD.version USING ERRCODE = '55000';
        END IF;
        RETURN NEW;
      END
    $fn$`,
    // 权责清单: one row per version; the code is the stable identity.
    sql`CREATE TABLE powers (
      code text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('draft','published','superseded')),
      name text NOT NULL,
      power_type text NOT NULL CHECK (power_type IN ('licensing','penalty','enforcement','levy','benefit','inspection','confirmation','reward','adjudication','other')),
      legal_basis text NOT NULL,
      competent_department_kind text NOT NULL,
      content_hash text NOT NULL,
      reason text NOT NULL,
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      published_by uuid REFERENCES accounts(id),
      published_at timestamptz,
      superseded_at timestamptz,
      PRIMARY KEY (code, version)
    )`,
    sql`CREATE UNIQUE INDEX powers_published ON powers (code) WHERE status = 'published'`,
    // 基本目录: the stable identity of an item (its code never changes) …
    sql`CREATE TABLE service_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_code text NOT NULL UNIQUE CHECK (item_code ~ '^[0-9A-Za-z][0-9A-Za-z._-]{1,63}$'),
      created_at timestamptz NOT NULL
    )`,
    // … and its versions. The six unified elements (四级四同) live here and only here.
    sql`CREATE TABLE service_item_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_id uuid NOT NULL REFERENCES service_items(id),
      item_code text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('draft','published','superseded')),
      name text NOT NULL,
      item_type text NOT NULL CHECK (item_type IN ('licensing','benefit','confirmation','reward','adjudication','filing','other','public_service')),
      applicant_kinds text[] NOT NULL CHECK (cardinality(applicant_kinds) >= 1 AND applicant_kinds <@ ARRAY['person','business']),
      power_code text,
      legal_basis text NOT NULL,
      set_at_level text NOT NULL CHECK (set_at_level IN ('national','province','city','county')),
      -- 法定时限 in working days; NULL where the law sets none
      statutory_days integer CHECK (statutory_days >= 0),
      result_type text REFERENCES certificate_types(code),
      competent_department_kind text NOT NULL,
      -- the province department's name when written, so search lists it without a join
      competent_department_name text NOT NULL,
      implementing_department_kind text NOT NULL,
      conditions text NOT NULL,
      quantity_limit text NOT NULL,
      -- jieba tokens at their character offsets (see catalogue.tokens.ts)
      search_vector tsvector NOT NULL,
      content_hash text NOT NULL,
      reason text NOT NULL,
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      published_by uuid REFERENCES accounts(id),
      published_at timestamptz,
      superseded_at timestamptz,
      UNIQUE (item_id, version)
    )`,
    sql`CREATE UNIQUE INDEX service_item_versions_published ON service_item_versions (item_id) WHERE status = 'published'`,
    sql`CREATE INDEX service_item_versions_search ON service_item_versions USING gin (search_vector) WHERE status = 'published'`,
    sql`CREATE INDEX service_item_versions_code ON service_item_versions (lower(item_code) text_pattern_ops) WHERE status = 'published'`,
    // 实施清单: one region + one department implementing one item (Delegation and Pilot attach here).
    sql`CREATE TABLE item_implementations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_id uuid NOT NULL REFERENCES service_items(id),
      region_code text NOT NULL REFERENCES regions(code),
      department_id uuid NOT NULL REFERENCES departments(id),
      created_at timestamptz NOT NULL,
      UNIQUE (item_id, region_code, department_id)
    )`,
    sql`CREATE TABLE implementation_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      implementation_id uuid NOT NULL REFERENCES item_implementations(id),
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('draft','published','superseded')),
      -- copied from the parent for lookups by item and region (immutable, like the parent)
      item_id uuid NOT NULL REFERENCES service_items(id),
      item_code text NOT NULL,
      region_code text NOT NULL REFERENCES regions(code),
      region_path text[] NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      department_kind text NOT NULL,
      department_name text NOT NULL,
      -- the six unified elements as copied from item version item_version; the standardisation
      -- report compares them with the item's current version
      item_version integer NOT NULL,
      name text NOT NULL,
      item_type text NOT NULL,
      legal_basis text NOT NULL,
      competent_department_kind text NOT NULL,
      implementing_department_kind text NOT NULL,
      promised_days integer NOT NULL CHECK (promised_days >= 0),
      case_type text NOT NULL CHECK (case_type IN ('instant','promised')),
      -- the four-level national scale of 办理深度 (1 咨询 … 4 全程网办)
      online_depth smallint NOT NULL CHECK (online_depth BETWEEN 1 AND 4),
      visits_required smallint NOT NULL CHECK (visits_required BETWEEN 0 AND 10),
      fees jsonb NOT NULL,
      materials jsonb NOT NULL,
      form_schema jsonb NOT NULL,
      review_plan jsonb NOT NULL,
      service_hall text NOT NULL,
      office_hours text NOT NULL,
      consult_phone text NOT NULL,
      complaint_phone text NOT NULL,
      content_hash text NOT NULL,
      reason text NOT NULL,
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      published_by uuid REFERENCES accounts(id),
      published_at timestamptz,
      superseded_at timestamptz,
      UNIQUE (implementation_id, version),
      CHECK (case_type <> 'instant' OR promised_days = 0)
    )`,
    sql`CREATE UNIQUE INDEX implementation_versions_published ON implementation_versions (implementation_id) WHERE status = 'published'`,
    sql`CREATE INDEX implementation_versions_item_region ON implementation_versions (item_id, region_code) WHERE status = 'published'`,
    sql`CREATE INDEX implementation_versions_region_path ON implementation_versions USING gin (region_path) WHERE status = 'published'`,
    // 一件事一次办: one row per version; the code is the stable identity.
    sql`CREATE TABLE life_events (
      code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,63}$'),
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('draft','published','superseded')),
      name text NOT NULL,
      description text NOT NULL,
      item_codes text[] NOT NULL,
      form_schema jsonb NOT NULL,
      field_map jsonb NOT NULL,
      content_hash text NOT NULL,
      reason text NOT NULL,
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      published_by uuid REFERENCES accounts(id),
      published_at timestamptz,
      superseded_at timestamptz,
      PRIMARY KEY (code, version)
    )`,
    sql`CREATE UNIQUE INDEX life_events_published ON life_events (code) WHERE status = 'published'`,
    sql`CREATE TRIGGER powers_guard BEFORE UPDATE OR DELETE ON powers FOR EACH ROW EXECUTE FUNCTION catalogue_version_guard()`,
    sql`CREATE TRIGGER service_item_versions_guard BEFORE UPDATE OR DELETE ON service_item_versions FOR EACH ROW EXECUTE FUNCTION catalogue_version_guard()`,
    sql`CREATE TRIGGER implementation_versions_guard BEFORE UPDATE OR DELETE ON implementation_versions FOR EACH ROW EXECUTE FUNCTION catalogue_version_guard()`,
    sql`CREATE TRIGGER life_events_guard BEFORE UPDATE OR DELETE ON life_events FOR EACH ROW EXECUTE FUNCTION catalogue_version_guard()`,
  ]);
}
