/**
 * The state of the cases this process acted on lately, as its own writes left them (CaseChanges
 * follows every write it makes), so the next action on such a case decides without reading it:
 * the window accepting right after a filing, a reviewer approving the step just claimed.
 *
 * Never trusted for what it cannot know: an optimistic action's write requires the version its
 * state was read at, and every change to a case raises its version, so an action decided on a
 * state another process (or an escalation) has changed since is refused as a whole and taken
 * again on a fresh read (see cases.service act). Errors are never answered from it: an action
 * that fails to decide runs the locked way, which reads the case under its lock. Kept a minute
 * (a department's or an account's new name shows within it, as in the filing plan's caches) and
 * for at most `max` cases, the oldest forgotten first, so memory stays flat however many cases
 * are open.
 */
import type { CaseState } from './cases.repository.js';

const TTL_MS = 60_000;

export class CaseStateCache {
  private readonly states = new Map<string, { state: CaseState; at: number }>();
  /** Names of acting accounts, for the timeline and claims (a state's `myName`). */
  private readonly names = new Map<string, { name: string | null; at: number }>();

  constructor(private readonly max = 5_000) {}

  /** The case's state for the account `me` (null: the console, a system), or undefined. */
  get(caseNo: string, me: string | null, now = Date.now()): CaseState | undefined {
    const hit = this.states.get(caseNo);
    if (!hit || now - hit.at > TTL_MS) return undefined;
    let myName: string | null = null;
    if (me !== null) {
      const n = this.names.get(me);
      if (!n || now - n.at > TTL_MS) return undefined;
      myName = n.name;
    }
    return { ...hit.state, myName };
  }

  /** The state after a write that committed; `me`'s name as the state gives it. */
  keep(state: CaseState, me: string | null, now = Date.now()): void {
    this.states.delete(state.row.case_no);
    this.states.set(state.row.case_no, { state: { ...state, myName: null }, at: now });
    if (this.states.size > this.max) this.states.delete(this.states.keys().next().value!);
    if (me !== null) this.noteName(me, state.myName, now);
  }

  /** An account's name, as a read of a case for it gave it. */
  noteName(me: string, name: string | null, now = Date.now()): void {
    this.names.delete(me);
    this.names.set(me, { name, at: now });
    if (this.names.size > this.max) this.names.delete(this.names.keys().next().value!);
  }

  /**
   * Forgets the case's state; with `lostAt`, the version an action that lost its race decided on,
   * only if the state kept is not newer: a newer one is what the winner, an action of this
   * process, wrote, and the loser decides again on it without a read (its write still requires it).
   */
  forget(caseNo: string, lostAt?: number): void {
    if (lostAt !== undefined && (this.states.get(caseNo)?.state.row.version ?? 0) > lostAt) return;
    this.states.delete(caseNo);
  }
}
