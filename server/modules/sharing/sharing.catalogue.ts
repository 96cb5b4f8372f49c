/**
 * The data catalogue Tongban starts with (政务信息资源目录): six resources that the commonest
 * services and life events ask for, each at the level that actually holds it in Hebei, plus one
 * resource that is not shared, to show the refusal. Reference data: `ensureDataCatalogue` loads
 * it in any mode (it creates the standard departments of 河北省 and 石家庄市 if they are missing);
 * the demo only adds records for the demo people (`DEMO_RECORDS`).
 *
 * Sharing types and their bases follow 国发〔2016〕51号: personal data is shared on conditions;
 * business registration is open (企业信息公示暂行条例 makes it public anyway); criminal records are
 * not shared between departments (only certified on request to the person or by law).
 */
import { idNumberCheckChar } from '../../../shared/identity-numbers.js';

export interface ResourceDefinition {
  code: string;
  name: string;
  summary: string;
  provider: { region: string; kind: string };
  subjectKind: 'person' | 'business';
  fields: { name: string; label: string; personal: boolean }[];
  sharingType: 'open' | 'conditional' | 'closed';
  conditions: string | null;
  legalBasis: string | null;
  updateCycle: 'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
}

export const HEBEI = '130000';
export const SHIJIAZHUANG = '130100';

const P = (name: string, label: string) => ({ name, label, personal: true });
const N = (name: string, label: string) => ({ name, label, personal: false });

export const RESOURCES: ResourceDefinition[] = [
  {
    code: 'public_security.household',
    name: '户籍信息',
    summary: '常住人口户籍登记：姓名、公民身份号码、性别、民族、出生日期、户籍地址、与户主关系',
    provider: { region: SHIJIAZHUANG, kind: 'public_security' },
    subjectKind: 'person',
    fields: [P('name', '姓名'), P('idNumber', '公民身份号码'), P('gender', '性别'), P('ethnicity', '民族'), P('birthDate', '出生日期'), P('address', '户籍地址'), P('householdRelation', '与户主关系')],
    sharingType: 'conditional',
    conditions: '限办理本人申请的政务服务事项时核验身份与户籍，须附办件编号',
    legalBasis: '《中华人民共和国户口登记条例》；《中华人民共和国居民身份证法》第十九条、第二十条；《中华人民共和国个人信息保护法》第三十四条',
    updateCycle: 'realtime',
  },
  {
    code: 'amr.business_registration',
    name: '营业执照（登记信息）',
    summary: '市场主体登记信息：统一社会信用代码、名称、类型、法定代表人、注册资本、成立日期、住所、经营范围、登记状态',
    provider: { region: HEBEI, kind: 'amr' },
    subjectKind: 'business',
    fields: [N('creditCode', '统一社会信用代码'), N('name', '名称'), N('entityType', '类型'), N('legalRepresentative', '法定代表人'), N('registeredCapital', '注册资本'), N('establishedOn', '成立日期'), N('address', '住所'), N('businessScope', '经营范围'), N('status', '登记状态')],
    sharingType: 'open',
    conditions: null,
    legalBasis: '《企业信息公示暂行条例》第六条；《中华人民共和国市场主体登记管理条例》',
    updateCycle: 'realtime',
  },
  {
    code: 'civil_affairs.marriage',
    name: '婚姻登记信息',
    summary: '结婚、离婚登记：当事人、登记日期、登记机关、证件号',
    provider: { region: SHIJIAZHUANG, kind: 'civil_affairs' },
    subjectKind: 'person',
    fields: [P('name', '姓名'), P('maritalStatus', '婚姻状况'), P('spouseName', '配偶姓名'), P('spouseIdNumber', '配偶公民身份号码'), N('registeredOn', '登记日期'), N('registrar', '登记机关'), N('certificateNo', '结婚证字号')],
    sharingType: 'conditional',
    conditions: '限办理需核验婚姻状况的事项（不动产登记、新生儿出生、公积金提取等），须附办件编号',
    legalBasis: '《婚姻登记条例》；《中华人民共和国个人信息保护法》第三十四条',
    updateCycle: 'daily',
  },
  {
    code: 'hrss.social_insurance',
    name: '社保参保信息',
    summary: '社会保险参保与缴费：参保险种、参保单位、参保状态、累计缴费月数',
    provider: { region: SHIJIAZHUANG, kind: 'hrss' },
    subjectKind: 'person',
    fields: [P('name', '姓名'), P('idNumber', '公民身份号码'), N('insuranceTypes', '参保险种'), N('employer', '参保单位'), N('status', '参保状态'), N('monthsPaid', '累计缴费月数')],
    sharingType: 'conditional',
    conditions: '限办理社保相关事项及落户、购房资格等依法需核验参保情况的事项',
    legalBasis: '《中华人民共和国社会保险法》第七十四条；《社会保险个人权益记录管理办法》',
    updateCycle: 'monthly',
  },
  {
    code: 'health.birth_medical_certificate',
    name: '出生医学证明信息',
    summary: '新生儿出生医学证明：新生儿姓名、性别、出生时间与地点、父母姓名及身份证号（按父母身份证号查询）',
    provider: { region: SHIJIAZHUANG, kind: 'health' },
    subjectKind: 'person',
    fields: [P('childName', '新生儿姓名'), P('childGender', '新生儿性别'), P('birthTime', '出生时间'), N('birthPlace', '出生地点'), P('motherName', '母亲姓名'), P('motherIdNumber', '母亲公民身份号码'), P('fatherName', '父亲姓名'), P('fatherIdNumber', '父亲公民身份号码'), N('certificateNo', '出生医学证明编号')],
    sharingType: 'conditional',
    conditions: '限办理"新生儿出生一件事"（出生登记、医保参保、社保卡申领）',
    legalBasis: '《中华人民共和国母婴保健法》第二十三条；国办发〔2022〕32号（新生儿出生"一件事"）',
    updateCycle: 'daily',
  },
  {
    code: 'natural_resources.real_estate',
    name: '不动产登记信息',
    summary: '不动产权属：权利人、不动产权证号、坐落、面积、用途、登记日期、抵押与查封状态',
    provider: { region: SHIJIAZHUANG, kind: 'natural_resources' },
    subjectKind: 'person',
    fields: [P('ownerName', '权利人'), P('ownerIdNumber', '权利人证件号'), N('certificateNo', '不动产权证号'), P('location', '坐落'), N('area', '面积（平方米）'), N('use', '用途'), N('registeredOn', '登记日期'), N('encumbrance', '抵押查封状态')],
    sharingType: 'conditional',
    conditions: '限办理依法需核验不动产权属的事项（户籍迁移、公积金、住房保障等）',
    legalBasis: '《不动产登记暂行条例》第二十四条、第二十七条；《不动产登记资料查询暂行办法》',
    updateCycle: 'daily',
  },
  {
    code: 'public_security.criminal_record',
    name: '违法犯罪记录信息',
    summary: '犯罪记录：仅依法向本人或有权机关出具查询结果，不在部门间共享',
    provider: { region: SHIJIAZHUANG, kind: 'public_security' },
    subjectKind: 'person',
    fields: [P('name', '姓名'), P('idNumber', '公民身份号码'), P('hasRecord', '有无犯罪记录')],
    sharingType: 'closed',
    conditions: null,
    legalBasis: '《公安机关办理犯罪记录查询工作规定》（公通字〔2021〕19号）第二条、第十条：犯罪记录查询限于法定情形，不作为部门间共享数据',
    updateCycle: 'daily',
  },
];

const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);

/** The demo people of server/db/seed/demo.ts: 张三, the business and its legal representative 李四. */
export const ZHANG_SAN = '130102199003071233';
export const LI_SI = '130102198506123459';
export const DEMO_BUSINESS = '91130102MA0DXQ7K30';
const WANG_MEI = withCheck('13010219920815002');

export const DEMO_RECORDS: { resource: string; subject: string; fields: Record<string, unknown> }[] = [
  {
    resource: 'public_security.household',
    subject: ZHANG_SAN,
    fields: { name: '张三', idNumber: ZHANG_SAN, gender: '男', ethnicity: '汉族', birthDate: '1990-03-07', address: '河北省石家庄市长安区建设北大街 15 号', householdRelation: '户主' },
  },
  {
    resource: 'public_security.household',
    subject: LI_SI,
    fields: { name: '李四', idNumber: LI_SI, gender: '男', ethnicity: '汉族', birthDate: '1985-06-12', address: '河北省石家庄市长安区中山东路 88 号', householdRelation: '户主' },
  },
  {
    resource: 'amr.business_registration',
    subject: DEMO_BUSINESS,
    fields: {
      creditCode: DEMO_BUSINESS,
      name: '石家庄市长安区通办餐饮有限公司',
      entityType: '有限责任公司(自然人投资或控股)',
      legalRepresentative: '李四',
      registeredCapital: '50万元人民币',
      establishedOn: '2019-06-18',
      address: '河北省石家庄市长安区中山东路 100 号',
      businessScope: '餐饮服务；食品销售（仅销售预包装食品）',
      status: '存续（在营、开业、在册）',
    },
  },
  {
    resource: 'civil_affairs.marriage',
    subject: ZHANG_SAN,
    fields: { name: '张三', maritalStatus: '已婚', spouseName: '王梅', spouseIdNumber: WANG_MEI, registeredOn: '2018-10-08', registrar: '石家庄市长安区民政局', certificateNo: '冀石长结字第 201800123 号' },
  },
  {
    resource: 'hrss.social_insurance',
    subject: ZHANG_SAN,
    fields: { name: '张三', idNumber: ZHANG_SAN, insuranceTypes: ['企业职工基本养老保险', '职工基本医疗保险', '失业保险', '工伤保险'], employer: '石家庄市长安区通办餐饮有限公司', status: '正常参保', monthsPaid: 86 },
  },
  {
    resource: 'hrss.social_insurance',
    subject: LI_SI,
    fields: { name: '李四', idNumber: LI_SI, insuranceTypes: ['企业职工基本养老保险', '职工基本医疗保险'], employer: '石家庄市长安区通办餐饮有限公司', status: '正常参保', monthsPaid: 152 },
  },
  {
    resource: 'health.birth_medical_certificate',
    subject: ZHANG_SAN,
    fields: {
      childName: '张小宝',
      childGender: '男',
      birthTime: '2026-11-02T09:26:00+08:00',
      birthPlace: '河北医科大学第四医院',
      motherName: '王梅',
      motherIdNumber: WANG_MEI,
      fatherName: '张三',
      fatherIdNumber: ZHANG_SAN,
      certificateNo: 'Q130012345',
    },
  },
  {
    resource: 'natural_resources.real_estate',
    subject: ZHANG_SAN,
    fields: { ownerName: '张三', ownerIdNumber: ZHANG_SAN, certificateNo: '冀(2020)石家庄市不动产权第 0012345 号', location: '石家庄市长安区建设北大街 15 号 3 单元 502 室', area: 96.5, use: '城镇住宅用地/住宅', registeredOn: '2020-05-20', encumbrance: '无' },
  },
];
