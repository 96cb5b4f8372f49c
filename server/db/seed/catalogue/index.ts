/**
 * The demo catalogue as one batch: certificate types, search synonyms, the 权责清单 powers behind
 * the items, the items, their implementations in 河北省, 石家庄市, 长安区 and 雄安新区, and three
 * life events. Applying it twice writes nothing the second time (content hashes match).
 */
import type { DraftImplementationInput, ReviewStage } from '../../../../shared/contracts/catalogue.js';
import type { Ctx } from '../../../core/ctx.js';
import { applyCatalogue, type BatchResult, type CatalogueBatch } from '../../../modules/catalogue/index.js';
import { HEBEI, XIONGAN } from '../../../modules/regions/index.js';
import { CERTIFICATE_TYPES } from './certificate-types.js';
import { form } from './forms.js';
import { ITEMS, type Level, type SeedItem } from './items.js';
import { LIFE_EVENTS } from './life-events.js';
import { SYNONYMS } from './synonyms.js';

const SHIJIAZHUANG = '130100';
const CHANGAN = '130102';

const LEVEL_REGION: Record<Level, string> = { province: HEBEI, city: SHIJIAZHUANG, county: CHANGAN };

const HALLS: Record<string, string> = {
  [HEBEI]: '河北省政务服务中心',
  [SHIJIAZHUANG]: '石家庄市政务服务中心',
  [CHANGAN]: '长安区政务服务中心',
  [XIONGAN]: '雄安新区政务服务中心',
};

/** 12345 answers both 咨询 and 投诉 since the hotlines were merged (国办发〔2020〕53号). */
const HOTLINE = '12345';

const POWER_TYPE = {
  licensing: 'licensing',
  benefit: 'benefit',
  confirmation: 'confirmation',
  reward: 'reward',
  adjudication: 'adjudication',
  filing: 'other',
  other: 'other',
} as const;

export const powerCode = (itemCode: string) => `QL-${itemCode.replace(/^HB-/, '')}`;

/** The default plan: review then decision by the department itself; an instant case is settled at the window. */
function defaultPlan(dept: string, days: number): ReviewStage[] {
  if (days === 0) return [{ name: '当场办结', steps: [{ key: 'on_the_spot', departmentKind: dept, name: '窗口审核并当场办结', days: 0 }] }];
  if (days === 1) return [{ name: '审查决定', steps: [{ key: 'review', departmentKind: dept, name: '审查并作出决定', days: 1 }] }];
  return [
    { name: '审查', steps: [{ key: 'review', departmentKind: dept, name: '材料审查', days: days - 1 }] },
    { name: '决定', steps: [{ key: 'decision', departmentKind: dept, name: '审批决定', days: 1 }] },
  ];
}

function regionsOf(item: SeedItem): string[] {
  const regions = item.at.map((l) => LEVEL_REGION[l]);
  // 雄安新区 exercises the powers of a city and of a county
  if (item.at.includes('city') || item.at.includes('county')) regions.push(XIONGAN);
  return regions;
}

function implementation(item: SeedItem, region: string): Omit<DraftImplementationInput, 'reason'> {
  const days = region === XIONGAN && item.xiongan !== undefined ? item.xiongan : item.promised;
  const hall = HALLS[region]!;
  return {
    itemCode: item.code,
    regionCode: region,
    promisedDays: days,
    caseType: days === 0 ? 'instant' : 'promised',
    onlineDepth: item.onlineDepth ?? 3,
    visitsRequired: item.visits ?? 1,
    fees: item.fees ?? [],
    materials: item.materials,
    formSchema: form(`${item.name}申请表`, item.fields),
    reviewPlan: days === 0 ? defaultPlan(item.dept, 0) : (item.review ?? ((d: number) => defaultPlan(item.dept, d)))(days),
    serviceHall: item.code === 'HB-20-HEALTH-005' ? `${hall}；或新生儿出生的助产医疗机构` : hall,
    consultPhone: HOTLINE,
    complaintPhone: HOTLINE,
  };
}

export function demoCatalogue(): CatalogueBatch {
  return {
    certificateTypes: CERTIFICATE_TYPES,
    synonyms: SYNONYMS,
    powers: ITEMS.filter((i) => i.type !== 'public_service').map((i) => ({
      code: powerCode(i.code),
      name: i.name,
      powerType: POWER_TYPE[i.type as keyof typeof POWER_TYPE],
      legalBasis: i.basis,
      competentDepartmentKind: i.dept,
    })),
    items: ITEMS.map((i) => ({
      itemCode: i.code,
      name: i.name,
      itemType: i.type,
      applicantKinds: i.applicants,
      powerCode: i.type === 'public_service' ? null : powerCode(i.code),
      legalBasis: i.basis,
      setAtLevel: i.setAt,
      statutoryDays: i.statutoryDays,
      resultType: i.result ?? null,
      competentDepartmentKind: i.dept,
      conditions: i.conditions,
      ...(i.quantity ? { quantityLimit: i.quantity } : {}),
    })),
    implementations: ITEMS.flatMap((i) => regionsOf(i).map((r) => implementation(i, r))),
    lifeEvents: LIFE_EVENTS,
  };
}

/** Loads the demo catalogue (idempotent). */
export async function seedCatalogue(ctx: Ctx): Promise<BatchResult> {
  return applyCatalogue(ctx, demoCatalogue(), { reason: '演示数据：河北省政务服务事项目录与实施清单', publish: true });
}
