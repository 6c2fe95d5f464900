import type { Notification } from '#core/notices/notifications';
import type { NotificationStore } from '#ports/stores/notifications';
import { copy } from './memory-table.ts';

/** In-memory notifications with the DynamoDB adapter's semantics: put once per id, newest first, the caller's own only. */
/** In its own map: nothing else in the table reads notifications. */
export function memoryNotificationStore(): NotificationStore {
  const stored = new Map<string, Notification>();
  const key = (userId: string, id: string) => `${userId}\u0000${id}`;
  const newest = (a: Notification, b: Notification) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  const own = (userId: string) => [...stored.values()].filter((n) => n.userId === userId).sort(newest);
  const markRead = async (userId: string, id: string) => {
    const n = stored.get(key(userId, id));
    if (!n) return undefined;
    n.read = true;
    return copy(n);
  };
  return {
    async putNotification(n) {
      if (stored.has(key(n.userId, n.id))) return false;
      stored.set(key(n.userId, n.id), copy(n));
      return true;
    },
    async listNotifications(userId, limit, after) {
      const sorted = own(userId);
      const rest = after ? sorted.filter((n) => newest(n, { ...n, at: after.at, id: after.id }) > 0) : sorted;
      const items = rest.slice(0, limit).map(copy);
      const last = items.at(-1);
      const unread = sorted.filter((n) => !n.read).length;
      return rest.length > limit && last ? { items, next: { at: last.at, id: last.id }, unread } : { items, unread };
    },
    async countUnread(userId) {
      return own(userId).filter((n) => !n.read).length;
    },
    markRead,
    async markAllRead(userId) {
      const unread = own(userId).filter((n) => !n.read);
      for (const n of unread) await markRead(userId, n.id);
      return unread.length;
    },
  };
}
