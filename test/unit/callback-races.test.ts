import { describe, expect, it } from 'vitest';
import { memoryDeps } from '#adapters/memory/memory-deps';
import { enqueueDue, takeRequest } from '#core/callbacks/queue';
import { recordCall } from '#core/callbacks/record-call';
import type { SupportRequest } from '#core/requests/model';
import { storedCallbackRequest, everyQueue } from '../support/fixtures.ts';

/**
 * The races a resumed callback run (the reconciler) can meet: an operator records a call while the
 * run queues the request, so each write is conditional on what it read and is redone when that
 * changed. Driven by a store that lets "the other side" act between a read and the write.
 */
const AT = '2026-03-02T09:00:00.000Z';

function bookedCallback(over: Partial<SupportRequest> = {}): SupportRequest {
  return storedCallbackRequest('req-1', '20260302-000001', AT, { status: 'scheduled', scheduledAt: AT, ...over });
}

/** A part of the store whose first call of `method` lets `meanwhile` run first, as a concurrent writer would. */
function interleaved<T extends object>(part: T, method: keyof T & string, meanwhile: () => Promise<void>): T {
  let fired = false;
  return new Proxy(part, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        if (!fired) {
          fired = true;
          await meanwhile();
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

async function setup(over: Partial<SupportRequest> = {}) {
  const deps = memoryDeps();
  await deps.requests.createRequest(bookedCallback(over), { at: AT, event: 'scheduled' }, undefined, AT);
  return deps;
}

const unanswered = { requestId: 'req-1', direction: 'outbound' as const, phone: '+74951234567', queuedAt: AT, endedAt: '2026-03-02T09:01:00.000Z', outcome: 'no_answer' as const };

describe('callback races', () => {
  it('a run queuing the request while an attempt is counted queues the next attempt, not the counted one', async () => {
    const deps = await setup({ taskToken: 'old-run' });
    // Between the run's read and its write, an operator records the first attempt (for the old run's token).
    const slots = interleaved(deps.slots, 'enqueue', async () => {
      await recordCall(deps, everyQueue('op-1'), unanswered);
    });
    await enqueueDue({ requests: deps.requests, slots }, 'req-1', 'new-run');
    const [entry] = await deps.slots.listQueue('tech-support', 10);
    expect(entry?.attempt).toBe(2);
    expect((await deps.requests.getRequest('req-1'))?.taskToken).toBe('new-run');
  });

  it('an outcome recorded while a resumed run queues the request goes to the run that waits now', async () => {
    const deps = await setup({ taskToken: 'dead-run' });
    // The operator read the request (dead run's token); before the write, the resumed run queues it with its own.
    const calls = interleaved(deps.calls, 'putCall', async () => {
      await enqueueDue(deps, 'req-1', 'live-run');
    });
    const recorded = await recordCall({ ...deps, calls }, everyQueue('op-1'), unanswered);
    expect(recorded.waitSeconds).toBe(60);
    expect(deps.workflows.callbacks.map((c) => c.taskToken)).toEqual(['live-run']);
    const r = await deps.requests.getRequest('req-1');
    expect(r?.attempts).toBe(1);
    expect(r?.taskToken).toBeUndefined();
    expect(await deps.slots.listQueue('tech-support', 10)).toEqual([]);
  });

  it('an operator of another queue cannot record a call for the request (404), and a taken one is the assignee\'s (409 taken)', async () => {
    const deps = await setup({ taskToken: 't' });
    await expect(recordCall(deps, { id: 'op-9', queues: ['services'] }, unanswered)).rejects.toMatchObject({ code: 'not_found' });
    await takeRequest(deps, everyQueue('op-1'), 'req-1');
    await expect(recordCall(deps, everyQueue('op-2'), unanswered)).rejects.toMatchObject({ code: 'taken' });
    expect(await deps.calls.listCallsOfRequest('req-1')).toEqual([]);
    expect((await deps.requests.getRequest('req-1'))?.attempts ?? 0).toBe(0);
    expect((await recordCall(deps, everyQueue('op-1'), unanswered)).waitSeconds).toBe(60);
  });

  it('a take that lands between an operator\'s read and the call\'s write wins: 409 taken, no call stored', async () => {
    const deps = await setup({ taskToken: 't' });
    const calls = interleaved(deps.calls, 'putCall', async () => {
      await takeRequest(deps, everyQueue('op-1'), 'req-1');
    });
    await expect(recordCall({ ...deps, calls }, everyQueue('op-2'), unanswered)).rejects.toMatchObject({ code: 'taken' });
    expect(await deps.calls.listCallsOfRequest('req-1')).toEqual([]);
    expect(await deps.requests.getRequest('req-1')).toMatchObject({ status: 'in_progress', assignedTo: 'op-1', taskToken: 't' });
  });

  it('recording the call of a callback nobody holds takes it', async () => {
    const deps = await setup({ taskToken: 't' });
    await recordCall(deps, everyQueue('op-3'), unanswered);
    expect((await deps.requests.getRequest('req-1'))?.assignedTo).toBe('op-3');
  });

  it('an outcome for a request that closed meanwhile is refused with not_awaiting_call and stores no call', async () => {
    const deps = await setup({ taskToken: 't' });
    const calls = interleaved(deps.calls, 'putCall', async () => {
      await deps.requests.transition('req-1', ['scheduled'], { status: 'cancelled', taskToken: null }, { at: AT, event: 'cancelled' }, AT);
    });
    await expect(recordCall({ ...deps, calls }, everyQueue('op-1'), unanswered)).rejects.toMatchObject({ code: 'not_awaiting_call' });
    expect(await deps.calls.listCallsOfRequest('req-1')).toEqual([]);
  });
});
