/**
 * Demo delegation data: links between real items that must move together, two demo orders whose
 * takeOver is unfinished (so the floating list and heat map have something to show), and two
 * Pilots of 雄安新区. The orders' document numbers and titles are marked 演示数据: they are not
 * real documents. Idempotent.
 */
import type { CreateDelegation, CreateItemLink, CreatePilot } from '../../../shared/contracts/delegation.js';
import type { Ctx } from '../../core/ctx.js';
import { createDelegation, createItemLink, createPilot, listDelegations, listPilots } from '../../modules/delegation/index.js';
import { HEBEI, XIONGAN } from '../../modules/regions/index.js';

const SHIJIAZHUANG = '130100';
const CHANGAN = '130102';

/** An item and the prerequisite whose result it needs, with the rule that makes it so. */
export const DEMO_LINKS: CreateItemLink[] = [
  {
    itemCode: 'HB-01-HOUSING-001',
    prerequisiteCode: 'HB-01-NR-001',
    basis: '《中华人民共和国建筑法》第八条：申请领取施工许可证，依法应当办理建设工程规划许可证的，应已经取得建设工程规划许可证',
  },
  {
    itemCode: 'HB-01-HOUSING-001',
    prerequisiteCode: 'HB-01-HOUSING-004',
    basis: '《中华人民共和国消防法》第十二条：特殊建设工程未经消防设计审查或者审查不合格的，建设单位、施工单位不得施工',
  },
  {
    itemCode: 'HB-01-NR-001',
    prerequisiteCode: 'HB-01-NR-002',
    basis: '《中华人民共和国城乡规划法》第三十七条、第三十八条、第四十条：先取得建设用地规划许可，再申请建设工程规划许可',
  },
  {
    itemCode: 'HB-01-NR-002',
    prerequisiteCode: 'HB-01-NR-003',
    basis: '《中华人民共和国城乡规划法》第三十六条、第三十七条：以划拨方式提供国有土地使用权的建设项目，先核发选址意见书，再申请建设用地规划许可',
  },
  {
    itemCode: 'HB-01-HOUSING-002',
    prerequisiteCode: 'HB-01-HOUSING-001',
    basis: '《城市商品房预售管理办法》：商品房预售须持有建设工程规划许可证和施工许可证',
  },
  {
    itemCode: 'HB-01-AMR-001',
    prerequisiteCode: 'HB-01-AMR-003',
    basis: '《食品经营许可和备案管理办法》：申请食品经营许可，应当先行取得营业执照等合法主体资格',
  },
];

export const DEMO_ORDERS: CreateDelegation[] = [
  {
    documentNo: '石政办发〔2026〕90号',
    title: '（演示数据）石家庄市人民政府办公室关于委托县（市、区）实施部分市级行政许可事项的通知',
    items: ['HB-01-NR-002'],
    powers: [],
    mode: 'entrust',
    fromRegion: SHIJIAZHUANG,
    receivingRegions: [CHANGAN],
    effectiveDate: '2026-10-09',
  },
  {
    documentNo: '冀政办字〔2026〕95号',
    title: '（演示数据）河北省人民政府办公厅关于授权雄安新区实施部分省级行政许可事项的通知',
    items: ['HB-01-NR-003'],
    powers: [],
    mode: 'authorise',
    fromRegion: HEBEI,
    receivingRegions: [XIONGAN],
    effectiveDate: '2026-11-01',
  },
];

/** 《河北雄安新区条例》: passed 2021-07-29, in force 2021-09-01; cited without an article number we could not verify. */
const XIONGAN_REGULATION = '《河北雄安新区条例》（2021年7月29日河北省第十三届人民代表大会常务委员会第二十四次会议通过，2021年9月1日起施行）关于改革与开放的规定';

export const DEMO_PILOTS: CreatePilot[] = [
  {
    region: XIONGAN,
    items: ['HB-01-AMR-001', 'HB-01-AMR-002', 'HB-01-HOUSING-001', 'HB-01-NR-001'],
    description: '演示数据：雄安新区对食品经营、食品生产、建设工程规划和施工许可承诺短于全省标准的办理时限（如食品经营许可3个工作日、施工许可2个工作日）',
    kind: 'fewer_days',
    legalBasis: XIONGAN_REGULATION,
    startDate: '2026-01-01',
    expiry: '2027-12-31',
    approvedBy: '河北雄安新区管理委员会',
    allowedDays: null,
  },
  {
    region: XIONGAN,
    items: ['HB-01-HEALTH-001'],
    description: '演示数据：雄安新区对公共场所卫生许可实行告知承诺制审批，申请人书面承诺符合条件即当场作出决定，事后核查',
    kind: 'approval_by_commitment',
    legalBasis: `《国务院关于深化“证照分离”改革进一步激发市场主体发展活力的通知》（国发〔2021〕7号）；${XIONGAN_REGULATION}`,
    startDate: '2026-01-01',
    expiry: '2027-12-31',
    approvedBy: '河北雄安新区管理委员会',
    allowedDays: null,
  },
];

export async function seedDelegationDemo(ctx: Ctx): Promise<void> {
  for (const link of DEMO_LINKS) await createItemLink(ctx, link);
  for (const order of DEMO_ORDERS) {
    const existing = await listDelegations(ctx, { region: order.fromRegion, limit: 500, offset: 0 });
    if (!existing.delegations.some((d) => d.documentNo === order.documentNo)) await createDelegation(ctx, order);
  }
  const pilots = await listPilots(ctx, XIONGAN);
  for (const pilot of DEMO_PILOTS) {
    if (!pilots.some((p) => p.description === pilot.description)) await createPilot(ctx, pilot);
  }
}
