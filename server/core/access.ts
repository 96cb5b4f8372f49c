/**
 * Authorisation helpers. Each module owns a pure `*.policy.ts` that answers can(actor, action,
 * resource) and denies by default; services call `requireAccess` with the answer.
 */
import { AppError } from '../../shared/errors.js';
import type { Actor } from './actor.js';

/** Throws 401 for an anonymous actor and 403 for anyone else when `allowed` is false. */
export function requireAccess(actor: Actor, allowed: boolean, what: string): void {
  if (allowed) return;
  if (actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', '请先登录');
  throw new AppError('FORBIDDEN', `无权${what}`);
}

/** True when `regionCode` is `ancestor` or lies under it; `path` is the region's path from the province. */
export function regionWithin(path: readonly string[], ancestor: string): boolean {
  return path.includes(ancestor);
}
