/**
 * Delegation (权力下放): orders that cancel items or move them down the levels, the takeOver
 * (承接) task of every receiving unit, floating (权力悬浮) found automatically, links between items
 * that must move together, and Pilots (先行先试) with their fault-tolerance (容错) records.
 * Rules: 冀政办发〔2020〕7号 (hand-over within 15 days, 实施清单 within 5 working days, no comeback
 * of a cancelled approval), 冀政办发〔2018〕1号 (the modes).
 */
import { z } from 'zod';
import { ItemCode, GuidePilot, PilotKind } from './catalogue.js';
import { RegionCode, text } from './common.js';

/** 取消 / 直接下放 / 委托 / 授权. */
export const DELEGATION_MODES = { cancel: '取消', delegate: '直接下放', entrust: '委托', authorise: '授权' } as const;
export type DelegationMode = keyof typeof DELEGATION_MODES;
export const DelegationMode = z.enum(Object.keys(DELEGATION_MODES) as [DelegationMode, ...DelegationMode[]], {
  message: 'mode 应为 cancel（取消）、delegate（直接下放）、entrust（委托）或 authorise（授权）',
});

export const REGION_LEVEL_NAMES = { province: '省级', city: '市级', county: '县级' } as const;
export const RegionLevel = z.enum(['province', 'city', 'county']);

const DOCUMENT_NO = /^([\u4e00-\u9fff]{1,20})〔(\d{4})〕([1-9]\d{0,4})号$/;

/**
 * What is wrong with a 文号, or null. GB/T 9704-2012 (党政机关公文格式) 7.2.4: 发文机关代字, the year
 * in full inside 六角括号 〔〕, the number without 第 and without leading zeros, then 号.
 */
export function documentNoProblem(no: string): string | null {
  if (DOCUMENT_NO.test(no)) return null;
  if (/[[\]【】（）()]\s*\d{4}\s*[[\]【】（）()]/.test(no)) return '年份应以六角括号〔〕括入（GB/T 9704-2012 7.2.4），如 冀政办发〔2020〕7号';
  if (/〔\d{2}〕/.test(no)) return '年份应写全称（四位数字），如〔2020〕';
  if (/〕第/.test(no)) return '发文顺序号前不加“第”字（GB/T 9704-2012 7.2.4）';
  if (/〕0\d*号$/.test(no)) return '发文顺序号不编虚位（1不编为01）（GB/T 9704-2012 7.2.4）';
  return '文号应为 机关代字〔年份〕序号号，如 冀政办发〔2020〕7号';
}

/** The year in a well-formed 文号. */
export function documentYear(no: string): number | null {
  const m = DOCUMENT_NO.exec(no);
  return m ? Number(m[2]) : null;
}

export const DocumentNo = text(40).superRefine((s, ctx) => {
  const problem = documentNoProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const IsoDate = z.iso.date({ message: '日期应为 YYYY-MM-DD' });
const PowerCode = ItemCode;

export const CreateDelegation = z
  .strictObject({
    documentNo: DocumentNo,
    title: text(200),
    items: z.array(ItemCode).max(500).default([]),
    powers: z.array(PowerCode).max(200).default([]),
    mode: DelegationMode,
    fromRegion: RegionCode,
    /** Empty for a cancellation (nobody receives a cancelled item). */
    receivingRegions: z.array(RegionCode).max(300).default([]),
    effectiveDate: IsoDate,
  })
  .refine((d) => d.items.length + d.powers.length > 0, { message: '至少列明一个事项（items）或权力事项（powers）', path: ['items'] });
export type CreateDelegation = z.infer<typeof CreateDelegation>;

export const TakeOverStatus = z.enum(['pending', 'confirmed']);

export const TakeOverTask = z.object({
  id: z.string(),
  delegationId: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  level: RegionLevel,
  itemCode: z.string(),
  itemName: z.string(),
  /** The receiving unit: the region's department of the item's implementing kind (null when the region has none). */
  department: z.object({ id: z.string().nullable(), kind: z.string(), name: z.string().nullable() }),
  /** 冀政办发〔2020〕7号: hand-over within 15 days of the effective date … */
  handoverDeadline: z.string(),
  /** … and the region's 实施清单 updated within 5 working days after it. */
  listingDeadline: z.string(),
  status: TakeOverStatus,
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  /** True when confirmed after the listing deadline (China date). */
  late: z.boolean().nullable(),
  implementationVersionId: z.string().nullable(),
});
export type TakeOverTask = z.infer<typeof TakeOverTask>;

/** A cancelled item and its 事中事后监管 entry (null until the supervision side records one). */
export const CancelledItem = z.object({
  itemCode: z.string(),
  name: z.string(),
  delegationId: z.string(),
  documentNo: z.string(),
  effectiveDate: z.string(),
  supervisionEntry: z.string().nullable(),
  supervisionRecordedAt: z.string().nullable(),
});
export type CancelledItem = z.infer<typeof CancelledItem>;

export const Delegation = z.object({
  id: z.string(),
  documentNo: z.string(),
  title: z.string(),
  mode: DelegationMode,
  modeName: z.string(),
  fromRegion: z.object({ code: z.string(), name: z.string(), level: RegionLevel }),
  receivingRegions: z.array(z.string()),
  items: z.array(z.object({ itemCode: z.string(), name: z.string(), powerCode: z.string().nullable() })),
  powers: z.array(z.string()),
  effectiveDate: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  progress: z.object({ tasks: z.number().int(), confirmed: z.number().int() }),
});
export type Delegation = z.infer<typeof Delegation>;

export const DelegationDetail = Delegation.extend({ tasks: z.array(TakeOverTask), cancelled: z.array(CancelledItem) });
export type DelegationDetail = z.infer<typeof DelegationDetail>;

export const DelegationListQuery = z.strictObject({
  /** Orders issued in, or received under, this region. */
  region: RegionCode.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const DelegationParams = z.strictObject({ id: z.uuid({ message: '应为 UUID' }) });
export const TakeOverParams = z.strictObject({ id: z.uuid({ message: '应为 UUID' }), taskId: z.uuid({ message: '应为 UUID' }) });

// ── floating (权力悬浮) ─────────────────────────────────────────────────────────────────────

export const FLOATING_KINDS = {
  handover_overdue: '逾期未交接',
  listing_overdue: '逾期未承接（实施清单未更新）',
  no_implementation: '已承接但无现行实施清单',
  split_link: '关联事项下放层级不一致',
  no_supervision: '取消事项未纳入事中事后监管',
} as const;
export type FloatingKind = keyof typeof FLOATING_KINDS;
export const FloatingKind = z.enum(Object.keys(FLOATING_KINDS) as [FloatingKind, ...FloatingKind[]]);

export const FloatingRow = z.object({
  kind: FloatingKind,
  kindName: z.string(),
  delegationId: z.string(),
  documentNo: z.string(),
  title: z.string(),
  mode: DelegationMode,
  taskId: z.string().nullable(),
  itemCode: z.string(),
  itemName: z.string(),
  /** The unit: region and department. */
  regionCode: z.string(),
  regionName: z.string(),
  level: RegionLevel,
  department: z.object({ kind: z.string(), name: z.string().nullable() }),
  deadline: z.string(),
  /** Working days past the deadline in the unit's calendar (0 when not yet past it). */
  daysOverdue: z.number().int(),
  /** For split_link: the linked item and where it is implemented. */
  linkedItem: z
    .object({ itemCode: z.string(), name: z.string(), relation: z.enum(['prerequisite', 'dependent']), implementedIn: z.array(z.string()) })
    .nullable(),
  message: z.string(),
});
export type FloatingRow = z.infer<typeof FloatingRow>;

export const FloatingQuery = z.strictObject({ region: RegionCode });
export const FloatingList = z.object({ region: z.string(), asOf: z.string(), rows: z.array(FloatingRow) });
export type FloatingList = z.infer<typeof FloatingList>;

export const HeatmapCell = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  level: RegionLevel,
  parentCode: z.string().nullable(),
  /** takeOver tasks received there. */
  tasks: z.number().int(),
  floating: z.number().int(),
  byKind: z.record(z.string(), z.number().int()),
});
export const Heatmap = z.object({
  region: z.string(),
  asOf: z.string(),
  levels: z.array(z.object({ level: RegionLevel, levelName: z.string(), tasks: z.number().int(), floating: z.number().int() })),
  cells: z.array(HeatmapCell),
});
export type Heatmap = z.infer<typeof Heatmap>;

// ── item links ─────────────────────────────────────────────────────────────────────────────

export const CreateItemLink = z.strictObject({
  itemCode: ItemCode,
  prerequisiteCode: ItemCode,
  /** Why the item needs the prerequisite's result (the article that requires it). */
  basis: text(500),
});
export type CreateItemLink = z.infer<typeof CreateItemLink>;
export const ItemLink = z.object({ itemCode: z.string(), itemName: z.string(), prerequisiteCode: z.string(), prerequisiteName: z.string(), basis: z.string() });
export type ItemLink = z.infer<typeof ItemLink>;
export const ItemLinkQuery = z.strictObject({ itemCode: ItemCode.optional() });

// ── Pilot (先行先试) and faultTolerance (容错) ──────────────────────────────────────────────

export const CreatePilot = z
  .strictObject({
    region: RegionCode,
    items: z.array(ItemCode).min(1, { message: '至少一个事项' }).max(200),
    description: text(2000),
    kind: PilotKind,
    /** The approving document (批准文件), with its article where it has one. */
    legalBasis: text(500),
    startDate: IsoDate,
    expiry: IsoDate,
    /** The approving body (批准机关). */
    approvedBy: text(100),
    /** A promised-days ceiling above the statutory limit, when the approving document sets one (working days). */
    allowedDays: z.number().int().min(1).max(365).nullable().default(null),
  })
  .refine((p) => p.expiry >= p.startDate, { message: '到期日不能早于开始日', path: ['expiry'] });
export type CreatePilot = z.infer<typeof CreatePilot>;

export const PilotStatus = z.enum(['scheduled', 'active', 'expired']);

export const FaultToleranceRecord = z.object({
  id: z.string(),
  pilotId: z.string(),
  lawful: z.boolean(),
  noPrivateGain: z.boolean(),
  noIntent: z.boolean(),
  correctedInTime: z.boolean(),
  narrative: z.string(),
  reviewer: z.string(),
  /** tolerated only when all four conditions hold. */
  outcome: z.enum(['tolerated', 'not_tolerated']),
  unmet: z.array(z.string()),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
});
export type FaultToleranceRecord = z.infer<typeof FaultToleranceRecord>;

export const Pilot = GuidePilot.extend({
  regionName: z.string(),
  items: z.array(z.object({ itemCode: z.string(), name: z.string() })),
  status: PilotStatus,
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  faultTolerance: z.array(FaultToleranceRecord),
});
export type Pilot = z.infer<typeof Pilot>;

export const PilotQuery = z.strictObject({ region: RegionCode });
export const PilotParams = z.strictObject({ id: z.uuid({ message: '应为 UUID' }) });

export const RecordFaultTolerance = z.strictObject({
  /** 依法依规: acted within law and policy (the pilot's own approval included). */
  lawful: z.boolean(),
  /** 未谋取私利. */
  noPrivateGain: z.boolean(),
  /** 非主观故意. */
  noIntent: z.boolean(),
  /** 及时纠正、消除影响. */
  correctedInTime: z.boolean(),
  narrative: text(4000),
  /** Who reviewed the case (body or person). */
  reviewer: text(100),
});
export type RecordFaultTolerance = z.infer<typeof RecordFaultTolerance>;
