import { sql } from 'kysely';
import { AppError } from '../../../shared/errors.js';
import type { RegisterRequest, User } from '../../../shared/contracts/identity.js';
import { maskIdNumber, maskPhone } from '../../../shared/identity-numbers.js';
import { ROLES, type Actor, type Role } from '../../core/actor.js';
import { requireAccess } from '../../core/access.js';
import * as audit from '../../core/audit.js';
import { inTransaction, type Ctx, type Runtime } from '../../core/ctx.js';
import { getDepartment, regionPath } from '../regions/index.js';
import { hashPassword, verifyPassword } from './identity.passwords.js';
import { API_TOKEN_PREFIX, newSecret, secretHash } from './identity.tokens.js';
import { canIdentity } from './identity.policy.js';
import { isLocked, lockUntil, LOGIN_FAILED_MESSAGE, MAX_FAILURES } from './identity.lockout.js';
import * as repo from './identity.repository.js';

export function toUser(r: repo.AccountRow): User {
  return {
    id: r.id,
    kind: r.kind,
    username: r.username,
    name: r.name,
    idNumberMasked: r.id_number ? maskIdNumber(r.id_number) : null,
    phoneMasked: r.phone ? maskPhone(r.phone) : null,
    creditCode: r.credit_code,
    legalRepresentative:
      r.kind === 'business' && r.legal_rep_name && r.legal_rep_id_number
        ? { name: r.legal_rep_name, idNumberMasked: maskIdNumber(r.legal_rep_id_number) }
        : null,
    regionCode: r.region_code ?? r.department_region ?? null,
    department: r.department_id ? { id: r.department_id, name: r.department_name ?? '', regionCode: r.department_region ?? '' } : null,
    roles: r.roles,
  };
}

async function loadUser(ctx: Ctx, id: string): Promise<User> {
  const row = await repo.findAccountById(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', '账户不存在');
  return toUser(row);
}

/** Self-registration of a person or a business (the applicant's own account). */
export async function register(ctx: Ctx, input: RegisterRequest): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (tx) => {
    if (input.regionCode) await regionPath(tx, input.regionCode);
    if (await repo.findAccountByUsername(tx.db, input.username)) {
      throw new AppError('CONFLICT', `用户名 ${input.username} 已被使用，请换一个`, { field: 'username' });
    }
    const common = { username: input.username, password_hash: passwordHash, name: input.name, region_code: input.regionCode ?? null };
    const values =
      input.kind === 'person'
        ? { ...common, kind: 'person' as const, id_number: input.idNumber, phone: input.phone }
        : {
            ...common,
            kind: 'business' as const,
            credit_code: input.creditCode,
            phone: input.phone ?? null,
            legal_rep_name: input.legalRepresentative.name,
            legal_rep_id_number: input.legalRepresentative.idNumber,
          };
    const { id } = await repo.insertAccount(tx.db, values).catch((e: unknown) => {
      const c = (e as { constraint?: string }).constraint;
      if (c === 'accounts_person_id_number') throw new AppError('CONFLICT', '该公民身份号码已注册账户，请直接登录或找回密码', { field: 'idNumber' });
      if (c === 'accounts_business_credit_code') throw new AppError('CONFLICT', '该统一社会信用代码已注册账户，请直接登录', { field: 'creditCode' });
      throw e;
    });
    await audit.record(tx, { action: 'account.registered', subject: { account: id }, details: { kind: input.kind } });
    return loadUser(tx, id);
  });
}

export interface LoginResult {
  user: User;
  sessionToken: string;
  expiresAt: Date;
}

/**
 * Signs in: the same answer and the same work for an unknown user, a wrong password and a locked
 * account. A new session id is issued at every sign-in and the presented one, if any, is dropped
 * (OWASP session fixation).
 */
export async function login(ctx: Ctx, input: { username: string; password: string }, previousToken?: string): Promise<LoginResult> {
  const now = ctx.now();
  const row = await repo.findAccountByUsername(ctx.db, input.username);
  const passwordOk = await verifyPassword(row?.password_hash ?? null, input.password);
  if (!row) throw new AppError('UNAUTHENTICATED', LOGIN_FAILED_MESSAGE);
  const locked = isLocked(row.locked_until, now);
  if (!passwordOk || locked || row.disabled) {
    if (!locked && !passwordOk) {
      await inTransaction(ctx, async (tx) => {
        const r = await sql<{ locked_until: Date | null; failed_attempts: number }>`
          UPDATE accounts
             SET failed_attempts = CASE WHEN failed_attempts + 1 >= ${MAX_FAILURES} THEN 0 ELSE failed_attempts + 1 END,
                 locked_until = CASE WHEN failed_attempts + 1 >= ${MAX_FAILURES} THEN ${lockUntil(now)}::timestamptz ELSE locked_until END
           WHERE id = ${row.id}
       RETURNING locked_until, failed_attempts`.execute(tx.db);
        if (isLocked(r.rows[0]?.locked_until ?? null, now)) {
          await audit.record({ ...tx, actor: { kind: 'anonymous' } }, { action: 'account.locked', subject: { account: row.id }, details: { after: MAX_FAILURES } });
        }
      });
    }
    throw new AppError('UNAUTHENTICATED', LOGIN_FAILED_MESSAGE);
  }
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + ctx.runtime.config.sessionTtlHours * 3_600_000);
  await inTransaction(ctx, async (tx) => {
    if (previousToken) {
      forgetSession(ctx.runtime, secretHash(previousToken));
      await repo.deleteSession(tx.db, secretHash(previousToken));
    }
    if (row.failed_attempts !== 0 || row.locked_until) await repo.setLoginState(tx.db, row.id, 0, null);
    await repo.insertSession(tx.db, secretHash(token), row.id, now, expiresAt);
    await audit.record({ ...tx, actor: actorFor(row) }, { action: 'session.created', subject: { account: row.id } });
  });
  return { user: toUser(row), sessionToken: token, expiresAt };
}

export async function logout(ctx: Ctx, token: string | undefined): Promise<void> {
  if (!token) return;
  await inTransaction(ctx, async (tx) => {
    forgetSession(ctx.runtime, secretHash(token));
    const gone = await repo.deleteSession(tx.db, secretHash(token));
    if (gone) await audit.record(tx, { action: 'session.ended', subject: { account: gone.account_id } });
  });
}

export async function me(ctx: Ctx): Promise<User> {
  const a = ctx.actor;
  if (a.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', '请先登录');
  if (a.kind !== 'person' && a.kind !== 'business' && a.kind !== 'staff') {
    throw new AppError('FORBIDDEN', '接口客户端没有用户资料，请用 /api/v1/api-clients 查看客户端');
  }
  return loadUser(ctx, a.accountId);
}

function actorFor(row: repo.AccountRow): Actor {
  if (row.kind === 'staff') {
    return { kind: 'staff', accountId: row.id, departmentId: row.department_id!, regionCode: row.department_region!, roles: row.roles as Role[] };
  }
  return { kind: row.kind, accountId: row.id, regionCode: row.region_code };
}

/**
 * Resolved credentials, per process, for a few seconds: every API request authenticates, and on
 * a 2-core machine the round trip costs more than the rest of a small request. Ending a session
 * (logout, a new login replacing it) evicts it here at once; the cache only saves reads of rows
 * that change by those paths. Another process sees a logout within AUTH_CACHE_MS at most, and
 * the exchange checks its client's revocation again in the statement that records each read.
 */
export const AUTH_CACHE_MS = 5_000;
const authCaches = new WeakMap<object, Map<string, { from: number; until: number; actor: Actor }>>();

function authCache(runtime: Runtime) {
  let m = authCaches.get(runtime.db);
  if (!m) authCaches.set(runtime.db, (m = new Map()));
  return m;
}

function forgetSession(runtime: Runtime, idHash: string): void {
  authCache(runtime).delete(`s:${idHash}`);
}

/** Resolves the caller from a session cookie or an API bearer token; anonymous when neither is valid. */
export async function authenticate(runtime: Runtime, creds: { sessionToken?: string | undefined; bearer?: string | undefined }): Promise<Actor> {
  const now = runtime.now().getTime();
  const cache = authCache(runtime);
  const cached = (key: string) => {
    const hit = cache.get(key);
    // the clock can be moved in tests: an entry counts only inside [from, until)
    return hit && now >= hit.from && now < hit.until ? hit.actor : undefined;
  };
  const keep = (key: string, actor: Actor, until: number) => {
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, { from: now, until: Math.min(until, now + AUTH_CACHE_MS), actor });
    return actor;
  };
  if (creds.bearer) {
    if (!creds.bearer.startsWith(API_TOKEN_PREFIX)) throw new AppError('UNAUTHENTICATED', '访问令牌无效');
    const key = `b:${secretHash(creds.bearer)}`;
    const hit = cached(key);
    if (hit) return hit;
    const c = await repo.findApiClientByHash(runtime.db, key.slice(2));
    if (!c || c.revoked_at) throw new AppError('UNAUTHENTICATED', '访问令牌无效或已吊销');
    return keep(key, { kind: 'system', clientId: c.id, departmentId: c.department_id, regionCode: c.region_code, scopes: c.scopes }, Infinity);
  }
  if (creds.sessionToken) {
    const idHash = secretHash(creds.sessionToken);
    const hit = cached(`s:${idHash}`);
    if (hit) return hit;
    const row = await repo.findSessionAccount(runtime.db, idHash, new Date(now));
    if (row && !row.disabled) return keep(`s:${idHash}`, actorFor(row), row.expires_at.getTime());
  }
  return { kind: 'anonymous' };
}

/** Whether a system caller holds a scope; throws 403 otherwise. */
export function requireScope(actor: Actor, scope: string): void {
  if (actor.kind !== 'system' || !actor.scopes.includes(scope)) {
    throw new AppError(actor.kind === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN', `需要接口权限范围 ${scope}`);
  }
}

export interface CreateStaffInput {
  username: string;
  password: string;
  name: string;
  departmentId: string;
  roles: Role[];
  phone?: string | undefined;
}

/** Creates a staff account in a department (system admin, or the department's head). */
export async function createStaff(ctx: Ctx, input: CreateStaffInput): Promise<User> {
  const unknown = input.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw AppError.validation([{ path: 'roles', message: `未知角色：${unknown.join('、')}` }]);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (tx) => {
    const dept = await getDepartment(tx, input.departmentId);
    requireAccess(tx.actor, canIdentity(tx.actor, 'staff.create', { departmentId: dept.id, regionPath: dept.regionPath }, input.roles), `为 ${dept.name} 创建工作人员账户`);
    if (await repo.findAccountByUsername(tx.db, input.username)) throw new AppError('CONFLICT', `用户名 ${input.username} 已被使用`, { field: 'username' });
    const { id } = await repo.insertAccount(tx.db, {
      kind: 'staff',
      username: input.username,
      password_hash: passwordHash,
      name: input.name,
      phone: input.phone ?? null,
      department_id: dept.id,
      roles: input.roles,
    });
    await audit.record(tx, { action: 'account.staff_created', subject: { account: id }, details: { department: dept.id, roles: input.roles } });
    return loadUser(tx, id);
  });
}

/** A department's staff: the department's own head, or a system admin over its region. */
export async function listStaff(ctx: Ctx, departmentId: string): Promise<User[]> {
  const dept = await getDepartment(ctx, departmentId);
  requireAccess(ctx.actor, canIdentity(ctx.actor, 'staff.list', { departmentId: dept.id, regionPath: dept.regionPath }), `查看 ${dept.name} 的工作人员`);
  return (await repo.listStaff(ctx.db, departmentId)).map(toUser);
}

export interface ApiClientInfo {
  id: string;
  departmentId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  revoked: boolean;
}

/** Issues an API client for a department's system. The token is shown once; only its hash is kept. */
export async function createApiClient(ctx: Ctx, input: { departmentId: string; name: string; scopes: string[] }): Promise<{ client: ApiClientInfo; token: string }> {
  return inTransaction(ctx, async (tx) => {
    const dept = await getDepartment(tx, input.departmentId);
    requireAccess(tx.actor, canIdentity(tx.actor, 'apiClient.create', { departmentId: dept.id, regionPath: dept.regionPath }), `为 ${dept.name} 创建接口客户端`);
    const token = newSecret(API_TOKEN_PREFIX);
    const createdBy = tx.actor.kind === 'staff' ? tx.actor.accountId : null;
    const c = await repo.insertApiClient(tx.db, { department_id: dept.id, name: input.name, token_hash: secretHash(token), scopes: input.scopes, created_by: createdBy });
    await audit.record(tx, { action: 'api_client.created', subject: { apiClient: c.id }, details: { department: dept.id, scopes: input.scopes } });
    return {
      client: { id: c.id, departmentId: c.department_id, name: c.name, scopes: c.scopes, createdAt: c.created_at.toISOString(), revoked: false },
      token,
    };
  });
}

export async function listApiClients(ctx: Ctx, departmentId: string): Promise<ApiClientInfo[]> {
  const dept = await getDepartment(ctx, departmentId);
  requireAccess(ctx.actor, canIdentity(ctx.actor, 'apiClient.list', { departmentId: dept.id, regionPath: dept.regionPath }), `查看 ${dept.name} 的接口客户端`);
  return (await repo.listApiClients(ctx.db, departmentId)).map((c) => ({
    id: c.id,
    departmentId: c.department_id,
    name: c.name,
    scopes: c.scopes,
    createdAt: c.created_at.toISOString(),
    revoked: c.revoked_at !== null,
  }));
}

export async function countAdministrators(ctx: Ctx): Promise<number> {
  return (await repo.countAdmins(ctx.db)).n;
}

export interface ApplicantInfo {
  accountId: string;
  kind: 'person' | 'business';
  name: string;
  /** ID number (person) or unified social credit code (business): the data subject's key. */
  subjectId: string;
  regionCode: string | null;
  /** Serious bad credit excludes 容缺受理 and 告知承诺 (国办发〔2020〕42号). */
  seriousBadCredit: boolean;
  email: string | null;
}

function toApplicant(r: { id: string; kind: string; name: string; id_number: string | null; credit_code: string | null; region_code: string | null; serious_bad_credit: boolean; email?: string | null }): ApplicantInfo {
  return {
    accountId: r.id,
    kind: r.kind as 'person' | 'business',
    name: r.name,
    subjectId: (r.kind === 'person' ? r.id_number : r.credit_code) ?? '',
    regionCode: r.region_code,
    seriousBadCredit: r.serious_bad_credit,
    email: r.email ?? null,
  };
}

/** The applicant behind an account (person or business); null for staff or unknown ids. */
export async function getApplicant(ctx: Ctx, accountId: string): Promise<ApplicantInfo | null> {
  const r = await ctx.db
    .selectFrom('accounts')
    .select(['id', 'kind', 'name', 'id_number', 'credit_code', 'region_code', 'serious_bad_credit', 'email'])
    .where('id', '=', accountId)
    .where('kind', 'in', ['person', 'business'])
    .executeTakeFirst();
  return r ? toApplicant(r) : null;
}

/** Finds a walk-in applicant's account by ID number or credit code (一窗受理). */
export async function findApplicant(ctx: Ctx, key: { idNumber: string } | { creditCode: string }): Promise<ApplicantInfo | null> {
  const q = ctx.db.selectFrom('accounts').select(['id', 'kind', 'name', 'id_number', 'credit_code', 'region_code', 'serious_bad_credit', 'email']);
  const r = await ('idNumber' in key
    ? q.where('kind', '=', 'person').where('id_number', '=', key.idNumber)
    : q.where('kind', '=', 'business').where('credit_code', '=', key.creditCode)
  ).executeTakeFirst();
  return r ? toApplicant(r) : null;
}

/** Display names of accounts (staff names on a case timeline). */
export async function accountNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.selectFrom('accounts').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
