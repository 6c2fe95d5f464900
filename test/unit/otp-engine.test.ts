import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacHasher } from '#adapters/system';
import { RateLimitedError, StateConflictError } from '#core/errors';
import { constantTimeEqual } from '#core/otp/constant-time';
import { CodeExpiredError, CodeInvalidError, CodeLockedError } from '#core/otp/errors';
import {
  type IssueDecision,
  OTP_POLICY,
  type OtpPurpose,
  type OtpRecord,
  type VerifyDecision,
  issueCode,
  otpRetainUntil,
  verifyCode,
  verifyError,
} from '#core/otp/otp';
import type { OtpRandom } from '#core/otp/random';
import { problemFor } from '#http/problem';

const hasher = hmacHasher(async () => 'unit-test-otp-hash-key-0123456789abcdef');
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const SEC = 1000;
const MIN = 60 * SEC;

interface Ctx {
  purpose: OtpPurpose;
  subject: string;
}
const CALL_A: Ctx = { purpose: 'call-confirmation', subject: 'call-A' };
const CALL_B: Ctx = { purpose: 'call-confirmation', subject: 'call-B' };

/** A scripted random source: the engine never draws randomness itself. */
function scripted(...codes: string[]): OtpRandom {
  return {
    sixDigits: () => {
      const next = codes.shift();
      if (next === undefined) throw new Error('scripted random source exhausted');
      return next;
    },
  };
}

function issued(decision: IssueDecision): Extract<IssueDecision, { kind: 'issued' }> {
  if (decision.kind !== 'issued') throw new Error(`expected issued, got ${decision.kind} (${decision.error.code})`);
  return decision;
}

function limited(decision: IssueDecision): Extract<IssueDecision, { kind: 'rate_limited' }> {
  if (decision.kind !== 'rate_limited') throw new Error(`expected rate_limited, got ${decision.kind}`);
  return decision;
}

async function send(prev: OtpRecord | undefined, when: Date, code: string, ctx: Ctx = CALL_A, target?: string): Promise<OtpRecord> {
  return issued(await issueCode(prev, when, code, hasher, ctx.purpose, ctx.subject, target)).record;
}

function stored(decision: VerifyDecision, before: OtpRecord): OtpRecord {
  return decision.kind === 'ok' || decision.kind === 'invalid' ? decision.record : before;
}

describe('issuing a code', () => {
  it('stores only a keyed hash bound to purpose and subject, valid 5 minutes, 5 attempts', async () => {
    const random = scripted('042917');
    const code = random.sixDigits();
    const d = issued(await issueCode(undefined, at(0), code, hasher, 'call-confirmation', 'call-A'));
    expect(d.record).toEqual({
      purpose: 'call-confirmation',
      subject: 'call-A',
      codeHash: await hasher.keyed('otp', `call-confirmation:call-A:${code}`),
      issuedAt: '2026-03-02T09:00:00.000Z',
      expiresAt: '2026-03-02T09:05:00.000Z',
      attemptsLeft: 5,
      used: false,
      sendTimes: ['2026-03-02T09:00:00.000Z'],
    });
    expect(d.record.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(d.record)).not.toContain(code);
    expect(d.response).toEqual({ expiresAt: '2026-03-02T09:05:00.000Z', resendAvailableAt: '2026-03-02T09:01:00.000Z' });
  });

  it('the client-facing response carries neither the code nor its hash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 999_999 }), async (n) => {
        const code = String(n).padStart(6, '0');
        const d = issued(await issueCode(undefined, at(0), code, hasher, 'phone-change', 'user-1', '+79123456789'));
        expect(Object.keys(d.response).sort()).toEqual(['expiresAt', 'resendAvailableAt']);
        const json = JSON.stringify(d.response);
        expect(json).not.toContain(code);
        expect(json).not.toContain(d.record.codeHash);
        expect(d.record.target).toBe('+79123456789');
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a code that is not exactly six digits (a broken random source is a bug, not a code)', async () => {
    for (const bad of ['12345', '1234567', '12345a', '', ' 123456']) {
      await expect(issueCode(undefined, at(0), bad, hasher, 'call-confirmation', 'call-A')).rejects.toThrow(TypeError);
    }
  });

  it('refuses a previous record of another purpose or subject', async () => {
    const a = await send(undefined, at(0), '111111');
    await expect(issueCode(a, at(2 * MIN), '222222', hasher, 'call-confirmation', 'call-B')).rejects.toThrow(TypeError);
    await expect(issueCode(a, at(2 * MIN), '222222', hasher, 'phone-change', 'call-A')).rejects.toThrow(TypeError);
  });
});

describe('verifying a code', () => {
  it('accepts the right code once and marks it used; a replay is refused (409 code_used)', async () => {
    const rec = await send(undefined, at(0), '123456');
    const first = await verifyCode(rec, '123456', at(30 * SEC), hasher, CALL_A);
    // The right code's try is spent too (spent before any comparison).
    expect(first).toEqual({ kind: 'ok', record: { ...rec, attemptsLeft: 4, used: true } });
    const afterUse = stored(first, rec);

    const replay = await verifyCode(afterUse, '123456', at(31 * SEC), hasher, CALL_A);
    expect(replay).toEqual({ kind: 'used' });
    const error = verifyError(replay as Exclude<VerifyDecision, { kind: 'ok' }>);
    expect(error).toBeInstanceOf(StateConflictError);
    expect(error.code).toBe('code_used');
  });

  it('brute force: 5 wrong codes lock it, the right one is refused after that, a newly issued code works', async () => {
    let rec = await send(undefined, at(0), '123456');
    const seen: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const d = await verifyCode(rec, String(900_000 + i), at(10 * SEC + i), hasher, CALL_A);
      expect(d.kind).toBe('invalid');
      if (d.kind !== 'invalid') return;
      seen.push(d.attemptsLeft);
      expect(d.record.attemptsLeft).toBe(d.attemptsLeft);
      const error = verifyError(d);
      expect(error).toBeInstanceOf(CodeInvalidError);
      expect(error.code).toBe('code_invalid');
      expect(error.extra).toEqual({ attemptsLeft: d.attemptsLeft });
      rec = d.record;
    }
    expect(seen).toEqual([4, 3, 2, 1, 0]);

    // The right code no longer works; the answer is 429 code_locked until a new code may be sent.
    const locked = await verifyCode(rec, '123456', at(20 * SEC), hasher, CALL_A);
    expect(locked).toEqual({ kind: 'locked', retryAfterSeconds: 40 });
    const error = verifyError(locked as Exclude<VerifyDecision, { kind: 'ok' }>);
    expect(error).toBeInstanceOf(CodeLockedError);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.code).toBe('code_locked');
    expect((error as RateLimitedError).retryAfterSeconds).toBe(40);
    // Still locked later, even after expiry would have set in: a guess never reaches the hash.
    expect((await verifyCode(rec, '123456', at(2 * MIN), hasher, CALL_A)).kind).toBe('locked');

    // Resending is subject to the cooldown, then gives a fresh code with fresh attempts.
    expect(limited(await issueCode(rec, at(30 * SEC), '654321', hasher, CALL_A.purpose, CALL_A.subject)).retryAfterSeconds).toBe(30);
    const fresh = await send(rec, at(60 * SEC), '654321');
    expect(fresh.attemptsLeft).toBe(5);
    expect((await verifyCode(fresh, '123456', at(61 * SEC), hasher, CALL_A)).kind).toBe('invalid');
    expect((await verifyCode(fresh, '654321', at(61 * SEC), hasher, CALL_A)).kind).toBe('ok');
  });

  it('a locked code says when a new one may be sent (the hourly cap counts too)', async () => {
    let rec: OtpRecord | undefined;
    for (let i = 0; i < 5; i += 1) rec = await send(rec, at(i * MIN), '123456');
    rec = { ...(rec as OtpRecord), attemptsLeft: 0 };
    // The 5th send was at 4 min: the next is allowed when the 1st leaves the hour (60 min).
    expect(await verifyCode(rec, '123456', at(4 * MIN + 10 * SEC), hasher, CALL_A)).toEqual({
      kind: 'locked',
      retryAfterSeconds: 3600 - 4 * 60 - 10,
    });
  });

  it('binding: a code for call A fails for call B and for a phone change of the same subject', async () => {
    const a = await send(undefined, at(0), '111111', CALL_A);
    const b = await send(undefined, at(0), '222222', CALL_B);
    // A's code against B's own record: wrong code.
    expect((await verifyCode(b, '111111', at(SEC), hasher, CALL_B)).kind).toBe('invalid');
    // A's record handed in for B (a key mix-up): refused without touching any attempt.
    expect(await verifyCode(a, '111111', at(SEC), hasher, CALL_B)).toEqual({ kind: 'not_requested' });
    expect(await verifyCode(a, '111111', at(SEC), hasher, { purpose: 'phone-change', subject: 'call-A' })).toEqual({
      kind: 'not_requested',
    });
    // Even a record relabelled to B or to a phone change (its hash copied) does not take A's code:
    // the hash binds purpose and subject.
    expect((await verifyCode({ ...a, subject: 'call-B' }, '111111', at(SEC), hasher, CALL_B)).kind).toBe('invalid');
    const asPhone = { ...a, purpose: 'phone-change' as const };
    expect((await verifyCode(asPhone, '111111', at(SEC), hasher, { purpose: 'phone-change', subject: 'call-A' })).kind).toBe(
      'invalid',
    );
    // And the same code value, issued for a phone change of the same subject, hashes differently.
    const phone = await send(undefined, at(0), '111111', { purpose: 'phone-change', subject: 'call-A' });
    expect(phone.codeHash).not.toBe(a.codeHash);
    expect((await verifyCode(a, '111111', at(SEC), hasher, CALL_A)).kind).toBe('ok');
  });

  it('expiry with a fixed clock: works at 5 min, refused at 5 min + 1 ms though the record still exists', async () => {
    const rec = await send(undefined, at(0), '123456');
    expect((await verifyCode(rec, '123456', at(5 * MIN), hasher, CALL_A)).kind).toBe('ok');
    const late = await verifyCode(rec, '123456', at(5 * MIN + 1), hasher, CALL_A);
    expect(late).toEqual({ kind: 'expired' });
    const error = verifyError(late as Exclude<VerifyDecision, { kind: 'ok' }>);
    expect(error).toBeInstanceOf(CodeExpiredError);
    expect(error.code).toBe('code_expired');
    // A wrong guess after expiry is also just expired: no attempt is spent, nothing to store.
    expect(await verifyCode(rec, '000000', at(6 * MIN), hasher, CALL_A)).toEqual({ kind: 'expired' });
    // An unreadable expiry fails closed.
    expect(await verifyCode({ ...rec, expiresAt: 'soon' }, '123456', at(SEC), hasher, CALL_A)).toEqual({ kind: 'expired' });
  });

  it('no code requested → 409 code_not_requested', async () => {
    const d = await verifyCode(undefined, '123456', at(0), hasher, CALL_A);
    expect(d).toEqual({ kind: 'not_requested' });
    const error = verifyError(d as Exclude<VerifyDecision, { kind: 'ok' }>);
    expect(error).toBeInstanceOf(StateConflictError);
    expect(error.code).toBe('code_not_requested');
  });

  it('a malformed guess counts as a wrong code (the schema should stop it earlier)', async () => {
    const rec = await send(undefined, at(0), '123456');
    for (const bad of ['', '12345', '1234567', ' 123456', '12345６', '123456\n']) {
      const d = await verifyCode(rec, bad, at(SEC), hasher, CALL_A);
      expect(d).toMatchObject({ kind: 'invalid', attemptsLeft: 4 });
    }
  });

  it('any wrong six-digit guess is invalid, the right one ok', async () => {
    const rec = await send(undefined, at(0), '507311');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 999_999 }), async (n) => {
        const guess = String(n).padStart(6, '0');
        const d = await verifyCode(rec, guess, at(SEC), hasher, CALL_A);
        expect(d.kind).toBe(guess === '507311' ? 'ok' : 'invalid');
      }),
      { numRuns: 200 },
    );
  });

  it('no error meant for the client carries the code or its hash', async () => {
    const rec = await send(undefined, at(0), '123456');
    const decisions = [
      await verifyCode(rec, '999999', at(SEC), hasher, CALL_A),
      await verifyCode({ ...rec, attemptsLeft: 0 }, '123456', at(SEC), hasher, CALL_A),
      await verifyCode(rec, '123456', at(10 * MIN), hasher, CALL_A),
      await verifyCode({ ...rec, used: true }, '123456', at(SEC), hasher, CALL_A),
      await verifyCode(undefined, '123456', at(SEC), hasher, CALL_A),
    ];
    for (const d of decisions) {
      if (d.kind === 'ok') throw new Error('unexpected ok');
      const e = verifyError(d);
      const json = JSON.stringify({ message: e.message, code: e.code, extra: e.extra, name: e.name });
      expect(json).not.toContain('123456');
      expect(json).not.toContain(rec.codeHash);
    }
  });
});

describe('sending again', () => {
  it('each resend kills the previous code', async () => {
    const first = await send(undefined, at(0), '111111');
    const second = await send(first, at(MIN), '222222');
    expect((await verifyCode(second, '111111', at(MIN + SEC), hasher, CALL_A)).kind).toBe('invalid');
    expect((await verifyCode(second, '222222', at(MIN + 2 * SEC), hasher, CALL_A)).kind).toBe('ok');
    expect(second.sendTimes).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T09:01:00.000Z']);
    expect(second.attemptsLeft).toBe(5);
    expect(second.used).toBe(false);
  });

  it('a resend resets attempts and single use, and is allowed after a successful use too', async () => {
    const first = await send(undefined, at(0), '111111');
    const used = stored(await verifyCode(first, '111111', at(SEC), hasher, CALL_A), first);
    expect(used.used).toBe(true);
    const again = await send(used, at(MIN), '333333');
    expect((await verifyCode(again, '333333', at(MIN + SEC), hasher, CALL_A)).kind).toBe('ok');
  });

  it('cooldown: before 60 s → 429 with Retry-After = the seconds remaining (rounded up)', async () => {
    const first = await send(undefined, at(0), '111111');
    const cases: [number, number][] = [
      [0, 60],
      [1, 60],
      [20 * SEC, 40],
      [59 * SEC, 1],
      [59 * SEC + 999, 1],
    ];
    for (const [offset, retry] of cases) {
      const d = limited(await issueCode(first, at(offset), '222222', hasher, CALL_A.purpose, CALL_A.subject));
      expect(d.retryAfterSeconds).toBe(retry);
      expect(d.error).toBeInstanceOf(RateLimitedError);
      expect(d.error.retryAfterSeconds).toBe(retry);
      expect(d.error.code).toBe('code_resend_too_soon');
      const p = problemFor(d.error);
      expect(p?.problem.status).toBe(429);
      expect(p?.headers['Retry-After']).toBe(String(retry));
    }
    expect(issued(await issueCode(first, at(60 * SEC), '222222', hasher, CALL_A.purpose, CALL_A.subject)).record.sendTimes).toHaveLength(2);
  });

  it('hourly cap: the 6th send within an hour is refused, allowed again when the oldest leaves the window', async () => {
    let rec: OtpRecord | undefined;
    const responses = [];
    for (let i = 0; i < 5; i += 1) {
      const d = issued(await issueCode(rec, at(i * MIN), '12345' + i, hasher, CALL_A.purpose, CALL_A.subject));
      rec = d.record;
      responses.push(d.response.resendAvailableAt);
    }
    // The first four promise the cooldown; the fifth, honestly, the end of the hour of the first.
    expect(responses).toEqual([
      '2026-03-02T09:01:00.000Z',
      '2026-03-02T09:02:00.000Z',
      '2026-03-02T09:03:00.000Z',
      '2026-03-02T09:04:00.000Z',
      '2026-03-02T10:00:00.000Z',
    ]);
    const fifth = rec as OtpRecord;

    const sixth = limited(await issueCode(fifth, at(5 * MIN), '999999', hasher, CALL_A.purpose, CALL_A.subject));
    expect(sixth.error.code).toBe('code_send_limit');
    expect(sixth.retryAfterSeconds).toBe(55 * 60);
    expect(limited(await issueCode(fifth, at(60 * MIN - 1), '999999', hasher, CALL_A.purpose, CALL_A.subject)).retryAfterSeconds).toBe(1);

    const d = issued(await issueCode(fifth, at(60 * MIN), '999999', hasher, CALL_A.purpose, CALL_A.subject));
    expect(d.record.sendTimes).toEqual([
      '2026-03-02T09:01:00.000Z',
      '2026-03-02T09:02:00.000Z',
      '2026-03-02T09:03:00.000Z',
      '2026-03-02T09:04:00.000Z',
      '2026-03-02T10:00:00.000Z',
    ]);
    // The window is full again: the next send waits for 09:01 to leave it.
    expect(d.response.resendAvailableAt).toBe('2026-03-02T10:01:00.000Z');
    expect(limited(await issueCode(d.record, at(60 * MIN + 30 * SEC), '888888', hasher, CALL_A.purpose, CALL_A.subject)).retryAfterSeconds).toBe(30);
  });

  it('the cap is per subject and purpose: another call is not held back', async () => {
    const a = await send(undefined, at(0), '111111', CALL_A);
    expect((await issueCode(a, at(SEC), '222222', hasher, CALL_A.purpose, CALL_A.subject)).kind).toBe('rate_limited');
    expect((await issueCode(undefined, at(SEC), '222222', hasher, CALL_B.purpose, CALL_B.subject)).kind).toBe('issued');
  });

  it('keeps the record (TTL) until the hourly window of its last send has passed, not just until expiry', async () => {
    const first = await send(undefined, at(0), '111111');
    expect(otpRetainUntil(first)).toBe('2026-03-02T10:00:00.000Z');
    const second = await send(first, at(10 * MIN), '222222');
    expect(otpRetainUntil(second)).toBe('2026-03-02T10:10:00.000Z');
  });
});

describe('constant-time comparison', () => {
  it('agrees with === on equal-length and different-length strings', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{0,64}$/), fc.stringMatching(/^[0-9a-f]{0,64}$/), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
    );
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  it('policy constants are the contract figures', () => {
    expect(OTP_POLICY).toEqual({ ttlSeconds: 300, maxAttempts: 5, resendCooldownSeconds: 60, maxSendsPerWindow: 5, sendWindowSeconds: 3600 });
  });
});
