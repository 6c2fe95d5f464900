import type { Attachment } from '../attachments/model.ts';

/** The request aggregate and its vocabulary, as the contract names them. */
export const CHANNELS = ['written', 'callback'] as const;
export type Channel = (typeof CHANNELS)[number];

export const REQUEST_TYPES = ['technical', 'service_question', 'complaint', 'consultation', 'status_check'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const STATUSES = [
  'received',
  'needs_info',
  'registered',
  'scheduled',
  'in_progress',
  'answered',
  'completed',
  'missed',
  'forwarded',
  'cancelled',
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses nothing moves a request out of: no comments, no cancel. */
export const CLOSED_STATUSES: readonly Status[] = ['answered', 'completed', 'missed', 'forwarded', 'cancelled'];

export const RELATED_KINDS = ['application', 'inn', 'payment', 'other'] as const;
export type RelatedKind = (typeof RELATED_KINDS)[number];

export type ProblemField = 'fullName' | 'snils' | 'passport' | 'phone' | 'profile';
export interface IdentityProblem {
  field: ProblemField;
  code: 'mismatch' | 'not_found';
}

/**
 * What is kept of the identity a citizen typed: folded name, keyed hashes, last digits. The hashes
 * serve verification only: routing removes them (a request absent them never verifies).
 */
export interface StoredIdentity {
  fullNameFolded: string;
  snilsHash?: string;
  snilsLast2: string;
  passportHash?: string;
  passportLast2: string;
  registrationAddress?: string;
  phone: string;
}

/** An identity as filed (and as a profile keeps it): with both hashes. */
export type HashedIdentity = StoredIdentity & { snilsHash: string; passportHash: string };

export interface WrittenDetails {
  topic: string;
  text: string;
  contactPhone?: { e164: string; extension?: string };
  attempts: { at: string; phone?: string; error?: string }[];
  desiredOutcome?: string;
}

export interface CallbackDetails {
  phone: { e164: string; extension?: string };
  description: string;
  note?: string;
  preferredWindow?: { from: string; to: string };
}

export interface Route {
  queue: string;
  line: string;
}

export interface SupportRequest {
  id: string;
  number: string;
  userId: string;
  channel: Channel;
  type: RequestType;
  status: Status;
  createdAt: string;
  updatedAt: string;
  identity: StoredIdentity;
  relatedNumber?: string;
  relatedKind?: RelatedKind;
  written?: WrittenDetails;
  callback?: CallbackDetails;
  route?: Route;
  problems?: IdentityProblem[];
  /** A written request's first 59-FZ deadline (the end of day 30 after registration, Moscow time); never moves. */
  dueBy?: string;
  /** The deadline in force once extended (once per request; functions/core/requests/deadlines.ts). */
  extendedTo?: string;
  /** The last comment's time and author (the inbox shows them). */
  lastCommentAt?: string;
  lastCommentBy?: 'citizen' | 'operator';
  answer?: { text: string; at: string; operatorId: string };
  scheduledAt?: string;
  /** The booked callback slot (freed on cancel). */
  slot?: { queue: string; start: string };
  /** Callback attempts made so far. */
  attempts?: number;
  /** The operator who took the request. */
  assignedTo?: string;
  /** The callback workflow's token while it waits for an operator's outcome. */
  taskToken?: string;
  /** For a complaint filed from a call: that call. */
  claimOf?: { callId: string; queuedAt: string; answeredAt?: string; waitSeconds: number };
  /** Attachments that are not rejected (pending or ready): the limit is checked against it. */
  attachmentCount?: number;
  /** Comments on the request, counted by the write that adds one (at most CITIZEN_LIMITS.commentsPerRequest). */
  commentCount?: number;
  /** Every attachment ever created on the request, rejected ones included (never decremented). */
  attachmentTotal?: number;
  /**
   * When the reconciler should look at this request if nothing moved it on by then (internal:
   * never shown to citizens). Absent: nothing automatic is pending.
   */
  checkAt?: string;
  /** The last workflow step that gave up after its retries (internal). */
  failure?: WorkflowFailure;
  /** How many times the reconciler resumed this request. */
  resumes?: number;
  /** Set when automation gave up: an operator must look at the request (internal). */
  attention?: { reason: string; at: string };
  /** The citizen's IANA zone, copied from the profile when it is routed (internal; absent: Moscow). */
  timeZone?: string;
}

export interface WorkflowFailure {
  workflow: string;
  step: string;
  error: string;
  at: string;
}

export interface TimelineEvent {
  at: string;
  event: string;
  detail?: string;
  /** The service's own bookkeeping (a failed step, a resume): kept in the history, not shown to the citizen. */
  internal?: true;
}

export interface RequestComment {
  id: string;
  at: string;
  author: 'citizen' | 'operator';
  text: string;
}

export interface RequestDetail {
  request: SupportRequest;
  timeline: TimelineEvent[];
  comments: RequestComment[];
  /** In creation order. */
  attachments: Attachment[];
  /**
   * The ids of the request's calls, oldest first, at most MAX_CALLS_SHOWN (callbacks/model.ts):
   * the links are read with the rest of the request, the records themselves with `calls.getCalls`.
   */
  callIds: string[];
}
