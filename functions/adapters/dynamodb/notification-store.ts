import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notification } from '#core/notices/notifications';
import type { NotificationStore } from '#ports/stores/notifications';
import { keys } from './keys.ts';
import { type Table, queryAll } from './table-client.ts';
import { type Item, strip } from './transact.ts';

/**
 * The citizen's notifications: `NTF#<userId>` / `<id>` (a deterministic id), one small item each,
 * no index. A list reads the citizen's partition (every notification, kept a year) and orders it
 * by time; `unread` is counted in the same read. Why no index: a time-ordered index (GSI1) and an
 * unread index (GSI2) would make each notification cost 3 write units instead of 1 (and a read
 * mark 3 instead of 1), and the written request's path has two notifications within a budget that
 * had room for five units (docs/DESIGN.md, "Notifications"). A citizen's partition is small (a few
 * notifications per request, at most 10 requests a day, a year of them), so the read stays a page.
 */
/** The item's `kind` is the table's item kind; the notification's own kind is kept as `notice`. */
function notificationOf(item: Item): Notification {
  const { notice, ...rest } = strip<Omit<Notification, 'kind'> & { notice: Notification['kind'] } & Item>(item);
  return { ...rest, kind: notice };
}

const byNewest = (a: Notification, b: Notification) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function dynamoNotificationStore(table: Table): NotificationStore {
  const { doc, name: tableName } = table;
  async function all(userId: string): Promise<Notification[]> {
    const items = await queryAll(table, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.notificationPartition(userId) }, ConsistentRead: true });
    return items.map(notificationOf).sort(byNewest);
  }

  async function markRead(userId: string, id: string): Promise<Notification | undefined> {
    try {
      const out = await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.notification(userId, id),
          UpdateExpression: 'SET #read = :true',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#read': 'read' },
          ExpressionAttributeValues: { ':true': true },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? notificationOf(out.Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  return {
    async putNotification(n) {
      try {
        await doc.send(
          new PutCommand({ TableName: tableName, Item: (({ kind, ...rest }) => ({ ...keys.notification(n.userId, n.id), ...rest, kind: 'notification', notice: kind }))(n), ConditionExpression: 'attribute_not_exists(PK)' }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async listNotifications(userId, limit, after) {
      const sorted = await all(userId);
      const from = after ? sorted.findIndex((n) => byNewest(n, { ...n, at: after.at, id: after.id }) > 0) : 0;
      const rest = from < 0 ? [] : sorted.slice(from);
      const items = rest.slice(0, limit);
      const last = items.at(-1);
      const unread = sorted.filter((n) => !n.read).length;
      return rest.length > limit && last ? { items, next: { at: last.at, id: last.id }, unread } : { items, unread };
    },

    async countUnread(userId) {
      return (await all(userId)).filter((n) => !n.read).length;
    },

    markRead,

    async markAllRead(userId) {
      const unread = (await all(userId)).filter((n) => !n.read);
      await Promise.all(unread.map((n) => markRead(userId, n.id)));
      return unread.length;
    },
  };
}
