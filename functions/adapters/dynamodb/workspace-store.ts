import { BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SupportRequest } from '#core/requests/model';
import type { CallTimeRef, PhoneRef, WorkspaceStore } from '#ports/stores/workspace';
import { TABLE } from './table-definition.ts';
import { SK_PREFIX, keys } from './keys.ts';
import { type Table, queryAll } from './table-client.ts';
import { type Item, strip } from './transact.ts';

/**
 * The operators' indexes (functions/ports/workspace.ts): the inbox on GSI3 (keys only, over the
 * request items), the number claims, the phone refs and the call time refs.
 */
const INBOX_INDEX = TABLE.indexes[2];
const HOUR_MS = 3_600_000;

/** The UTC hours ('YYYY-MM-DDTHH') from `from` to `to`, both included. */
export function hoursBetween(from: string, to: string): string[] {
  const hours: string[] = [];
  for (let t = Math.floor(Date.parse(from) / HOUR_MS) * HOUR_MS; t <= Date.parse(to); t += HOUR_MS) hours.push(new Date(t).toISOString().slice(0, 13));
  return hours;
}

async function batchWrite(table: Table, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, unknown>[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending && pending.length > 0; round += 1) {
      if (round > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
      const out = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending as never } }));
      pending = out.UnprocessedItems?.[table.name] as Record<string, unknown>[] | undefined;
      if (round > 6 && pending && pending.length > 0) throw new Error('BatchWrite left items unprocessed');
    }
  }
}

export function dynamoWorkspaceStore(table: Table): WorkspaceStore {
  const { doc, name: tableName } = table;
  /** The last comment of each request (one small Query each, in parallel): the inbox shows who spoke last. */
  async function lastComment(id: string): Promise<Pick<SupportRequest, 'lastCommentAt' | 'lastCommentBy'>> {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :cmt)',
        ExpressionAttributeValues: { ':pk': keys.requestPartition(id), ':cmt': SK_PREFIX.comment },
        ExpressionAttributeNames: { '#at': 'at' },
        ProjectionExpression: '#at, author',
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const c = out.Items?.[0];
    return c ? { lastCommentAt: String(c.at), lastCommentBy: c.author === 'operator' ? 'operator' : 'citizen' } : {};
  }

  return {
    async listInbox(queue, limit, after) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INBOX_INDEX.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': INBOX_INDEX.partitionKey },
          ExpressionAttributeValues: { ':pk': keys.inboxPartition(queue) },
          Limit: limit,
          ...(after ? { ExclusiveStartKey: { ...keys.request(after.id), ...keys.inboxIndex(queue, after.dueAt) } } : {}),
        }),
      );
      const ids = (out.Items ?? []).map((i) => keys.requestIdOf(String(i.PK)));
      if (ids.length === 0) return { items: [] };
      const got = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: ids.map((id) => keys.request(id)), ConsistentRead: true } } }));
      const byId = new Map((got.Responses?.[tableName] ?? []).map((i) => [String(i.id), strip<SupportRequest & Item>(i, 'GSI3PK', 'GSI3SK')]));
      const items = await Promise.all(ids.flatMap((id) => (byId.has(id) ? [byId.get(id) as SupportRequest] : [])).map(async (r) => ({ ...r, ...(await lastComment(r.id)) })));
      const last = out.LastEvaluatedKey;
      return last ? { items, next: { dueAt: String(last[INBOX_INDEX.sortKey]), id: keys.requestIdOf(String(last.PK)) } } : { items };
    },

    async countOverdue(queue, now) {
      let count = 0;
      let start: Item | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: INBOX_INDEX.name,
            KeyConditionExpression: '#pk = :pk AND #sk < :now',
            ExpressionAttributeNames: { '#pk': INBOX_INDEX.partitionKey, '#sk': INBOX_INDEX.sortKey },
            ExpressionAttributeValues: { ':pk': keys.inboxPartition(queue), ':now': now },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        );
        count += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return count;
    },

    async requestIdByNumber(number) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.requestNumber(number) }));
      return typeof out.Item?.requestId === 'string' ? out.Item.requestId : undefined;
    },

    async putPhoneRefs(refs) {
      await batchWrite(
        table,
        // `kind` is the table's item kind: the ref's own is kept as `ref`.
        refs.map(({ kind, ...ref }) => ({
          ...(kind === 'request' ? keys.phoneRequestRef(ref.phone, (ref as { requestId: string }).requestId) : keys.phoneCallRef(ref.phone, (ref as { queuedAt: string }).queuedAt, (ref as { callId: string }).callId)),
          ...ref,
          kind: 'phone-ref',
          ref: kind,
        })),
      );
    },

    async phoneRefs(phone, limit) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.phoneRefPartition(phone) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => ({ ...strip<Item>(i, 'ref'), kind: i.ref }) as unknown as PhoneRef);
    },

    async putCallTimeRefs(ref) {
      await batchWrite(
        table,
        hoursBetween(ref.queuedAt, ref.endedAt).map((hour) => ({ ...keys.callTimeRef(hour, ref.queuedAt, ref.callId), kind: 'call-time', ...ref })),
      );
    },

    async callsAround(from, to, limit) {
      const pages = await Promise.all(
        hoursBetween(from, to).map((hour) =>
          // Started by `to` (keys sort by queuedAt); whether it was still going on at `from` is the item's endedAt.
          queryAll(table, {
            KeyConditionExpression: 'PK = :pk AND SK <= :to',
            FilterExpression: 'endedAt >= :from',
            ExpressionAttributeValues: { ':pk': keys.callTimePartition(hour), ':to': `${to}#~`, ':from': from },
          }),
        ),
      );
      const byId = new Map(pages.flat().map((i) => [String(i.callId), strip<CallTimeRef & Item>(i)]));
      return [...byId.values()].sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : 0)).slice(0, limit);
    },
  };
}
