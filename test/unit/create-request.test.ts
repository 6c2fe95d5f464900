import { beforeEach, describe, expect, it } from 'vitest';
import { IdempotencyMismatchError, ValidationError } from '#core/errors';
import { type CreateRequestInput, createRequest } from '#core/requests/create-request';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { callbackInput, identity, writtenInput } from './fixtures.ts';

let deps: MemoryDeps;
beforeEach(() => {
  deps = memoryDeps();
});

/** Every key of every object reversed, recursively: the same body in another key order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse().map(([k, v]) => [k, reverseKeys(v)])) as T;
  }
  return value;
}

describe('createRequest', () => {
  it('stores a received request, answers 202 with Location and starts the intake workflow named after it', async () => {
    const out = await createRequest(deps, 'user-1', writtenInput(), undefined);
    const body = out.body as { id: string; number: string };
    expect(out.statusCode).toBe(202);
    expect(out.headers).toEqual({ Location: `/v1/requests/${body.id}` });
    expect(out.body).toEqual({ id: body.id, number: body.number, channel: 'written', type: 'technical', status: 'received', createdAt: '2026-03-02T09:00:00.000Z' });
    expect(body.number).toMatch(/^20260302-[0-9A-HJKMNP-TV-Z]{6}$/);

    const stored = await deps.requests.getRequest(body.id);
    expect(stored).toMatchObject({ id: body.id, userId: 'user-1', status: 'received', channel: 'written', type: 'technical', number: body.number });
    expect(stored?.identity).toMatchObject({ fullNameFolded: 'иванов иван иванович', snilsLast2: '95', passportLast2: '56', phone: '+79123456789' });
    expect((await deps.requests.getRequestDetail(body.id))?.timeline).toEqual([{ at: '2026-03-02T09:00:00.000Z', event: 'received' }]);
    expect(deps.workflows.started).toEqual([{ workflow: 'intake', name: body.id, input: { requestId: body.id } }]);
  });

  it('keeps no registration address on the request: verification never compares it, the profile holds it', async () => {
    const input = writtenInput({ identity: identity({ registrationAddress: 'г. Москва, ул. Тверская, д. 1' }) });
    const out = await createRequest(deps, 'user-1', input, undefined);
    const stored = await deps.requests.getRequest((out.body as { id: string }).id);
    expect(stored?.identity.phone).toBe('+79123456789');
    expect(stored?.identity).not.toHaveProperty('registrationAddress');
    expect(JSON.stringify(stored)).not.toContain('Тверская');
  });

  it('stores callback phones as E.164 with their extension and the window in UTC', async () => {
    const input = callbackInput({
      callback: {
        phone: '8 (495) 123-45-67 доб. 12',
        description: 'd',
        preferredWindow: { from: '2026-03-02T15:00:00+03:00', to: '2026-03-02T18:00:00+03:00' },
      },
    });
    const out = await createRequest(deps, 'user-1', input);
    const stored = await deps.requests.getRequest((out.body as { id: string }).id);
    expect(stored?.callback).toEqual({
      phone: { e164: '+74951234567', extension: '12' },
      description: 'd',
      preferredWindow: { from: '2026-03-02T12:00:00.000Z', to: '2026-03-02T15:00:00.000Z' },
    });
    expect(stored?.written).toBeUndefined();
  });

  it('never stores the SNILS or the passport series and number in clear', async () => {
    // a passport number that does not also occur in the phone +79123456789
    const input = writtenInput({ identity: identity({ passport: { series: '4602', number: '731508', issuedOn: '2015-03-20' } }) });
    await createRequest(deps, 'user-1', input, 'key-1');
    const json = JSON.stringify(deps.table.snapshot());
    const digitsOnly = json.replace(/[^0-9]/g, '');
    for (const secret of ['11223344595', '112-233-445 95', '112 233 445 95', '112233445', '4602731508', '4602 731508', '731508']) {
      expect(json).not.toContain(secret);
    }
    expect(digitsOnly).not.toContain('11223344595');
    expect(digitsOnly).not.toContain('4602731508');
    // but the hashes and last digits are there
    const stored = deps.table.snapshot().requests[0];
    expect(stored?.identity.snilsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.identity.passportHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects invalid input with every problem, storing and starting nothing', async () => {
    const input = writtenInput({ identity: { ...writtenInput().identity, snils: '1', phone: '+7 495 123-45-67' } });
    const error = await createRequest(deps, 'user-1', input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['identity.snils', 'identity.phone']);
    expect(deps.table.snapshot().requests).toEqual([]);
    expect(deps.workflows.started).toEqual([]);
  });

  describe('Idempotency-Key', () => {
    it('same key and same body → the first response again, one request, one execution', async () => {
      const first = await createRequest(deps, 'user-1', writtenInput(), 'key-1');
      deps.clock.advanceMinutes(5);
      const second = await createRequest(deps, 'user-1', writtenInput(), 'key-1');
      expect(second).toEqual(first);
      expect(deps.table.snapshot().requests).toHaveLength(1);
      expect(deps.workflows.started).toHaveLength(1);
    });

    it('replays even after 23 hours, and creates afresh once the record has expired (24 h)', async () => {
      const first = await createRequest(deps, 'user-1', writtenInput(), 'key-1');
      deps.clock.advance(24 * 3_600_000 - 1);
      expect(await createRequest(deps, 'user-1', writtenInput(), 'key-1')).toEqual(first);
      deps.clock.advance(1);
      const later = await createRequest(deps, 'user-1', writtenInput(), 'key-1');
      expect((later.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
      expect(deps.table.snapshot().requests).toHaveLength(2);
    });

    it('same key and another body → IdempotencyMismatchError, nothing new stored', async () => {
      await createRequest(deps, 'user-1', writtenInput(), 'key-1');
      const other = writtenInput({ type: 'complaint' });
      await expect(createRequest(deps, 'user-1', other, 'key-1')).rejects.toBeInstanceOf(IdempotencyMismatchError);
      expect(deps.table.snapshot().requests).toHaveLength(1);
    });

    it('the key order of the body does not matter', async () => {
      const input: CreateRequestInput = writtenInput({ relatedKind: 'inn', relatedNumber: '7707083893' });
      const first = await createRequest(deps, 'user-1', input, 'key-1');
      const reordered = reverseKeys(input);
      expect(Object.keys(reordered)).not.toEqual(Object.keys(input));
      expect(await createRequest(deps, 'user-1', reordered, 'key-1')).toEqual(first);
      expect(deps.table.snapshot().requests).toHaveLength(1);
    });

    it('keys are per caller: another user with the same key gets their own request', async () => {
      const a = await createRequest(deps, 'user-1', writtenInput(), 'key-1');
      const b = await createRequest(deps, 'user-2', writtenInput(), 'key-1');
      expect((b.body as { id: string }).id).not.toBe((a.body as { id: string }).id);
      expect(deps.table.snapshot().requests).toHaveLength(2);
    });

    it('without a key the same body creates two requests', async () => {
      await createRequest(deps, 'user-1', writtenInput());
      await createRequest(deps, 'user-1', writtenInput());
      expect(deps.table.snapshot().requests).toHaveLength(2);
    });

    it('a replay starts the workflow again under the same name (in case the first start failed), which is a no-op', async () => {
      const first = await createRequest(deps, 'user-1', writtenInput(), 'key-1');
      await createRequest(deps, 'user-1', writtenInput(), 'key-1');
      const id = (first.body as { id: string }).id;
      expect(deps.workflows.startCalls).toBe(2);
      expect(deps.workflows.started).toEqual([{ workflow: 'intake', name: id, input: { requestId: id } }]);
    });
  });

  describe('request numbers', () => {
    it('are unique: a taken number is drawn again', async () => {
      deps.ids.queueChars('AAAAAA', 'AAAAAA', 'BBBBBB');
      const a = await createRequest(deps, 'user-1', writtenInput());
      const b = await createRequest(deps, 'user-1', writtenInput());
      expect((a.body as { number: string }).number).toBe('20260302-AAAAAA');
      expect((b.body as { number: string }).number).toBe('20260302-BBBBBB');
    });

    it('gives up after three taken numbers without storing anything', async () => {
      deps.ids.queueChars('AAAAAA', 'AAAAAA', 'AAAAAA', 'AAAAAA');
      await createRequest(deps, 'user-1', writtenInput());
      await expect(createRequest(deps, 'user-1', writtenInput())).rejects.toThrow(/unique request number/);
      expect(deps.table.snapshot().requests).toHaveLength(1);
      expect(deps.workflows.started).toHaveLength(1);
    });
  });
});
