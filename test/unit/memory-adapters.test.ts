import { describe, expect, it } from 'vitest';
import { SmsSendError, StaleTransitionError } from '#core/errors';
import type { SupportRequest, TimelineEvent } from '#core/requests/model';
import type { Profile } from '#ports/stores/profiles';
import type { IdempotencyRecord } from '#ports/stores/requests';
import { fixedClock } from '#adapters/memory/fixed-clock';
import { TEST_HASH_KEY, memoryDeps } from '#adapters/memory/memory-deps';
import { memorySms } from '#adapters/memory/memory-sms';
import { memoryStores } from '#adapters/memory/memory-stores';
import { memoryWorkflows } from '#adapters/memory/memory-workflows';
import { sequenceIds } from '#adapters/memory/sequence-ids';
import { hmacHasher } from '#adapters/system';

const T0 = '2026-03-02T09:00:00.000Z';

function request(over: Partial<SupportRequest> = {}): SupportRequest {
  return {
    id: 'REQ1',
    number: '20260302-AAAAAA',
    userId: 'user-1',
    channel: 'written',
    type: 'technical',
    status: 'received',
    createdAt: T0,
    updatedAt: T0,
    identity: { fullNameFolded: 'иванов иван', snilsHash: 'h1', snilsLast2: '95', passportHash: 'h2', passportLast2: '56', phone: '+79123456789' },
    written: { topic: 't', text: 'x', attempts: [] },
    ...over,
  };
}

const received: TimelineEvent = { at: T0, event: 'received' };

function record(over: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return { scope: 'user-1:create-request:k1', bodyHash: 'b1', statusCode: 202, body: { id: 'REQ1' }, headers: { Location: '/v1/requests/REQ1' }, expiresAt: '2026-03-03T09:00:00.000Z', ...over };
}

describe('memoryStore.createRequest', () => {
  it('stores the request, its number and first event', async () => {
    const store = memoryStores();
    expect(await store.requests.createRequest(request(), received, undefined, T0)).toEqual({ kind: 'created' });
    expect(await store.requests.getRequest('REQ1')).toEqual(request());
    expect(await store.requests.getRequestDetail('REQ1')).toEqual({ request: request(), timeline: [received], comments: [], attachments: [], callIds: [] });
    expect(store.table.snapshot().numbers).toEqual({ '20260302-AAAAAA': 'REQ1' });
  });

  it('replays a live idempotency record and writes nothing', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), received, record(), T0);
    const again = await store.requests.createRequest(request({ id: 'REQ2', number: '20260302-BBBBBB' }), received, record({ bodyHash: 'other' }), '2026-03-03T08:59:59.999Z');
    expect(again).toEqual({ kind: 'replay', record: record() });
    expect(await store.requests.getRequest('REQ2')).toBeUndefined();
    expect(store.table.snapshot().numbers).toEqual({ '20260302-AAAAAA': 'REQ1' });
  });

  it('treats a record whose expiresAt <= now as absent', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), received, record(), T0);
    const at = '2026-03-03T09:00:00.000Z'; // exactly expiresAt
    const again = await store.requests.createRequest(request({ id: 'REQ2', number: '20260302-BBBBBB' }), received, record({ body: { id: 'REQ2' }, expiresAt: '2026-03-04T09:00:00.000Z' }), at);
    expect(again).toEqual({ kind: 'created' });
    expect(store.table.idempotencyRecord('user-1:create-request:k1')?.body).toEqual({ id: 'REQ2' });
  });

  it('answers number_taken for a claimed number and writes nothing, not even the idempotency record', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), received, undefined, T0);
    const outcome = await store.requests.createRequest(request({ id: 'REQ2' }), received, record(), T0);
    expect(outcome).toEqual({ kind: 'number_taken' });
    expect(await store.requests.getRequest('REQ2')).toBeUndefined();
    expect(store.table.idempotencyRecord(record().scope)).toBeUndefined();
    expect(store.table.snapshot().timelines).toEqual({ REQ1: [received] });
  });

  it('a live record wins over a taken number (as the transaction reports its first condition)', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), received, record(), T0);
    expect((await store.requests.createRequest(request({ id: 'REQ2' }), received, record(), T0)).kind).toBe('replay');
  });

  it('fails on a duplicate id without writing anything', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), received, undefined, T0);
    await expect(store.requests.createRequest(request({ number: '20260302-CCCCCC' }), received, record(), T0)).rejects.toThrow();
    expect(store.table.idempotencyRecord(record().scope)).toBeUndefined();
    expect(store.table.snapshot().numbers).toEqual({ '20260302-AAAAAA': 'REQ1' });
  });
});

describe('memoryStore.transition', () => {
  it('applies the patch from an allowed status, sets updatedAt and appends the event', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), received, undefined, T0);
    const at = '2026-03-02T09:05:00.000Z';
    await store.requests.transition('REQ1', ['received'], { status: 'registered', dueBy: 'D', problems: [{ field: 'phone', code: 'mismatch' }], answer: undefined }, { at, event: 'registered' }, at);
    const updated = await store.requests.getRequest('REQ1');
    expect(updated).toMatchObject({ status: 'registered', dueBy: 'D', problems: [{ field: 'phone', code: 'mismatch' }], updatedAt: at });
    expect(updated).not.toHaveProperty('answer');
    expect((await store.requests.getRequestDetail('REQ1'))?.timeline.map((e) => e.event)).toEqual(['received', 'registered']);
  });

  it('throws StaleTransitionError from any other status, and for a missing request, changing nothing', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), received, undefined, T0);
    await expect(store.requests.transition('REQ1', ['registered', 'scheduled'], { status: 'in_progress' }, { at: T0, event: 'x' }, T0)).rejects.toBeInstanceOf(StaleTransitionError);
    await expect(store.requests.transition('NOPE', ['received'], { status: 'registered' }, { at: T0, event: 'x' }, T0)).rejects.toBeInstanceOf(StaleTransitionError);
    expect(await store.requests.getRequest('REQ1')).toEqual(request());
    expect((await store.requests.getRequestDetail('REQ1'))?.timeline).toEqual([received]);
  });

  it('lets only one of two concurrent transitions from the same status win', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), received, undefined, T0);
    const results = await Promise.allSettled([
      store.requests.transition('REQ1', ['received'], { status: 'registered' }, { at: T0, event: 'a' }, T0),
      store.requests.transition('REQ1', ['received'], { status: 'needs_info' }, { at: T0, event: 'b' }, T0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof StaleTransitionError)).toHaveLength(1);
  });
});

describe('memoryStore detail, profiles and copies', () => {
  it('returns the timeline in time order whatever the write order, ties in write order; comments by time', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request(), { at: '2026-03-02T09:00:00.000Z', event: 'received' }, undefined, T0);
    await store.requests.transition('REQ1', ['received'], {}, { at: '2026-03-02T11:00:00.000Z', event: 'late' }, T0);
    await store.requests.transition('REQ1', ['received'], {}, { at: '2026-03-02T10:00:00.000Z', event: 'early' }, T0);
    await store.requests.transition('REQ1', ['received'], {}, { at: '2026-03-02T10:00:00.000Z', event: 'early-second' }, T0);
    store.table.addComment('REQ1', { id: 'c2', at: '2026-03-02T12:00:00.000Z', author: 'operator', text: 'b' });
    store.table.addComment('REQ1', { id: 'c1', at: '2026-03-02T10:30:00.000Z', author: 'citizen', text: 'a' });
    const detail = await store.requests.getRequestDetail('REQ1');
    expect(detail?.timeline.map((e) => e.event)).toEqual(['received', 'early', 'early-second', 'late']);
    expect(detail?.comments.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(await store.requests.getRequestDetail('NOPE')).toBeUndefined();
  });

  it('puts profiles, answering whether each was created', async () => {
    const store = memoryStores();
    const profile: Profile = { userId: 'u', fullName: 'Иванов Иван', fullNameFolded: 'иванов иван', snilsHash: 'a', snilsLast2: '95', passportHash: 'b', passportLast2: '56', phone: '+79123456789', updatedAt: T0 };
    expect(await store.profiles.putProfile(profile)).toEqual({ created: true });
    expect(await store.profiles.putProfile({ ...profile, phone: '+79000000000' })).toEqual({ created: false });
    expect((await store.profiles.getProfile('u'))?.phone).toBe('+79000000000');
    expect(await store.profiles.getProfile('other')).toBeUndefined();
  });

  it('deep-copies on the way in and out', async () => {
    const store = memoryStores();
    const input = request();
    await store.requests.createRequest(input, received, record(), T0);
    input.status = 'cancelled';
    input.written?.attempts.push({ at: T0 });
    expect(await store.requests.getRequest('REQ1')).toEqual(request());

    const out = await store.requests.getRequest('REQ1');
    if (!out?.written) throw new Error('missing');
    out.written.topic = 'changed';
    out.identity.phone = 'changed';
    const detail = await store.requests.getRequestDetail('REQ1');
    detail?.timeline.push({ at: T0, event: 'forged' });
    expect(await store.requests.getRequestDetail('REQ1')).toEqual({ request: request(), timeline: [received], comments: [], attachments: [], callIds: [] });

    const replay = await store.requests.createRequest(request({ id: 'X' }), received, record(), T0);
    if (replay.kind !== 'replay') throw new Error('expected replay');
    (replay.record.body as { id: string }).id = 'forged';
    expect(store.table.idempotencyRecord(record().scope)?.body).toEqual({ id: 'REQ1' });

    const patch: { problems: { field: 'phone' | 'snils'; code: 'mismatch' }[] } = { problems: [{ field: 'phone', code: 'mismatch' }] };
    await store.requests.transition('REQ1', ['received'], patch, { at: T0, event: 'routed' }, T0);
    patch.problems.push({ field: 'snils', code: 'mismatch' });
    expect((await store.requests.getRequest('REQ1'))?.problems).toEqual([{ field: 'phone', code: 'mismatch' }]);
  });

  it('drops undefined members as the DynamoDB marshaller does', async () => {
    const store = memoryStores();
    await store.requests.createRequest(request({ relatedNumber: undefined }), received, undefined, T0);
    expect(await store.requests.getRequest('REQ1')).not.toHaveProperty('relatedNumber');
  });
});

describe('memorySms', () => {
  it('records what was sent, with the clock time', async () => {
    const clock = fixedClock(T0);
    const sms = memorySms(clock);
    await sms.send('+79123456789', 'one');
    clock.advanceMinutes(1);
    await sms.send('+79000000000', 'two');
    expect(sms.sent).toEqual([
      { to: '+79123456789', text: 'one', at: T0 },
      { to: '+79000000000', text: 'two', at: '2026-03-02T09:01:00.000Z' },
    ]);
    expect(sms.to('+79000000000').map((s) => s.text)).toEqual(['two']);
  });

  it('fails the next N sends with SmsSendError, recording nothing, then works again', async () => {
    const sms = memorySms(fixedClock(T0));
    sms.failNext(2);
    await expect(sms.send('+79123456789', 'a')).rejects.toBeInstanceOf(SmsSendError);
    await expect(sms.send('+79123456789', 'b')).rejects.toBeInstanceOf(SmsSendError);
    await sms.send('+79123456789', 'c');
    expect(sms.sent.map((s) => s.text)).toEqual(['c']);
  });
});

describe('memoryWorkflows', () => {
  it('records starts; the same execution name twice is one execution', async () => {
    const wf = memoryWorkflows();
    await wf.start('intake', 'REQ1', { requestId: 'REQ1' });
    await wf.start('intake', 'REQ1', { requestId: 'REQ1' });
    await wf.start('intake', 'REQ2', { requestId: 'REQ2' });
    expect(wf.started).toEqual([
      { workflow: 'intake', name: 'REQ1', input: { requestId: 'REQ1' } },
      { workflow: 'intake', name: 'REQ2', input: { requestId: 'REQ2' } },
    ]);
    expect(wf.startCalls).toBe(3);
  });

  it('records task callbacks', async () => {
    const wf = memoryWorkflows();
    await wf.sendTaskSuccess('t1', { ok: true });
    await wf.sendTaskFailure('t2', 'Err', 'cause');
    expect(wf.callbacks).toEqual([
      { taskToken: 't1', outcome: 'success', output: { ok: true } },
      { taskToken: 't2', outcome: 'failure', error: 'Err', cause: 'cause' },
    ]);
  });
});

describe('fixedClock and sequenceIds', () => {
  it('stands still until set or advanced', () => {
    const clock = fixedClock(T0);
    expect(clock.now().toISOString()).toBe(T0);
    expect(clock.now().toISOString()).toBe(T0);
    clock.advanceSeconds(30);
    expect(clock.now().toISOString()).toBe('2026-03-02T09:00:30.000Z');
    clock.advanceDays(1);
    expect(clock.now().toISOString()).toBe('2026-03-03T09:00:30.000Z');
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const handed = clock.now();
    handed.setFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2027);
    expect(() => clock.set('not a time')).toThrow();
  });

  it('gives unique, increasing, deterministic ids and chars', () => {
    const a = sequenceIds();
    const b = sequenceIds();
    const ids = [a.newId(), a.newId(), a.newId()];
    expect(ids).toEqual([b.newId(), b.newId(), b.newId()]);
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const chars = [a.randomChars(6), a.randomChars(6)];
    expect(chars[0]).not.toBe(chars[1]);
    for (const c of chars) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    a.queueChars('ZZZZZZ');
    expect(a.randomChars(6)).toBe('ZZZZZZ');
  });
});

describe('memoryDeps', () => {
  it('builds every dependency, sharing one clock, with a keyed hasher under the fixed test key', async () => {
    const deps = memoryDeps();
    for (const key of ['profiles', 'requests', 'slots', 'calls', 'codes', 'attachments', 'reconcile', 'calendar', 'table', 'sms', 'workflows', 'clock', 'ids', 'hasher'] as const) expect(deps[key]).toBeDefined();
    await deps.sms.send('+79123456789', 'x');
    expect(deps.sms.sent[0]?.at).toBe(deps.clock.now().toISOString());
    const reference = hmacHasher(async () => TEST_HASH_KEY);
    expect(await deps.hasher.keyed('snils', '11223344595')).toBe(await reference.keyed('snils', '11223344595'));
    expect(await deps.hasher.keyed('snils', '1')).not.toBe(await deps.hasher.keyed('passport', '1'));
  });

  it('takes overrides', () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    const deps = memoryDeps({ clock });
    expect(deps.clock).toBe(clock);
    expect(deps.clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });
});
