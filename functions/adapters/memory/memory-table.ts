import type { Attachment } from '#core/attachments/model';
import type { CallRecord, QueueEntry } from '#core/callbacks/model';
import { StaleTransitionError } from '#core/errors';
import { type WindowGuard, type WindowState, leavesOpenCallbacks } from '#core/limits/limits';
import type { OtpRecord } from '#core/otp/otp';
import type { CentreConfig } from '#core/scheduling/centre-config';
import type { RequestComment, Status, SupportRequest, TimelineEvent } from '#core/requests/model';
import type { Profile } from '#ports/stores/profiles';
import type { IdempotencyRecord, RequestExpectation, RequestPatch } from '#ports/stores/requests';

/**
 * The in-memory single table every memory part of the store shares (memory-stores.ts), with the
 * semantics of the DynamoDB adapters, for unit tests:
 * - a write is all-or-nothing: every check runs before anything changes;
 * - timeline events come back in time order (ties in write order), comments by time then id,
 *   attachments by id (ids are time-ordered);
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

/** Deep copy of plain data; drops undefined object members like the DynamoDB marshaller does. */
export function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

interface StoredEvent {
  event: TimelineEvent;
  seq: number;
}

export type MemoryTable = ReturnType<typeof memoryTable>;

export function memoryTable() {
  const profiles = new Map<string, Profile>();
  const requests = new Map<string, SupportRequest>();
  const timelines = new Map<string, StoredEvent[]>();
  const comments = new Map<string, RequestComment[]>();
  const numbers = new Map<string, string>();
  const idempotency = new Map<string, IdempotencyRecord>();
  const notices = new Set<string>();
  /** Booked counts by `queue#start`. */
  const slots = new Map<string, number>();
  const queueEntries = new Map<string, QueueEntry>();
  const calls = new Map<string, CallRecord>();
  const phones = new Map<string, string>();
  const otps = new Map<string, OtpRecord>();
  /** By `requestId#attachmentId`. */
  const attachments = new Map<string, Attachment>();
  /** The citizens' sliding windows by `window#userId`, and their open callbacks, as the limit items keep them. */
  const windows = new Map<string, WindowState>();
  const openCallbacks = new Map<string, Set<string>>();
  /** The stored calendar (a mutable copy), absent until seeded. */
  const calendar: { value?: { -readonly [K in keyof CentreConfig]: CentreConfig[K] } } = {};
  let seq = 0;

  const otpKey = (r: { purpose: string; subject: string }) => `${r.purpose}#${r.subject}`;
  const openOf = (userId: string) => openCallbacks.get(userId) ?? new Set<string>();

  function sortedTimeline(requestId: string): TimelineEvent[] {
    return [...(timelines.get(requestId) ?? [])]
      .sort((a, b) => (a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : a.seq - b.seq))
      .map((e) => copy(e.event));
  }

  function sortedComments(requestId: string): RequestComment[] {
    const key = (c: RequestComment) => `${c.at}#${c.id}`;
    return [...(comments.get(requestId) ?? [])].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map(copy);
  }

  function addComment(requestId: string, comment: RequestComment): void {
    const list = comments.get(requestId) ?? [];
    list.push(copy(comment));
    comments.set(requestId, list);
  }

  return {
    profiles,
    requests,
    timelines,
    comments,
    numbers,
    idempotency,
    notices,
    slots,
    queueEntries,
    calls,
    phones,
    otps,
    attachments,
    windows,
    openCallbacks,
    calendar,
    otpKey,
    openOf,
    sortedTimeline,
    sortedComments,
    attachmentKey: (requestId: string, attachmentId: string) => `${requestId}#${attachmentId}`,
    attachmentsOf: (requestId: string) =>
      [...attachments.values()].filter((a) => a.requestId === requestId).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(copy),
    /** The DynamoDB condition of using a code: the very code the try was spent on, still unused. */
    usable(spent: OtpRecord): boolean {
      const now = otps.get(otpKey(spent));
      return now !== undefined && now.codeHash === spent.codeHash && !now.used;
    },
    useCode(spent: OtpRecord): void {
      otps.set(otpKey(spent), { ...(otps.get(otpKey(spent)) as OtpRecord), used: true });
    },
    windowFits: (window: string, guard: WindowGuard) => (windows.get(`${window}#${guard.userId}`)?.version ?? 0) === guard.version,
    storeWindow: (window: string, guard: WindowGuard) => windows.set(`${window}#${guard.userId}`, { times: [...guard.times], version: guard.version + 1 }),
    /** As the DynamoDB adapter: a callback leaving the open statuses gives its place back, with the change. */
    releaseOpenPlace(requestId: string, patch: RequestPatch): void {
      const request = requests.get(requestId);
      if (request && leavesOpenCallbacks(request.channel, patch.status)) openOf(request.userId).delete(requestId);
    },
    appendEvent(requestId: string, event: TimelineEvent): void {
      seq += 1;
      const list = timelines.get(requestId) ?? [];
      list.push({ event: copy(event), seq });
      timelines.set(requestId, list);
    },
    /** A live idempotency record of the scope (DynamoDB: attribute_not_exists(PK) OR expiresAt <= :now; ISO strings compare as text). */
    liveRecord(record: IdempotencyRecord | undefined, now: string): IdempotencyRecord | undefined {
      const existing = record ? idempotency.get(record.scope) : undefined;
      return existing && !(existing.expiresAt <= now) ? copy(existing) : undefined;
    },
    /** The conditional status change every write of a request shares; `null` in a patch removes. */
    applyPatch(id: string, from: readonly Status[], patch: RequestPatch, at: string, expect: RequestExpectation = {}): SupportRequest {
      if (from.length === 0) throw new Error('transition needs at least one expected status');
      const current = requests.get(id);
      if (!current) throw new StaleTransitionError('request vanished');
      if (!from.includes(current.status)) throw new StaleTransitionError(`request is no longer in ${from.join('|')}`);
      if (expect.resumes !== undefined && (current.resumes ?? 0) !== expect.resumes) throw new StaleTransitionError('another reconciler resumed it');
      if (expect.attempts !== undefined && (current.attempts ?? 0) !== expect.attempts) throw new StaleTransitionError('an attempt was counted meanwhile');
      if (expect.assignee !== undefined && current.assignedTo !== undefined && current.assignedTo !== expect.assignee) throw new StaleTransitionError('another operator holds it');
      if (expect.taskToken !== undefined && (current.taskToken ?? null) !== expect.taskToken) throw new StaleTransitionError('another workflow run holds the request');
      if (expect.holder !== undefined && current.assignedTo !== expect.holder) throw new StaleTransitionError('the operator does not hold it');
      if (expect.extendableAt !== undefined && (current.extendedTo !== undefined || current.dueBy === undefined || current.dueBy < expect.extendableAt)) {
        throw new StaleTransitionError('extended already, or past its deadline');
      }
      const next: Record<string, unknown> = { ...copy(current), updatedAt: at };
      // The inbox is derived from the requests in memory (memory-workspace-store.ts), as GSI3 is from the items.
      const { inbox: _inbox, forgetIdentityHashes, ...fields } = patch;
      if (forgetIdentityHashes) {
        const { snilsHash: _s, passportHash: _p, ...identity } = current.identity;
        next.identity = identity;
      }
      for (const [field, value] of Object.entries(fields)) {
        if (value === null) delete next[field];
        else if (value !== undefined) next[field] = copy(value);
      }
      return next as unknown as SupportRequest;
    },

    /** A deep copy of everything stored, for assertions (e.g. scanning for personal data). */
    snapshot(): MemoryStoreState {
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
    /** Test helper: comments have no store method without limits; this adds one to a request's partition. */
    addComment,
    /** Test helper: the stored idempotency record of a scope, live or not. */
    idempotencyRecord(scope: string): IdempotencyRecord | undefined {
      const record = idempotency.get(scope);
      return record ? copy(record) : undefined;
    },
  };
}
