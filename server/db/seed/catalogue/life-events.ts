/**
 * 一件事一次办 (国办发〔2025〕24号): one form for a bundle of items. Each shared field says which
 * item form fields it fills, so the applicant types a name or an ID number once.
 */
import { BUSINESS_FIELDS, f, form } from './forms.js';

const OPEN_BUSINESS = ['HB-01-AMR-003', 'HB-10-PS-003', 'HB-10-TAX-001', 'HB-20-HRSS-003', 'HB-20-HOUSING-003'];
const OPEN_RESTAURANT = ['HB-01-AMR-001', 'HB-01-HEALTH-001'];
const NEWBORN = ['HB-20-HEALTH-005', 'HB-07-PS-001', 'HB-20-HCS-001'];

const to = (itemCodes: string[], field: string) => itemCodes.map((itemCode) => ({ itemCode, field }));

export const LIFE_EVENTS: { code: string; name: string; description: string; itemCodes: string[]; formSchema: Record<string, unknown>; fieldMap: Record<string, { itemCode: string; field: string }[]> }[] = [
  {
    code: 'open_business',
    name: '开办企业',
    description: '企业设立登记、公章刻制备案、发票申领、社会保险参保登记、住房公积金单位缴存登记一次办结：一表填报，一窗（网）受理，营业执照与各项结果统一发放。',
    itemCodes: OPEN_BUSINESS,
    formSchema: form('开办企业一件事申请表', [
      f.text('companyName', '企业名称'),
      f.choice('companyType', '企业类型', ['有限责任公司', '股份有限公司', '个人独资企业', '合伙企业']),
      f.text('legalRepName', '法定代表人', 50),
      f.idNumber('legalRepIdNumber', '法定代表人公民身份号码'),
      f.number('registeredCapital', '注册资本（万元）'),
      f.text('address', '住所'),
      f.longText('businessScope', '经营范围'),
      f.choices('sealKinds', '印章种类', ['单位公章', '财务专用章', '发票专用章', '合同专用章', '法定代表人名章']),
      f.choices('invoiceKinds', '发票种类', ['增值税专用发票', '普通发票', '电子发票（数电票）']),
      f.integer('employeeCount', '职工人数'),
      f.phone(),
    ]),
    fieldMap: {
      companyName: [{ itemCode: 'HB-01-AMR-003', field: 'companyName' }, ...to(OPEN_BUSINESS.slice(1), 'entityName')],
      companyType: [{ itemCode: 'HB-01-AMR-003', field: 'companyType' }],
      legalRepName: to(OPEN_BUSINESS, 'legalRepName'),
      legalRepIdNumber: to(OPEN_BUSINESS, 'legalRepIdNumber'),
      registeredCapital: [{ itemCode: 'HB-01-AMR-003', field: 'registeredCapital' }],
      address: to(OPEN_BUSINESS, 'address'),
      businessScope: [{ itemCode: 'HB-01-AMR-003', field: 'businessScope' }],
      sealKinds: [{ itemCode: 'HB-10-PS-003', field: 'sealKinds' }],
      invoiceKinds: [{ itemCode: 'HB-10-TAX-001', field: 'invoiceKinds' }],
      employeeCount: [{ itemCode: 'HB-20-HRSS-003', field: 'employeeCount' }, { itemCode: 'HB-20-HOUSING-003', field: 'employeeCount' }],
      contactPhone: to(OPEN_BUSINESS, 'contactPhone'),
    },
  },
  {
    code: 'open_restaurant',
    name: '开餐饮店',
    // 国发〔2016〕12号 cancelled the hygiene licence for plain 饭馆: it applies where the shop also
    // runs a licensed public place (e.g. a hotel restaurant, or one with a bathhouse or KTV rooms)
    description: '食品经营许可（市场监管）与公共场所卫生许可（卫生健康）并联审批：一表申请，两部门同时审查，现场核查一次完成。单纯饭馆无需公共场所卫生许可（国发〔2016〕12号），兼营住宿、沐浴、歌舞等的需要。',
    itemCodes: OPEN_RESTAURANT,
    formSchema: form('开餐饮店一件事申请表', [
      ...BUSINESS_FIELDS.map((x) => (x.key === 'entityName' ? f.text('entityName', '经营者名称') : x)),
      f.choice('mainFormat', '主体业态', ['餐饮服务经营者', '集中用餐单位食堂']),
      f.choices('businessItems', '经营项目', ['热食类食品制售', '冷食类食品制售', '生食类食品制售', '半成品制售', '自制饮品制售']),
      f.number('floorArea', '经营面积（平方米）', 1),
      f.choice('placeType', '兼营的公共场所类别', ['宾馆旅店', '公共浴室', '歌舞厅']),
      f.integer('staffCount', '从业人员数'),
      f.text('foodSafetyManager', '食品安全管理人员', 50),
    ]),
    fieldMap: {
      entityName: to(OPEN_RESTAURANT, 'entityName'),
      creditCode: to(OPEN_RESTAURANT, 'creditCode'),
      legalRepName: to(OPEN_RESTAURANT, 'legalRepName'),
      legalRepIdNumber: to(OPEN_RESTAURANT, 'legalRepIdNumber'),
      address: to(OPEN_RESTAURANT, 'address'),
      contactPhone: to(OPEN_RESTAURANT, 'contactPhone'),
      floorArea: to(OPEN_RESTAURANT, 'floorArea'),
      mainFormat: [{ itemCode: 'HB-01-AMR-001', field: 'mainFormat' }],
      businessItems: [{ itemCode: 'HB-01-AMR-001', field: 'businessItems' }],
      foodSafetyManager: [{ itemCode: 'HB-01-AMR-001', field: 'foodSafetyManager' }],
      placeType: [{ itemCode: 'HB-01-HEALTH-001', field: 'placeType' }],
      staffCount: [{ itemCode: 'HB-01-HEALTH-001', field: 'staffCount' }],
    },
  },
  {
    code: 'newborn',
    name: '新生儿出生',
    description: '出生医学证明办理、出生登记（落户）、城乡居民医保参保登记一次办结：父母填一张表，医院、公安、医保按序办理，证件统一送达。',
    itemCodes: NEWBORN,
    formSchema: form('新生儿出生一件事申请表', [
      f.text('babyName', '新生儿姓名', 50),
      f.choice('babyGender', '性别', ['男', '女']),
      f.date('birthDate', '出生日期'),
      f.text('birthPlace', '出生地点'),
      f.text('hospital', '接生机构'),
      f.text('motherName', '母亲姓名', 50),
      f.idNumber('motherIdNumber', '母亲公民身份号码'),
      f.text('fatherName', '父亲姓名', 50),
      f.idNumber('fatherIdNumber', '父亲公民身份号码'),
      f.choice('registerWith', '随父或随母落户', ['随父', '随母']),
      f.phone('phone', '联系电话'),
    ]),
    fieldMap: {
      babyName: [
        { itemCode: 'HB-20-HEALTH-005', field: 'babyName' },
        { itemCode: 'HB-07-PS-001', field: 'babyName' },
        { itemCode: 'HB-20-HCS-001', field: 'insuredName' },
      ],
      babyGender: [{ itemCode: 'HB-20-HEALTH-005', field: 'babyGender' }, { itemCode: 'HB-07-PS-001', field: 'babyGender' }],
      birthDate: [{ itemCode: 'HB-20-HEALTH-005', field: 'birthDate' }, { itemCode: 'HB-07-PS-001', field: 'birthDate' }],
      birthPlace: [{ itemCode: 'HB-20-HEALTH-005', field: 'birthPlace' }],
      hospital: [{ itemCode: 'HB-20-HEALTH-005', field: 'hospital' }],
      motherName: [{ itemCode: 'HB-20-HEALTH-005', field: 'motherName' }, { itemCode: 'HB-20-HCS-001', field: 'guardianName' }],
      motherIdNumber: [{ itemCode: 'HB-20-HEALTH-005', field: 'motherIdNumber' }],
      fatherName: [{ itemCode: 'HB-20-HEALTH-005', field: 'fatherName' }, { itemCode: 'HB-07-PS-001', field: 'guardianName' }],
      fatherIdNumber: [{ itemCode: 'HB-20-HEALTH-005', field: 'fatherIdNumber' }, { itemCode: 'HB-07-PS-001', field: 'guardianIdNumber' }],
      registerWith: [{ itemCode: 'HB-07-PS-001', field: 'registerWith' }],
      phone: [{ itemCode: 'HB-07-PS-001', field: 'phone' }, { itemCode: 'HB-20-HCS-001', field: 'phone' }],
    },
  },
];
