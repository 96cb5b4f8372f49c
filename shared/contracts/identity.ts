import { z } from 'zod';
import { CreditCode, IdNumber, text, RegionCode } from './common.js';


export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/, { message: '用户名为3–32位字母、数字、点、下划线或连字符，以字母或数字开头' });

/** NIST SP 800-63B: length over composition rules; 10–128 characters. */
export const Password = z
  .string()
  .min(10, { message: '密码至少10个字符' })
  .max(128, { message: '密码最多128个字符' })
  .refine((s) => !s.includes('\u0000'), { message: '密码不能包含 NUL 字符' });

export const Phone = z.string().trim().regex(/^1[3-9]\d{9}$/, { message: '应为11位中国大陆手机号码' });

export const RegisterPerson = z.strictObject({
  kind: z.literal('person'),
  username: Username,
  password: Password,
  name: text(50),
  idNumber: IdNumber,
  phone: Phone,
  regionCode: RegionCode.optional(),
});

export const RegisterBusiness = z.strictObject({
  kind: z.literal('business'),
  username: Username,
  password: Password,
  name: text(100),
  creditCode: CreditCode,
  legalRepresentative: z.strictObject({ name: text(50), idNumber: IdNumber }),
  phone: Phone.optional(),
  regionCode: RegionCode.optional(),
});

export const RegisterRequest = z.discriminatedUnion('kind', [RegisterPerson, RegisterBusiness]);
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z.strictObject({
  username: z.string().trim().min(1, { message: '请输入用户名' }).max(64, { message: '最多64个字符' }),
  password: z.string().min(1, { message: '请输入密码' }).max(128, { message: '最多128个字符' }),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** The signed-in user as every client sees it; personal numbers are masked. */
export const User = z.object({
  id: z.string(),
  kind: z.enum(['person', 'business', 'staff']),
  username: z.string(),
  name: z.string(),
  idNumberMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  creditCode: z.string().nullable(),
  legalRepresentative: z.object({ name: z.string(), idNumberMasked: z.string() }).nullable(),
  regionCode: z.string().nullable(),
  department: z.object({ id: z.string(), name: z.string(), regionCode: z.string() }).nullable(),
  roles: z.array(z.string()),
});
export type User = z.infer<typeof User>;

export const UserResponse = z.object({ user: User });

export const CreateStaff = z.strictObject({
  username: Username,
  password: Password,
  name: text(50),
  departmentId: z.uuid({ message: '应为部门 ID（UUID）' }),
  roles: z
    .array(z.enum(['window_clerk', 'reviewer', 'department_head', 'inspector', 'data_steward', 'catalogue_admin', 'efficiency_officer', 'system_admin']))
    .min(1, { message: '至少一个角色' })
    .max(8),
  phone: Phone.optional(),
});

export const ApiScope = z.string().regex(/^[a-z]+(?::[a-z_]+)*$/, { message: '权限范围形如 exchange:read' }).max(64);

export const CreateApiClient = z.strictObject({
  departmentId: z.uuid({ message: '应为部门 ID（UUID）' }),
  name: text(100),
  scopes: z.array(ApiScope).min(1, { message: '至少一个权限范围' }).max(32),
});

export const ApiClient = z.object({
  id: z.string(),
  departmentId: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  revoked: z.boolean(),
});
