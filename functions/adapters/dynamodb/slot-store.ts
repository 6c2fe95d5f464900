import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { QueueEntry } from '#core/callbacks/model';
import { StaleTransitionError } from '#core/errors';
import type { SlotStore } from '#ports/stores/slots';
import { keys } from './keys.ts';
import { requestUpdate, timelinePut } from './request-items.ts';
import { type Table, queryAll, queryIndex } from './table-client.ts';
import { type Item, conflictedOnly, failedCondition, strip } from './transact.ts';

/** Attempts of a booking transaction that only conflicted (docs/operations.md, "Scale"). */
const BOOKING_ATTEMPTS = 6;

/**
 * Slot counters `SLOTS#<queue>#<day>` (one partition per queue and day, so a day's counts are one
 * Query), the operator queues (GSI1 `QUEUE#<queue>`) and their recent waits `QWAITS#<queue>`.
 */
export function dynamoSlotStore(table: Table): SlotStore {
  const { doc, name: tableName } = table;
  return {
    async slotCounts(queue, days) {
      const counts = new Map<string, number>();
      await Promise.all(
        days.map(async (day) => {
          const items = await queryAll(table, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.slotDay(queue, day) }, ConsistentRead: true });
          for (const item of items) counts.set(String(item.SK), Number(item.booked ?? 0));
        }),
      );
      return counts;
    },

    async bookSlot(requestId, from, slot, patch, event, at) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: tableName,
                    Key: keys.slotCounter(slot.queue, slot.day, slot.start),
                    UpdateExpression: 'ADD booked :one SET kind = :kind',
                    ConditionExpression: 'attribute_not_exists(booked) OR booked < :capacity',
                    ExpressionAttributeValues: { ':one': 1, ':capacity': slot.capacity, ':kind': 'slot' },
                  },
                },
                requestUpdate(table, requestId, from, patch, at),
                timelinePut(table, requestId, event),
              ],
            }),
          );
          return 'booked';
        } catch (error) {
          if (failedCondition(error, 0)) return 'full';
          if (failedCondition(error, 1)) throw new StaleTransitionError(`request is no longer in ${from.join('|')}`);
          if (!conflictedOnly(error) || attempt >= BOOKING_ATTEMPTS) throw error;
          // Jittered, growing pause (10–20 ms, doubling) so the transactions of a burst spread out.
          await new Promise((r) => setTimeout(r, 10 * 2 ** (attempt - 1) * (1 + Math.random())));
        }
      }
    },

    async enqueue(entry, taskToken, expect) {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.queueEntry(entry.requestId), ...keys.queueIndex(entry.queue, entry.dueAt, entry.createdAt, entry.requestId), kind: 'queue', ...entry },
                },
              },
              requestUpdate(table, entry.requestId, ['scheduled', 'in_progress'], { taskToken }, new Date().toISOString(), expect),
            ],
          }),
        );
      } catch (error) {
        if (failedCondition(error, 1)) throw new StaleTransitionError('callback no longer awaits a call');
        throw error;
      }
    },

    async listQueue(queue, limit) {
      const out = await queryIndex(table, keys.queuePartition(queue), { limit });
      return (out.Items ?? []).map((i) => strip<QueueEntry & Item>(i));
    },

    async countQueue(queue) {
      let count = 0;
      let start: Item | undefined;
      do {
        const out = await queryIndex(table, keys.queuePartition(queue), { count: true, ...(start ? { start } : {}) });
        count += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return count;
    },

    async recentWaits(queue, since) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND SK >= :since',
          ExpressionAttributeValues: { ':pk': keys.queueWaitsPartition(queue), ':since': since },
          ScanIndexForward: false,
          Limit: 50,
        }),
      );
      return (out.Items ?? []).map((i) => Number(i.waitSeconds));
    },
  };
}
