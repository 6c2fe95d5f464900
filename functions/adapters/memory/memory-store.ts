import type { Attachment } from '#core/attachments/model';
import { StaleTransitionError } from '#core/errors';
import { type CallRecord, MAX_CALLS_SHOWN, type QueueEntry } from '#core/callbacks/model';
import { type WindowGuard, type WindowState, leavesOpenCallbacks } from '#core/limits/limits';
import type { OtpRecord } from '#core/otp/otp';
import type { RequestComment, RequestDetail, Status, SupportRequest, TimelineEvent } from '#core/requests/model';
import type { AttachmentOutcome, CommentOutcome, CreateOutcome, IdempotencyRecord, Profile, RequestExpectation, RequestPatch, Store } from '#ports/store';

/**
 * An in-memory Store with the semantics of the DynamoDB adapter (dynamo-store.ts), for unit tests:
 * - createRequest is all-or-nothing: a live idempotency record for the scope wins (`replay`), one
 *   whose `expiresAt <= now` counts as absent, a claimed number gives `number_taken`;
 * - transition applies only from one of the listed statuses, else StaleTransitionError;
 * - timeline events come back in time order (ties in write order), comments by time then id,
 *   attachments by id (ids are time-ordered);
 * - createAttachment counts the attachments that are not rejected on the request, as the
 *   DynamoDB adapter's `attachmentCount`, and settleAttachment gives a rejected one's place back;
 * - every value is deep-copied on the way in and out, and `undefined` members are dropped as the
 *   DynamoDB document client's `removeUndefinedValues` does, so callers cannot mutate stored state.
 */
export interface MemoryStoreState {
  profiles: Profile[];
  requests: SupportRequest[];
  timelines: Record<string, TimelineEvent[]>;
  comments: Record<string, RequestComment[]>;
  numbers: Record<string, string>;
  idempotency: IdempotencyRecord[];
  attachments: Attachment[];
}

export interface MemoryStore extends Store {
  /** A deep copy of everything stored, for assertions (e.g. scanning for personal data). */
  snapshot(): MemoryStoreState;
  /** Test helper: comments have no Store method yet; this adds one to a request's partition. */
  addComment(requestId: string, comment: RequestComment): void;
  /** Test helper: the stored idempotency record of a scope, live or not. */
  idempotencyRecord(scope: string): IdempotencyRecord | undefined;
}

/** Deep copy of plain data; drops undefined object members like the DynamoDB marshaller does. */
export function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

interface StoredEvent {
  event: TimelineEvent;
  seq: number;
}

export function memoryStore(): MemoryStore {
  const profiles = new Map<string, Profile>();
  const requests = new Map<string, SupportRequest>();
  const timelines = new Map<string, StoredEvent[]>();
  const comments = new Map<string, RequestComment[]>();
  const numbers = new Map<string, string>();
  const idempotency = new Map<string, IdempotencyRecord>();
  const notices = new Set<string>();
  const slots = new Map<string, number>();
  const queueEntries = new Map<string, QueueEntry>();
  const calls = new Map<string, CallRecord>();
  const phones = new Map<string, string>();
  const otps = new Map<string, OtpRecord>();
  /** By `requestId#attachmentId`. */
  const attachments = new Map<string, Attachment>();
  const attachmentKey = (requestId: string, attachmentId: string) => `${requestId}#${attachmentId}`;
  const attachmentsOf = (requestId: string) =>
    [...attachments.values()].filter((a) => a.requestId === requestId).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(copy);
  const otpKey = (r: { purpose: string; subject: string }) => `${r.purpose}#${r.subject}`;
  /** The DynamoDB condition of using a code: the very code the try was spent on, still unused. */
  const usable = (spent: OtpRecord) => {
    const now = otps.get(otpKey(spent));
    return now !== undefined && now.codeHash === spent.codeHash && !now.used;
  };
  /** The citizens' sliding windows by `window#userId`, and their open callbacks, as the limit items keep them. */
  const windows = new Map<string, WindowState>();
  const openCallbacks = new Map<string, Set<string>>();
  const windowFits = (window: string, guard: WindowGuard) => (windows.get(`${window}#${guard.userId}`)?.version ?? 0) === guard.version;
  const storeWindow = (window: string, guard: WindowGuard) => windows.set(`${window}#${guard.userId}`, { times: [...guard.times], version: guard.version + 1 });
  const openOf = (userId: string) => openCallbacks.get(userId) ?? new Set<string>();
  /** As the DynamoDB adapter: a callback leaving the open statuses gives its place back, with the change. */
  function releaseOpenPlace(requestId: string, patch: RequestPatch): void {
    const request = requests.get(requestId);
    if (request && leavesOpenCallbacks(request.channel, patch.status)) openOf(request.userId).delete(requestId);
  }
  let seq = 0;

  function appendEvent(requestId: string, event: TimelineEvent): void {
    seq += 1;
    const list = timelines.get(requestId) ?? [];
    list.push({ event: copy(event), seq });
    timelines.set(requestId, list);
  }

  function sortedTimeline(requestId: string): TimelineEvent[] {
    return [...(timelines.get(requestId) ?? [])]
      .sort((a, b) => (a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : a.seq - b.seq))
      .map((e) => copy(e.event));
  }

  /** The conditional status change every write of a request shares; `null` in a patch removes. */
  function applyPatch(id: string, from: readonly Status[], patch: RequestPatch, at: string, expect: RequestExpectation = {}): SupportRequest {
    if (from.length === 0) throw new Error('transition needs at least one expected status');
    const current = requests.get(id);
    if (!current) throw new StaleTransitionError('request vanished');
    if (!from.includes(current.status)) throw new StaleTransitionError(`request is no longer in ${from.join('|')}`);
    if (expect.resumes !== undefined && (current.resumes ?? 0) !== expect.resumes) throw new StaleTransitionError('another reconciler resumed it');
    if (expect.attempts !== undefined && (current.attempts ?? 0) !== expect.attempts) throw new StaleTransitionError('an attempt was counted meanwhile');
    if (expect.assignee !== undefined && current.assignedTo !== undefined && current.assignedTo !== expect.assignee) throw new StaleTransitionError('another operator holds it');
    if (expect.taskToken !== undefined && (current.taskToken ?? null) !== expect.taskToken) throw new StaleTransitionError('another workflow run holds the request');
    const next: Record<string, unknown> = { ...copy(current), updatedAt: at };
    for (const [field, value] of Object.entries(patch)) {
      if (value === null) delete next[field];
      else if (value !== undefined) next[field] = copy(value);
    }
    return next as unknown as SupportRequest;
  }

  function sortedComments(requestId: string): RequestComment[] {
    const key = (c: RequestComment) => `${c.at}#${c.id}`;
    return [...(comments.get(requestId) ?? [])].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map(copy);
  }

  return {
    async getProfile(userId) {
      const profile = profiles.get(userId);
      return profile ? copy(profile) : undefined;
    },

    async getLimitWindow(window, userId) {
      return copy(windows.get(`${window}#${userId}`) ?? { times: [], version: 0 });
    },

    async putProfile(profile) {
      const holder = phones.get(profile.phone);
      if (holder !== undefined && holder !== profile.userId) return 'phone_in_use';
      const old = profiles.get(profile.userId);
      const created = !old;
      if (old && old.phone !== profile.phone && phones.get(old.phone) === profile.userId) phones.delete(old.phone);
      phones.set(profile.phone, profile.userId);
      profiles.set(profile.userId, copy(profile));
      return { created };
    },

    async createRequest(request, event, record, now, limits): Promise<CreateOutcome> {
      if (record) {
        const existing = idempotency.get(record.scope);
        // DynamoDB condition: attribute_not_exists(PK) OR expiresAt <= :now (ISO strings compare as text).
        if (existing && !(existing.expiresAt <= now)) return { kind: 'replay', record: copy(existing) };
      }
      if (numbers.has(request.number)) return { kind: 'number_taken' };
      if (requests.has(request.id)) throw new Error(`request ${request.id} already exists (transaction cancelled)`);
      if (limits && !windowFits('requests', limits.window)) return { kind: 'window_changed' };
      if (limits?.openCallbacks !== undefined && openOf(request.userId).size >= limits.openCallbacks) return { kind: 'too_many_open' };
      if (limits) storeWindow('requests', limits.window);
      if (limits?.openCallbacks !== undefined) openCallbacks.set(request.userId, openOf(request.userId).add(request.id));
      if (record) idempotency.set(record.scope, copy(record));
      numbers.set(request.number, request.id);
      requests.set(request.id, copy(request));
      appendEvent(request.id, event);
      return { kind: 'created' };
    },

    async getIdempotencyRecord(scope, now) {
      const record = idempotency.get(scope);
      return record && record.expiresAt > now ? copy(record) : undefined;
    },

    async getRequest(id) {
      const request = requests.get(id);
      return request ? copy(request) : undefined;
    },

    async listRequestsByOwner(userId, limit, after) {
      // GSI1 order: creation time then id, newest first.
      const position = (r: SupportRequest) => `${r.createdAt}#${r.id}`;
      const all = [...requests.values()].filter((r) => r.userId === userId).sort((a, b) => (position(a) < position(b) ? 1 : -1));
      const from = after ? all.filter((r) => position(r) < `${after.createdAt}#${after.id}`) : all;
      const items = from.slice(0, limit).map(copy);
      const last = items.at(-1);
      return from.length > limit && last ? { items, next: { createdAt: last.createdAt, id: last.id } } : { items };
    },

    async appendComment(requestId, comment, open, record, now, limits): Promise<CommentOutcome> {
      if (record) {
        const existing = idempotency.get(record.scope);
        if (existing && !(existing.expiresAt <= now)) return { kind: 'replay', record: copy(existing) };
      }
      const request = requests.get(requestId);
      if (!request) return { kind: 'not_found' };
      if (!open.includes(request.status)) return { kind: 'closed' };
      const count = request.commentCount ?? 0;
      if (limits && count >= limits.perRequest) return { kind: 'too_many' };
      if (limits && !windowFits('comments', limits.window)) return { kind: 'window_changed' };
      if (limits) storeWindow('comments', limits.window);
      if (record) idempotency.set(record.scope, copy(record));
      requests.set(requestId, { ...request, updatedAt: now, ...(limits ? { commentCount: count + 1 } : {}) });
      const list = comments.get(requestId) ?? [];
      list.push(copy(comment));
      comments.set(requestId, list);
      return { kind: 'created' };
    },

    async noticeSent(requestId, notice) {
      return notices.has(`${requestId}#${notice}`);
    },

    async recordNotice(requestId, notice) {
      notices.add(`${requestId}#${notice}`);
    },

    async getRequestDetail(id): Promise<RequestDetail | undefined> {
      const request = requests.get(id);
      if (!request) return undefined;
      return { request: copy(request), timeline: sortedTimeline(id), comments: sortedComments(id), attachments: attachmentsOf(id) };
    },

    async createAttachment(attachment, open, max, at): Promise<AttachmentOutcome> {
      const request = requests.get(attachment.requestId);
      if (!request) return 'not_found';
      if (!open.includes(request.status)) return 'closed';
      const count = request.attachmentCount ?? 0;
      const total = request.attachmentTotal ?? 0;
      if (count >= max.live || total >= max.total) return 'too_many';
      const key = attachmentKey(attachment.requestId, attachment.id);
      if (attachments.has(key)) throw new Error(`attachment ${attachment.id} already exists (transaction cancelled)`);
      requests.set(request.id, { ...request, updatedAt: at, attachmentCount: count + 1, attachmentTotal: total + 1 });
      attachments.set(key, copy(attachment));
      return 'created';
    },

    async getAttachment(requestId, attachmentId) {
      const found = attachments.get(attachmentKey(requestId, attachmentId));
      return found ? copy(found) : undefined;
    },

    async listAttachments(requestId) {
      return attachmentsOf(requestId);
    },

    async settleAttachment(requestId, attachmentId, from, to, event, at) {
      if (from === 'rejected') throw new Error('a rejected attachment stays rejected');
      const key = attachmentKey(requestId, attachmentId);
      const current = attachments.get(key);
      const request = requests.get(requestId);
      if (!current || current.status !== from) return false;
      if (!request) throw new Error(`request ${requestId} does not exist (transaction cancelled)`);
      attachments.set(key, { ...current, status: to.status, settledAt: at, ...(to.status === 'rejected' ? { reason: to.reason } : {}) });
      requests.set(requestId, { ...request, updatedAt: at, ...(to.status === 'rejected' ? { attachmentCount: (request.attachmentCount ?? 0) - 1 } : {}) });
      appendEvent(requestId, event);
      return true;
    },

    async transition(id, from: readonly Status[], patch: RequestPatch, event, at, effects) {
      const next = applyPatch(id, from, patch, at, effects?.expect);
      releaseOpenPlace(id, patch);
      requests.set(id, next);
      appendEvent(id, event);
      const release = effects?.releaseSlot;
      if (release) {
        const key = `${release.queue}#${release.start}`;
        slots.set(key, Math.max(0, (slots.get(key) ?? 0) - 1));
      }
      if (release || effects?.dequeue) queueEntries.delete(id);
      return copy(next);
    },

    async listDueChecks(until, limit, after) {
      // Ordered as GSI2's sort key orders them: `checkAt#id`.
      const key = (c: { checkAt: string; id: string }) => `${c.checkAt}#${c.id}`;
      return [...requests.values()]
        .flatMap((r) => (r.checkAt !== undefined && r.checkAt <= until ? [{ id: r.id, checkAt: r.checkAt }] : []))
        .filter((c) => !after || key(c) > key(after))
        .sort((a, b) => (key(a) < key(b) ? -1 : 1))
        .slice(0, limit);
    },

    async slotCounts(queue) {
      const counts = new Map<string, number>();
      for (const [key, booked] of slots) if (key.startsWith(`${queue}#`)) counts.set(key.slice(queue.length + 1), booked);
      return counts;
    },

    async bookSlot(requestId, from, slot, patch, event, at) {
      const key = `${slot.queue}#${slot.start}`;
      if ((slots.get(key) ?? 0) >= slot.capacity) return 'full';
      const next = applyPatch(requestId, from, patch, at);
      slots.set(key, (slots.get(key) ?? 0) + 1);
      requests.set(requestId, next);
      appendEvent(requestId, event);
      return 'booked';
    },

    async enqueue(entry, taskToken, expect) {
      const next = applyPatch(entry.requestId, ['scheduled', 'in_progress'], { taskToken }, new Date().toISOString(), expect);
      requests.set(entry.requestId, next);
      queueEntries.set(entry.requestId, copy(entry));
    },

    async listQueue(queue, limit) {
      const order = (e: QueueEntry) => `${e.dueAt}#${e.createdAt}#${e.requestId}`;
      return [...queueEntries.values()].filter((e) => e.queue === queue).sort((a, b) => (order(a) < order(b) ? -1 : 1)).slice(0, limit).map(copy);
    },

    async countQueue(queue) {
      return [...queueEntries.values()].filter((e) => e.queue === queue).length;
    },

    async putCall(call, request) {
      if (call.requestId && request) {
        const next = applyPatch(call.requestId, request.from, request.patch, request.at, request.expect);
        releaseOpenPlace(call.requestId, request.patch);
        requests.set(call.requestId, next);
        appendEvent(call.requestId, request.event);
        queueEntries.delete(call.requestId);
      }
      calls.set(call.id, copy(call));
    },

    async getCall(id) {
      const call = calls.get(id);
      return call ? copy(call) : undefined;
    },

    async listCallsByOwner(userId, limit) {
      return [...calls.values()].filter((c) => c.userId === userId).sort((a, b) => (a.queuedAt < b.queuedAt ? 1 : -1)).slice(0, limit).map(copy);
    },

    async listCallsOfRequest(requestId) {
      return [...calls.values()].filter((c) => c.requestId === requestId).sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1)).slice(0, MAX_CALLS_SHOWN).map(copy);
    },

    async recentWaits(queue, since) {
      return [...calls.values()].filter((c) => c.queue === queue && c.queuedAt >= since).map((c) => c.waitSeconds);
    },

    async getOtp(purpose, subject) {
      const record = otps.get(`${purpose}#${subject}`);
      return record ? copy(record) : undefined;
    },

    async putOtp(record, prevIssuedAt) {
      const current = otps.get(otpKey(record));
      if (prevIssuedAt === undefined ? current !== undefined : current?.issuedAt !== prevIssuedAt) return false;
      otps.set(otpKey(record), copy(record));
      return true;
    },

    async restoreOtp(ours, prev) {
      if (otps.get(otpKey(ours))?.issuedAt !== ours.issuedAt) return false;
      if (prev) otps.set(otpKey(ours), copy(prev));
      else otps.delete(otpKey(ours));
      return true;
    },

    async spendOtpAttempt(purpose, subject, now) {
      // The DynamoDB condition: exists, unused, tries left, not expired (ISO times compare as text).
      const record = otps.get(`${purpose}#${subject}`);
      if (!record || record.used || !(record.attemptsLeft > 0) || !(record.expiresAt >= now)) return undefined;
      const spent = { ...record, attemptsLeft: record.attemptsLeft - 1 };
      otps.set(otpKey(spent), spent);
      return copy(spent);
    },

    async confirmCall(callId, spent) {
      const call = calls.get(callId);
      if (!call || call.confirmed || !usable(spent)) return false;
      otps.set(otpKey(spent), { ...(otps.get(otpKey(spent)) as OtpRecord), used: true });
      calls.set(callId, { ...call, confirmed: true });
      return true;
    },

    async changeProfilePhone(userId, phone, spent, at) {
      const profile = profiles.get(userId);
      const holder = phones.get(phone);
      if (holder !== undefined && holder !== userId) return 'phone_in_use';
      if (!profile || !usable(spent)) return 'code_used';
      otps.set(otpKey(spent), { ...(otps.get(otpKey(spent)) as OtpRecord), used: true });
      if (profile.phone !== phone && phones.get(profile.phone) === userId) phones.delete(profile.phone);
      phones.set(phone, userId);
      profiles.set(userId, { ...profile, phone, updatedAt: at });
      return 'changed';
    },

    async createClaim(request, event, callId, window) {
      const call = calls.get(callId);
      if (!call) throw new Error(`call ${callId} does not exist (transaction cancelled)`);
      if (call.claimRequestId !== undefined) return { kind: 'already_claimed' };
      if (numbers.has(request.number)) return { kind: 'number_taken' };
      if (window && !windowFits('requests', window)) return { kind: 'window_changed' };
      if (window) storeWindow('requests', window);
      calls.set(callId, { ...call, claimRequestId: request.id });
      numbers.set(request.number, request.id);
      requests.set(request.id, copy(request));
      appendEvent(request.id, event);
      return { kind: 'created' };
    },

    async userByPhone(e164) {
      return phones.get(e164);
    },

    snapshot() {
      return copy({
        profiles: [...profiles.values()],
        requests: [...requests.values()],
        timelines: Object.fromEntries([...timelines.keys()].map((id) => [id, sortedTimeline(id)])),
        comments: Object.fromEntries([...comments.keys()].map((id) => [id, sortedComments(id)])),
        numbers: Object.fromEntries(numbers),
        idempotency: [...idempotency.values()],
        attachments: [...attachments.values()],
      });
    },

    addComment(requestId, comment) {
      const list = comments.get(requestId) ?? [];
      list.push(copy(comment));
      comments.set(requestId, list);
    },

    idempotencyRecord(scope) {
      const record = idempotency.get(scope);
      return record ? copy(record) : undefined;
    },
  };
}
