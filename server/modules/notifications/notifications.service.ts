/**
 * Telling the applicant: every status change writes an inbox message and, when the account has
 * an e-mail address and SMTP is configured, an outbox row — both in the transaction of the change,
 * so a notice is never lost and never sent for a change that rolled back (transactional outbox).
 */
import { sql, type Compilable, type Expression, type RawBuilder } from 'kysely';
import { AppError } from '../../../shared/errors.js';
import type { Ctx } from '../../core/ctx.js';

export interface Notice {
  accountId: string;
  caseNo?: string;
  title: string;
  body: string;
}

/** Must run inside the caller's transaction. */
export async function notify(tx: Ctx, n: Notice): Promise<void> {
  if (!tx.inTransaction) throw new Error('notify must run inside the transaction of the change');
  const now = tx.now();
  await tx.db.insertInto('messages').values({ account_id: n.accountId, case_no: n.caseNo ?? null, title: n.title, body: n.body, created_at: now }).execute();
  if (!tx.runtime.config.smtpUrl) return;
  const account = await tx.db.selectFrom('accounts').select('email').where('id', '=', n.accountId).executeTakeFirst();
  if (!account?.email) return;
  await tx.db
    .insertInto('outbox')
    .values({ channel: 'email', recipient: account.email, subject: `【通办】${n.title}`, body: n.body, created_at: now, next_attempt_at: now })
    .execute();
}

/**
 * A notice for noticeWrites: its texts may be SQL expressions, for a value the same statement
 * computes (a new case's number).
 */
export interface NoticeValues {
  accountId: string;
  caseNo?: string | Expression<string>;
  title: string | Expression<string>;
  body: string | Expression<string>;
}

/**
 * The writes of `notify` for several notices, unexecuted, for a caller that writes them in the
 * statement of its change (core/write-batch.ts): the inbox rows in one INSERT, in order, and when
 * SMTP is configured the outbox rows of the accounts that have an e-mail address, read in the same
 * statement instead of one look-up per notice. To run in the statement of the change, or at least
 * in its transaction, so a notice is never sent for a change that did not commit.
 */
export function noticeWrites(tx: Ctx, notices: readonly NoticeValues[]): Compilable[] {
  if (notices.length === 0) return [];
  const now = tx.now();
  const rows = notices.map((n, i) => sql`(${i}::int, ${n.accountId}::uuid, (${n.caseNo ?? null})::text, (${n.title})::text, (${n.body})::text, ${now}::timestamptz)`);
  return noticeWritesFrom(tx, sql`(VALUES ${sql.join(rows)}) AS r(n, account_id, case_no, title, body, created_at)`);
}

/**
 * The writes of noticeWrites for the notices that are the rows of a relation
 * `r(n, account_id uuid, case_no text, title text, body text, created_at timestamptz)`, in `n`'s
 * order: for a statement that writes the notices of several changes at once (the case engine's
 * batched writer), where a relation keeps the statement's text the same whatever the count.
 */
export function noticeWritesFrom(tx: Ctx, rows: RawBuilder<unknown>): Compilable[] {
  const writes: Compilable[] = [
    tx.db
      .insertInto('messages')
      .columns(['account_id', 'case_no', 'title', 'body', 'created_at'])
      .expression(sql`SELECT r.account_id, r.case_no, r.title, r.body, r.created_at FROM ${rows} ORDER BY r.n`),
  ];
  if (!tx.runtime.config.smtpUrl) return writes;
  writes.push(
    tx.db
      .insertInto('outbox')
      .columns(['channel', 'recipient', 'subject', 'body', 'created_at', 'next_attempt_at'])
      .expression(
        sql`SELECT 'email', a.email, '【通办】' || r.title, r.body, r.created_at, r.created_at
              FROM ${rows}
              JOIN accounts a ON a.id = r.account_id
             WHERE a.email IS NOT NULL AND a.email <> ''
             ORDER BY r.n`,
      ),
  );
  return writes;
}

export interface Message {
  id: string;
  caseNo: string | null;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
}

export async function myMessages(ctx: Ctx, opts: { limit: number; offset: number }): Promise<{ messages: Message[]; unread: number }> {
  const a = ctx.actor;
  if (a.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', '请先登录');
  if (!('accountId' in a)) throw new AppError('FORBIDDEN', '只有账户用户有站内消息');
  const rows = await ctx.db
    .selectFrom('messages')
    .select(['id', 'case_no', 'title', 'body', 'created_at', 'read_at'])
    .where('account_id', '=', a.accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  const unread = await ctx.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', a.accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    messages: rows.map((r) => ({ id: r.id, caseNo: r.case_no, title: r.title, body: r.body, createdAt: r.created_at.toISOString(), read: r.read_at !== null })),
    unread: unread.n,
  };
}
