import type { QueueEntry } from '#core/callbacks/model';
import type { SlotStore } from '#ports/stores/slots';
import { type MemoryTable, copy } from './memory-table.ts';

/** Slot counters, operator queues and their recent waits, as dynamoSlotStore keeps them. */
export function memorySlotStore(t: MemoryTable): SlotStore {
  return {
    async slotCounts(queue) {
      const counts = new Map<string, number>();
      for (const [key, booked] of t.slots) if (key.startsWith(`${queue}#`)) counts.set(key.slice(queue.length + 1), booked);
      return counts;
    },

    async bookSlot(requestId, from, slot, patch, event, at) {
      const key = `${slot.queue}#${slot.start}`;
      if ((t.slots.get(key) ?? 0) >= slot.capacity) return 'full';
      const next = t.applyPatch(requestId, from, patch, at);
      t.slots.set(key, (t.slots.get(key) ?? 0) + 1);
      t.requests.set(requestId, next);
      t.appendEvent(requestId, event);
      return 'booked';
    },

    async enqueue(entry, taskToken, expect) {
      const next = t.applyPatch(entry.requestId, ['scheduled', 'in_progress'], { taskToken }, new Date().toISOString(), expect);
      t.requests.set(entry.requestId, next);
      t.queueEntries.set(entry.requestId, copy(entry));
    },

    async listQueue(queue, limit) {
      const order = (e: QueueEntry) => `${e.dueAt}#${e.createdAt}#${e.requestId}`;
      return [...t.queueEntries.values()].filter((e) => e.queue === queue).sort((a, b) => (order(a) < order(b) ? -1 : 1)).slice(0, limit).map(copy);
    },

    async countQueue(queue) {
      return [...t.queueEntries.values()].filter((e) => e.queue === queue).length;
    },

    async recentWaits(queue, since) {
      return [...t.calls.values()].filter((c) => c.queue === queue && c.queuedAt >= since).map((c) => c.waitSeconds);
    },
  };
}
