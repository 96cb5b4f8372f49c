/**
 * Delivers the outbox through SMTP (nodemailer). Rows are claimed with FOR UPDATE SKIP LOCKED so
 * several servers can deliver side by side; a failure is retried with exponential back-off
 * (1 min … 6 h), and a row is only marked sent after the mail server accepted it.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

const MAX_BACKOFF_MS = 6 * 3_600_000;
const LEASE_MS = 2 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export class OutboxDispatcher {
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<DB>,
    smtpUrl: string,
    private readonly from: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  /** Sends what is due; returns how many were sent. */
  deliverDue(batch = 50): Promise<number> {
    const run = this.running.then(() => this.deliver(batch));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async deliver(batch: number): Promise<number> {
    // 1. lease due rows in a short transaction (the mail server's latency never holds a lock);
    //    a crash after sending and before marking re-sends after the lease: at least once
    const due = await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outbox')
        .select(['id', 'recipient', 'subject', 'body', 'attempts'])
        .where('sent_at', 'is', null)
        .where('next_attempt_at', '<=', this.now())
        .orderBy('id')
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length) {
        const lease = new Date(this.now().getTime() + LEASE_MS);
        await trx.updateTable('outbox').set({ next_attempt_at: lease }).where('id', 'in', rows.map((r) => r.id)).execute();
      }
      return rows;
    });
    // 2. send, 3. record the outcome
    let sent = 0;
    for (const m of due) {
      try {
        await this.transport.sendMail({ from: this.from, to: m.recipient, subject: m.subject, text: m.body });
        await this.db.updateTable('outbox').set({ sent_at: this.now(), attempts: m.attempts + 1, last_error: null }).where('id', '=', m.id).execute();
        sent += 1;
      } catch (e) {
        const attempts = m.attempts + 1;
        await this.db
          .updateTable('outbox')
          .set({ attempts, last_error: String((e as Error).message).slice(0, 500), next_attempt_at: new Date(this.now().getTime() + backoffMs(attempts)) })
          .where('id', '=', m.id)
          .execute();
      }
    }
    return sent;
  }

  start(everyMs = 5_000): void {
    this.timer = setInterval(() => void this.deliverDue().catch(() => undefined), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }
}

/** Rows waiting to be sent (for the health of the outbox). */
export async function pendingCount(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int8 AS n FROM outbox WHERE sent_at IS NULL`.execute(db);
  return r.rows[0]?.n ?? 0;
}
