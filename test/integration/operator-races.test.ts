import { describe, expect, it } from 'vitest';
import { memoryWorkflows } from '#adapters/memory/memory-workflows';
import { takeRequest } from '#core/callbacks/queue';
import { recordCall } from '#core/callbacks/record-call';
import { answerRequest } from '#core/requests/answer';
import type { SupportRequest } from '#core/requests/model';
import type { Deps } from '#ports/deps';
import { everyQueue, storedCallbackRequest } from '../support/fixtures.ts';
import { freshTable, realSystem } from '../support/integration.ts';

/**
 * "Take" is not advisory: on DynamoDB Local, 20 operators of the same queue act on one request at
 * the same moment, and the conditional writes let exactly one of them hold it.
 */
async function setup(request: SupportRequest) {
  const { store } = await freshTable();
  const deps = { ...store, workflows: memoryWorkflows(), ...realSystem() } as unknown as Deps;
  await store.requests.createRequest(request, { at: request.createdAt, event: 'received' }, undefined, request.createdAt);
  return deps;
}

const operators = Array.from({ length: 20 }, (_, i) => everyQueue(`op-${String(i).padStart(2, '0')}`));

function written(id: string): SupportRequest {
  const at = new Date().toISOString();
  const base = storedCallbackRequest(id, `20261201-${id.slice(-6)}`, at, { status: 'registered' });
  const { callback: _callback, ...rest } = base;
  return { ...rest, channel: 'written', written: { topic: 'Тема', text: 'Текст', attempts: [] }, route: { queue: 'tech-support', line: 'x' } };
}

describe('20 operators at once', () => {
  it('take and answer race: one operator ends up holding and answering the request, the others get 409', async () => {
    const deps = await setup(written('race-000001'));
    const outcomes = await Promise.allSettled(operators.map((op, i) => (i % 2 === 0 ? takeRequest(deps, op, 'race-000001') : answerRequest(deps, op, 'race-000001', { text: `Ответ ${op.id}` }))));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const codes = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code?: string }).code] : []));
    expect(won).toHaveLength(1);
    expect(codes.filter((c) => !['taken', 'not_answerable', 'not_takeable'].includes(String(c)))).toEqual([]);
    const stored = await deps.requests.getRequest('race-000001');
    const winner = operators[outcomes.findIndex((o) => o.status === 'fulfilled')]?.id;
    expect(stored?.assignedTo).toBe(winner);
    if (stored?.status === 'answered') expect(stored.answer?.operatorId).toBe(winner);
    else expect(stored?.status).toBe('in_progress');
  });

  it('a taken callback: 20 other operators recording its call at once all get 409 taken, and no call is stored', async () => {
    const at = new Date().toISOString();
    const deps = await setup(storedCallbackRequest('race-000002', '20261201-000002', at, { status: 'scheduled', scheduledAt: at, taskToken: 't' }));
    await takeRequest(deps, everyQueue('holder'), 'race-000002');
    const now = Date.now();
    const body = { requestId: 'race-000002', direction: 'outbound' as const, phone: '+74951234567', queuedAt: new Date(now - 120_000).toISOString(), endedAt: new Date(now - 60_000).toISOString(), outcome: 'no_answer' as const };
    const outcomes = await Promise.allSettled(operators.map((op) => recordCall(deps, op, body)));
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'recorded'))).toEqual(operators.map(() => 'taken'));
    expect(await deps.calls.listCallsOfRequest('race-000002')).toEqual([]);
    expect(await deps.requests.getRequest('race-000002')).toMatchObject({ status: 'in_progress', assignedTo: 'holder' });
  });

  it('a callback nobody holds: of 20 operators recording its call at once, one counts the attempt and holds it', async () => {
    const at = new Date().toISOString();
    const deps = await setup(storedCallbackRequest('race-000003', '20261201-000003', at, { status: 'scheduled', scheduledAt: at, taskToken: 't' }));
    const now = Date.now();
    const body = { requestId: 'race-000003', direction: 'outbound' as const, phone: '+74951234567', queuedAt: new Date(now - 120_000).toISOString(), endedAt: new Date(now - 60_000).toISOString(), outcome: 'no_answer' as const };
    const outcomes = await Promise.allSettled(operators.map((op) => recordCall(deps, op, body)));
    const recorded = outcomes.filter((o) => o.status === 'fulfilled');
    expect(recorded).toHaveLength(1);
    const stored = await deps.requests.getRequest('race-000003');
    expect(stored?.attempts).toBe(1);
    expect(stored?.assignedTo).toBe(operators[outcomes.findIndex((o) => o.status === 'fulfilled')]?.id);
    expect(await deps.calls.listCallsOfRequest('race-000003')).toHaveLength(1);
  });
});
