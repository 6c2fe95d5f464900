import type { SlotRef } from '#core/callbacks/model';
import type { WindowGuard, WindowState } from '#core/limits/limits';
import type {
  IdentityProblem,
  RequestComment,
  RequestDetail,
  Status,
  SupportRequest,
  TimelineEvent,
} from '#core/requests/model';

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
 * theirs won): nothing was written; retry from `current`, the window as the refused write found it
 * (ReturnValuesOnConditionCheckFailure), or read it again when absent. `too_many_open`: the citizen already
 * holds the maximum of open callbacks. A replay wins over both (it counts nothing).
 */
export type CreateOutcome =
  | { kind: 'created' }
  | { kind: 'replay'; record: IdempotencyRecord }
  | { kind: 'number_taken' }
  | { kind: 'window_changed'; current?: WindowState }
  | { kind: 'too_many_open' };

/** `too_many`: the request has its maximum of comments; `window_changed` as for CreateOutcome. */
export type CommentOutcome =
  | { kind: 'created' }
  | { kind: 'replay'; record: IdempotencyRecord }
  | { kind: 'closed' }
  | { kind: 'not_found' }
  | { kind: 'too_many' }
  | { kind: 'window_changed' }
  /** An operator's comment: the request is no longer held by that operator (CommentLimits `holder`). */
  | { kind: 'not_held' };

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

/**
 * The guards of a comment: the request's cap on comments, the citizen's comment window (a
 * citizen's comment), and for an operator's comment the operator who must hold the request.
 */
export interface CommentLimits {
  window?: WindowGuard;
  perRequest: number;
  holder?: string;
}

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
  /** The deadline in force once extended (59-FZ). */
  extendedTo?: string;
  /**
   * The request's place in its queue's inbox (GSI3): set with the deadline in force while it waits
   * for an answer, `null` takes it out.
   */
  inbox?: { queue: string; dueAt: string } | null;
  /** Removes the identity's SNILS and passport hashes: verification is done once a request is routed. */
  forgetIdentityHashes?: true;
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
  /** This operator holds the request (`assignedTo` is this id). */
  holder?: string;
  /** Not extended yet, and its deadline (`dueBy`) not before this instant. */
  extendableAt?: string;
}

/**
 * What the caller already read of the request and never changes (its owner and channel): a store
 * that needs them in a write (the open-callback release) takes them from here instead of reading
 * the request again.
 */
export type RequestOwner = Pick<SupportRequest, 'userId' | 'channel'>;

/**
 * Requests with everything written in their transactions: the timeline, comments, SMS notices,
 * number claims, idempotency records and the citizen's limit windows.
 */
export interface RequestStore {
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
  /** The citizen's window counter as stored (`version` 0: none). */
  getLimitWindow(window: LimitWindow, userId: string): Promise<WindowState>;
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
  /** The request and whether this notice's SMS was already sent, in one read (a notice needs both). */
  getRequestForNotice(requestId: string, notice: string): Promise<{ request: SupportRequest | undefined; noticeSent: boolean }>;
  recordNotice(requestId: string, notice: string, at: string): Promise<void>;
  /**
   * Creates a complaint request like createRequest (counted in the citizen's request window) and
   * links the call to it, once: `already_claimed` when the call already names a claim. Writes the
   * call of `calls` too; it lives here, with its main entity, the new request.
   */
  createClaim(request: SupportRequest, event: TimelineEvent, callId: string, window?: WindowGuard): Promise<CreateOutcome | { kind: 'already_claimed' }>;
  /**
   * Applies the patch only while the request is in one of `from`, and appends the timeline event,
   * atomically. Throws StaleTransitionError when the request is in another status. A callback that
   * leaves the open statuses gives its citizen's open-callback place back in the same transaction
   * (so does putCall); `owner`, when the caller has read the request, spares reading whose place
   * it is. Its effects write the slot counter and queue entry of `slots` in the same
   * transaction; it lives here, with its main entity. Returns nothing: a caller that needs the
   * request after the change reads it (most do not, and a transaction returns no item).
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
      owner?: RequestOwner;
    },
  ): Promise<void>;
}
