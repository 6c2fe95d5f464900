import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DeserializeHandler, DeserializeHandlerArguments, HandlerExecutionContext, MetadataBearer } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { memoryMetrics } from '#adapters/memory/memory-metrics';
import { scheduleCallback } from '#core/callbacks/schedule';
import { NoFreeSlotError } from '#core/errors';
import { type CentreConfig, DEFAULT_CENTRE_CONFIG } from '#core/scheduling/centre-config';
import { storedCallbackRequest } from '../support/fixtures.ts';
import { freshTable } from '../support/integration.ts';
import { injectFaults } from '../support/sdk-faults.ts';

/**
 * The scale plan's slot figure (docs/operations.md, "Scale"): a burst of 200 callbacks booked into
 * one slot at the same moment, through the real booking code (scheduleCallback → the DynamoDB
 * store's TransactWriteItems: counter `ADD booked 1` only while `booked < capacity`, the request's
 * status change and its timeline event). Every TransactWriteItems attempt is observed by SDK
 * middleware (as test/support/sdk-faults.ts places its faults), not by changing the store, so
 * the test reports how many transactions were cancelled and why.
 */
const BURST = 200;
const CAPACITY = 80;
// Monday 15 March 2027, 07:00 Moscow time: the first bookable slot (30 minutes' lead) is 08:00.
const NOW = new Date('2027-03-15T04:00:00.000Z');
const FIRST_SLOT = '2027-03-15T05:00:00.000Z';
const SECOND_SLOT = '2027-03-15T05:15:00.000Z';
// Two slots in the 7-day horizon (Monday 08:00–08:30 only): 160 places for 200 callers, so 40 are
// told there is no free slot, the answer that the workflow turns into its hourly retry.
const CENTRE: CentreConfig = {
  ...DEFAULT_CENTRE_CONFIG,
  holidays: [],
  queues: { ...DEFAULT_CENTRE_CONFIG.queues, 'tech-support': { hours: { 1: [{ from: '08:00', to: '08:30' }] }, slotMinutes: 15, capacityPerSlot: CAPACITY } },
};

interface Attempt {
  outcome: 'committed' | 'ConditionalCheckFailed' | 'TransactionConflict' | 'other';
  /** The SDK's `amz-sdk-request` header: `attempt=N; max=M`. */
  sdkAttempt: number;
}

/** Records every TransactWriteItems attempt and how DynamoDB answered it. */
function observeTransactions(client: { middlewareStack: { add: (...args: never[]) => void } }): Attempt[] {
  const attempts: Attempt[] = [];
  const middleware =
    <Output extends MetadataBearer>(next: DeserializeHandler<object, Output>, context: HandlerExecutionContext) =>
    async (args: DeserializeHandlerArguments<object>) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      const header = (args.request as { headers?: Record<string, string> }).headers?.['amz-sdk-request'] ?? '';
      const sdkAttempt = Number(/attempt=(\d+)/.exec(header)?.[1] ?? 1);
      try {
        const out = await next(args);
        attempts.push({ outcome: 'committed', sdkAttempt });
        return out;
      } catch (error) {
        const codes = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code) : [];
        const outcome = codes.includes('ConditionalCheckFailed') ? 'ConditionalCheckFailed' : codes.includes('TransactionConflict') ? 'TransactionConflict' : 'other';
        attempts.push({ outcome, sdkAttempt });
        throw error;
      }
    };
  // Outside the deserializer (so the service error is already built), inside the retry middleware
  // (so each SDK attempt passes here).
  (client.middlewareStack.add as (m: unknown, o: object) => void)(middleware, { step: 'deserialize', priority: 'high', name: 'observeTransactions' });
  return attempts;
}

/** TransactWriteItems cancelled because another transaction held the slot counter, as DynamoDB answers it. */
const CONFLICT = {
  wire: {
    statusCode: 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'conflict' },
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None, None]',
      CancellationReasons: [{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }, { Code: 'None' }, { Code: 'None' }],
    }),
  },
};

async function burst(conflicts: number) {
  const { client, store } = await freshTable();
  const at = NOW.toISOString();
  const ids = Array.from({ length: BURST }, (_, i) => `01M9BURST${String(i).padStart(17, '0')}`);
  await Promise.all(ids.map((id, i) => store.requests.createRequest(storedCallbackRequest(id, `B-${i}`, at), { at, event: 'received' }, undefined, at)));
  const attempts = observeTransactions(client);
  // DynamoDB Local runs one transaction at a time and never answers TransactionConflict, which AWS
  // does when transactions on one item overlap: the first `conflicts` attempts get that answer.
  if (conflicts > 0) injectFaults(client, { command: 'TransactWriteItemsCommand', times: conflicts, fault: () => CONFLICT });
  const deps = { ...store, clock: { now: () => NOW }, metrics: memoryMetrics(), centre: CENTRE };

  const started = performance.now();
  const results = await Promise.allSettled(ids.map((id) => scheduleCallback(deps, id)));
  const elapsedMs = Math.round(performance.now() - started);
  const count = (o: Attempt['outcome']) => attempts.filter((a) => a.outcome === o).length;
  const report = {
    bookings: BURST,
    capacity: CAPACITY,
    elapsedMs,
    transactions: attempts.length,
    committed: count('committed'),
    slotFull: count('ConditionalCheckFailed'),
    conflicted: count('TransactionConflict'),
    sdkRetries: attempts.filter((a) => a.sdkAttempt > 1).length,
    otherFailures: count('other'),
  };
  process.stdout.write(`slot burst (${conflicts} conflicts injected): ${JSON.stringify(report)}\n`);
  return { store, ids, results, report };
}

async function expectExactBookings({ store, ids, results, report }: Awaited<ReturnType<typeof burst>>) {
  const booked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.scheduledAt] : []));
  const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof NoFreeSlotError).length;
  const failed = results.flatMap((r) => (r.status === 'rejected' && !(r.reason instanceof NoFreeSlotError) ? [String(r.reason)] : []));
  expect(failed, 'no booking fails for any other reason').toEqual([]);
  const counts = await store.slots.slotCounts('tech-support', ['2027-03-15']);
  expect(counts.get(FIRST_SLOT)).toBe(CAPACITY);
  expect(counts.get(SECOND_SLOT)).toBe(CAPACITY);
  expect(booked.filter((s) => s === FIRST_SLOT)).toHaveLength(CAPACITY);
  expect(booked.filter((s) => s === SECOND_SLOT)).toHaveLength(CAPACITY);
  expect(refused).toBe(BURST - 2 * CAPACITY);
  // Each request's stored status agrees with the answer its booking got.
  const stored = await Promise.all(ids.map((id) => store.requests.getRequest(id)));
  expect(stored.filter((r) => r?.status === 'scheduled')).toHaveLength(2 * CAPACITY);
  expect(stored.filter((r) => r?.status === 'received')).toHaveLength(refused);
  // Every place is one committed transaction; a full slot is a cancelled one, never a booking.
  expect(report.committed).toBe(2 * CAPACITY);
}

describe('a burst of bookings into one slot (DynamoDB Local)', () => {
  it(`${BURST} callbacks at once: the slot ends with exactly its capacity, the rest booked later or told no slot is free`, async () => {
    const outcome = await burst(0);
    await expectExactBookings(outcome);
    expect(outcome.report.conflicted).toBe(0);
  });

  it('transactions cancelled by a conflict are retried by the booking itself, and the counts stay exact', async () => {
    const outcome = await burst(60);
    await expectExactBookings(outcome);
    expect(outcome.report.conflicted).toBe(60);
    // Not by the SDK (it does not retry TransactionCanceledException): by bookSlot.
    expect(outcome.report.sdkRetries).toBe(0);
    expect(outcome.report.transactions).toBe(60 + outcome.report.committed + outcome.report.slotFull);
  });
});
