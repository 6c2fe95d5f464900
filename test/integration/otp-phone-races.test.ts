import { describe, expect, it } from 'vitest';
import { fixedClock } from '#adapters/memory/fixed-clock';
import { memoryWorkflows } from '#adapters/memory/memory-workflows';
import { memorySms } from '#adapters/memory/memory-sms';
import type { CallRecord } from '#core/callbacks/model';
import { requestCallConfirmation, verifyCallConfirmation } from '#core/calls/confirmation';
import { DomainError, RateLimitedError } from '#core/errors';
import { putProfile } from '#core/profiles/put-profile';
import { requestPhoneChange, verifyPhoneChange } from '#core/profiles/phone-change';
import type { Deps } from '#ports/deps';
import { PROFILE_PHONE_E164, identity } from '../support/fixtures.ts';
import { freshTable, realSystem } from '../support/integration.ts';

/**
 * Finding 1 and 3 of issue 11 against DynamoDB Local: a one-time code's tries under 20 guesses at
 * the same moment, and a phone number that belongs to one profile. The use-cases run over the real
 * DynamoDB store (only the workflows are recorded, so the sent code can be read from its sealed input).
 */
async function setup() {
  const { store } = await freshTable();
  const clock = fixedClock(new Date());
  const workflows = memoryWorkflows();
  const deps: Deps = { ...realSystem(), ...store, clock, workflows, sms: memorySms(clock) };
  return { deps, workflows };
}

type Deps2 = Awaited<ReturnType<typeof setup>>;

async function sentCode({ deps, workflows }: Deps2): Promise<string> {
  const start = workflows.started.filter((s) => s.workflow === 'confirmation').at(-1);
  if (!start) throw new Error('no code was sent');
  return deps.sealer.unseal(start.input.sealedCode as string);
}

function callOf(id: string, userId: string): CallRecord {
  const queuedAt = new Date(Date.now() - 3_600_000).toISOString();
  return {
    id,
    userId,
    direction: 'inbound',
    phone: PROFILE_PHONE_E164,
    operatorId: 'op-1',
    queuedAt,
    answeredAt: queuedAt,
    endedAt: queuedAt,
    waitSeconds: 0,
    durationSeconds: 60,
    outcome: 'answered',
    transcript: [],
    confirmed: false,
  };
}

/** What a client would see of each answer: status-relevant fields only (Retry-After included). */
async function answers<T>(calls: Promise<T>[]) {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => {
    if (s.status === 'fulfilled') return { ok: true as const };
    const e = s.reason as DomainError;
    if (!(e instanceof DomainError)) throw e;
    return { ok: false as const, code: e.code, ...e.extra, ...(e instanceof RateLimitedError ? { retryAfter: e.retryAfterSeconds } : {}) };
  });
}

const wrongs = (right: string, n: number) => Array.from({ length: n }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));

describe('one-time codes under concurrency (DynamoDB Local)', () => {
  it('20 wrong codes at once spend exactly 5 tries; the code is locked and the right one refused after them', async () => {
    const s = await setup();
    await putProfile(s.deps, 'user-1', identity());
    await s.deps.calls.putCall(callOf('call-1', 'user-1'));
    await requestCallConfirmation(s.deps, 'user-1', 'call-1');
    const right = await sentCode(s);

    const out = await answers(wrongs(right, 20).map((code) => verifyCallConfirmation(s.deps, 'user-1', 'call-1', code)));
    const invalid = out.filter((a) => a.ok === false && a.code === 'code_invalid');
    expect(invalid.map((a) => (a as unknown as { attemptsLeft: number }).attemptsLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(out.filter((a) => a.ok === false && a.code === 'code_locked')).toHaveLength(15);
    expect((await s.deps.codes.getOtp('call-confirmation', 'call-1'))?.attemptsLeft).toBe(0);

    const [late] = await answers([verifyCallConfirmation(s.deps, 'user-1', 'call-1', right)]);
    expect(late).toMatchObject({ ok: false, code: 'code_locked' });
    expect((await s.deps.calls.getCall('call-1'))?.confirmed).toBe(false);
  });

  it('no oracle: once locked, or once used, 20 guesses at once get one identical answer whether right or wrong', async () => {
    const s = await setup();
    await putProfile(s.deps, 'user-1', identity());
    await s.deps.calls.putCall(callOf('call-1', 'user-1'));
    await s.deps.calls.putCall(callOf('call-2', 'user-1'));

    await requestCallConfirmation(s.deps, 'user-1', 'call-1');
    const right = await sentCode(s);
    await answers(wrongs(right, 5).map((code) => verifyCallConfirmation(s.deps, 'user-1', 'call-1', code)));
    const mixed = [...wrongs(right, 10), ...Array.from({ length: 10 }, () => right)];
    const locked = await answers(mixed.map((code) => verifyCallConfirmation(s.deps, 'user-1', 'call-1', code)));
    expect(new Set(locked.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(locked[0]).toMatchObject({ ok: false, code: 'code_locked' });

    await requestCallConfirmation(s.deps, 'user-1', 'call-2');
    const right2 = await sentCode(s);
    await verifyCallConfirmation(s.deps, 'user-1', 'call-2', right2);
    // The call is confirmed now, so the use-case stops at `already_confirmed` before any code; the
    // code itself is spent too: a spend on it is refused, and the refusal is the same for any guess.
    expect(await s.deps.codes.spendOtpAttempt('call-confirmation', 'call-2', new Date().toISOString())).toBeUndefined();
    const used = await answers([...wrongs(right2, 10), ...Array.from({ length: 10 }, () => right2)].map((code) => verifyCallConfirmation(s.deps, 'user-1', 'call-2', code)));
    expect(new Set(used.map((a) => JSON.stringify(a))).size).toBe(1);
  });

  it('a batch with the right code in it: at most 5 tries are judged, at most one succeeds, every other answer is a refusal of state', async () => {
    const s = await setup();
    await putProfile(s.deps, 'user-1', identity());
    await s.deps.calls.putCall(callOf('call-1', 'user-1'));
    await requestCallConfirmation(s.deps, 'user-1', 'call-1');
    const right = await sentCode(s);
    const batch = [...wrongs(right, 15), right, right, right, right, right];
    const out = await answers(batch.map((code) => verifyCallConfirmation(s.deps, 'user-1', 'call-1', code)));
    const judged = out.filter((a) => a.ok || a.code === 'code_invalid');
    expect(judged.length).toBeLessThanOrEqual(5);
    expect(out.filter((a) => a.ok).length).toBeLessThanOrEqual(1);
    for (const a of out.filter((x) => !x.ok && x.code !== 'code_invalid')) expect(['code_locked', 'code_used', 'already_confirmed']).toContain((a as { code: string }).code);
  });

  it('the phone-change code shares the lock: 20 wrong at once spend 5 tries, the right one is refused, the phone stays', async () => {
    const s = await setup();
    await putProfile(s.deps, 'user-1', identity());
    await requestPhoneChange(s.deps, 'user-1', { phone: '+7 999 111-22-33' });
    const right = await sentCode(s);
    const out = await answers(wrongs(right, 20).map((code) => verifyPhoneChange(s.deps, 'user-1', code)));
    expect(out.filter((a) => !a.ok && a.code === 'code_invalid')).toHaveLength(5);
    expect(out.filter((a) => !a.ok && a.code === 'code_locked')).toHaveLength(15);
    await expect(verifyPhoneChange(s.deps, 'user-1', right)).rejects.toMatchObject({ code: 'code_locked' });
    expect((await s.deps.profiles.getProfile('user-1'))?.phone).toBe(PROFILE_PHONE_E164);
    expect(await s.deps.profiles.userByPhone('+79991112233')).toBeUndefined();
  });
});

describe('a phone belongs to one profile (DynamoDB Local)', () => {
  it('a profile put with another profile\'s number is 409 phone_in_use and changes nothing', async () => {
    const s = await setup();
    await putProfile(s.deps, 'user-a', identity());
    await expect(putProfile(s.deps, 'user-b', identity())).rejects.toMatchObject({ code: 'phone_in_use' });
    expect(await s.deps.profiles.getProfile('user-b')).toBeUndefined();
    expect(await s.deps.profiles.userByPhone(PROFILE_PHONE_E164)).toBe('user-a');

    await putProfile(s.deps, 'user-b', identity({ phone: '+7 999 000-00-01' }));
    await expect(putProfile(s.deps, 'user-b', identity())).rejects.toMatchObject({ code: 'phone_in_use' });
    expect((await s.deps.profiles.getProfile('user-b'))?.phone).toBe('+79990000001');
    expect(await s.deps.profiles.userByPhone('+79990000001')).toBe('user-b');
    // Putting one's own profile again with its own number is fine.
    expect((await putProfile(s.deps, 'user-a', identity())).statusCode).toBe(200);
  });

  it('20 profiles claiming one number at once: exactly one gets it', async () => {
    const s = await setup();
    const out = await answers(Array.from({ length: 20 }, (_, i) => putProfile(s.deps, `user-${i}`, identity())));
    expect(out.filter((a) => a.ok)).toHaveLength(1);
    expect(out.filter((a) => !a.ok && a.code === 'phone_in_use')).toHaveLength(19);
    const owner = await s.deps.profiles.userByPhone(PROFILE_PHONE_E164);
    expect((await s.deps.profiles.getProfile(owner as string))?.phone).toBe(PROFILE_PHONE_E164);
  });

  it('a phone change to a number in use is refused before any code is sent (and counts as a send)', async () => {
    const s = await setup();
    await putProfile(s.deps, 'user-a', identity());
    await putProfile(s.deps, 'user-b', identity({ phone: '+7 999 000-00-02' }));
    await expect(requestPhoneChange(s.deps, 'user-b', { phone: '8 (912) 345-67-89' })).rejects.toMatchObject({ code: 'phone_in_use' });
    expect(s.workflows.started.filter((w) => w.workflow === 'confirmation')).toHaveLength(0);
    // The refusal counted as a send: probing another number at once meets the cooldown.
    await expect(requestPhoneChange(s.deps, 'user-b', { phone: '+7 999 000-00-03' })).rejects.toMatchObject({ code: 'code_resend_too_soon' });
  });

  it('a number taken between the send and the verify: the right code is 409 phone_in_use and nothing changes', async () => {
    const s = await setup();
    await putProfile(s.deps, 'user-a', identity());
    await requestPhoneChange(s.deps, 'user-a', { phone: '+7 999 000-00-04' });
    const right = await sentCode(s);
    await putProfile(s.deps, 'user-c', identity({ phone: '+7 999 000-00-04' }));
    await expect(verifyPhoneChange(s.deps, 'user-a', right)).rejects.toMatchObject({ code: 'phone_in_use' });
    expect((await s.deps.profiles.getProfile('user-a'))?.phone).toBe(PROFILE_PHONE_E164);
    expect(await s.deps.profiles.userByPhone('+79990000004')).toBe('user-c');
    expect(await s.deps.profiles.userByPhone(PROFILE_PHONE_E164)).toBe('user-a');
  });

  it('a phone change releases the old number: another profile may take it afterwards, not before', async () => {
    const s = await setup();
    await putProfile(s.deps, 'user-a', identity());
    await expect(putProfile(s.deps, 'user-b', identity())).rejects.toMatchObject({ code: 'phone_in_use' });
    await requestPhoneChange(s.deps, 'user-a', { phone: '+7 999 000-00-05' });
    expect(await verifyPhoneChange(s.deps, 'user-a', await sentCode(s))).toEqual({ phone: expect.any(String) });
    expect(await s.deps.profiles.userByPhone('+79990000005')).toBe('user-a');
    expect(await s.deps.profiles.userByPhone(PROFILE_PHONE_E164)).toBeUndefined();
    expect((await putProfile(s.deps, 'user-b', identity())).statusCode).toBe(201);
    expect(await s.deps.profiles.userByPhone(PROFILE_PHONE_E164)).toBe('user-b');
  });
});
