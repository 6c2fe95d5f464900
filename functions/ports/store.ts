import type { Attachment, AttachmentStatus, RejectReason } from '#core/attachments/model';
import type { CallRecord, QueueEntry, SlotRef } from '#core/callbacks/model';
import type { WindowGuard, WindowState } from '#core/limits/limits';
import type { OtpPurpose, OtpRecord } from '#core/otp/otp';
import type {
  IdentityProblem,
  RequestComment,
  RequestDetail,
  Status,
  SupportRequest,
  TimelineEvent,
} from '#core/requests/model';

/** The reference profile verification compares with. SNILS and passport only as keyed hashes. */
export interface Profile {
  userId: string;
  fullName: string;
  fullNameFolded: string;
  snilsHash: string;
  snilsLast2: string;
  passportHash: string;
  passportLast2: string;
  registrationAddress?: string;
  phone: string;
  /** The subject's code and the citizen's IANA zone (functions/core/regions); absent on older profiles: 77, Moscow. */
  region?: string;
  timeZone?: string;
  updatedAt: string;
}

/** A stored first response for an Idempotency-Key, replayed for the same key and body. */
export interface IdempotencyRecord {
  scope: string;
  bodyHash: string;
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
  expiresAt: string;
}

/**
 * `window_changed`: the citizen's window counter is no longer the version read (another write of
 * theirs won): nothing was written; read it again and retry. `too_many_open`: the citizen already
 * holds the maximum of open callbacks. A replay wins over both (it counts nothing).
 */
export type CreateOutcome =
  | { kind: 'created' }
  | { kind: 'replay'; record: IdempotencyRecord }
  | { kind: 'number_taken' }
  | { kind: 'window_changed' }
  | { kind: 'too_many_open' };

/** `too_many`: the request has its maximum of comments; `window_changed` as for CreateOutcome. */
export type CommentOutcome =
  | { kind: 'created' }
  | { kind: 'replay'; record: IdempotencyRecord }
  | { kind: 'closed' }
  | { kind: 'not_found' }
  | { kind: 'too_many' }
  | { kind: 'window_changed' };

/** The citizen's sliding windows kept in the table: new requests (24 h) and comments (1 h). */
export type LimitWindow = 'requests' | 'comments';

/**
 * The guards a new request is created under, in the creating transaction: the citizen's request
 * window (stored as `window`, only if still the version read) and, for a callback, a place among
 * the citizen's at most `openCallbacks` open callbacks (given back when it leaves the open statuses).
 */
export interface CreateLimits {
  window: WindowGuard;
  openCallbacks?: number;
}

/** The guards of a citizen's comment: their comment window, and the request's cap on comments. */
export interface CommentLimits {
  window: WindowGuard;
  perRequest: number;
}

/** How a phone change ended: `phone_in_use` (another profile holds it) and `code_used` change nothing. */
export type PhoneChangeOutcome = 'changed' | 'code_used' | 'phone_in_use';

/** A page of a citizen's requests, newest first; `next` continues after the last one. */
export interface RequestPage {
  items: SupportRequest[];
  next?: { createdAt: string; id: string };
}

export interface RequestPatch {
  status?: Status;
  slot?: SupportRequest['slot'];
  attempts?: number;
  /** `null` removes the attribute. */
  assignedTo?: string | null;
  taskToken?: string | null;
  route?: SupportRequest['route'];
  problems?: IdentityProblem[];
  dueBy?: string;
  answer?: SupportRequest['answer'];
  scheduledAt?: string;
  /** `null` removes it (and the request leaves the reconciler's index). */
  checkAt?: string | null;
  failure?: SupportRequest['failure'] | null;
  resumes?: number;
  attention?: SupportRequest['attention'] | null;
  timeZone?: string;
}

/**
 * What a conditional write expects of a request besides its status (optimistic concurrency):
 * the reconciler's resume count it read; the workflow token it read (`null`: none).
 */
export interface RequestExpectation {
  resumes?: number;
  taskToken?: string | null;
  /** Callback attempts counted so far (absent counts as 0). */
  attempts?: number;
  /** Nobody but this operator holds the request (`assignedTo` absent or this id). */
  assignee?: string;
}

/** A request the reconciler should look at, and from when. */
export interface DueCheck {
  id: string;
  checkAt: string;
}

/** `too_many`: the request already has its maximum of attachments that are not rejected. */
export type AttachmentOutcome = 'created' | 'not_found' | 'closed' | 'too_many';

export interface Store {
  getProfile(userId: string): Promise<Profile | undefined>;
  /**
   * Creates or replaces, claiming the phone's index item (conditionally: `phone_in_use` when
   * another profile holds that number, and nothing is written) and releasing the old number's.
   */
  putProfile(profile: Profile): Promise<{ created: boolean } | 'phone_in_use'>;
  /** The citizen's window counter as stored (`version` 0: none). */
  getLimitWindow(window: LimitWindow, userId: string): Promise<WindowState>;

  /**
   * Writes the request, its number claim, its first timeline event and (when given) the
   * idempotency record in one transaction. A live record for the same scope wins: its stored
   * response is returned and nothing is written. A record past its expiry (`now`) counts as absent.
   * `limits` (always given by the use-cases; tests seed data without) are checked and counted in
   * the same transaction, so a failed create spends no place.
   */
  createRequest(
    request: SupportRequest,
    event: TimelineEvent,
    idempotency: IdempotencyRecord | undefined,
    now: string,
    limits?: CreateLimits,
  ): Promise<CreateOutcome>;
  /** The live (not expired at `now`) idempotency record of a scope. */
  getIdempotencyRecord(scope: string, now: string): Promise<IdempotencyRecord | undefined>;
  getRequest(id: string): Promise<SupportRequest | undefined>;
  getRequestDetail(id: string): Promise<RequestDetail | undefined>;
  /** A citizen's requests, newest first, `limit` at most, continuing after `after`. */
  listRequestsByOwner(userId: string, limit: number, after?: { createdAt: string; id: string }): Promise<RequestPage>;
  /**
   * Adds a comment while the request is in one of `open` (touching its `updatedAt`), with the
   * idempotency record when given, in one transaction; with `limits`, also counted on the request
   * (at most `perRequest`) and in the citizen's comment window, in the same transaction.
   */
  appendComment(
    requestId: string,
    comment: RequestComment,
    open: readonly Status[],
    idempotency: IdempotencyRecord | undefined,
    now: string,
    limits?: CommentLimits,
  ): Promise<CommentOutcome>;
  /** Whether the SMS for this request event was already sent (so a rerun does not send it twice). */
  noticeSent(requestId: string, notice: string): Promise<boolean>;
  recordNotice(requestId: string, notice: string, at: string): Promise<void>;
  /** Booked counts of a queue's slots on the given Moscow dates, keyed by slot start. */
  slotCounts(queue: string, days: readonly string[]): Promise<Map<string, number>>;
  /**
   * Books one place in the slot (only while its count is below `capacity`) and applies the patch
   * and event to the request (only while it is in `from`), in one transaction. `full`: the slot
   * had no place left and nothing was written. Throws StaleTransitionError when the request moved.
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
   * what `expect` names is as read. Throws StaleTransitionError otherwise.
   */
  enqueue(entry: QueueEntry, taskToken: string, expect?: RequestExpectation): Promise<void>;
  listQueue(queue: string, limit: number): Promise<QueueEntry[]>;
  countQueue(queue: string): Promise<number>;
  /**
   * Stores a call record (linked to its request and citizen) and, for a request's call, takes the
   * request out of its queue and applies the patch, in one transaction. Throws
   * StaleTransitionError when the request is not in `from`.
   */
  putCall(call: CallRecord, request?: { from: readonly Status[]; patch: RequestPatch; event: TimelineEvent; at: string; expect?: RequestExpectation }): Promise<void>;
  getCall(id: string): Promise<CallRecord | undefined>;
  listCallsByOwner(userId: string, limit: number): Promise<CallRecord[]>;
  /** A request's calls, oldest first: at most the first MAX_CALLS_SHOWN (core/callbacks/model) (a BatchGet takes 100 keys). */
  listCallsOfRequest(requestId: string): Promise<CallRecord[]>;
  /** Wait times (seconds) of the queue's calls queued since `since`. */
  recentWaits(queue: string, since: string): Promise<number[]>;
  getOtp(purpose: OtpPurpose, subject: string): Promise<OtpRecord | undefined>;
  /** Stores a newly issued code in place of `prevIssuedAt`'s (absent: none may exist). False when another send won. */
  putOtp(record: OtpRecord, prevIssuedAt: string | undefined): Promise<boolean>;
  /**
   * Undoes `putOtp(ours, …)` when its code could not be sent: `prev` back in its place (absent:
   * no record), only while `ours` is still the stored one. False when something replaced it since.
   */
  restoreOtp(ours: OtpRecord, prev: OtpRecord | undefined): Promise<boolean>;
  /**
   * Spends one try of the live code of (purpose, subject) in one atomic conditional write, BEFORE
   * any guess is compared: only while it exists, is unused, has tries left and has not expired at
   * `now`. Answers the record as it is after the spend (the code to compare against), or undefined
   * when no try could be spent (then nothing was written; read the record to say why).
   */
  spendOtpAttempt(purpose: OtpPurpose, subject: string, now: string): Promise<OtpRecord | undefined>;
  /** The right code for a call (`spent`, as spendOtpAttempt answered it): the code is used and the call confirmed, together, once. */
  confirmCall(callId: string, spent: OtpRecord): Promise<boolean>;
  /**
   * The right code for a phone change: the code is used, the profile's phone changed, the new
   * number's index claimed (only if no other profile holds it) and the old one's released, together.
   */
  changeProfilePhone(userId: string, phone: string, spent: OtpRecord, at: string): Promise<PhoneChangeOutcome>;
  /**
   * Creates a complaint request like createRequest (counted in the citizen's request window) and
   * links the call to it, once: `already_claimed` when the call already names a claim.
   */
  createClaim(request: SupportRequest, event: TimelineEvent, callId: string, window?: WindowGuard): Promise<CreateOutcome | { kind: 'already_claimed' }>;
  /** The user whose profile phone this is (profiles keep a phone index). */
  userByPhone(e164: string): Promise<string | undefined>;
  /**
   * Adds a pending attachment while the request is in one of `open`, has fewer than `max.live`
   * attachments that are not rejected and fewer than `max.total` in all, counting it in (and
   * touching `updatedAt`), in one transaction.
   */
  createAttachment(attachment: Attachment, open: readonly Status[], max: { live: number; total: number }, at: string): Promise<AttachmentOutcome>;
  getAttachment(requestId: string, attachmentId: string): Promise<Attachment | undefined>;
  /** A request's attachments in creation order. */
  listAttachments(requestId: string): Promise<Attachment[]>;
  /**
   * Moves an attachment from `from` to `to` (only while it is in `from`) with the timeline event, in
   * one transaction; becoming `rejected` gives its place back. False when it was not in `from`.
   */
  settleAttachment(
    requestId: string,
    attachmentId: string,
    from: AttachmentStatus,
    to: { status: 'ready' } | { status: 'rejected'; reason: RejectReason },
    event: TimelineEvent,
    at: string,
  ): Promise<boolean>;
  /**
   * Applies the patch only while the request is in one of `from`, and appends the timeline event,
   * atomically. Throws StaleTransitionError when the request is in another status. A callback that
   * leaves the open statuses gives its citizen's open-callback place back in the same transaction
   * (so does putCall).
   */
  transition(
    id: string,
    from: readonly Status[],
    patch: RequestPatch,
    event: TimelineEvent,
    at: string,
    effects?: {
      releaseSlot?: SlotRef & { day: string };
      /** Takes the request out of its operator queue too (an attempt ended without a recorded call). */
      dequeue?: boolean;
      expect?: RequestExpectation;
    },
  ): Promise<SupportRequest>;
  /** Requests whose `checkAt` is at or before `until`, earliest first, `limit` at most, continuing after `after`. */
  listDueChecks(until: string, limit: number, after?: DueCheck): Promise<DueCheck[]>;
}
