import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './transact.ts';
import type { WindowGuard, WindowState } from '#core/limits/limits';
import type { LimitWindow } from '#ports/stores/requests';
import { keys, ttlOf } from './keys.ts';

/**
 * The items that enforce per-citizen limits (docs/DESIGN.md, "Limits"). Each is written by a
 * conditional operation inside the transaction of the write it guards, so the count and the write
 * succeed or fail together, and concurrent writes can never pass the limit.
 */

/** How long the open-callback set outlives its last new member: far beyond any callback's life (≤ 8 days). */
const OPEN_SET_RETAIN_SECONDS = 30 * 86_400;

export async function readWindow(doc: DynamoDBDocumentClient, tableName: string, window: LimitWindow, userId: string): Promise<WindowState> {
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.limitWindow(window, userId), ConsistentRead: true }));
  if (!out.Item) return { times: [], version: 0 };
  return { times: Array.isArray(out.Item.times) ? out.Item.times.map(String) : [], version: Number(out.Item.version ?? 0) };
}

/**
 * Stores the window as the next version, only while it is still the version read (absent for 0).
 * Refused, it returns the window it found (`windowFound`), so the next round needs no read.
 */
export function windowPut(tableName: string, window: LimitWindow, guard: WindowGuard): TransactItem {
  return {
    Put: {
      TableName: tableName,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      Item: { ...keys.limitWindow(window, guard.userId), kind: 'limit-window', times: guard.times, version: guard.version + 1, ttl: ttlOf(guard.retainUntil) },
      ...(guard.version === 0
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': guard.version } }),
    },
  };
}

/**
 * The window a refused `windowPut` found, from the cancellation reason of its item (the document
 * client does not unmarshall those: the item is in DynamoDB's own attribute-value form).
 */
export function windowFound(error: unknown, index: number): WindowState | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const item = error.CancellationReasons?.[index]?.Item as Record<string, { N?: string; L?: { S?: string }[] }> | undefined;
  if (!item) return undefined;
  return { times: (item.times?.L ?? []).map((t) => String(t.S)), version: Number(item.version?.N ?? 0) };
}

/**
 * Takes a place among the citizen's open callbacks: the request id joins the set only while the
 * set holds fewer than `max`. A set, not a number, so giving a place back is idempotent and a
 * request never counted (or already released) can never drive a count below zero.
 */
export function openCallbackTake(tableName: string, userId: string, requestId: string, max: number, at: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.openCallbacks(userId),
      UpdateExpression: 'ADD #open :id SET #kind = :kind, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#open) OR size(#open) < :max',
      ExpressionAttributeNames: { '#open': 'open', '#kind': 'kind', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':id': new Set([requestId]), ':max': max, ':kind': 'limit-open-callbacks', ':ttl': ttlOf(at) + OPEN_SET_RETAIN_SECONDS },
    },
  };
}

/** Gives the place back (no condition: removing an id that is not there changes nothing). */
export function openCallbackRelease(tableName: string, userId: string, requestId: string, at: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.openCallbacks(userId),
      // An item this creates (nothing was counted) still expires.
      UpdateExpression: 'DELETE #open :id SET #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#open': 'open', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':id': new Set([requestId]), ':ttl': ttlOf(at) + OPEN_SET_RETAIN_SECONDS },
    },
  };
}
