import type { QueueEntry, SlotRef } from '#core/callbacks/model';
import type { Status, TimelineEvent } from '#core/requests/model';
import type { RequestExpectation, RequestPatch } from './requests.ts';

/** The booked counts of callback slots, the operator queues and their recent waits. */
export interface SlotStore {
  /** Booked counts of a queue's slots on the given Moscow dates, keyed by slot start. */
  slotCounts(queue: string, days: readonly string[]): Promise<Map<string, number>>;
  /**
   * Books one place in the slot (only while its count is below `capacity`) and applies the patch
   * and event to the request (only while it is in `from`), in one transaction. `full`: the slot
   * had no place left and nothing was written. Throws StaleTransitionError when the request moved.
   * Writes the request of `requests` too; it lives here, with the booking's main entity, the slot.
   */
  bookSlot(
    requestId: string,
    from: readonly Status[],
    slot: SlotRef & { day: string; capacity: number },
    patch: RequestPatch,
    event: TimelineEvent,
    at: string,
  ): Promise<'booked' | 'full'>;
  /**
   * Puts the request in its operator queue (visible from now) and keeps the workflow's token, while
   * what `expect` names is as read. Throws StaleTransitionError otherwise. Writes the request of
   * `requests` too; it lives here, with its main entity, the queue entry.
   */
  enqueue(entry: QueueEntry, taskToken: string, expect?: RequestExpectation): Promise<void>;
  listQueue(queue: string, limit: number): Promise<QueueEntry[]>;
  countQueue(queue: string): Promise<number>;
  /** Wait times (seconds) of the queue's calls queued since `since` (written by putCall of `calls`). */
  recentWaits(queue: string, since: string): Promise<number[]>;
}
