import { describe, expect, it } from 'vitest';
import { fixedClock } from '#adapters/memory/fixed-clock';
import { memorySms } from '#adapters/memory/memory-sms';
import { memoryWorkflows } from '#adapters/memory/memory-workflows';
import type { CallRecord } from '#core/callbacks/model';
import { fileClaim } from '#core/calls/claim';
import { DomainError, RateLimitedError } from '#core/errors';
import { putProfile } from '#core/profiles/put-profile';
import { cancelOwnRequest } from '#core/requests/cancel';
import { addCitizenComment } from '#core/requests/comments';
import { type CreateRequestInput, createRequest } from '#core/requests/create-request';
import { markNeedsInfo } from '#core/requests/intake';
import type { Deps } from '#ports/deps';
import { PROFILE_PHONE_E164, identity, writtenRequest } from '../support/fixtures.ts';
import { freshTable, realSystem } from '../support/integration.ts';

/**
 * Finding 2 of issue 11 against DynamoDB Local: per-citizen limits under 20 parallel posts. The
 * clock is a fixed one (the store takes every time from the use-case), so windows can be crossed
 * without waiting; the workflows are only recorded.
 */
async function setup() {
  const { store } = await freshTable();
  const clock = fixedClock(new Date());
  return { ...realSystem(), ...store, clock, workflows: memoryWorkflows(), sms: memorySms(clock) } satisfies Deps;
}

function callback(): CreateRequestInput {
  return {
    channel: 'callback',
    type: 'technical',
    identity: identity(),
    callback: { phone: '+7 495 123-45-67', description: 'Не приходит код из СМС' },
  };
}

async function outcomes<T>(calls: Promise<T>[]) {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => {
    if (s.status === 'fulfilled') return { ok: true as const, value: s.value };
    const e = s.reason as DomainError;
    if (!(e instanceof DomainError)) throw e;
    return { ok: false as const, code: e.code, ...(e instanceof RateLimitedError ? { retryAfter: e.retryAfterSeconds } : {}) };
  });
}

const count = (list: { ok: boolean; code?: string }[], code?: string) => list.filter((o) => (code ? !o.ok && o.code === code : o.ok)).length;

async function ownRequests(deps: Deps, userId: string) {
  return (await deps.requests.listRequestsByOwner(userId, 100)).items;
}

describe('new requests per citizen: 10 in any 24 hours', () => {
  it('20 parallel posts create exactly 10; the rest are 429 rate_limited with Retry-After until the oldest leaves', async () => {
    const deps = await setup();
    const out = await outcomes(Array.from({ length: 20 }, () => createRequest(deps, 'user-1', writtenRequest())));
    expect(count(out)).toBe(10);
    expect(count(out, 'rate_limited')).toBe(10);
    for (const o of out.filter((x) => !x.ok)) expect(o).toMatchObject({ retryAfter: 86_400 });
    expect(await ownRequests(deps, 'user-1')).toHaveLength(10);
    expect((await deps.requests.getLimitWindow('requests', 'user-1')).times).toHaveLength(10);
    // Another citizen is not affected.
    expect((await createRequest(deps, 'user-2', writtenRequest())).statusCode).toBe(202);
  });

  it('is a sliding window: a place comes back exactly 24 hours after the request that held it', async () => {
    const deps = await setup();
    for (let i = 0; i < 10; i += 1) {
      await createRequest(deps, 'user-1', writtenRequest());
      deps.clock.advanceMinutes(60);
    }
    // The first one was made 10 h ago: it leaves the window in 14 h.
    await expect(createRequest(deps, 'user-1', writtenRequest())).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 14 * 3600 });
    deps.clock.advance(14 * 3_600_000 - 1);
    await expect(createRequest(deps, 'user-1', writtenRequest())).rejects.toMatchObject({ retryAfterSeconds: 1 });
    deps.clock.advance(1);
    expect((await createRequest(deps, 'user-1', writtenRequest())).statusCode).toBe(202);
    // Exactly one place came back.
    await expect(createRequest(deps, 'user-1', writtenRequest())).rejects.toMatchObject({ retryAfterSeconds: 3600 });
    expect((await deps.requests.getLimitWindow('requests', 'user-1')).times).toHaveLength(10);
  });

  it('an idempotent replay counts nothing, even when the window is full', async () => {
    const deps = await setup();
    const same = await outcomes(Array.from({ length: 20 }, () => createRequest(deps, 'user-1', writtenRequest(), 'key-1')));
    expect(count(same)).toBe(20);
    expect(new Set(same.map((o) => o.ok && (o.value.body as { id: string }).id)).size).toBe(1);
    expect((await deps.requests.getLimitWindow('requests', 'user-1')).times).toHaveLength(1);
    for (let i = 0; i < 9; i += 1) await createRequest(deps, 'user-1', writtenRequest());
    expect((await createRequest(deps, 'user-1', writtenRequest(), 'key-1')).statusCode).toBe(202);
    await expect(createRequest(deps, 'user-1', writtenRequest(), 'key-2')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('a refused create spends no place (validation, or too many open callbacks)', async () => {
    const deps = await setup();
    await expect(createRequest(deps, 'user-1', writtenRequest({ identity: identity({ snils: '112-233-445 96' }) }))).rejects.toMatchObject({ code: 'validation_failed' });
    for (let i = 0; i < 3; i += 1) await createRequest(deps, 'user-1', callback());
    await expect(createRequest(deps, 'user-1', callback())).rejects.toMatchObject({ code: 'too_many_open_callbacks' });
    expect((await deps.requests.getLimitWindow('requests', 'user-1')).times).toHaveLength(3);
  });

  it('claims count: a claim is refused with 429 once the window is full, and a claim fills it like a request', async () => {
    const deps = await setup();
    await putProfile(deps, 'user-1', identity());
    const call = (id: string): CallRecord => ({
      id,
      userId: 'user-1',
      direction: 'inbound',
      phone: PROFILE_PHONE_E164,
      operatorId: 'op-1',
      queuedAt: new Date(Date.now() - 3_600_000).toISOString(),
      answeredAt: new Date(Date.now() - 2_400_000).toISOString(),
      endedAt: new Date(Date.now() - 2_300_000).toISOString(),
      waitSeconds: 1200,
      durationSeconds: 100,
      outcome: 'answered',
      transcript: [],
      confirmed: false,
    });
    for (let i = 0; i < 11; i += 1) await deps.calls.putCall(call(`call-${i}`));
    for (let i = 0; i < 9; i += 1) await createRequest(deps, 'user-1', writtenRequest());
    // 20 claims at once for the 10th place: exactly one.
    const out = await outcomes(Array.from({ length: 10 }, (_, i) => fileClaim(deps, 'user-1', `call-${i}`, { text: 'Долго ждал' })));
    expect(count(out)).toBe(1);
    expect(count(out, 'rate_limited')).toBe(9);
    await expect(createRequest(deps, 'user-1', writtenRequest())).rejects.toMatchObject({ code: 'rate_limited' });
  });
});

describe('open callbacks per citizen: 3 at once', () => {
  it('20 parallel callback posts create exactly 3; the rest are 409 too_many_open_callbacks and count nothing', async () => {
    const deps = await setup();
    const out = await outcomes(Array.from({ length: 20 }, () => createRequest(deps, 'user-1', callback())));
    expect(count(out)).toBe(3);
    expect(count(out, 'too_many_open_callbacks')).toBe(17);
    expect(await ownRequests(deps, 'user-1')).toHaveLength(3);
    // Written requests are not callbacks: still accepted.
    expect((await createRequest(deps, 'user-1', writtenRequest())).statusCode).toBe(202);
  });

  it('a callback that is cancelled, completed, missed or needs info gives its place back, once', async () => {
    const deps = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push(((await createRequest(deps, 'user-1', callback())).body as { id: string }).id);
    const [a, b, c] = ids as [string, string, string];
    await expect(createRequest(deps, 'user-1', callback())).rejects.toMatchObject({ code: 'too_many_open_callbacks' });

    // Cancelled: 20 cancels at once free one place, not more.
    await outcomes(Array.from({ length: 20 }, () => cancelOwnRequest(deps, 'user-1', a)));
    const refill = await outcomes(Array.from({ length: 20 }, () => createRequest(deps, 'user-1', callback())));
    expect(count(refill)).toBe(1);

    // needs_info (identity did not match).
    await markNeedsInfo(deps, b, [{ field: 'snils', code: 'mismatch' }]);
    expect((await createRequest(deps, 'user-1', callback())).statusCode).toBe(202);

    // Moves inside the open statuses keep the place: scheduled, then in progress.
    const at = deps.clock.now().toISOString();
    await deps.requests.transition(c, ['received'], { status: 'scheduled' }, { at, event: 'scheduled' }, at);
    await deps.requests.transition(c, ['scheduled'], { status: 'in_progress' }, { at, event: 'taken' }, at);
    await expect(createRequest(deps, 'user-1', callback())).rejects.toMatchObject({ code: 'too_many_open_callbacks' });

    // Completed, through the call record's transaction.
    await deps.calls.putCall(
      { id: 'call-c', userId: 'user-1', requestId: c, queue: 'tech-support', direction: 'outbound', phone: '+74951234567', operatorId: 'op-1', queuedAt: at, answeredAt: at, endedAt: at, waitSeconds: 0, durationSeconds: 1, outcome: 'answered', transcript: [], confirmed: false },
      { from: ['in_progress'], patch: { status: 'completed' }, event: { at, event: 'completed' }, at },
    );
    expect((await createRequest(deps, 'user-1', callback())).statusCode).toBe(202);
    await expect(createRequest(deps, 'user-1', callback())).rejects.toMatchObject({ code: 'too_many_open_callbacks' });
  });
});

describe('comments: 20 per citizen an hour, 100 per request', () => {
  it('30 parallel comments create exactly 20; the rest are 429 with Retry-After 3600', async () => {
    const deps = await setup();
    const id = ((await createRequest(deps, 'user-1', writtenRequest())).body as { id: string }).id;
    const out = await outcomes(Array.from({ length: 30 }, (_, i) => addCitizenComment(deps, 'user-1', id, { text: `комментарий ${i}` })));
    expect(count(out)).toBe(20);
    expect(count(out, 'rate_limited')).toBe(10);
    for (const o of out.filter((x) => !x.ok)) expect(o).toMatchObject({ retryAfter: 3600 });
    expect((await deps.requests.getRequestDetail(id))?.comments).toHaveLength(20);
    // An idempotent replay of a stored comment counts nothing and is not refused.
    deps.clock.advanceMinutes(61);
    const first = await addCitizenComment(deps, 'user-1', id, { text: 'один раз' }, 'c-key');
    expect(await addCitizenComment(deps, 'user-1', id, { text: 'один раз' }, 'c-key')).toEqual(first);
    expect((await deps.requests.getLimitWindow('comments', 'user-1')).times).toHaveLength(1);
  });

  it('a request takes at most 100 comments: 20 parallel for the last 10 places create exactly 10', async () => {
    const deps = await setup();
    const id = ((await createRequest(deps, 'user-1', writtenRequest())).body as { id: string }).id;
    for (let hour = 0; hour < 5; hour += 1) {
      const n = hour < 4 ? 20 : 10;
      await Promise.all(Array.from({ length: n }, (_, i) => addCitizenComment(deps, 'user-1', id, { text: `час ${hour}, ${i}` })));
      deps.clock.advanceMinutes(61);
    }
    const out = await outcomes(Array.from({ length: 20 }, (_, i) => addCitizenComment(deps, 'user-1', id, { text: `последний ${i}` })));
    expect(count(out)).toBe(10);
    expect(count(out, 'too_many_comments')).toBe(10);
    expect((await deps.requests.getRequestDetail(id))?.comments).toHaveLength(100);
    // Refused comments spent no place in the citizen's hourly window.
    expect((await deps.requests.getLimitWindow('comments', 'user-1')).times).toHaveLength(10);
  });
});
