/**
 * Account lockout (GB/T 22239-2019 8.1.4.1: 登录失败处理): after MAX_FAILURES consecutive failed
 * sign-ins the account is locked for LOCK_MINUTES; a success clears the count.
 */
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

export function lockUntil(now: Date): Date {
  return new Date(now.getTime() + LOCK_MINUTES * 60_000);
}

/** The one answer to every failed sign-in, so it reveals neither the account nor the lock. */
export const LOGIN_FAILED_MESSAGE = `用户名或密码错误。连续失败${MAX_FAILURES}次将锁定账户${LOCK_MINUTES}分钟，请稍后再试或联系管理员`;
