import type { Hasher } from '#ports/hasher';
import type { IdempotencyRecord } from '#ports/stores/requests';
import { IdempotencyMismatchError } from './errors.ts';
import { addDays } from './time.ts';

/**
 * Idempotency-Key handling shared by every route that accepts one: a record keeps the first
 * response for 24 hours; the same key with the same body replays it, with another body is 422.
 */
export interface HttpOutcome {
  statusCode: number;
  body: unknown;
  headers: Record<string, string>;
}

const TTL_DAYS = 1;

/** The key is stored as its digest: a scope stays short whatever the key (DynamoDB keys are bounded). */
export function idempotencyScope(hasher: Hasher, userId: string, operation: string, key: string | undefined): string | undefined {
  return key === undefined ? undefined : `${userId}:${operation}:${hasher.digest(key)}`;
}

export function idempotencyRecord(scope: string, bodyHash: string, outcome: HttpOutcome, now: Date): IdempotencyRecord {
  return { scope, bodyHash, statusCode: outcome.statusCode, body: outcome.body, headers: outcome.headers, expiresAt: addDays(now, TTL_DAYS).toISOString() };
}

export function replayOf(record: IdempotencyRecord, bodyHash: string): HttpOutcome {
  if (record.bodyHash !== bodyHash) throw new IdempotencyMismatchError();
  return { statusCode: record.statusCode, body: record.body, headers: record.headers ?? {} };
}
