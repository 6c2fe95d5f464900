import type { CallRecord } from '#core/callbacks/model';
import type { OtpRecord } from '#core/otp/otp';
import type { TimelineEvent, Status } from '#core/requests/model';
import type { RequestExpectation, RequestOwner, RequestPatch } from './requests.ts';

/** Call records (with their transcripts), linked to their request and citizen. */
export interface CallStore {
  /**
   * Stores a call record (linked to its request and citizen, and its wait for the live estimate)
   * and, for a request's call, takes the request out of its queue and applies the patch, in one
   * transaction. Throws StaleTransitionError when the request is not in `from`. Writes across parts
   * (the request of `requests`, the queue of `slots`); it lives here, with its main entity.
   */
  putCall(call: CallRecord, request?: { from: readonly Status[]; patch: RequestPatch; event: TimelineEvent; at: string; expect?: RequestExpectation; owner?: RequestOwner }): Promise<void>;
  getCall(id: string): Promise<CallRecord | undefined>;
  /** Calls by id (a request's `callIds`), in the order given, the missing ones left out; at most MAX_CALLS_SHOWN. */
  getCalls(ids: readonly string[]): Promise<CallRecord[]>;
  listCallsByOwner(userId: string, limit: number): Promise<CallRecord[]>;
  /** A request's calls, oldest first: at most the first MAX_CALLS_SHOWN (core/callbacks/model) (a BatchGet takes 100 keys). */
  listCallsOfRequest(requestId: string): Promise<CallRecord[]>;
  /**
   * The right code for a call (`spent`, as spendOtpAttempt answered it): the code is used and the
   * call confirmed, together, once. Writes the code of `codes` too; it lives here, with its main entity.
   */
  confirmCall(callId: string, spent: OtpRecord): Promise<boolean>;
}
