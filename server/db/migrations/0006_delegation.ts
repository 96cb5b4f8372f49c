import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Delegation (权力下放) and its takeOver (承接), per 冀政办发〔2020〕7号: orders that cancel or move
 * items down the levels, one takeOver task per receiving unit (region × item) with its two
 * deadlines, the cancelled items that must move to 事中事后监管, links between items that must
 * move together, and Pilots (先行先试) with their fault-tolerance (容错) records.
 *
 * Items are referred to by itemCode, not by foreign key: the catalogue owns its tables, and an
 * order stays readable as it was issued whatever later happens to the item.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`CREATE TABLE delegations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- 文号, GB/T 9704-2012 7.2.4: the year in 六角括号, the number without 第 or leading zeros
      document_no text NOT NULL CHECK (document_no ~ '〔[0-9]{4}〕[1-9][0-9]*号$'),
      title text NOT NULL,
      -- 取消 / 直接下放 / 委托 / 授权 (冀政办发〔2018〕1号 used the last three)
      mode text NOT NULL CHECK (mode IN ('cancel','delegate','entrust','authorise')),
      from_region text NOT NULL REFERENCES regions(code),
      receiving_regions text[] NOT NULL,
      -- the 权责清单 powers the order names; each is resolved to the items that exercise it
      powers text[] NOT NULL,
      effective_date date NOT NULL,
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      CHECK ((mode = 'cancel') = (cardinality(receiving_regions) = 0))
    )`,
    sql`CREATE INDEX delegations_from ON delegations (from_region)`,
    sql`CREATE TABLE delegation_items (
      delegation_id uuid NOT NULL REFERENCES delegations(id),
      item_code text NOT NULL,
      -- as the item stood when the order was issued
      item_name text NOT NULL,
      -- the power through which the item came into the order, when it came through one
      power_code text,
      PRIMARY KEY (delegation_id, item_code)
    )`,
    sql`CREATE TABLE takeover_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      delegation_id uuid NOT NULL REFERENCES delegations(id),
      region_code text NOT NULL REFERENCES regions(code),
      -- copied from regions for subtree queries (a region's path never changes)
      region_path text[] NOT NULL,
      item_code text NOT NULL,
      -- the department kind that implements the item (实施机关) when the order was issued
      department_kind text NOT NULL,
      -- 冀政办发〔2020〕7号: hand-over within 15 days, the 实施清单 updated within 5 working days
      handover_deadline date NOT NULL,
      listing_deadline date NOT NULL,
      status text NOT NULL CHECK (status IN ('pending','confirmed')),
      confirmed_by uuid REFERENCES accounts(id),
      confirmed_at timestamptz,
      -- what the confirmation rested on: the department and its published implementation version
      department_id uuid REFERENCES departments(id),
      implementation_version_id uuid,
      UNIQUE (delegation_id, region_code, item_code),
      CHECK (status <> 'confirmed' OR (confirmed_at IS NOT NULL AND department_id IS NOT NULL AND implementation_version_id IS NOT NULL)),
      CHECK (listing_deadline >= handover_deadline)
    )`,
    sql`CREATE INDEX takeover_tasks_region_path ON takeover_tasks USING gin (region_path)`,
    sql`CREATE INDEX takeover_tasks_region_item ON takeover_tasks (region_code, item_code)`,
    // 冀政办发〔2020〕7号: a cancelled item moves to 事中事后监管, leaving no gap; until the
    // supervision module records its entry, the item is listed as a gap.
    sql`CREATE TABLE cancelled_items (
      item_code text NOT NULL,
      delegation_id uuid NOT NULL REFERENCES delegations(id),
      -- name and legal basis as they stood, for the anti-renaming check
      name text NOT NULL,
      legal_basis text NOT NULL,
      competent_department_kind text NOT NULL,
      effective_date date NOT NULL,
      supervision_entry text,
      supervision_recorded_at timestamptz,
      PRIMARY KEY (item_code, delegation_id),
      CHECK ((supervision_entry IS NULL) = (supervision_recorded_at IS NULL))
    )`,
    // Items that must move together: an item and its prerequisite (建设工程规划许可 before
    // 建设工程施工许可证核发). Delegated to different levels, the applicant runs between them.
    sql`CREATE TABLE item_links (
      item_code text NOT NULL,
      prerequisite_code text NOT NULL,
      -- why the one needs the other (the article that requires the prerequisite's result)
      basis text NOT NULL,
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      PRIMARY KEY (item_code, prerequisite_code),
      CHECK (item_code <> prerequisite_code)
    )`,
    sql`CREATE INDEX item_links_prerequisite ON item_links (prerequisite_code)`,
    // 先行先试: a region's approved deviation from the standard, in force from start_date to
    // expiry inclusive (computed from the clock, no job ends it).
    sql`CREATE TABLE pilots (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      region_code text NOT NULL REFERENCES regions(code),
      item_codes text[] NOT NULL CHECK (cardinality(item_codes) >= 1),
      kind text NOT NULL CHECK (kind IN ('fewer_days','approval_by_commitment','other')),
      description text NOT NULL,
      -- the approving document
      legal_basis text NOT NULL,
      start_date date NOT NULL,
      expiry date NOT NULL,
      approved_by text NOT NULL,
      -- the promised-days ceiling the approving document sets for the covered items (working
      -- days); NULL: the statutory limit stands
      allowed_days integer CHECK (allowed_days BETWEEN 0 AND 365),
      created_by uuid REFERENCES accounts(id),
      created_at timestamptz NOT NULL,
      CHECK (expiry >= start_date)
    )`,
    sql`CREATE INDEX pilots_items ON pilots USING gin (item_codes)`,
    sql`CREATE TABLE fault_tolerance_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      pilot_id uuid NOT NULL REFERENCES pilots(id),
      lawful boolean NOT NULL,
      no_private_gain boolean NOT NULL,
      no_intent boolean NOT NULL,
      corrected_in_time boolean NOT NULL,
      narrative text NOT NULL,
      reviewer text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('tolerated','not_tolerated')),
      recorded_by uuid REFERENCES accounts(id),
      recorded_at timestamptz NOT NULL,
      CHECK ((outcome = 'tolerated') = (lawful AND no_private_gain AND no_intent AND corrected_in_time))
    )`,
    sql`CREATE INDEX fault_tolerance_records_pilot ON fault_tolerance_records (pilot_id, recorded_at)`,
  ]);
}
