import type { Deps } from '#ports/deps';
import { NotFoundError, StaleTransitionError, StateConflictError } from '../errors.ts';
import { type Operator, assertWorksQueue, operatorRequest } from '../requests/operator-access.ts';
import { routeFor } from '../routing/routing-table.ts';
import type { QueueEntry } from './model.ts';
import { loadCallback } from './schedule.ts';

/**
 * The operator queue: due callbacks, in queue order, until an outcome is recorded. The entry names
 * the attempt it is for; it is stored only while no other attempt was counted since it was read
 * (an operator may record a call at that very moment), else it is built again.
 */
export async function enqueueDue(deps: Pick<Deps, 'requests' | 'slots'>, requestId: string, taskToken: string) {
  for (let round = 1; ; round += 1) {
    const request = await loadCallback(deps, requestId);
    if (request.status !== 'scheduled' && request.status !== 'in_progress') throw new StaleTransitionError(`callback is ${request.status}`);
    const callback = request.callback;
    if (!callback || !request.scheduledAt) throw new StaleTransitionError('callback has no booking');
    const entry: QueueEntry = {
      requestId,
      number: request.number,
      queue: request.route.queue,
      type: request.type,
      dueAt: request.scheduledAt,
      createdAt: request.createdAt,
      attempt: (request.attempts ?? 0) + 1,
      phone: callback.phone.e164,
      ...(callback.phone.extension ? { extension: callback.phone.extension } : {}),
      description: callback.description,
      ...(callback.note !== undefined ? { note: callback.note } : {}),
      questions: routeFor(request.type).questions,
    };
    try {
      await deps.slots.enqueue(entry, taskToken, { attempts: request.attempts ?? 0 });
      return { queued: true };
    } catch (error) {
      if (!(error instanceof StaleTransitionError) || round >= 3) throw error;
    }
  }
}

/** A queue the operator works (403 otherwise), in queue order. */
export async function listQueue(deps: Pick<Deps, 'slots'>, operator: Operator, queue: string, limit: number) {
  assertWorksQueue(operator, queue);
  return { items: await deps.slots.listQueue(queue, limit) };
}

/**
 * An operator takes a request of one of their queues: one wins, another gets 409 `taken`; taking it
 * again is a no-op. A request outside the operator's queues is 404, as if it did not exist.
 */
export async function takeRequest(deps: Pick<Deps, 'requests' | 'clock'>, operator: Operator, requestId: string) {
  const operatorId = operator.id;
  const request = await operatorRequest(deps, operator, requestId);
  const at = deps.clock.now().toISOString();
  try {
    await deps.requests.transition(requestId, ['scheduled', 'registered'], { status: 'in_progress', assignedTo: operatorId }, { at, event: 'in_progress', detail: `operator ${operatorId}` }, at, {
      owner: request,
    });
  } catch (error) {
    if (!(error instanceof StaleTransitionError)) throw error;
    const current = await deps.requests.getRequest(requestId);
    if (!current) throw new NotFoundError('request');
    if (current.status === 'in_progress' && current.assignedTo === operatorId) return { id: requestId, status: 'in_progress' as const, assignedTo: operatorId };
    if (current.status === 'in_progress') throw new StateConflictError('taken', 'Another operator holds this request.');
    throw new StateConflictError('not_takeable', `The request is ${current.status}.`);
  }
  return { id: requestId, status: 'in_progress' as const, assignedTo: operatorId };
}
