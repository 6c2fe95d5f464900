import { RateLimitedError, StateConflictError } from '../errors.ts';
import type { Status } from '../requests/model.ts';

/**
 * Per-citizen limits (CONTRACT "Limits and trust"): the numbers, and the pure decisions on them.
 * The counts themselves live in the table, each guarded by a condition in the same transaction as
 * the write it limits (functions/adapters/dynamodb/limit-items.ts); nothing here counts in memory.
 */
export const CITIZEN_LIMITS = {
  /** Callback requests in an open status at once. */
  openCallbacks: 3,
  /** New requests (both channels, claims too) in any 24 hours. */
  newRequests: { max: 10, windowSeconds: 24 * 3600 },
  /** Comments on one request, ever. */
  commentsPerRequest: 100,
  /** Comments by one citizen in any hour. */
  comments: { max: 20, windowSeconds: 3600 },
} as const;

/** A callback in one of these holds one of the citizen's open-callback places. */
export const OPEN_CALLBACK_STATUSES: readonly Status[] = ['received', 'scheduled', 'in_progress'];

/** Whether a status change makes a callback give its open place back. */
export function leavesOpenCallbacks(channel: string, to: Status | undefined): boolean {
  return channel === 'callback' && to !== undefined && !OPEN_CALLBACK_STATUSES.includes(to);
}

export interface WindowRule {
  max: number;
  windowSeconds: number;
}

/** A sliding-window counter as read from the table: the times still counted, and its version (0: no item). */
export interface WindowState {
  times: readonly string[];
  version: number;
}

export type WindowDecision =
  /** Store `times` (the counted ones plus now) as version+1, conditional on the version read. */
  | { kind: 'admit'; times: string[]; retainUntil: string }
  /** The window is full: 429 `rate_limited`, Retry-After until its oldest entry leaves. */
  | { kind: 'full'; retryAfterSeconds: number };

/**
 * One more event at `now` under a sliding window of `rule`: every entry younger than the window
 * counts (an entry made at t stops counting at t + window), so the stored list never holds more
 * than `max` times and needs no buckets to be exact. Unreadable times are dropped (they count
 * nothing), entries from a clock slightly ahead still count.
 */
export function admitToWindow(state: WindowState, now: Date, rule: WindowRule): WindowDecision {
  const nowMs = now.getTime();
  const windowMs = rule.windowSeconds * 1000;
  const counted = state.times
    .map((t) => Date.parse(t))
    .filter((t) => Number.isFinite(t) && nowMs - t < windowMs)
    .sort((a, b) => a - b);
  if (counted.length >= rule.max) {
    // The window must lose all but max-1 of them: the entry at index len-max leaves last. A
    // parallel write that took its time a moment after this one's `now` can be the oldest that
    // counts; Retry-After still never exceeds the window itself.
    const leaves = (counted[counted.length - rule.max] as number) + windowMs;
    return { kind: 'full', retryAfterSeconds: Math.min(rule.windowSeconds, Math.max(1, Math.ceil((leaves - nowMs) / 1000))) };
  }
  const times = [...counted, nowMs].sort((a, b) => a - b).map((t) => new Date(t).toISOString());
  const newest = Math.max(...counted, nowMs);
  return { kind: 'admit', times, retainUntil: new Date(newest + windowMs).toISOString() };
}

/** What a limited write needs to carry to the store: the window to store, conditional on what was read. */
export interface WindowGuard {
  userId: string;
  times: string[];
  version: number;
  retainUntil: string;
}

export function newRequestsLimited(retryAfterSeconds: number): RateLimitedError {
  return new RateLimitedError(
    retryAfterSeconds,
    'rate_limited',
    `At most ${CITIZEN_LIMITS.newRequests.max} new requests in 24 hours; try again after Retry-After seconds.`,
  );
}

export function commentsLimited(retryAfterSeconds: number): RateLimitedError {
  return new RateLimitedError(retryAfterSeconds, 'rate_limited', `At most ${CITIZEN_LIMITS.comments.max} comments an hour; try again after Retry-After seconds.`);
}

export function tooManyOpenCallbacks(): StateConflictError {
  return new StateConflictError(
    'too_many_open_callbacks',
    `At most ${CITIZEN_LIMITS.openCallbacks} callback requests may be open at once: wait for one to finish, or cancel one.`,
  );
}

export function tooManyComments(): StateConflictError {
  return new StateConflictError('too_many_comments', `A request takes at most ${CITIZEN_LIMITS.commentsPerRequest} comments.`);
}

export function phoneInUse(): StateConflictError {
  return new StateConflictError('phone_in_use', 'This phone number belongs to another profile.');
}

/**
 * How many times a limited write is tried again when its window changed between the read and the
 * write (another write of the same citizen won). Each round one writer wins, so 20 parallel posts
 * settle in at most max+1 rounds; past this the answer is 429 with Retry-After 1.
 */
export const WINDOW_ROUNDS = 32;

export function windowContended(): RateLimitedError {
  return new RateLimitedError(1, 'rate_limited', 'Too many requests at the same moment; try again in a second.');
}

/**
 * Runs a limited write under one of the citizen's windows: reads the window, refuses with `full`
 * when it has no room, else hands the guard to `write`, which answers `'window_changed'` when its
 * conditional write found another version (another write of the citizen won): then it all starts
 * again, at most WINDOW_ROUNDS times: from the window the refused write found (a `WindowChanged`
 * that carries it, which `read` gets as `known`) or from a fresh read. The window the refused
 * write found is as good as one read after it: its times only grow, and the next conditional write
 * checks the version again.
 */
export class WindowChanged {
  constructor(readonly current?: WindowState) {}
}

export async function underWindow<T>(
  read: (known?: WindowState) => Promise<WindowState>,
  userId: string,
  now: Date,
  rule: WindowRule,
  full: (retryAfterSeconds: number) => Error,
  write: (guard: WindowGuard) => Promise<T | 'window_changed' | WindowChanged>,
): Promise<T> {
  let known: WindowState | undefined;
  for (let round = 1; round <= WINDOW_ROUNDS; round += 1) {
    const state = await read(known);
    const decision = admitToWindow(state, now, rule);
    if (decision.kind === 'full') throw full(decision.retryAfterSeconds);
    const outcome = await write({ userId, times: decision.times, version: state.version, retainUntil: decision.retainUntil });
    if (outcome instanceof WindowChanged) known = outcome.current;
    else if (outcome === 'window_changed') known = undefined;
    else return outcome;
  }
  throw windowContended();
}
