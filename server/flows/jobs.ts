/**
 * The server's background work: the deadline sweep (行政许可法 art. 32 deemed acceptance, 容缺
 * deadlines), deleting expired Idempotency-Keys and, when SMTP is configured, the e-mail outbox.
 * Each run is bounded; a failure is logged and retried at the next tick.
 */
import type { Runtime } from '../core/ctx.js';
import { makeCtx } from '../core/ctx.js';
import { sweep } from '../modules/cases/index.js';
import { OutboxDispatcher } from '../modules/notifications/index.js';
import { pruneKeys } from '../core/idempotency.js';

export interface Jobs {
  stop(): Promise<void>;
}

export function startJobs(runtime: Runtime, log: { error: (obj: unknown, msg?: string) => void }): Jobs {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => sweep(makeCtx(runtime, { kind: 'console', operator: 'deadline-sweep' })))
      .catch((e: unknown) => log.error(e, 'deadline sweep failed'))
      .then(() => pruneKeys(runtime.db, new Date(runtime.now().getTime() - runtime.config.idempotencyKeyHours * 3_600_000)))
      .catch((e: unknown) => log.error(e, 'deleting expired Idempotency-Keys failed'));
  };
  const timer = setInterval(tick, runtime.config.jobIntervalMs);
  timer.unref();
  const outbox = runtime.config.smtpUrl ? new OutboxDispatcher(runtime.db, runtime.config.smtpUrl, runtime.config.mailFrom, runtime.now) : undefined;
  outbox?.start();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await outbox?.stop();
    },
  };
}
