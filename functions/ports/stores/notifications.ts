import type { Notification } from '#core/notices/notifications';

/** A page of a citizen's notifications, newest first; `next` continues after the last one. */
export interface NotificationPage {
  items: Notification[];
  next?: { at: string; id: string };
  /** How many of the citizen's notifications are unread (all of them, not only this page's). */
  unread: number;
}

/**
 * The citizen's notifications in the account: one partition per citizen, so every call names the
 * citizen it acts for, and another citizen's notification is simply not there.
 */
export interface NotificationStore {
  /** Writes the notification unless one with its id exists (a retried step writes it once). True when written now. */
  putNotification(notification: Notification): Promise<boolean>;
  /** The citizen's notifications, newest first, `limit` at most, continuing after `after`, with the unread count. */
  listNotifications(userId: string, limit: number, after?: { at: string; id: string }): Promise<NotificationPage>;
  /** How many of the citizen's notifications are unread. */
  countUnread(userId: string): Promise<number>;
  /** Marks one read (once: conditional on unread); the notification as it is now, or undefined when the citizen has none with that id. */
  markRead(userId: string, id: string): Promise<Notification | undefined>;
  /** Marks every unread notification of the citizen read; how many it marked. */
  markAllRead(userId: string): Promise<number>;
}
