import type { Clock } from '#ports/clock';
import type { NotificationStore } from '#ports/stores/notifications';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { NotFoundError } from '../errors.ts';
import type { Notification } from '../notices/notifications.ts';

/**
 * The citizen's notifications: their own only. Every call names the caller's `sub` and the store
 * reads only that citizen's partition, so another citizen's notification is a miss: 404.
 */
export interface NotificationDeps {
  notifications: NotificationStore;
}

/** Notification ids: `<request id>-<kind>[-<ref>]` (notificationId), letters, digits, `_` and `-`. */
const NOTIFICATION_ID = /^[0-9A-Za-z_-]{1,64}$/;

export function notificationView(n: Notification) {
  return {
    id: n.id,
    at: n.at,
    kind: n.kind,
    ...(n.requestId !== undefined ? { requestId: n.requestId } : {}),
    ...(n.callId !== undefined ? { callId: n.callId } : {}),
    text: n.text,
    read: n.read,
  };
}

export async function listOwnNotifications(deps: NotificationDeps, userId: string, limit = 20, cursor?: string) {
  const after = cursor === undefined ? undefined : decodeCursor(cursor, NOTIFICATION_ID);
  const page = await deps.notifications.listNotifications(userId, limit, after);
  return {
    items: page.items.map(notificationView),
    unread: page.unread,
    ...(page.next ? { nextCursor: encodeCursor(page.next.at, page.next.id) } : {}),
  };
}

export async function readOwnNotification(deps: NotificationDeps, userId: string, id: string) {
  const marked = NOTIFICATION_ID.test(id) ? await deps.notifications.markRead(userId, id) : undefined;
  if (!marked) throw new NotFoundError('notification');
  return notificationView(marked);
}

export async function readAllOwnNotifications(deps: NotificationDeps, userId: string) {
  const marked = await deps.notifications.markAllRead(userId);
  return { marked, unread: await deps.notifications.countUnread(userId) };
}

/** The notification of a notice, written by the step that sends its SMS (before it, so a retry finds it). */
export async function writeNotification(deps: NotificationDeps & { clock: Clock }, notification: Omit<Notification, 'at' | 'read'> & { at?: string }): Promise<boolean> {
  return deps.notifications.putNotification({ ...notification, at: notification.at ?? deps.clock.now().toISOString(), read: false });
}
