/** Inbox messages and the e-mail outbox. */
export { notificationsRoutes } from './notifications.routes.js';
export { notify, noticeWrites, noticeWritesFrom, myMessages, type Notice, type NoticeValues } from './notifications.service.js';
export { OutboxDispatcher, pendingCount, backoffMs } from './notifications.outbox.js';
