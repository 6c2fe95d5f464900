import { describe, expect, it } from 'vitest';
import { StaleTransitionError } from '#core/errors';
import type { CallRecord } from '#core/callbacks/model';
import type { SupportRequest } from '#core/requests/model';
import type { OtpRecord } from '#core/otp/otp';
import type { IdempotencyRecord } from '#ports/stores/requests';
import { storedWrittenRequest } from '../support/fixtures.ts';
import { freshTable } from '../support/integration.ts';
import { keys } from '#adapters/dynamodb/keys';
import { getItems, tableClient } from '#adapters/dynamodb/table-client';

const request = storedWrittenRequest;

function record(scope: string, bodyHash: string, id: string, expiresAt = new Date(Date.now() + 86_400_000).toISOString()): IdempotencyRecord {
  return { scope, bodyHash, statusCode: 202, body: { id }, headers: { Location: `/v1/requests/${id}` }, expiresAt };
}

function otp(issuedAt: string, codeHash: string): OtpRecord {
  const expiresAt = new Date(Date.parse(issuedAt) + 300_000).toISOString();
  return { purpose: 'phone-change', subject: 'user-1', codeHash, issuedAt, expiresAt, attemptsLeft: 5, used: false, sendTimes: [issuedAt], target: '+79990001122' };
}

describe('DynamoDB store against DynamoDB Local', () => {
  it('restoreOtp puts the previous code back (or none), only while its own record is the stored one', async () => {
    const { store } = await freshTable();
    const t0 = new Date().toISOString();
    const t1 = new Date(Date.now() + 61_000).toISOString();
    const first = otp(t0, 'hash-1');
    const second = otp(t1, 'hash-2');
    expect(await store.codes.putOtp(first, undefined)).toBe(true);
    expect(await store.codes.putOtp(second, t0)).toBe(true);
    expect(await store.codes.restoreOtp(second, first)).toBe(true);
    expect(await store.codes.getOtp('phone-change', 'user-1')).toEqual(first);
    // Not its record any more: a stale restore changes nothing.
    expect(await store.codes.restoreOtp(second, undefined)).toBe(false);
    expect(await store.codes.getOtp('phone-change', 'user-1')).toEqual(first);
    // No previous code: the record goes.
    expect(await store.codes.restoreOtp(first, undefined)).toBe(true);
    expect(await store.codes.getOtp('phone-change', 'user-1')).toBeUndefined();
    expect(await store.codes.putOtp(first, undefined)).toBe(true);
  });

  it('creates a request with its first timeline event and reads it back', async () => {
    const { store } = await freshTable();
    const now = new Date().toISOString();
    expect(await store.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, undefined, now)).toEqual({ kind: 'created' });
    const detail = await store.requests.getRequestDetail('r1');
    expect(detail?.request).toMatchObject({ id: 'r1', number: 'N-1', status: 'received' });
    expect(detail?.timeline).toEqual([{ at: now, event: 'received' }]);
    expect(await store.requests.getRequest('missing')).toBeUndefined();
  });

  it('refuses a second request with a number already issued', async () => {
    const { store } = await freshTable();
    const now = new Date().toISOString();
    await store.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, undefined, now);
    expect(await store.requests.createRequest(request('r2', 'N-1'), { at: now, event: 'received' }, undefined, now)).toEqual({ kind: 'number_taken' });
    expect(await store.requests.getRequest('r2')).toBeUndefined();
  });

  it('replays a live idempotency record and writes nothing else', async () => {
    const { store } = await freshTable();
    const now = new Date().toISOString();
    await store.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, record('u:k', 'hash-a', 'r1'), now);
    const again = await store.requests.createRequest(request('r2', 'N-2'), { at: now, event: 'received' }, record('u:k', 'hash-a', 'r2'), now);
    expect(again).toMatchObject({ kind: 'replay', record: { bodyHash: 'hash-a', body: { id: 'r1' } } });
    expect(await store.requests.getRequest('r2')).toBeUndefined();
  });

  it('treats an expired idempotency record as absent even before TTL deletes it', async () => {
    const { store } = await freshTable();
    const past = new Date(Date.now() - 1000).toISOString();
    const now = new Date().toISOString();
    await store.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, record('u:k', 'hash-a', 'r1', past), now);
    const second = await store.requests.createRequest(request('r2', 'N-2'), { at: now, event: 'received' }, record('u:k', 'hash-b', 'r2'), now);
    expect(second).toEqual({ kind: 'created' });
  });

  it('creates exactly one request for 20 concurrent duplicates of one key', async () => {
    const { store } = await freshTable();
    const now = new Date().toISOString();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.requests.createRequest(request(`r${i}`, `N-${i}`), { at: now, event: 'received' }, record('u:same', 'hash-a', `r${i}`), now),
      ),
    );
    const created = outcomes.filter((o) => o.kind === 'created');
    expect(created).toHaveLength(1);
    const replays = outcomes.filter((o) => o.kind === 'replay');
    expect(replays).toHaveLength(19);
    const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => store.requests.getRequest(`r${i}`)));
    expect(stored.filter(Boolean)).toHaveLength(1);
  });

  it('a create refused because the window moved on returns the window it found, as stored', async () => {
    const { store } = await freshTable();
    const t0 = '2026-11-26T10:00:00.000Z';
    const t1 = '2026-11-26T10:05:00.000Z';
    const guard = (times: string[], version: number) => ({ window: { userId: 'user-1', times, version, retainUntil: '2026-11-27T10:05:00.000Z' } });
    expect(await store.requests.createRequest(request('r1', 'N-1', t0), { at: t0, event: 'received' }, undefined, t0, guard([t0], 0))).toEqual({ kind: 'created' });
    expect(await store.requests.createRequest(request('r2', 'N-2', t1), { at: t1, event: 'received' }, undefined, t1, guard([t0, t1], 1))).toEqual({ kind: 'created' });
    // A writer that read version 1 (before r2): refused, with the stored window, which a read returns too.
    const refused = await store.requests.createRequest(request('r3', 'N-3', t1), { at: t1, event: 'received' }, undefined, t1, guard([t0, t1], 1));
    expect(refused).toEqual({ kind: 'window_changed', current: { times: [t0, t1], version: 2 } });
    expect(await store.requests.getLimitWindow('requests', 'user-1')).toEqual({ times: [t0, t1], version: 2 });
    expect(await store.requests.getRequest('r3')).toBeUndefined();
  });

  it("a request's detail names its calls oldest first (one read of its partition), and getCalls reads them in that order", async () => {
    const { store } = await freshTable();
    const t0 = '2026-11-26T10:00:00.000Z';
    await store.requests.createRequest(request('r1', 'N-1', t0), { at: t0, event: 'received' }, undefined, t0);
    const call = (id: string, queuedAt: string): CallRecord => ({
      id,
      requestId: 'r1',
      userId: 'user-1',
      direction: 'inbound',
      phone: '+79990001122',
      operatorId: 'op-1',
      queuedAt,
      endedAt: queuedAt,
      waitSeconds: 0,
      durationSeconds: 0,
      outcome: 'no_answer',
      transcript: [],
      confirmed: false,
    });
    // Stored out of order: the links' sort key (queued time) orders them, not the order of writing.
    await store.calls.putCall(call('c-late', '2026-11-26T12:00:00.000Z'));
    await store.calls.putCall(call('c-early', '2026-11-26T10:30:00.000Z'));
    await store.calls.putCall(call('c-mid', '2026-11-26T11:00:00.000Z'));
    const detail = await store.requests.getRequestDetail('r1');
    expect(detail?.callIds).toEqual(['c-early', 'c-mid', 'c-late']);
    expect((await store.calls.getCalls(detail?.callIds ?? [])).map((c) => c.id)).toEqual(['c-early', 'c-mid', 'c-late']);
    expect((await store.calls.getCalls(['c-mid', 'gone', 'c-early'])).map((c) => c.id)).toEqual(['c-mid', 'c-early']);
    expect(await store.calls.getCalls([])).toEqual([]);
    expect((await store.calls.listCallsOfRequest('r1')).map((c) => c.id)).toEqual(['c-early', 'c-mid', 'c-late']);
  });

  it('moves a status only from the expected one, and appends the timeline event atomically', async () => {
    const { store } = await freshTable();
    const t0 = '2026-11-26T10:00:00.000Z';
    await store.requests.createRequest(request('r1', 'N-1', t0), { at: t0, event: 'received' }, undefined, t0);
    const t1 = '2026-11-26T10:00:01.000Z';
    await store.requests.transition('r1', ['received'], { status: 'registered', dueBy: '2026-12-26T10:00:01.000Z' }, { at: t1, event: 'registered' }, t1);
    const moved = await store.requests.getRequest('r1');
    expect(moved).toMatchObject({ status: 'registered', updatedAt: t1, dueBy: '2026-12-26T10:00:01.000Z' });
    await expect(store.requests.transition('r1', ['received'], { status: 'needs_info' }, { at: t1, event: 'needs_info' }, t1)).rejects.toBeInstanceOf(
      StaleTransitionError,
    );
    const detail = await store.requests.getRequestDetail('r1');
    expect(detail?.request.status).toBe('registered');
    expect(detail?.timeline.map((e) => e.event)).toEqual(['received', 'registered']);
    await expect(store.requests.transition('nope', ['received'], { status: 'registered' }, { at: t1, event: 'registered' }, t1)).rejects.toBeInstanceOf(
      StaleTransitionError,
    );
    expect(await store.requests.getRequestDetail('nope')).toBeUndefined();
  });

  it('creates a profile once and then replaces it', async () => {
    const { store } = await freshTable();
    const profile = {
      userId: 'u1',
      fullName: 'Иванов Иван',
      fullNameFolded: 'иванов иван',
      snilsHash: 'a',
      snilsLast2: '95',
      passportHash: 'b',
      passportLast2: '56',
      phone: '+79123456789',
      updatedAt: new Date().toISOString(),
    };
    expect(await store.profiles.putProfile(profile)).toEqual({ created: true });
    expect(await store.profiles.putProfile({ ...profile, phone: '+79990000000' })).toEqual({ created: false });
    expect((await store.profiles.getProfile('u1'))?.phone).toBe('+79990000000');
  });

  it('lists a citizen\'s requests newest first through GSI1, in pages that join up, never another\'s', async () => {
    const { store } = await freshTable();
    const base = Date.parse('2026-11-26T10:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const at = new Date(base + i * 1000).toISOString();
      const id = `01M8C2${String(i).padStart(20, '0')}`;
      ids.push(id);
      await store.requests.createRequest(request(id, `N-${i}`, at), { at, event: 'received' }, undefined, at);
    }
    const other = { ...request('01OTHER00000000000000000000'.slice(0, 26), 'N-X'), userId: 'user-2' };
    await store.requests.createRequest(other, { at: other.createdAt, event: 'received' }, undefined, other.createdAt);
    const seen: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    do {
      const page = await store.requests.listRequestsByOwner('user-1', 3, after);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((r) => r.id));
      after = page.next;
    } while (after);
    expect(seen).toEqual([...ids].reverse());
    expect((await store.requests.listRequestsByOwner('user-2', 10)).items.map((r) => r.userId)).toEqual(['user-2']);
  });

  it('adds exactly one comment for 20 concurrent duplicates of one key, and refuses closed requests', async () => {
    const { store } = await freshTable();
    const now = new Date().toISOString();
    await store.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, undefined, now);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.requests.appendComment('r1', { id: `c${i}`, at: now, author: 'citizen', text: 'x' }, ['received'], record('u:comment', 'h', `c${i}`), now),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'replay')).toHaveLength(19);
    expect((await store.requests.getRequestDetail('r1'))?.comments).toHaveLength(1);
    await store.requests.transition('r1', ['received'], { status: 'cancelled' }, { at: now, event: 'cancelled' }, now);
    expect(await store.requests.appendComment('r1', { id: 'late', at: now, author: 'citizen', text: 'x' }, ['received'], undefined, now)).toEqual({ kind: 'closed' });
    expect(await store.requests.appendComment('nope', { id: 'x', at: now, author: 'citizen', text: 'x' }, ['received'], undefined, now)).toEqual({ kind: 'not_found' });
    expect((await store.requests.getRequestDetail('r1'))?.comments).toHaveLength(1);
  });

  it('remembers which notices went out', async () => {
    const { store } = await freshTable();
    expect(await store.requests.noticeSent('r1', 'registered')).toBe(false);
    await store.requests.recordNotice('r1', 'registered', new Date().toISOString());
    expect(await store.requests.noticeSent('r1', 'registered')).toBe(true);
    expect(await store.requests.noticeSent('r1', 'answered')).toBe(false);
  });

  it('reads a request and its notice mark in one BatchGet, and tells each apart', async () => {
    const { store } = await freshTable();
    expect(await store.requests.getRequestForNotice('r1', 'registered')).toEqual({ request: undefined, noticeSent: false });
    const now = new Date().toISOString();
    await store.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, undefined, now);
    expect(await store.requests.getRequestForNotice('r1', 'registered')).toEqual({ request: await store.requests.getRequest('r1'), noticeSent: false });
    await store.requests.recordNotice('r1', 'registered', new Date().toISOString());
    const both = await store.requests.getRequestForNotice('r1', 'registered');
    expect([both.request?.id, both.noticeSent]).toEqual(['r1', true]);
    expect((await store.requests.getRequestForNotice('r1', 'answered')).noticeSent).toBe(false);
    expect(await store.requests.getRequestForNotice('r2', 'registered')).toEqual({ request: undefined, noticeSent: false });
  });

  it('reads the keys a BatchGet leaves unprocessed one by one, never taking them for missing items', async () => {
    const { client, tableName, store } = await freshTable();
    await store.requests.recordNotice('r1', 'registered', new Date().toISOString());
    const table = tableClient(client, tableName);
    const send = table.doc.send.bind(table.doc);
    const sent: string[] = [];
    // DynamoDB under throttling: the batch answers nothing and hands every key back.
    table.doc.send = (async (command: { constructor: { name: string }; input: { RequestItems?: Record<string, { Keys: unknown[] }> } }) => {
      sent.push(command.constructor.name);
      const out = (await send(command as never)) as Record<string, unknown>;
      if (command.constructor.name !== 'BatchGetCommand') return out;
      return { ...out, Responses: { [tableName]: [] }, UnprocessedKeys: { [tableName]: { Keys: command.input.RequestItems?.[tableName]?.Keys, ConsistentRead: true } } };
    }) as never;
    const [req, mark, other] = await getItems(table, [keys.request('r1'), keys.notice('r1', 'registered'), keys.notice('r1', 'answered')]);
    expect(req).toBeUndefined();
    expect(mark?.notice).toBe('registered');
    expect(other).toBeUndefined();
    expect(sent).toEqual(['BatchGetCommand', 'GetCommand', 'GetCommand', 'GetCommand']);
  });
});
