import { MAX_CALLS_SHOWN } from '#core/callbacks/model';
import type { CallStore } from '#ports/stores/calls';
import { type MemoryTable, copy } from './memory-table.ts';

/** Call records, as dynamoCallStore keeps them. */
export function memoryCallStore(t: MemoryTable): CallStore {
  return {
    async putCall(call, request) {
      if (call.requestId && request) {
        const next = t.applyPatch(call.requestId, request.from, request.patch, request.at, request.expect);
        t.releaseOpenPlace(call.requestId, request.patch);
        t.requests.set(call.requestId, next);
        t.appendEvent(call.requestId, request.event);
        t.queueEntries.delete(call.requestId);
      }
      t.calls.set(call.id, copy(call));
    },

    async getCall(id) {
      const call = t.calls.get(id);
      return call ? copy(call) : undefined;
    },

    async listCallsByOwner(userId, limit) {
      return [...t.calls.values()].filter((c) => c.userId === userId).sort((a, b) => (a.queuedAt < b.queuedAt ? 1 : -1)).slice(0, limit).map(copy);
    },

    async getCalls(ids) {
      return ids.flatMap((id) => {
        const call = t.calls.get(id);
        return call ? [copy(call)] : [];
      });
    },

    async listCallsOfRequest(requestId) {
      return [...t.calls.values()].filter((c) => c.requestId === requestId).sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1)).slice(0, MAX_CALLS_SHOWN).map(copy);
    },

    async confirmCall(callId, spent) {
      const call = t.calls.get(callId);
      if (!call || call.confirmed || !t.usable(spent)) return false;
      t.useCode(spent);
      t.calls.set(callId, { ...call, confirmed: true });
      return true;
    },
  };
}
