import { memoryMetrics } from '#adapters/memory/memory-metrics';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { dynamoStores } from '#adapters/dynamodb/stores';
import { memoryObjects } from '#adapters/memory/memory-objects';
import { aesSealer, cryptoOtpRandom, hmacHasher, systemClock, systemIds } from '#adapters/system';
import { ensureTable, localDynamoClient } from '#infra/local/dynamodb-local';
import { ANY_DAY_CENTRE } from './any-day-centre.ts';

/** A fresh table in the run's DynamoDB Local, and a store over it. */
export async function freshTable() {
  const client = localDynamoClient(inject('dynamoEndpoint'));
  const tableName = `it-${randomBytes(6).toString('hex')}`;
  await ensureTable(client, tableName);
  return { client, tableName, store: dynamoStores(client, tableName) };
}

export const TEST_HASH_KEY = 'integration-test-key-0123456789abcdef';

/**
 * The real clock, ids and hashing; attachments storage is the in-memory bucket (the S3 adapters
 * have their own tests against s3rver), so no handler ever needs a bucket from the environment.
 * The centre's calendar has no holidays, so a run on any date finds slots (any-day-centre.ts).
 */
export function realSystem() {
  const bucket = memoryObjects();
  return {
    presigner: bucket,
    objects: bucket,
    clock: systemClock,
    ids: systemIds(),
    hasher: hmacHasher(async () => TEST_HASH_KEY),
    sealer: aesSealer(async () => TEST_HASH_KEY),
    otpRandom: cryptoOtpRandom,
    metrics: memoryMetrics(),
    centre: ANY_DAY_CENTRE,
  };
}

/**
 * Polls until `check` returns a value, or fails after the deadline: no fixed sleeps. `what` may be
 * a function, called at the deadline, so the failure can say what was last seen.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string | (() => string), timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
