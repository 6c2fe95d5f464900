import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { requestCallConfirmation, verifyCallConfirmation } from '#core/calls/confirmation';
import { DomainError, RateLimitedError } from '#core/errors';
import { CITIZEN_LIMITS, WINDOW_ROUNDS, WindowChanged, type WindowState, admitToWindow, leavesOpenCallbacks, underWindow } from '#core/limits/limits';
import { putProfile } from '#core/profiles/put-profile';
import { requestPhoneChange, verifyPhoneChange } from '#core/profiles/phone-change';
import { cancelOwnRequest } from '#core/requests/cancel';
import { addCitizenComment } from '#core/requests/comments';
import { type CreateRequestInput, createRequest } from '#core/requests/create-request';
import { STATUSES } from '#core/requests/model';
import { problemFor } from '#functions/http/problem';
import { PROFILE_PHONE_E164, identity, writtenInput } from './fixtures.ts';

/** The per-citizen limits, the OTP lock and phone ownership on the core with in-memory adapters and a fake clock. */
const T0 = new Date('2026-03-02T09:00:00.000Z');
const DAY = CITIZEN_LIMITS.newRequests;

function callbackInput(): CreateRequestInput {
  return { channel: 'callback', type: 'technical', identity: identity(), callback: { phone: '+7 495 123-45-67', description: 'Перезвоните' } };
}

async function settled<T>(calls: Promise<T>[]) {
  return (await Promise.allSettled(calls)).map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as DomainError).code));
}

describe('the sliding window', () => {
  it('admits up to max in the window and then says when the oldest leaves', () => {
    const times = Array.from({ length: 9 }, (_, i) => new Date(T0.getTime() + i * 60_000).toISOString());
    const at = new Date(T0.getTime() + 3_600_000);
    const ninth = admitToWindow({ times, version: 9 }, at, DAY);
    expect(ninth).toMatchObject({ kind: 'admit', times: [...times, at.toISOString()], retainUntil: new Date(at.getTime() + 86_400_000).toISOString() });
    const full = admitToWindow({ times: [...times, at.toISOString()], version: 10 }, at, DAY);
    expect(full).toEqual({ kind: 'full', retryAfterSeconds: 86_400 - 3600 });
  });

  it('an entry stops counting exactly one window after it was made; unreadable entries count nothing', () => {
    const times = Array.from({ length: 10 }, () => T0.toISOString());
    expect(admitToWindow({ times, version: 1 }, new Date(T0.getTime() + 86_400_000 - 1), DAY)).toEqual({ kind: 'full', retryAfterSeconds: 1 });
    const later = admitToWindow({ times, version: 1 }, new Date(T0.getTime() + 86_400_000), DAY);
    expect(later.kind === 'admit' && later.times).toHaveLength(1);
    expect(admitToWindow({ times: [...times.slice(1), 'garbage'], version: 1 }, T0, DAY).kind).toBe('admit');
  });

  it('entries a parallel write made a moment after this one\'s clock: still counted, kept in order, Retry-After at most the window', () => {
    const ahead = Array.from({ length: 10 }, (_, i) => new Date(T0.getTime() + 1500 + i).toISOString());
    expect(admitToWindow({ times: ahead, version: 10 }, T0, DAY)).toEqual({ kind: 'full', retryAfterSeconds: 86_400 });
    const some = admitToWindow({ times: ahead.slice(0, 3), version: 3 }, T0, DAY);
    expect(some.kind === 'admit' && some.times[0]).toBe(T0.toISOString());
  });

  it('property: never more than max stored, never admits past max within any window, Retry-After always ≥ 1 and exact', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 * 86_400 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        let state = { times: [] as string[], version: 0 };
        const admitted: number[] = [];
        let t = T0.getTime();
        for (const gap of gaps) {
          t += gap * 1000;
          const d = admitToWindow(state, new Date(t), DAY);
          const inWindow = admitted.filter((a) => t - a < 86_400_000).sort((a, b) => a - b);
          if (d.kind === 'admit') {
            expect(inWindow.length).toBeLessThan(DAY.max);
            expect(d.times.length).toBeLessThanOrEqual(DAY.max);
            admitted.push(t);
            state = { times: d.times, version: state.version + 1 };
          } else {
            expect(inWindow.length).toBe(DAY.max);
            expect(d.retryAfterSeconds).toBe(Math.max(1, Math.ceil(((inWindow[0] as number) + 86_400_000 - t) / 1000)));
          }
        }
      }),
    );
  });

  it('a write that finds another version is retried from a fresh read, and gives up after a bounded number of rounds', async () => {
    let reads = 0;
    const result = await underWindow(
      async () => ({ times: [], version: reads++ }),
      'u',
      T0,
      DAY,
      () => new Error('full'),
      async (guard) => (guard.version < 3 ? 'window_changed' : guard.version),
    );
    expect(result).toBe(3);
    const endless = underWindow(async () => ({ times: [], version: 1 }), 'u', T0, DAY, () => new Error('full'), async () => 'window_changed' as const);
    await expect(endless).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 1 });
    expect(WINDOW_ROUNDS).toBeGreaterThan(20 + 1);
  });

  it('a write refused with the window it found is retried from that window, not a read; a full one is refused as a read one would be', async () => {
    const seen: (number | undefined)[] = [];
    let reads = 0;
    const read = async (known?: WindowState): Promise<WindowState> => {
      seen.push(known?.version);
      if (known) return known;
      reads += 1;
      return { times: [], version: 0 };
    };
    const result = await underWindow(read, 'u', T0, DAY, () => new Error('full'), async (guard) =>
      guard.version < 2 ? new WindowChanged({ times: [], version: guard.version + 1 }) : guard.version,
    );
    expect(result).toBe(2);
    expect(reads).toBe(1);
    expect(seen).toEqual([undefined, 1, 2]);
    // The found window is full: 429 with its Retry-After, without another read or write.
    const fullTimes = Array.from({ length: CITIZEN_LIMITS.newRequests.max }, (_, i) => new Date(T0.getTime() - (i + 1) * 60_000).toISOString());
    let writes = 0;
    const refused = underWindow(read, 'u', T0, CITIZEN_LIMITS.newRequests, () => new Error('full'), async () => {
      writes += 1;
      return new WindowChanged({ times: fullTimes, version: 7 });
    });
    await expect(refused).rejects.toThrow('full');
    expect(writes).toBe(1);
    // Without the window (a store that cannot return it) the next round reads again.
    reads = 0;
    await underWindow(read, 'u', T0, DAY, () => new Error('full'), async (guard) => (reads < 2 ? new WindowChanged() : guard.version));
    expect(reads).toBe(2);
  });

  it('open statuses: a callback keeps its place in received, scheduled and in_progress only', () => {
    const leaving = STATUSES.filter((s) => leavesOpenCallbacks('callback', s));
    expect(leaving.sort()).toEqual(['answered', 'cancelled', 'completed', 'forwarded', 'missed', 'needs_info', 'registered'].filter((s) => (STATUSES as readonly string[]).includes(s)).sort());
    expect(STATUSES.some((s) => leavesOpenCallbacks('written', s))).toBe(false);
    expect(leavesOpenCallbacks('callback', undefined)).toBe(false);
  });
});

describe('limits on the use-cases (memory store, fake clock)', () => {
  it('the 11th request in 24 hours is 429 rate_limited with Retry-After; the HTTP problem carries the header', async () => {
    const deps = memoryDeps();
    deps.clock.set(T0);
    for (let i = 0; i < 10; i += 1) {
      await createRequest(deps, 'user-1', writtenInput());
      deps.clock.advanceMinutes(30);
    }
    const error = await createRequest(deps, 'user-1', writtenInput()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(problemFor(error as DomainError)).toMatchObject({ problem: { status: 429, code: 'rate_limited' }, headers: { 'Retry-After': String(86_400 - 5 * 3600) } });
    expect((await deps.requests.listRequestsByOwner('user-1', 50)).items).toHaveLength(10);
  });

  it('20 parallel callback posts: 3 created, 17 too_many_open_callbacks (409); a cancel gives one place back', async () => {
    const deps = memoryDeps();
    const out = await settled(Array.from({ length: 20 }, () => createRequest(deps, 'user-1', callbackInput())));
    expect(out.filter((o) => o === 'ok')).toHaveLength(3);
    expect(out.filter((o) => o === 'too_many_open_callbacks')).toHaveLength(17);
    const error = await createRequest(deps, 'user-1', callbackInput()).catch((e: unknown) => e as DomainError);
    expect(problemFor(error as DomainError)?.problem).toMatchObject({ status: 409, code: 'too_many_open_callbacks' });
    const [first] = (await deps.requests.listRequestsByOwner('user-1', 10)).items;
    await cancelOwnRequest(deps, 'user-1', first?.id as string);
    expect((await createRequest(deps, 'user-1', callbackInput())).statusCode).toBe(202);
    await expect(createRequest(deps, 'user-1', callbackInput())).rejects.toMatchObject({ code: 'too_many_open_callbacks' });
  });

  it('comments: the 21st in an hour is 429, the 101st on a request is 409 too_many_comments', async () => {
    const deps = memoryDeps();
    deps.clock.set(T0);
    const id = ((await createRequest(deps, 'user-1', writtenInput())).body as { id: string }).id;
    for (let i = 0; i < 20; i += 1) await addCitizenComment(deps, 'user-1', id, { text: `${i}` });
    deps.clock.advanceMinutes(10);
    await expect(addCitizenComment(deps, 'user-1', id, { text: 'ещё' })).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 3000 });
    for (let hour = 1; hour < 5; hour += 1) {
      deps.clock.advanceMinutes(60);
      for (let i = 0; i < 20; i += 1) await addCitizenComment(deps, 'user-1', id, { text: `${hour}.${i}` });
    }
    deps.clock.advanceMinutes(60);
    const error = await addCitizenComment(deps, 'user-1', id, { text: 'сто первый' }).catch((e: unknown) => e as DomainError);
    expect(problemFor(error as DomainError)?.problem).toMatchObject({ status: 409, code: 'too_many_comments' });
    expect((await deps.requests.getRequestDetail(id))?.comments).toHaveLength(100);
  });
});

describe('one-time codes and phones (memory store)', () => {
  async function withCall(deps: MemoryDeps) {
    await putProfile(deps, 'user-1', identity());
    await deps.calls.putCall({
      id: 'call-1',
      userId: 'user-1',
      direction: 'inbound',
      phone: PROFILE_PHONE_E164,
      operatorId: 'op-1',
      queuedAt: T0.toISOString(),
      answeredAt: T0.toISOString(),
      endedAt: T0.toISOString(),
      waitSeconds: 0,
      durationSeconds: 1,
      outcome: 'answered',
      transcript: [],
      confirmed: false,
    });
  }
  const sent = async (deps: MemoryDeps) => deps.sealer.unseal(deps.workflows.started.at(-1)?.input.sealedCode as string);

  it('20 wrong codes at once spend 5 tries; the right code after them is locked, as is a mixed batch, identically', async () => {
    const deps = memoryDeps();
    await withCall(deps);
    await requestCallConfirmation(deps, 'user-1', 'call-1');
    const right = await sent(deps);
    const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
    const out = await settled(Array.from({ length: 20 }, (_, i) => verifyCallConfirmation(deps, 'user-1', 'call-1', wrong(i))));
    expect(out.filter((o) => o === 'code_invalid')).toHaveLength(5);
    expect(out.filter((o) => o === 'code_locked')).toHaveLength(15);
    const batch = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => verifyCallConfirmation(deps, 'user-1', 'call-1', i % 2 ? right : wrong(i))));
    const seen = batch.map((b) => (b.status === 'rejected' ? JSON.stringify(problemFor(b.reason as DomainError)) : 'ok'));
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toContain('code_locked');
  });

  it('a profile put or a phone change to a number another profile holds is 409 phone_in_use, and nothing changes', async () => {
    const deps = memoryDeps();
    await putProfile(deps, 'user-a', identity());
    await putProfile(deps, 'user-b', identity({ phone: '+7 999 000-00-01' }));
    const error = await putProfile(deps, 'user-b', identity()).catch((e: unknown) => e as DomainError);
    expect(problemFor(error as DomainError)?.problem).toMatchObject({ status: 409, code: 'phone_in_use' });
    expect((await deps.profiles.getProfile('user-b'))?.phone).toBe('+79990000001');
    await expect(requestPhoneChange(deps, 'user-b', { phone: PROFILE_PHONE_E164 })).rejects.toMatchObject({ code: 'phone_in_use' });
    expect(deps.workflows.started).toHaveLength(0);
    deps.clock.advanceSeconds(61);
    await requestPhoneChange(deps, 'user-b', { phone: '+7 999 000-00-09' });
    const code = await sent(deps);
    await putProfile(deps, 'user-c', identity({ phone: '+7 999 000-00-09' }));
    await expect(verifyPhoneChange(deps, 'user-b', code)).rejects.toMatchObject({ code: 'phone_in_use' });
    expect((await deps.profiles.getProfile('user-b'))?.phone).toBe('+79990000001');
    expect(await deps.profiles.userByPhone('+79990000009')).toBe('user-c');
  });
});
