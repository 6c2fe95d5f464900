import { AWAITING_ANSWER, deadlineInForce } from '#core/requests/deadlines';
import type { CallTimeRef, PhoneRef, WorkspaceStore } from '#ports/stores/workspace';
import { type MemoryTable, copy } from './memory-table.ts';

/**
 * The operators' indexes in memory, derived from what the memory requests part holds (as GSI3 is
 * derived from the request items): the inbox is every written request of the queue that waits for
 * an answer, by its deadline in force; refs are kept as the DynamoDB adapter keeps them.
 */
export function memoryWorkspaceStore(t: MemoryTable): WorkspaceStore {
  const phoneRefs = new Map<string, PhoneRef>();
  const timeRefs = new Map<string, CallTimeRef>();
  const waiting = (queue: string) =>
    [...t.requests.values()]
      .filter((r) => r.channel === 'written' && r.route?.queue === queue && AWAITING_ANSWER.includes(r.status) && deadlineInForce(r) !== undefined)
      .map((r) => ({ r, key: `${deadlineInForce(r)}#${r.id}` }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    async listInbox(queue, limit, after) {
      const all = waiting(queue);
      const rest = after ? all.filter((e) => e.key > `${after.dueAt}#${after.id}`) : all;
      const page = rest.slice(0, limit).map(({ r }) => {
        const last = t.sortedComments(r.id).at(-1);
        return copy({ ...r, ...(last ? { lastCommentAt: last.at, lastCommentBy: last.author } : {}) });
      });
      const last = page.at(-1);
      return rest.length > limit && last ? { items: page, next: { dueAt: deadlineInForce(last) as string, id: last.id } } : { items: page };
    },
    async countOverdue(queue, now) {
      return waiting(queue).filter(({ r }) => (deadlineInForce(r) as string) < now).length;
    },
    async requestIdByNumber(number) {
      return t.numbers.get(number);
    },
    async putPhoneRefs(refs) {
      for (const ref of refs) phoneRefs.set(`${ref.phone}|${ref.kind === 'request' ? ref.requestId : ref.callId}`, copy(ref));
    },
    async phoneRefs(phone, limit) {
      return [...phoneRefs.values()].filter((r) => r.phone === phone).slice(0, limit).map(copy);
    },
    async putCallTimeRefs(ref) {
      timeRefs.set(ref.callId, copy(ref));
    },
    async callsAround(from, to, limit) {
      return [...timeRefs.values()]
        .filter((r) => r.queuedAt <= to && r.endedAt >= from)
        .sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1))
        .slice(0, limit)
        .map(copy);
    },
  };
}
