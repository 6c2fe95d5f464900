import { describe, expect, it } from 'vitest';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { IdempotencyMismatchError, NotFoundError, StateConflictError, ValidationError } from '#core/errors';
import { putProfile } from '#core/profiles/put-profile';
import { answerRequest } from '#core/requests/answer';
import { takeRequest } from '#core/callbacks/queue';
import { cancelOwnRequest } from '#core/requests/cancel';
import { addCitizenComment } from '#core/requests/comments';
import { createRequest } from '#core/requests/create-request';
import { routeRequest, sendNotice } from '#core/requests/intake';
import { listOwnRequests } from '#core/requests/list-requests';
import { getOwnRequest } from '#core/requests/get-request';
import { identity, writtenInput, PROFILE_PHONE_E164 } from './fixtures.ts';
import { everyQueue } from '../support/fixtures.ts';

/** Comments, cancel, answer and listing: the request's life after intake, on in-memory adapters. */
async function registered(deps: MemoryDeps, userId = 'user-1') {
  await putProfile(deps, userId, identity());
  const id = ((await createRequest(deps, userId, writtenInput())).body as { id: string }).id;
  await routeRequest(deps, id);
  return id;
}

describe('comments', () => {
  it('adds a citizen comment to an open request and shows it in the detail', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    deps.clock.advanceMinutes(5);
    const out = await addCitizenComment(deps, 'user-1', id, { text: 'Дополнение: ошибка 502' });
    expect(out.statusCode).toBe(201);
    expect(out.body).toMatchObject({ author: 'citizen', text: 'Дополнение: ошибка 502', at: deps.clock.now().toISOString() });
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.comments).toHaveLength(1);
    expect(detail?.request.updatedAt).toBe(deps.clock.now().toISOString());
  });

  it('refuses comments on a closed request with 409 request_closed', async () => {
    for (const close of ['cancel', 'answer'] as const) {
      const deps = memoryDeps();
      const id = await registered(deps);
      if (close === 'cancel') await cancelOwnRequest(deps, 'user-1', id);
      else await answerRequest(deps, everyQueue('op-1'), id, { text: 'Ответ' });
      await expect(addCitizenComment(deps, 'user-1', id, { text: 'ещё' })).rejects.toMatchObject({ code: 'request_closed' });
    }
  });

  it('answers 404 for another citizen\'s request and for a missing one, writing nothing', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    await expect(addCitizenComment(deps, 'intruder', id, { text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(addCitizenComment(deps, 'user-1', 'missing', { text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    expect((await deps.requests.getRequestDetail(id))?.comments).toEqual([]);
  });

  it('replays the same Idempotency-Key and body, and refuses another body with the same key', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    const first = await addCitizenComment(deps, 'user-1', id, { text: 'один' }, 'k1');
    deps.clock.advanceMinutes(1);
    expect(await addCitizenComment(deps, 'user-1', id, { text: 'один' }, 'k1')).toEqual(first);
    await expect(addCitizenComment(deps, 'user-1', id, { text: 'два' }, 'k1')).rejects.toBeInstanceOf(IdempotencyMismatchError);
    expect((await deps.requests.getRequestDetail(id))?.comments).toHaveLength(1);
    // The key is the caller's own: the same key on another request of the same caller is another body.
    const other = await registered(deps);
    await expect(addCitizenComment(deps, 'user-1', other, { text: 'один' }, 'k1')).rejects.toBeInstanceOf(IdempotencyMismatchError);
  });
});

describe('cancel', () => {
  it('cancels an open request once; a second cancel is 409 not_cancellable', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    expect(await cancelOwnRequest(deps, 'user-1', id)).toEqual({ status: 'cancelled' });
    await expect(cancelOwnRequest(deps, 'user-1', id)).rejects.toMatchObject({ code: 'not_cancellable' });
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.timeline.map((e) => e.event)).toEqual(['received', 'registered', 'cancelled']);
  });

  it('cannot cancel an answered request, nor another citizen\'s', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    await expect(cancelOwnRequest(deps, 'intruder', id)).rejects.toBeInstanceOf(NotFoundError);
    await answerRequest(deps, everyQueue('op-1'), id, { text: 'Ответ' });
    await expect(cancelOwnRequest(deps, 'user-1', id)).rejects.toBeInstanceOf(StateConflictError);
    expect((await deps.requests.getRequest(id))?.status).toBe('answered');
  });
});

describe('answer', () => {
  it('answers a registered written request and starts the answered notice', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    const out = await answerRequest(deps, everyQueue('op-7'), id, { text: 'Код отправлен повторно.' });
    expect(out).toMatchObject({ id, status: 'answered', answer: { text: 'Код отправлен повторно.' } });
    expect((await deps.requests.getRequest(id))?.answer).toMatchObject({ operatorId: 'op-7' });
    expect(deps.workflows.started).toContainEqual({ workflow: 'notice', name: `${id}-answered`, input: { requestId: id, kind: 'answered' } });
    await expect(answerRequest(deps, everyQueue('op-7'), id, { text: 'again' })).rejects.toMatchObject({ code: 'not_answerable' });
  });

  it('a second answer is refused from the read alone: no write tried, the first answer stays', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    await answerRequest(deps, everyQueue('op-7'), id, { text: 'Первый ответ' });
    let transitions = 0;
    const store = Object.assign(Object.create(deps.requests) as typeof deps.requests, {
      transition: async (...args: Parameters<typeof deps.requests.transition>) => {
        transitions += 1;
        return deps.requests.transition(...args);
      },
    });
    await expect(answerRequest({ ...deps, requests: store }, everyQueue('op-7'), id, { text: 'Второй' })).rejects.toMatchObject({ name: 'StateConflictError', code: 'not_answerable' });
    expect(transitions).toBe(0);
    expect((await deps.requests.getRequest(id))?.answer?.text).toBe('Первый ответ');
  });

  it('a request answered between the read and the write: the refused write still says not_answerable', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    const stale = await deps.requests.getRequest(id);
    await answerRequest(deps, everyQueue('op-7'), id, { text: 'Первый ответ' });
    let reads = 0;
    // The first read still sees `registered` (the other answer landed right after it).
    const store = Object.assign(Object.create(deps.requests) as typeof deps.requests, {
      getRequest: async (requestId: string) => (reads++ === 0 ? stale : deps.requests.getRequest(requestId)),
    });
    await expect(answerRequest({ ...deps, requests: store }, everyQueue('op-7'), id, { text: 'Второй' })).rejects.toMatchObject({ code: 'not_answerable' });
    expect((await deps.requests.getRequest(id))?.answer?.text).toBe('Первый ответ');
  });

  it('refuses a request still being verified (in no queue yet: 404), and a missing one', async () => {
    const deps = memoryDeps();
    await putProfile(deps, 'user-1', identity());
    const id = ((await createRequest(deps, 'user-1', writtenInput())).body as { id: string }).id;
    await expect(answerRequest(deps, everyQueue('op-1'), id, { text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(answerRequest(deps, everyQueue('op-1'), 'missing', { text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('only an operator of the request\'s queue may answer it (404 for other queues, as if missing); nothing changes', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    for (const queues of [['services', 'complaints'], [], ['status']]) {
      await expect(answerRequest(deps, { id: 'op-x', queues }, id, { text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    }
    expect((await deps.requests.getRequest(id))?.status).toBe('registered');
    const out = await answerRequest(deps, { id: 'op-t', queues: ['tech-support'] }, id, { text: 'Ответ' });
    expect(out.status).toBe('answered');
  });

  it('once taken, only the assignee answers: another operator of the same queue gets 409 taken', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    await takeRequest(deps, everyQueue('op-1'), id);
    await expect(answerRequest(deps, everyQueue('op-2'), id, { text: 'Чужой ответ' })).rejects.toMatchObject({ code: 'taken' });
    const still = await deps.requests.getRequest(id);
    expect(still).toMatchObject({ status: 'in_progress', assignedTo: 'op-1' });
    expect(still?.answer).toBeUndefined();
    expect((await answerRequest(deps, everyQueue('op-1'), id, { text: 'Ответ' })).status).toBe('answered');
  });

  it('answering a request nobody holds takes it (assignedTo), and a take that lands before the write wins: 409 taken', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    await answerRequest(deps, everyQueue('op-1'), id, { text: 'Ответ' });
    expect(await deps.requests.getRequest(id)).toMatchObject({ status: 'answered', assignedTo: 'op-1' });

    const raced = memoryDeps();
    const other = await registered(raced);
    const transition = raced.requests.transition.bind(raced.requests);
    let fired = false;
    // Operator 2 read the request (nobody held it); operator 1 takes it before operator 2's write.
    raced.requests.transition = async (...args) => {
      if (!fired) {
        fired = true;
        await takeRequest({ ...raced, requests: { ...raced.requests, transition } }, everyQueue('op-1'), other);
      }
      return transition(...args);
    };
    await expect(answerRequest(raced, everyQueue('op-2'), other, { text: 'x' })).rejects.toMatchObject({ code: 'taken' });
    expect(await raced.requests.getRequest(other)).toMatchObject({ status: 'in_progress', assignedTo: 'op-1' });
  });
});

describe('notices', () => {
  it('sends each request event\'s SMS once, however often the step runs', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    expect(await sendNotice(deps, id, 'registered')).toEqual({ sent: true });
    expect(await sendNotice(deps, id, 'registered')).toEqual({ sent: false });
    expect(await sendNotice(deps, id, 'answered')).toEqual({ sent: true });
    expect(deps.sms.sent.map((m) => m.to)).toEqual([PROFILE_PHONE_E164, PROFILE_PHONE_E164]);
  });

  it('does not mark a notice sent when sending fails, so the retry sends it', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    deps.sms.failNext(1);
    await expect(sendNotice(deps, id, 'registered')).rejects.toThrow();
    expect(await sendNotice(deps, id, 'registered')).toEqual({ sent: true });
    expect(deps.sms.sent).toHaveLength(1);
  });
});

describe('listing', () => {
  it('lists only the caller\'s requests, newest first, in pages that join up', async () => {
    const deps = memoryDeps();
    await putProfile(deps, 'user-1', identity());
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(((await createRequest(deps, 'user-1', writtenInput())).body as { id: string }).id);
      deps.clock.advanceSeconds(1);
    }
    await createRequest(deps, 'someone-else', writtenInput());
    const first = await listOwnRequests(deps, 'user-1', 2);
    expect(first.items.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextCursor).toBeDefined();
    const second = await listOwnRequests(deps, 'user-1', 2, first.nextCursor);
    const third = await listOwnRequests(deps, 'user-1', 2, second.nextCursor);
    expect([...second.items, ...third.items].map((r) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(third.nextCursor).toBeUndefined();
    expect(JSON.stringify(first)).not.toMatch(/snils|passport|identity/i);
  });

  it('refuses a cursor it did not issue', async () => {
    const deps = memoryDeps();
    for (const bad of ['garbage', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["x","y"]').toString('base64url')]) {
      await expect(listOwnRequests(deps, 'user-1', 10, bad)).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe('call outcomes after the workflow gave up waiting', () => {
  it('still records the call when the task token no longer waits', async () => {
    const { recordCall } = await import('#core/callbacks/record-call');
    const deps = memoryDeps();
    await putProfile(deps, 'user-1', identity());
    const id = ((await createRequest(deps, 'user-1', { channel: 'callback', type: 'technical', identity: identity(), callback: { phone: '+7 495 123-45-67', description: 'x' } })).body as { id: string }).id;
    await routeRequest(deps, id);
    const at = deps.clock.now().toISOString();
    await deps.slots.bookSlot(id, ['received'], { queue: 'tech-support', start: '2026-03-02T10:00:00.000Z', day: '2026-03-02', capacity: 4 }, { status: 'scheduled', scheduledAt: '2026-03-02T10:00:00.000Z' }, { at, event: 'scheduled' }, at);
    await deps.slots.enqueue({ requestId: id, number: 'N', queue: 'tech-support', type: 'technical', dueAt: at, createdAt: at, attempt: 1, phone: '+74951234567', description: 'x', questions: [] }, 'expired-token');
    const gone = { ...deps.workflows, sendTaskSuccess: async () => false };
    const out = await recordCall({ ...deps, workflows: gone }, everyQueue('op-1'), {
      requestId: id,
      direction: 'outbound',
      phone: '+74951234567',
      queuedAt: '2026-03-02T08:00:00.000Z',
      endedAt: '2026-03-02T08:01:00.000Z',
      outcome: 'no_answer',
    });
    expect(out).toMatchObject({ waitSeconds: 60, durationSeconds: 0 });
    expect((await deps.requests.getRequest(id))?.attempts).toBe(1);
    expect(await deps.slots.listQueue('tech-support', 10)).toEqual([]);
  });
});

describe("another citizen's request detail", () => {
  it('reads the request item alone and checks its owner before reading its history or calls', async () => {
    const deps = memoryDeps();
    const id = await registered(deps);
    const calls: string[] = [];
    const traced = <T extends object>(part: T): T =>
      new Proxy(part, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.push(String(prop));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    const store = { requests: traced(deps.requests), calls: traced(deps.calls) };
    await expect(getOwnRequest(store, 'user-2', id)).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toEqual(['getRequest']);
    calls.length = 0;
    await expect(getOwnRequest(store, 'user-2', 'missing')).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toEqual(['getRequest']);
    calls.length = 0;
    const own = await getOwnRequest(store, 'user-1', id);
    expect(own.id).toBe(id);
    expect([...calls].sort()).toEqual(['getCalls', 'getRequest', 'getRequestDetail']);
  });
});
