import { z } from 'zod';
import { RegionCode } from './common.js';

export const RegionLevel = z.enum(['province', 'city', 'county']);

export const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: RegionLevel,
  parentCode: z.string().nullable(),
  /** GB/T 2260 parent where it differs from the governing parent (雄县 → 保定市 130600). */
  gbParentCode: z.string().nullable(),
  /** false for 雄安新区 133100, a provincial local code. */
  inGb2260: z.boolean(),
});
export type Region = z.infer<typeof Region>;

export const RegionSummary = z.object({ code: z.string(), name: z.string(), level: RegionLevel });

export const RegionDetail = Region.extend({
  /** From the province down to this region, inclusive. */
  path: z.array(RegionSummary),
  childCount: z.number().int(),
});
export type RegionDetail = z.infer<typeof RegionDetail>;

export const RegionListQuery = z.strictObject({ parent: RegionCode.optional() });
export const RegionParams = z.strictObject({ code: RegionCode });

export const Department = z.object({
  id: z.string(),
  regionCode: z.string(),
  kind: z.string(),
  name: z.string(),
});
export type Department = z.infer<typeof Department>;

export const DepartmentListQuery = z.strictObject({ region: RegionCode });
export const CreateDepartment = z.strictObject({
  regionCode: RegionCode,
  kind: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, { message: '部门类别应为小写字母、数字或下划线' }),
  name: z.string().trim().min(2).max(100),
});
