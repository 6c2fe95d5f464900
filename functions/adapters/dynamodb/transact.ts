import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** What the DynamoDB adapter's modules share: item shapes and the transaction helpers. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type Item = Record<string, unknown>;

/** An item as the domain knows it: without table keys, TTL and kind (and any `extra` attributes). */
export function strip<T extends Item>(item: Item, ...extra: string[]): T {
  const copy: Item = { ...item };
  for (const k of ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'ttl', 'kind', ...extra]) delete copy[k];
  return copy as T;
}

/** Whether the transaction was cancelled because the condition of item `index` failed. */
export function failedCondition(error: unknown, index: number): boolean {
  return error instanceof TransactionCanceledException && error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';
}

/**
 * Cancelled only because another transaction held one of its items at that moment (no condition
 * failed). Neither the SDK nor the workflows' Retry treat TransactionCanceledException as
 * transient, so without this a burst on one slot counter would fail bookings into RecordFailure.
 */
export function conflictedOnly(error: unknown): boolean {
  const codes = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code) : [];
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}

/** Runs a transaction; false when a condition failed (nothing was written), other errors thrown. */
export async function transact(doc: DynamoDBDocumentClient, items: TransactItem[]): Promise<boolean> {
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}
