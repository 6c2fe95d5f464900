import type { SupportRequest } from '#core/requests/model';

/**
 * The operators' indexes over requests and calls: the inbox of each queue (written requests
 * waiting for an answer, by deadline), the overdue count, and what search reads (phones that are
 * no profile's, and calls by the hours they were going on in). Every read is a Query or GetItem on
 * a key designed for it (docs/DESIGN.md, "Data model"), never a Scan.
 */
export interface InboxPosition {
  /** The deadline in force (the index's sort key) and the request id. */
  dueAt: string;
  id: string;
}

export interface InboxPage {
  /** Fresh request items, in deadline order (only those still waiting for an answer). */
  items: SupportRequest[];
  next?: InboxPosition;
}

/** A phone a request or a call names, beside the profiles' own phone index. */
export type PhoneRef =
  | { phone: string; kind: 'request'; requestId: string; queue: string; createdAt: string }
  | { phone: string; kind: 'call'; callId: string; queuedAt: string; queue?: string; requestId?: string };

/** A call as the time index keeps it: enough to test the overlap and the queue without the record. */
export interface CallTimeRef {
  callId: string;
  queuedAt: string;
  endedAt: string;
  queue?: string;
  requestId?: string;
  operatorId: string;
}

export interface WorkspaceStore {
  listInbox(queue: string, limit: number, after?: InboxPosition): Promise<InboxPage>;
  /** Requests of the queue waiting for an answer whose deadline in force is before `now`. */
  countOverdue(queue: string, now: string): Promise<number>;
  /** The request a number names (its number claim). */
  requestIdByNumber(number: string): Promise<string | undefined>;
  /** Idempotent puts (deterministic keys). */
  putPhoneRefs(refs: readonly PhoneRef[]): Promise<void>;
  phoneRefs(phone: string, limit: number): Promise<PhoneRef[]>;
  /** One ref per UTC hour the call spans; idempotent. */
  putCallTimeRefs(ref: CallTimeRef): Promise<void>;
  /** Calls whose `queuedAt..endedAt` overlaps `from..to`, oldest first. */
  callsAround(from: string, to: string, limit: number): Promise<CallTimeRef[]>;
}
