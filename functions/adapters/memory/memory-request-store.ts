import type { CommentOutcome, CreateOutcome, RequestStore } from '#ports/stores/requests';
import { MAX_CALLS_SHOWN } from '#core/callbacks/model';
import type { RequestDetail, Status, SupportRequest } from '#core/requests/model';
import { type MemoryTable, copy } from './memory-table.ts';

/**
 * Requests as dynamoRequestStore keeps them: createRequest is all-or-nothing (a live idempotency
 * record for the scope wins, `replay`; one whose `expiresAt <= now` counts as absent; a claimed
 * number gives `number_taken`); transition applies only from one of the listed statuses, else
 * StaleTransitionError.
 */
export function memoryRequestStore(t: MemoryTable): RequestStore {
  return {
    async getLimitWindow(window, userId) {
      return copy(t.windows.get(`${window}#${userId}`) ?? { times: [], version: 0 });
    },

    async createRequest(request, event, record, now, limits): Promise<CreateOutcome> {
      const live = t.liveRecord(record, now);
      if (live) return { kind: 'replay', record: live };
      if (t.numbers.has(request.number)) return { kind: 'number_taken' };
      if (t.requests.has(request.id)) throw new Error(`request ${request.id} already exists (transaction cancelled)`);
      if (limits && !t.windowFits('requests', limits.window)) return { kind: 'window_changed' };
      if (limits?.openCallbacks !== undefined && t.openOf(request.userId).size >= limits.openCallbacks) return { kind: 'too_many_open' };
      if (limits) t.storeWindow('requests', limits.window);
      if (limits?.openCallbacks !== undefined) t.openCallbacks.set(request.userId, t.openOf(request.userId).add(request.id));
      if (record) t.idempotency.set(record.scope, copy(record));
      t.numbers.set(request.number, request.id);
      t.requests.set(request.id, copy(request));
      t.appendEvent(request.id, event);
      return { kind: 'created' };
    },

    async getIdempotencyRecord(scope, now) {
      const record = t.idempotency.get(scope);
      return record && record.expiresAt > now ? copy(record) : undefined;
    },

    async getRequest(id) {
      const request = t.requests.get(id);
      return request ? copy(request) : undefined;
    },

    async listRequestsByOwner(userId, limit, after) {
      // GSI1 order: creation time then id, newest first.
      const position = (r: SupportRequest) => `${r.createdAt}#${r.id}`;
      const all = [...t.requests.values()].filter((r) => r.userId === userId).sort((a, b) => (position(a) < position(b) ? 1 : -1));
      const from = after ? all.filter((r) => position(r) < `${after.createdAt}#${after.id}`) : all;
      const items = from.slice(0, limit).map(copy);
      const last = items.at(-1);
      return from.length > limit && last ? { items, next: { createdAt: last.createdAt, id: last.id } } : { items };
    },

    async appendComment(requestId, comment, open, record, now, limits): Promise<CommentOutcome> {
      const live = t.liveRecord(record, now);
      if (live) return { kind: 'replay', record: live };
      const request = t.requests.get(requestId);
      if (!request) return { kind: 'not_found' };
      if (!open.includes(request.status)) return { kind: 'closed' };
      const count = request.commentCount ?? 0;
      if (limits?.holder !== undefined && request.assignedTo !== limits.holder) return { kind: 'not_held' };
      if (limits && count >= limits.perRequest) return { kind: 'too_many' };
      if (limits?.window && !t.windowFits('comments', limits.window)) return { kind: 'window_changed' };
      if (limits?.window) t.storeWindow('comments', limits.window);
      if (record) t.idempotency.set(record.scope, copy(record));
      t.requests.set(requestId, { ...request, updatedAt: now, ...(limits ? { commentCount: count + 1 } : {}) });
      t.addComment(requestId, comment);
      return { kind: 'created' };
    },

    async noticeSent(requestId, notice) {
      return t.notices.has(`${requestId}#${notice}`);
    },

    async getRequestForNotice(requestId, notice) {
      const request = t.requests.get(requestId);
      return { request: request ? copy(request) : undefined, noticeSent: t.notices.has(`${requestId}#${notice}`) };
    },

    async recordNotice(requestId, notice) {
      t.notices.add(`${requestId}#${notice}`);
    },

    async getRequestDetail(id): Promise<RequestDetail | undefined> {
      const request = t.requests.get(id);
      if (!request) return undefined;
      const callIds = [...t.calls.values()]
        .filter((c) => c.requestId === id)
        .sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1))
        .slice(0, MAX_CALLS_SHOWN)
        .map((c) => c.id);
      return { request: copy(request), timeline: t.sortedTimeline(id), comments: t.sortedComments(id), attachments: t.attachmentsOf(id), callIds };
    },

    async createClaim(request, event, callId, window) {
      const call = t.calls.get(callId);
      if (!call) throw new Error(`call ${callId} does not exist (transaction cancelled)`);
      if (call.claimRequestId !== undefined) return { kind: 'already_claimed' };
      if (t.numbers.has(request.number)) return { kind: 'number_taken' };
      if (window && !t.windowFits('requests', window)) return { kind: 'window_changed' };
      if (window) t.storeWindow('requests', window);
      t.calls.set(callId, { ...call, claimRequestId: request.id });
      t.numbers.set(request.number, request.id);
      t.requests.set(request.id, copy(request));
      t.appendEvent(request.id, event);
      return { kind: 'created' };
    },

    async transition(id, from: readonly Status[], patch, event, at, effects) {
      const next = t.applyPatch(id, from, patch, at, effects?.expect);
      t.releaseOpenPlace(id, patch);
      t.requests.set(id, next);
      t.appendEvent(id, event);
      const release = effects?.releaseSlot;
      if (release) {
        const key = `${release.queue}#${release.start}`;
        t.slots.set(key, Math.max(0, (t.slots.get(key) ?? 0) - 1));
      }
      if (release || effects?.dequeue) t.queueEntries.delete(id);
    },
  };
}
