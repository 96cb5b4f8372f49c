/** E-mail notices go through a real SMTP server on loopback, from the outbox, and survive the server being down. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { testApp, type TestApp } from '../../../test/support.js';
import { freePort } from '../../../test/process.js';
import { OutboxDispatcher, pendingCount } from './index.js';

let t: TestApp;
let port: number;
const received: { to: string; body: string }[] = [];
let smtp: SMTPServer | undefined;

function startSmtp(): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let body = '';
      stream.on('data', (c: Buffer) => (body += c.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body });
        done();
      });
    },
  });
  return new Promise((resolve) => smtp!.listen(port, '127.0.0.1', () => resolve()));
}

beforeAll(async () => {
  port = await freePort();
  t = await testApp({ config: { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: '通办 <noreply@tongban.test>' } });
  await t.runtime.db.updateTable('accounts').set({ email: 'owner@restaurant.test' }).where('username', '=', 'citizen').execute();
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

describe('e-mail notices', () => {
  it('keeps a notice in the outbox while the mail server is down and delivers it once it is up', async () => {
    const cookie = await t.login('citizen');
    const outboxBefore = await pendingCount(t.runtime.db);
    const { notify } = await import('./index.js');
    const { inTransaction } = await import('../../core/ctx.js');
    const account = await t.runtime.db.selectFrom('accounts').select('id').where('username', '=', 'citizen').executeTakeFirstOrThrow();
    await inTransaction(t.ctx({ kind: 'console', operator: 'test' }), (tx) => notify(tx, { accountId: account.id, caseNo: '130102202611260000001', title: '已受理', body: '承诺办结期限 2026-12-10。' }));
    expect(await pendingCount(t.runtime.db)).toBe(outboxBefore + 1);

    const dispatcher = new OutboxDispatcher(t.runtime.db, `smtp://127.0.0.1:${port}`, 'noreply@tongban.test', () => new Date());
    expect(await dispatcher.deliverDue()).toBe(0); // nothing listens: the row stays, with its error and a later attempt
    const row = await t.runtime.db.selectFrom('outbox').select(['attempts', 'last_error', 'sent_at']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, sent_at: null });
    expect(row.last_error).toBeTruthy();

    await startSmtp();
    const later = new OutboxDispatcher(t.runtime.db, `smtp://127.0.0.1:${port}`, 'noreply@tongban.test', () => new Date(Date.now() + 10 * 60_000));
    expect(await later.deliverDue()).toBe(1);
    await later.stop();
    await dispatcher.stop();
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toBe('owner@restaurant.test');
    expect(await pendingCount(t.runtime.db)).toBe(outboxBefore);
    const inbox = (await t.app.inject({ url: '/api/v1/me/messages', headers: { cookie } })).json();
    expect(inbox.messages[0]).toMatchObject({ title: '已受理', read: false });
  });
});
