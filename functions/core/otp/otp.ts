import { type DomainError, RateLimitedError, StateConflictError } from '#core/errors';
import type { Hasher } from '#ports/hasher';
import { constantTimeEqual } from './constant-time.ts';
import { CodeExpiredError, CodeInvalidError, CodeLockedError } from './errors.ts';

/**
 * One-time codes: one pure engine for call confirmation and phone change. No storage, no clock,
 * no randomness of its own: the caller loads the record for (purpose, subject), passes the time
 * and a fresh code from an OtpRandom, and stores the record a decision returns.
 *
 * Rules (CONTRACT.md, Citizen → confirmation, profile phone):
 * - 6 digits; stored only as `hasher.keyed('otp', 'purpose:subject:code')`, so a code is bound to
 *   what it confirms and to whom: a code for call A never confirms call B, nor a phone change;
 * - valid 5 minutes (`expiresAt`), checked on every read: DynamoDB TTL deletes late;
 * - single use; hashes compared in constant time;
 * - 5 tries per code, each spent by an atomic conditional write before the guess is compared (so
 *   20 guesses at once spend 5 tries, as 20 one by one do): the 1st..5th wrong guess is
 *   `code_invalid` (attemptsLeft 4..0),
 *   after that the code is locked (`code_locked`, 429) until a new one is sent;
 * - a send no sooner than 60 s after the previous one, at most 5 sends per subject in any
 *   rolling hour (429 with Retry-After); each send replaces (kills) the previous code.
 * Guessing is thus bounded by 5 sends × 5 attempts = 25 guesses per subject per hour, a chance
 * of 25 in 1,000,000.
 */

export type OtpPurpose = 'call-confirmation' | 'phone-change';

export const OTP_PURPOSES: readonly OtpPurpose[] = ['call-confirmation', 'phone-change'];

export const OTP_POLICY = {
  /** How long a code works, from its sending. */
  ttlSeconds: 300,
  /** Wrong guesses allowed per code. */
  maxAttempts: 5,
  /** Minimum gap between two sends for one subject. */
  resendCooldownSeconds: 60,
  /** At most this many sends for one subject… */
  maxSendsPerWindow: 5,
  /** …in any rolling window of this length. */
  sendWindowSeconds: 3600,
} as const;

/** The stored code for one (purpose, subject): at most one live code each. */
export interface OtpRecord {
  purpose: OtpPurpose;
  /** What the code confirms: the call id for call-confirmation, the user id for phone-change. */
  subject: string;
  /** hex HMAC of `purpose:subject:code` under the 'otp' purpose key. Never the code itself. */
  codeHash: string;
  issuedAt: string;
  /** issuedAt + 5 minutes. The code works while now ≤ expiresAt. */
  expiresAt: string;
  /** Wrong guesses still allowed; 0 = locked. */
  attemptsLeft: number;
  used: boolean;
  /** ISO times of the sends in the last hour (this one included), oldest first: the hourly cap. */
  sendTimes: string[];
  /** Where the code went or what it will change to: the new phone (E.164) of a phone change. */
  target?: string;
}

/** What the client may see after a send: no code, no hash. */
export interface OtpSendResponse {
  expiresAt: string;
  /** The earliest moment another send will be accepted (cooldown, or the hourly cap). */
  resendAvailableAt: string;
}

export type IssueDecision =
  /** Store `record` (replacing any previous one: that kills the old code), send the code, answer 202 `response`. */
  | { kind: 'issued'; record: OtpRecord; response: OtpSendResponse }
  /** Nothing stored, nothing sent: throw `error` (429 with Retry-After). */
  | { kind: 'rate_limited'; retryAfterSeconds: number; error: RateLimitedError };

export type VerifyDecision =
  /** The code is right: store `record` (now `used`) with the action, conditionally on the code being unused. */
  | { kind: 'ok'; record: OtpRecord }
  /** Wrong code (its try already spent): 400 `code_invalid` with the tries left. */
  | { kind: 'invalid'; attemptsLeft: number; record: OtpRecord }
  /** 5 wrong codes already: nothing to store; 429 `code_locked`, Retry-After until a new code may be sent. */
  | { kind: 'locked'; retryAfterSeconds: number }
  /** Older than 5 minutes, whatever the guess: nothing to store; 410 `code_expired`. */
  | { kind: 'expired' }
  /** The code was already used once: nothing to store; 409 `code_used`. */
  | { kind: 'used' }
  /** No code was sent for this purpose and subject (or the record is another's): 409 `code_not_requested`. */
  | { kind: 'not_requested' };

export type VerifyFailure = Exclude<VerifyDecision, { kind: 'ok' }>;

const SIX_DIGITS = /^\d{6}$/;
const SECOND_MS = 1000;

/** The keyed hash of a code, bound to its purpose and subject. */
export function hashCode(hasher: Hasher, purpose: OtpPurpose, subject: string, code: string): Promise<string> {
  // purpose has no ':' and the code is exactly six digits, so the string maps back to one triple.
  return hasher.keyed('otp', `${purpose}:${subject}:${code}`);
}

function ms(iso: string): number {
  return Date.parse(iso);
}

function ceilSeconds(durationMs: number): number {
  return Math.max(0, Math.ceil(durationMs / SECOND_MS));
}

/**
 * Sends of `record` still inside the rolling window at `nowMs`, oldest first: `sendTimes` plus
 * `issuedAt` (in case a record lost its history), unreadable times dropped. A send leaves the
 * window exactly one hour after it was made.
 */
function sendsInWindow(record: OtpRecord | undefined, nowMs: number): number[] {
  if (!record) return [];
  const windowMs = OTP_POLICY.sendWindowSeconds * SECOND_MS;
  const times = new Set([...record.sendTimes, record.issuedAt].map(ms));
  return [...times].filter((t) => Number.isFinite(t) && nowMs - t < windowMs).sort((a, b) => a - b);
}

/**
 * The earliest time (epoch ms) at which a send is allowed, given the sends so far (oldest first):
 * 60 s after the last one, and once fewer than 5 of them remain in the rolling hour.
 */
function nextSendAllowedMs(sends: readonly number[]): number {
  const last = sends[sends.length - 1];
  let at = last === undefined ? Number.NEGATIVE_INFINITY : last + OTP_POLICY.resendCooldownSeconds * SECOND_MS;
  if (sends.length >= OTP_POLICY.maxSendsPerWindow) {
    // The window must lose all but maxSends-1 of them: the one at index len-max leaves last.
    const pivot = sends[sends.length - OTP_POLICY.maxSendsPerWindow] as number;
    at = Math.max(at, pivot + OTP_POLICY.sendWindowSeconds * SECOND_MS);
  }
  return at;
}

function assertSubject(purpose: OtpPurpose, subject: string): void {
  if (!OTP_PURPOSES.includes(purpose)) throw new TypeError(`otp: unknown purpose ${String(purpose)}`);
  if (typeof subject !== 'string' || subject.length === 0) throw new TypeError('otp: empty subject');
}

/**
 * Issue (send or resend) a code for (purpose, subject). `prev` is the stored record for the same
 * purpose and subject, if any; `code` comes from an OtpRandom. On `issued` the caller stores the
 * record in place of `prev` (so the previous code is dead) and sends `code` by SMS; the
 * `response` is all the client sees.
 */
export async function issueCode(
  prev: OtpRecord | undefined,
  now: Date,
  code: string,
  hasher: Hasher,
  purpose: OtpPurpose,
  subject: string,
  target?: string,
): Promise<IssueDecision> {
  assertSubject(purpose, subject);
  if (!SIX_DIGITS.test(code)) throw new TypeError('otp: the random source must give exactly six digits');
  if (prev && (prev.purpose !== purpose || prev.subject !== subject)) {
    throw new TypeError('otp: the previous record belongs to another purpose or subject');
  }
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('otp: invalid now');

  const sends = sendsInWindow(prev, nowMs);
  const allowedAt = nextSendAllowedMs(sends);
  if (nowMs < allowedAt) {
    const retryAfterSeconds = Math.max(1, ceilSeconds(allowedAt - nowMs));
    const capped = sends.length >= OTP_POLICY.maxSendsPerWindow;
    const error = capped
      ? new RateLimitedError(retryAfterSeconds, 'code_send_limit', `At most ${OTP_POLICY.maxSendsPerWindow} codes per hour; try again later.`)
      : new RateLimitedError(retryAfterSeconds, 'code_resend_too_soon', 'A new code can be requested once a minute; try again later.');
    return { kind: 'rate_limited', retryAfterSeconds, error };
  }

  const sendTimes = [...sends, nowMs];
  const issuedAt = now.toISOString();
  const expiresAt = new Date(nowMs + OTP_POLICY.ttlSeconds * SECOND_MS).toISOString();
  const record: OtpRecord = {
    purpose,
    subject,
    codeHash: await hashCode(hasher, purpose, subject, code),
    issuedAt,
    expiresAt,
    attemptsLeft: OTP_POLICY.maxAttempts,
    used: false,
    sendTimes: sendTimes.map((t) => new Date(t).toISOString()),
    ...(target === undefined ? {} : { target }),
  };
  const response: OtpSendResponse = { expiresAt, resendAvailableAt: new Date(nextSendAllowedMs(sendTimes)).toISOString() };
  return { kind: 'issued', record, response };
}

/**
 * Why no try can be spent on `record` for the caller's own (purpose, subject), given as `expected`
 * from the request context (not taken from the record), or undefined when one can. It depends on
 * the stored state and the time only, never on a guess: every answer for a missing, used, locked
 * or expired code is the same whatever code was sent (no oracle).
 *
 * Order: absent (or another's) → used → locked → expired. The DynamoDB adapter's spend condition
 * (`spendOtpAttempt`) is the same test, made atomically.
 */
export function refusal(record: OtpRecord | undefined, now: Date, expected: { purpose: OtpPurpose; subject: string }): VerifyFailure | undefined {
  assertSubject(expected.purpose, expected.subject);
  if (!record || record.purpose !== expected.purpose || record.subject !== expected.subject) return { kind: 'not_requested' };
  if (record.used) return { kind: 'used' };
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('otp: invalid now');
  if (!(record.attemptsLeft > 0)) {
    const allowedAt = nextSendAllowedMs(sendsInWindow(record, nowMs));
    return { kind: 'locked', retryAfterSeconds: Math.max(1, ceilSeconds(allowedAt - nowMs)) };
  }
  const expiresMs = ms(record.expiresAt);
  // Fail closed: an unreadable expiry is an expired code.
  if (!Number.isFinite(expiresMs) || nowMs > expiresMs) return { kind: 'expired' };
  return undefined;
}

/**
 * Judges a guess on a try already spent: `spent` is the record as the atomic spend left it (its
 * `attemptsLeft` already one fewer). A right guess is `ok` (the record to store as used); a wrong
 * or malformed one (not six digits: the HTTP schema stops it earlier) is `invalid` with the tries
 * left. Hashes are compared in constant time, for the caller's own purpose and subject.
 */
export async function judgeTry(spent: OtpRecord, code: string, hasher: Hasher, expected: { purpose: OtpPurpose; subject: string }): Promise<VerifyDecision> {
  if (spent.purpose !== expected.purpose || spent.subject !== expected.subject) return { kind: 'not_requested' };
  const guess = typeof code === 'string' && SIX_DIGITS.test(code) ? code : '';
  const guessHash = await hashCode(hasher, expected.purpose, expected.subject, guess);
  if (guess !== '' && constantTimeEqual(guessHash, spent.codeHash)) return { kind: 'ok', record: { ...spent, used: true } };
  const attemptsLeft = Math.max(0, Math.min(spent.attemptsLeft, OTP_POLICY.maxAttempts - 1));
  return { kind: 'invalid', attemptsLeft, record: { ...spent, attemptsLeft } };
}

/**
 * Check a guess against a stored record in one step (refusal, then the try spent and judged): the
 * pure model of what checkCode does with the store, where the spend is an atomic conditional
 * write that comes before the comparison, so parallel guesses can never share a try.
 */
export async function verifyCode(
  record: OtpRecord | undefined,
  code: string,
  now: Date,
  hasher: Hasher,
  expected: { purpose: OtpPurpose; subject: string },
): Promise<VerifyDecision> {
  const refused = refusal(record, now, expected);
  if (refused || !record) return refused ?? { kind: 'not_requested' };
  return judgeTry({ ...record, attemptsLeft: record.attemptsLeft - 1 }, code, hasher, expected);
}

/** The domain error to throw for a failed verification (after storing `invalid`'s record). */
export function verifyError(decision: VerifyFailure): DomainError {
  switch (decision.kind) {
    case 'invalid':
      return new CodeInvalidError(decision.attemptsLeft);
    case 'locked':
      return new CodeLockedError(decision.retryAfterSeconds);
    case 'expired':
      return new CodeExpiredError();
    case 'used':
      return new StateConflictError('code_used', 'This code has already been used: request a new code.');
    case 'not_requested':
      return new StateConflictError('code_not_requested', 'No code was requested for this; request one first.');
  }
}

/**
 * How long the record must be kept (for the DynamoDB TTL attribute): until the code expires AND
 * the last send has left the hourly window. A TTL at `expiresAt` alone would delete the send
 * history after 5 minutes and reset the hourly cap. Reads still check `expiresAt` themselves.
 */
export function otpRetainUntil(record: OtpRecord): string {
  const lastSend = Math.max(...record.sendTimes.map(ms).filter(Number.isFinite), ms(record.issuedAt));
  const until = Math.max(ms(record.expiresAt), lastSend + OTP_POLICY.sendWindowSeconds * SECOND_MS);
  return new Date(until).toISOString();
}
