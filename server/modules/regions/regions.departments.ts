/**
 * The standard departments of a Hebei region and their names at each level (河北省机构改革方案 2018,
 * 2024). A province-level body is usually a 厅, a city or county body a 局.
 */
import type { RegionLevel } from './regions.data.js';

interface StandardDepartment {
  kind: string;
  province: string;
  city: string;
  county?: string;
}

export const STANDARD_DEPARTMENTS: StandardDepartment[] = [
  { kind: 'service_center', province: '政务服务中心', city: '政务服务中心' },
  { kind: 'data_service', province: '数据和政务服务局', city: '数据和政务服务局', county: '行政审批局' },
  { kind: 'amr', province: '市场监督管理局', city: '市场监督管理局' },
  { kind: 'health', province: '卫生健康委员会', city: '卫生健康委员会', county: '卫生健康局' },
  { kind: 'public_security', province: '公安厅', city: '公安局', county: '公安分局' },
  { kind: 'hrss', province: '人力资源和社会保障厅', city: '人力资源和社会保障局' },
  { kind: 'healthcare_security', province: '医疗保障局', city: '医疗保障局' },
  { kind: 'civil_affairs', province: '民政厅', city: '民政局' },
  { kind: 'housing', province: '住房和城乡建设厅', city: '住房和城乡建设局' },
  { kind: 'natural_resources', province: '自然资源厅', city: '自然资源和规划局', county: '自然资源和规划分局' },
  { kind: 'ecology', province: '生态环境厅', city: '生态环境局', county: '生态环境分局' },
  { kind: 'transport', province: '交通运输厅', city: '交通运输局' },
  { kind: 'culture_tourism', province: '文化和旅游厅', city: '文化广电和旅游局' },
  { kind: 'emergency', province: '应急管理厅', city: '应急管理局' },
  { kind: 'water', province: '水利厅', city: '水利局' },
  { kind: 'tax', province: '税务局', city: '税务局' },
];

/** `长安区卫生健康局`, `河北省公安厅`, `国家税务总局石家庄市长安区税务局`. */
export function departmentName(d: StandardDepartment, level: RegionLevel, regionName: string, cityName?: string): string {
  const suffix = level === 'province' ? d.province : level === 'city' ? d.city : (d.county ?? d.city);
  if (d.kind === 'tax') return `国家税务总局${level === 'county' && cityName ? cityName : ''}${regionName}${suffix}`;
  return `${regionName}${suffix}`;
}
