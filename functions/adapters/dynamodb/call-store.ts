import { BatchGetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type CallRecord, MAX_CALLS_SHOWN } from '#core/callbacks/model';
import { StaleTransitionError } from '#core/errors';
import type { CallStore } from '#ports/stores/calls';
import { otpUse } from './code-store.ts';
import { SK_PREFIX, keys, ttlOf } from './keys.ts';
import { openPlaceRelease, requestUpdate, timelinePut } from './request-items.ts';
import { type Table, getItem, queryIndex } from './table-client.ts';
import { type Item, type TransactItem, failedCondition, strip, transact } from './transact.ts';

/**
 * Call records `CALL#<id>`, a citizen's calls (GSI1 `USER#<id>#CALL`) and a request's call links
 * (`CALL#…` items in the request's partition, resolved with one BatchGet).
 */
export function dynamoCallStore(table: Table): CallStore {
  const { doc, name: tableName } = table;

  /** One BatchGet (at most 100 keys, which MAX_CALLS_SHOWN keeps to), read consistently, in the order asked. */
  async function getCalls(ids: readonly string[]): Promise<CallRecord[]> {
    if (ids.length === 0) return [];
    const got = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: ids.map((id) => keys.call(id)), ConsistentRead: true } } }));
    const byId = new Map((got.Responses?.[tableName] ?? []).map((i) => [String(i.id), strip<CallRecord & Item>(i)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id) as CallRecord] : []));
  }

  return {
    async putCall(call, request) {
      const items: TransactItem[] = [
        { Put: { TableName: tableName, Item: { ...keys.call(call.id), ...(call.userId ? keys.callByOwner(call.userId, call.queuedAt, call.id) : {}), kind: 'call', ...call } } },
      ];
      if (call.queue) {
        items.push({ Put: { TableName: tableName, Item: { ...keys.queueWait(call.queue, call.queuedAt, call.id), kind: 'wait', waitSeconds: call.waitSeconds, ttl: ttlOf(call.endedAt) + 86_400 } } });
      }
      if (call.requestId) items.push({ Put: { TableName: tableName, Item: { ...keys.requestCall(call.requestId, call.queuedAt, call.id), kind: 'request-call', callId: call.id } } });
      if (call.requestId && request) {
        items.push({ Delete: { TableName: tableName, Key: keys.queueEntry(call.requestId) } });
        items.push(requestUpdate(table, call.requestId, request.from, request.patch, request.at, request.expect));
        items.push(timelinePut(table, call.requestId, request.event));
        items.push(...(await openPlaceRelease(table, call.requestId, request.patch, request.at, request.owner)));
      }
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        const updateIndex = items.findIndex((i) => i.Update);
        if (updateIndex >= 0 && failedCondition(error, updateIndex)) throw new StaleTransitionError('request no longer awaits a call');
        throw error;
      }
    },

    async getCall(id) {
      const item = await getItem(table, keys.call(id));
      return item ? strip<CallRecord & Item>(item) : undefined;
    },

    async listCallsByOwner(userId, limit) {
      const out = await queryIndex(table, keys.ownerCallsPartition(userId), { forward: false, limit });
      return (out.Items ?? []).map((i) => strip<CallRecord & Item>(i));
    },

    async listCallsOfRequest(requestId) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :call)',
          ExpressionAttributeValues: { ':pk': keys.requestPartition(requestId), ':call': SK_PREFIX.call },
          ConsistentRead: true,
          Limit: MAX_CALLS_SHOWN,
        }),
      );
      return getCalls((out.Items ?? []).map((i) => String(i.callId)));
    },

    getCalls,

    async confirmCall(callId, spent) {
      return transact(doc, [
        otpUse(table, spent),
        {
          Update: {
            TableName: tableName,
            Key: keys.call(callId),
            UpdateExpression: 'SET confirmed = :true',
            ConditionExpression: 'attribute_exists(PK) AND confirmed = :false',
            ExpressionAttributeValues: { ':true': true, ':false': false },
          },
        },
      ]);
    },
  };
}
