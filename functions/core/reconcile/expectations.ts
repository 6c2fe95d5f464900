/**
 * How long each automatic step may take before the reconciler looks at a request. A request
 * carries `checkAt` only while automation owes it something; every step that moves it on sets
 * the next expectation or clears it, in the same write as the status change.
 */

/** Intake verifies and routes in seconds; five minutes covers every retry of its steps. */
export const INTAKE_GRACE_MS = 5 * 60_000;
/**
 * A booked callback's workflow waits for the slot, then for an operator's outcome, at most the
 * AwaitOutcome timeout of statemachines/callback.asl.json (2 hours, a test holds the two together),
 * then books the next attempt, which moves `checkAt` on. Fifteen more minutes for that step.
 */
export const AWAIT_OUTCOME_TIMEOUT_MS = 2 * 60 * 60_000;
export const CALLBACK_GRACE_MS = AWAIT_OUTCOME_TIMEOUT_MS + 15 * 60_000;
/** After a notice is resent, when to look whether it went out. */
export const NOTICE_RECHECK_MS = 10 * 60_000;
/** Resumes before the reconciler stops trying and hands the request to an operator. */
export const MAX_RESUMES = 3;

export function intakeCheckAt(now: Date): string {
  return new Date(now.getTime() + INTAKE_GRACE_MS).toISOString();
}

export function callbackCheckAt(scheduledAt: string): string {
  return new Date(Date.parse(scheduledAt) + CALLBACK_GRACE_MS).toISOString();
}
