/**
 * The service catalogue (政务服务事项): Power (权责清单), ServiceItem (基本目录, the province-wide
 * standard), ItemImplementation (实施清单, one region + one department), LifeEvent (一件事一次办),
 * search and the 办事指南. Every catalogue record is versioned: draft → published → superseded.
 */
import { z } from 'zod';
import { RegionCode, text } from './common.js';

/**
 * 事项类型 with the GB/T 39554.1-2020 type codes (rules.md: 01 许可 … 20 公共服务). 行政备案 has no
 * code of its own there: it is filed under 10 其他行政权力, as Hebei's 权责清单 does.
 */
export const ITEM_TYPES = {
  licensing: { code: '01', name: '行政许可' },
  benefit: { code: '05', name: '行政给付' },
  confirmation: { code: '07', name: '行政确认' },
  reward: { code: '08', name: '行政奖励' },
  adjudication: { code: '09', name: '行政裁决' },
  filing: { code: '10', name: '行政备案' },
  other: { code: '10', name: '其他行政权力' },
  public_service: { code: '20', name: '公共服务' },
} as const;
export type ItemType = keyof typeof ITEM_TYPES;
export const ItemType = z.enum(Object.keys(ITEM_TYPES) as [ItemType, ...ItemType[]], {
  message: `事项类型应为 ${Object.keys(ITEM_TYPES).join('、')} 之一`,
});

/** 权力类型 of the 权责清单 (rules.md codes 01–10). */
export const POWER_TYPES = {
  licensing: { code: '01', name: '行政许可' },
  penalty: { code: '02', name: '行政处罚' },
  enforcement: { code: '03', name: '行政强制' },
  levy: { code: '04', name: '行政征收' },
  benefit: { code: '05', name: '行政给付' },
  inspection: { code: '06', name: '行政检查' },
  confirmation: { code: '07', name: '行政确认' },
  reward: { code: '08', name: '行政奖励' },
  adjudication: { code: '09', name: '行政裁决' },
  other: { code: '10', name: '其他行政权力' },
} as const;
export type PowerType = keyof typeof POWER_TYPES;
export const PowerType = z.enum(Object.keys(POWER_TYPES) as [PowerType, ...PowerType[]]);

export const ApplicantKind = z.enum(['person', 'business'], { message: '申请人类别应为 person（自然人）或 business（法人）' });
export type ApplicantKind = z.infer<typeof ApplicantKind>;
/** 设定层级: which level of law or government set the item. */
export const SetAtLevel = z.enum(['national', 'province', 'city', 'county']);
/** 即办件 / 承诺件 (rules.md case types 2 and 1). */
export const CaseType = z.enum(['instant', 'promised']);
export const VersionStatus = z.enum(['draft', 'published', 'superseded']);
export type VersionStatus = z.infer<typeof VersionStatus>;
/** 原件 / 复印件 / 电子. */
export const MaterialForm = z.enum(['original', 'copy', 'electronic']);
export const MATERIAL_FORM_NAMES = { original: '原件', copy: '复印件', electronic: '电子材料' } as const;

export const ItemCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{1,63}$/, { message: '事项编码为2–64位字母、数字、点、下划线或连字符' });
export const DepartmentKind = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, { message: '部门类别应为小写字母、数字或下划线（如 amr）' });
export const CertificateTypeCode = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, { message: '证照类型代码应为小写字母、数字或下划线' });
/** A data resource of the 政务信息资源目录, named `provider.resource` until the sharing module owns the registry. */
export const DataResourceCode = z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/, { message: '数据资源应写作 部门.资源（如 public_security.household）' });
/** A working-day count; the law's time limits are short, 365 is a sanity bound. */
const Days = z.number().int({ message: '应为整数（工作日）' }).min(0, { message: '不能为负数' }).max(365, { message: '不能超过365个工作日' });
const Phone = z.string().trim().regex(/^[0-9][0-9-]{3,19}$/, { message: '应为电话号码（如 12345 或 0311-12345678）' });
/** A JSON Schema (draft 2020-12); its validity is checked by the server, field by field. */
const JsonSchemaObject = z.record(z.string(), z.unknown());

export const Fee = z.strictObject({
  name: text(100),
  /** Yuan, exact decimal as a string ("0.00" never appears: a free item has no fee rows). */
  amount: z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, { message: '金额应为不超过两位小数的数字（元），写作字符串' }),
  /** 收费依据: the document that sets the fee. */
  basis: text(300),
});
export type Fee = z.infer<typeof Fee>;

export const SatisfiedBy = z
  .strictObject({ certificateType: CertificateTypeCode.optional(), dataResource: DataResourceCode.optional() })
  .refine((s) => s.certificateType !== undefined || s.dataResource !== undefined, { message: '应指明可替代的证照类型或数据资源' });

export const Material = z.strictObject({
  /** A stable key within the implementation (`m1`), kept across versions so cases can refer to it. */
  id: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { message: '材料编号应为小写字母开头（如 m1）' }),
  name: text(200),
  form: MaterialForm,
  count: z.number().int().min(1, { message: '份数至少为1' }).max(99),
  required: z.boolean(),
  /** 免提交: what can stand in for an upload (国务院令第716号: no paper copy where an e-licence exists). */
  satisfiedBy: SatisfiedBy.optional(),
  note: text(300).optional(),
});
export type Material = z.infer<typeof Material>;

export const ReviewStep = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { message: '环节编号应为小写字母开头' }),
  departmentKind: DepartmentKind,
  name: text(100),
  days: Days,
});
/** One stage of the 审查 plan: its steps run in parallel (并联审批); stages run in order. */
export const ReviewStage = z.strictObject({ name: text(100), steps: z.array(ReviewStep).min(1, { message: '每个阶段至少一个环节' }).max(20) });
export type ReviewStage = z.infer<typeof ReviewStage>;

const Reason = text(500);

export const DraftServiceItem = z.strictObject({
  itemCode: ItemCode,
  name: text(200),
  itemType: ItemType,
  applicantKinds: z.array(ApplicantKind).min(1, { message: '至少一种申请人类别' }).max(2),
  /** The 权责清单 power the item exercises (absent for 公共服务). */
  powerCode: ItemCode.nullable().default(null),
  /** 设定和实施依据, with the article: 《中华人民共和国食品安全法》第三十五条. */
  legalBasis: text(2000),
  setAtLevel: SetAtLevel,
  /** 法定时限 in working days; null where the law sets none (即办 or no statutory limit). */
  statutoryDays: Days.nullable(),
  /** The certificate type the decision produces (`food_business_licence`), or null. */
  resultType: CertificateTypeCode.nullable().default(null),
  /** 主管部门 and 实施机关, as department kinds (`amr`); the implementing kind defaults to the competent one. */
  competentDepartmentKind: DepartmentKind,
  implementingDepartmentKind: DepartmentKind.optional(),
  /** 受理条件. */
  conditions: text(4000),
  /** 数量限制 (十公开: 数量). */
  quantityLimit: text(500).default('无数量限制'),
  /** Why this version (shown in the version history). */
  reason: Reason,
  /**
   * 冀政办发〔2020〕7号: a cancelled approval may not come back by splitting, merging or renaming.
   * A draft that closely matches a cancelled item is held until this written justification is given.
   */
  justification: text(2000).optional(),
});
export type DraftServiceItem = z.infer<typeof DraftServiceItem>;
export type DraftServiceItemInput = z.input<typeof DraftServiceItem>;

const VersionMeta = {
  version: z.number().int(),
  status: VersionStatus,
  reason: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
};

export const ServiceItem = z.object({
  id: z.string(),
  versionId: z.string(),
  itemCode: z.string(),
  name: z.string(),
  itemType: ItemType,
  itemTypeCode: z.string(),
  itemTypeName: z.string(),
  applicantKinds: z.array(ApplicantKind),
  powerCode: z.string().nullable(),
  legalBasis: z.string(),
  setAtLevel: SetAtLevel,
  statutoryDays: z.number().nullable(),
  resultType: z.object({ code: z.string(), name: z.string() }).nullable(),
  competentDepartmentKind: z.string(),
  competentDepartmentName: z.string(),
  implementingDepartmentKind: z.string(),
  conditions: z.string(),
  quantityLimit: z.string(),
  ...VersionMeta,
});
export type ServiceItem = z.infer<typeof ServiceItem>;

/** The six elements the same province-wide (四级四同) are not part of an implementation's input. */
const UNIFIED = '六要素（事项名称、编码、类型、主管部门、实施机关、设定依据）由省级事项标准统一，实施清单不能修改';
const unified = z.never({ message: UNIFIED }).optional();

export const DraftImplementation = z.strictObject({
  itemCode: ItemCode,
  regionCode: RegionCode,
  promisedDays: Days,
  caseType: CaseType,
  /** 办理深度, the four-level national scale (1 信息公开/咨询 … 4 全程网办); see docs in catalogue.policy.ts. */
  onlineDepth: z.number().int().min(1, { message: '办理深度为1–4' }).max(4, { message: '办理深度为1–4' }),
  visitsRequired: z.number().int().min(0).max(10),
  fees: z.array(Fee).max(50).default([]),
  materials: z.array(Material).max(100),
  formSchema: JsonSchemaObject,
  reviewPlan: z.array(ReviewStage).min(1, { message: '至少一个审查阶段' }).max(20),
  serviceHall: text(200),
  officeHours: text(200).default('法定工作日 上午9:00–12:00，下午13:30–17:00'),
  consultPhone: Phone,
  complaintPhone: Phone,
  reason: Reason,
  name: unified,
  itemType: unified,
  competentDepartmentKind: unified,
  implementingDepartmentKind: unified,
  legalBasis: unified,
  departmentKind: unified,
});
export type DraftImplementation = z.infer<typeof DraftImplementation>;
export type DraftImplementationInput = z.input<typeof DraftImplementation>;

export const Implementation = z.object({
  id: z.string(),
  versionId: z.string(),
  itemCode: z.string(),
  /** The item version whose six unified elements this implementation follows. */
  itemVersion: z.number().int(),
  name: z.string(),
  itemType: ItemType,
  legalBasis: z.string(),
  competentDepartmentKind: z.string(),
  regionCode: z.string(),
  department: z.object({ id: z.string(), kind: z.string(), name: z.string() }),
  promisedDays: z.number().int(),
  caseType: CaseType,
  onlineDepth: z.number().int(),
  visitsRequired: z.number().int(),
  fees: z.array(Fee),
  materials: z.array(Material),
  formSchema: JsonSchemaObject,
  reviewPlan: z.array(ReviewStage),
  serviceHall: z.string(),
  officeHours: z.string(),
  consultPhone: z.string(),
  complaintPhone: z.string(),
  ...VersionMeta,
});
export type Implementation = z.infer<typeof Implementation>;

export const ItemDetail = z.object({ item: ServiceItem, implementations: z.array(Implementation) });
export type ItemDetail = z.infer<typeof ItemDetail>;

export const VersionSummary = z.object({ versionId: z.string(), ...VersionMeta });
export type VersionSummary = z.infer<typeof VersionSummary>;

export const ItemSearchQuery = z.strictObject({
  q: z.string().trim().max(100, { message: '最多100个字符' }).optional(),
  /** Items an applicant in this region can apply for: implemented in the region or a level above it. */
  region: RegionCode.optional(),
  /** Applicant kind. */
  kind: ApplicantKind.optional(),
  /** Competent department kind (`amr`). */
  department: DepartmentKind.optional(),
  type: ItemType.optional(),
  limit: z.coerce.number().int().min(1).max(500, { message: '每页最多500条' }).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ItemSearchQuery = z.infer<typeof ItemSearchQuery>;

export const ItemSearchHit = z.object({
  itemCode: z.string(),
  name: z.string(),
  itemType: ItemType,
  /** The competent department's name (河北省市场监督管理局). */
  department: z.string(),
  departmentKind: z.string(),
  score: z.number().optional(),
});
export const ItemSearchResult = z.object({ items: z.array(ItemSearchHit), total: z.number().int() });
export type ItemSearchResult = z.infer<typeof ItemSearchResult>;

export const ItemParams = z.strictObject({ itemCode: ItemCode });
export const ItemVersionParams = z.strictObject({ itemCode: ItemCode, version: z.coerce.number().int().min(1) });
export const ImplementationVersionParams = z.strictObject({ id: z.uuid({ message: '应为 UUID' }), version: z.coerce.number().int().min(1) });
export const GuideQuery = z.strictObject({ region: RegionCode });

/** The 办事指南: everything of the window's 十公开 for one item in one region. */
/** 先行先试 kinds: fewer promised days, approval by commitment (告知承诺制), or another deviation. */
export const PILOT_KINDS = { fewer_days: '压缩承诺时限', approval_by_commitment: '告知承诺审批', other: '其他先行先试' } as const;
export type PilotKind = keyof typeof PILOT_KINDS;
export const PilotKind = z.enum(Object.keys(PILOT_KINDS) as [PilotKind, ...PilotKind[]], { message: `试点类别应为 ${Object.keys(PILOT_KINDS).join('、')} 之一` });

/** What the guide shows of a Pilot in force: the deviation, its approving document and its term. */
export const GuidePilot = z.object({
  id: z.string(),
  regionCode: z.string(),
  kind: PilotKind,
  kindName: z.string(),
  description: z.string(),
  legalBasis: z.string(),
  approvedBy: z.string(),
  startDate: z.string(),
  expiry: z.string(),
  /** The promised-days ceiling the pilot approves for its items (working days); null: the statutory limit stands. */
  allowedDays: z.number().int().nullable(),
});
export type GuidePilot = z.infer<typeof GuidePilot>;

export const Guide = z.object({
  itemCode: z.string(),
  name: z.string(),
  itemType: ItemType,
  itemTypeName: z.string(),
  applicantKinds: z.array(ApplicantKind),
  /** 依据. */
  legalBasis: z.string(),
  /** 条件. */
  conditions: z.string(),
  /** 数量. */
  quantityLimit: z.string(),
  /** 程序: intake, the review stages in order (parallel steps inside a stage), decision. */
  procedure: z.array(z.object({ order: z.number().int(), name: z.string(), parallel: z.array(z.object({ department: z.string(), name: z.string(), days: z.number() })) })),
  /** 申报材料, each with its form and count. */
  materials: z.array(Material.extend({ formName: z.string() })),
  /** 承诺时限 and 法定时限, in working days. */
  promisedDays: z.number().int(),
  statutoryDays: z.number().int().nullable(),
  caseType: CaseType,
  onlineDepth: z.number().int(),
  visitsRequired: z.number().int(),
  /** 收费项目/标准/依据; empty: 不收费. */
  fees: z.array(Fee),
  resultType: z.object({ code: z.string(), name: z.string() }).nullable(),
  consultPhone: z.string(),
  complaintPhone: z.string(),
  serviceHall: z.string(),
  officeHours: z.string(),
  /** 审批项目's implementing body and its region (the nearest level that implements the item). */
  department: z.object({ id: z.string(), kind: z.string(), name: z.string() }),
  regionCode: z.string(),
  /** The region asked for; differs from regionCode when a higher level implements the item. */
  requestedRegion: z.string(),
  formSchema: JsonSchemaObject,
  implementationId: z.string(),
  implementationVersionId: z.string(),
  implementationVersion: z.number().int(),
  /** The 先行先试 Pilot in force for this implementation, if any (owned by the delegation module). */
  pilot: GuidePilot.nullable(),
});
export type Guide = z.infer<typeof Guide>;

export const LifeEventItem = z.object({ itemCode: z.string(), name: z.string(), department: z.string(), departmentKind: z.string() });
export const FieldTarget = z.strictObject({ itemCode: ItemCode, field: z.string().min(1).max(64) });

export const DraftLifeEvent = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, { message: '一件事编码应为小写字母、数字或下划线' }),
  name: text(100),
  description: text(2000),
  itemCodes: z.array(ItemCode).min(2, { message: '一件事至少包含两个事项' }).max(50),
  /** 一表申请: one form for the whole bundle. */
  formSchema: JsonSchemaObject,
  /** Each shared field → the item form fields it fills. */
  fieldMap: z.record(z.string(), z.array(FieldTarget).min(1)),
  reason: Reason,
});
export type DraftLifeEvent = z.infer<typeof DraftLifeEvent>;

export const LifeEvent = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  items: z.array(LifeEventItem),
  formSchema: JsonSchemaObject,
  fieldMap: z.record(z.string(), z.array(FieldTarget)),
  ...VersionMeta,
});
export type LifeEvent = z.infer<typeof LifeEvent>;
export const LifeEventSummary = LifeEvent.pick({ code: true, name: true, description: true, items: true, version: true });

export const DraftPower = z.strictObject({
  code: ItemCode,
  name: text(200),
  powerType: PowerType,
  legalBasis: text(2000),
  competentDepartmentKind: DepartmentKind,
  reason: Reason,
});
export type DraftPower = z.infer<typeof DraftPower>;

export const StandardisationQuery = z.strictObject({ region: RegionCode });

export const GuideCheck = z.object({ element: z.string(), ok: z.boolean(), message: z.string().optional() });
export const StandardisationImplementation = z.object({
  implementationId: z.string(),
  version: z.number().int(),
  regionCode: z.string(),
  department: z.string(),
  promisedDays: z.number().int(),
  materialsCount: z.number().int(),
  /** 0–100: the share of 十公开 elements present and right. */
  completeness: z.number(),
  problems: z.array(z.string()),
});
export const StandardisationItem = z.object({
  itemCode: z.string(),
  name: z.string(),
  implementations: z.array(StandardisationImplementation),
  /** A difference in the six unified elements between an implementation and the standard. */
  violations: z.array(z.object({ implementationId: z.string(), regionCode: z.string(), element: z.string(), expected: z.string(), actual: z.string() })),
  /** Spread of materials and promised days across the implementations. */
  findings: z.array(z.string()),
  promisedDays: z.object({ min: z.number(), max: z.number() }).nullable(),
  materialsCount: z.object({ min: z.number(), max: z.number() }).nullable(),
});
export const StandardisationReport = z.object({
  region: z.string(),
  generatedAt: z.string(),
  items: z.array(StandardisationItem),
  regions: z.array(z.object({ regionCode: z.string(), implementations: z.number().int(), score: z.number(), violations: z.number().int() })),
  score: z.number(),
});
export type StandardisationReport = z.infer<typeof StandardisationReport>;

/**
 * POST /catalogue/batch: records of several kinds at once, all or nothing, as an import is. Each
 * row is checked on the server against its own schema (DraftPower, DraftServiceItem,
 * DraftImplementation, DraftLifeEvent …) and every problem is named by section and index
 * (`powers.2.legalBasis`).
 */
const BatchRows = z.array(z.unknown()).max(2000, { message: '一次最多 2000 条，请分批提交' }).optional();
export const CatalogueBatchRequest = z.strictObject({
  /** Why: recorded on every version written that does not give its own. */
  reason: text(200),
  /** Publish what is written (the default, as an import of the official list does), or leave drafts. */
  publish: z.boolean().default(true),
  certificateTypes: BatchRows,
  synonyms: BatchRows,
  powers: BatchRows,
  items: BatchRows,
  implementations: BatchRows,
  lifeEvents: BatchRows,
});
export type CatalogueBatchRequest = z.infer<typeof CatalogueBatchRequest>;

export const CatalogueBatchResult = z.object({
  certificateTypes: z.number().int(),
  synonyms: z.number().int(),
  powers: z.number().int(),
  items: z.number().int(),
  implementations: z.number().int(),
  lifeEvents: z.number().int(),
  unchanged: z.number().int(),
});
