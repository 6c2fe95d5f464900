import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { RETENTION_DAYS } from '#core/retention';
import { TABLE } from './table-definition.ts';


/** Partition prefixes whose items expire by RETENTION_DAYS when they carry no expiry of their own. */
const RETAINED: readonly { prefix: string; days: number }[] = [
  { prefix: 'REQ#', days: RETENTION_DAYS.request },
  { prefix: 'NUM#', days: RETENTION_DAYS.request },
  { prefix: 'CALL#', days: RETENTION_DAYS.call },
  { prefix: 'PHONEREF#', days: RETENTION_DAYS.searchRef },
  { prefix: 'CALLAT#', days: RETENTION_DAYS.searchRef },
  { prefix: 'NTF#', days: RETENTION_DAYS.notification },
];

const DAY_SECONDS = 86_400;

/**
 * The item with its TTL attribute set by its partition's retention, unless it has one already
 * (codes, idempotency records, waits and counters expire sooner, by their own rule) or its
 * partition is not retained by time (profiles and the phone index: reference data, replaced by
 * the admin; slot counters: no personal data).
 */
export function withRetentionTtl<T extends Record<string, unknown>>(item: T, nowMs: number): T {
  if (item[TABLE.ttlAttribute] !== undefined) return item;
  const pk = item[TABLE.partitionKey];
  if (typeof pk !== 'string') return item;
  const rule = RETAINED.find((r) => pk.startsWith(r.prefix));
  if (!rule) return item;
  return { ...item, [TABLE.ttlAttribute]: Math.floor(nowMs / 1000) + rule.days * DAY_SECONDS };
}

/**
 * Every item the store puts gets its retention TTL here, in one place, instead of in each of
 * the store's item builders: a Put, a transaction's Puts, a batch's puts. Updates leave the TTL
 * an item was created with (a request's later status changes do not extend its life).
 */
export function withRetention(doc: DynamoDBDocumentClient, now: () => number = Date.now): DynamoDBDocumentClient {
  const send = doc.send.bind(doc) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  const stamp = (command: unknown): void => {
    const at = now();
    if (command instanceof PutCommand && command.input.Item) command.input.Item = withRetentionTtl(command.input.Item, at);
    if (command instanceof TransactWriteCommand) {
      for (const entry of command.input.TransactItems ?? []) if (entry.Put?.Item) entry.Put.Item = withRetentionTtl(entry.Put.Item, at);
    }
    if (command instanceof BatchWriteCommand) {
      for (const requests of Object.values(command.input.RequestItems ?? {})) {
        for (const request of requests) if (request.PutRequest?.Item) request.PutRequest.Item = withRetentionTtl(request.PutRequest.Item, at);
      }
    }
  };
  (doc as { send: unknown }).send = (command: unknown, ...rest: unknown[]) => {
    stamp(command);
    return send(command, ...rest);
  };
  return doc;
}
