/** Call records and the operator queue, as the contract names them. */
export const CALL_OUTCOMES = ['answered', 'no_answer', 'busy', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export type CallDirection = 'outbound' | 'inbound';

export interface TranscriptLine {
  at: string;
  speaker: 'operator' | 'citizen';
  text: string;
}

export interface CallRecord {
  id: string;
  /** The citizen it belongs to: the request's owner, or the profile matched by phone (inbound). */
  userId?: string;
  requestId?: string;
  queue?: string;
  direction: CallDirection;
  phone: string;
  operatorId: string;
  queuedAt: string;
  answeredAt?: string;
  endedAt: string;
  waitSeconds: number;
  durationSeconds: number;
  outcome: CallOutcome;
  transcript: TranscriptLine[];
  confirmed: boolean;
  /** The complaint filed about this call's wait, once. */
  claimRequestId?: string;
}

/** What an operator needs to call a citizen back, kept on the queue entry. */
export interface QueueEntry {
  requestId: string;
  number: string;
  queue: string;
  type: string;
  dueAt: string;
  createdAt: string;
  attempt: number;
  phone: string;
  extension?: string;
  description: string;
  note?: string;
  questions: string[];
}

/** A booked place: the slot counter of a queue at a start time. */
export interface SlotRef {
  queue: string;
  start: string;
}

/**
 * The calls a request's detail lists, oldest first: a callback makes at most MAX_ATTEMPTS, so only
 * inbound calls linked to it could pass this; it bounds the detail (and one BatchGet of 100 keys).
 */
export const MAX_CALLS_SHOWN = 100;

export const MAX_ATTEMPTS = 3;
export const CLAIM_WAIT_SECONDS = 600;
