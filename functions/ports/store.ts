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

export type CreateOutcome =
  | { kind: 'created' }
  | { kind: 'replay'; record: IdempotencyRecord }
  | { kind: 'number_taken' };

export type CommentOutcome =
  | { kind: 'created' }
  | { kind: 'replay'; record: IdempotencyRecord }
  | { kind: 'closed' }
  | { kind: 'not_found' };

/** A page of a citizen's requests, newest first; `next` continues after the last one. */
export interface RequestPage {
  items: SupportRequest[];
  next?: { createdAt: string; id: string };
}

export interface RequestPatch {
  status?: Status;
  route?: SupportRequest['route'];
  questions?: string[];
  problems?: IdentityProblem[];
  dueBy?: string;
  answer?: SupportRequest['answer'];
  scheduledAt?: string;
}

export interface Store {
  getProfile(userId: string): Promise<Profile | undefined>;
  /** Creates or replaces; answers whether it was created. */
  putProfile(profile: Profile): Promise<{ created: boolean }>;

  /**
   * Writes the request, its number claim, its first timeline event and (when given) the
   * idempotency record in one transaction. A live record for the same scope wins: its stored
   * response is returned and nothing is written. A record past its expiry (`now`) counts as absent.
   */
  createRequest(
    request: SupportRequest,
    event: TimelineEvent,
    idempotency: IdempotencyRecord | undefined,
    now: string,
  ): Promise<CreateOutcome>;
  /** The live (not expired at `now`) idempotency record of a scope. */
  getIdempotencyRecord(scope: string, now: string): Promise<IdempotencyRecord | undefined>;
  getRequest(id: string): Promise<SupportRequest | undefined>;
  getRequestDetail(id: string): Promise<RequestDetail | undefined>;
  /** A citizen's requests, newest first, `limit` at most, continuing after `after`. */
  listRequestsByOwner(userId: string, limit: number, after?: { createdAt: string; id: string }): Promise<RequestPage>;
  /**
   * Adds a comment while the request is in one of `open` (touching its `updatedAt`), with the
   * idempotency record when given, in one transaction.
   */
  appendComment(
    requestId: string,
    comment: RequestComment,
    open: readonly Status[],
    idempotency: IdempotencyRecord | undefined,
    now: string,
  ): Promise<CommentOutcome>;
  /** Whether the SMS for this request event was already sent (so a rerun does not send it twice). */
  noticeSent(requestId: string, notice: string): Promise<boolean>;
  recordNotice(requestId: string, notice: string, at: string): Promise<void>;
  /**
   * Applies the patch only while the request is in one of `from`, and appends the timeline event,
   * atomically. Throws StaleTransitionError when the request is in another status.
   */
  transition(id: string, from: readonly Status[], patch: RequestPatch, event: TimelineEvent, at: string): Promise<SupportRequest>;
}
