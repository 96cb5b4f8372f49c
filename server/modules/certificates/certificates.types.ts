/**
 * Certificate types Tongban knows by name, with the short code used in certificate numbers.
 * The catalogue module owns the list of certificate types (`certificate_types`, what a
 * ServiceItem's `resultType` points at); until its public surface offers a lookup, the names of
 * the common types live here and any other well-formed type code is accepted with the name the
 * caller gives.
 */
export interface KnownType {
  name: string;
  /** Initials of the pinyin of the name, as the provincial licence catalogues abbreviate them. */
  abbr: string;
}

export const KNOWN_TYPES: Record<string, KnownType> = {
  business_licence: { name: '营业执照', abbr: 'YYZZ' },
  food_business_licence: { name: '食品经营许可证', abbr: 'SPJY' },
  food_production_licence: { name: '食品生产许可证', abbr: 'SPSC' },
  drug_business_licence: { name: '药品经营许可证', abbr: 'YPJY' },
  public_place_hygiene_licence: { name: '公共场所卫生许可证', abbr: 'GGWS' },
  medical_institution_licence: { name: '医疗机构执业许可证', abbr: 'YLJG' },
  birth_medical_certificate: { name: '出生医学证明', abbr: 'CSYX' },
  marriage_certificate: { name: '结婚证', abbr: 'JHZ' },
  real_estate_certificate: { name: '不动产权证书', abbr: 'BDCQ' },
  road_transport_licence: { name: '道路运输经营许可证', abbr: 'DLYS' },
};

export const TYPE_CODE = /^[a-z][a-z0-9_]{1,63}$/;

/** The short code of a type in certificate numbers: the known one, or the initials of its code. */
export function typeAbbr(type: string): string {
  const known = KNOWN_TYPES[type];
  if (known) return known.abbr;
  const initials = type
    .split('_')
    .filter(Boolean)
    .map((s) => s[0]!.toUpperCase())
    .join('');
  return initials.length >= 2 ? initials.slice(0, 6) : type.slice(0, 4).toUpperCase();
}

export function typeName(type: string, given?: string): string {
  return KNOWN_TYPES[type]?.name ?? given ?? type;
}

/** Printed labels of the commonest certificate fields; any other field prints under its own name. */
export const FIELD_LABELS: Record<string, string> = {
  legalRepresentative: '法定代表人',
  entityType: '类型',
  registeredCapital: '注册资本',
  establishedOn: '成立日期',
  address: '住所',
  businessScope: '经营范围',
  premises: '经营场所',
  mainBusiness: '主体业态',
  businessItems: '经营项目',
  paperLicenceNo: '原许可证编号',
  childName: '新生儿姓名',
  birthTime: '出生时间',
  birthPlace: '出生地点',
  location: '坐落',
  area: '面积（平方米）',
  use: '用途',
};
