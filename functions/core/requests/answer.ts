import type { Deps } from '#ports/deps';
import { StaleTransitionError, StateConflictError } from '../errors.ts';
import { startOrLeaveToReconciler } from '../reconcile/record-failure.ts';
import type { Status } from './model.ts';
import { type Operator, assertNotHeldByAnother, heldByAnother, operatorRequest } from './operator-access.ts';

const ANSWERABLE: Status[] = ['registered', 'in_progress'];

const notAnswerable = () => new StateConflictError('not_answerable', 'The request is not awaiting an answer.');

/**
 * An operator's written answer: the request becomes `answered` and the citizen gets an SMS. Only
 * for a request of the operator's queues (404 otherwise), and only by its assignee when someone
 * took it (409 `taken`); answering a request nobody holds takes it, in the same conditional write.
 */
export async function answerRequest(deps: Pick<Deps, 'requests' | 'clock' | 'workflows' | 'metrics'>, operator: Operator, requestId: string, input: { text: string }) {
  const operatorId = operator.id;
  const request = await operatorRequest(deps, operator, requestId);
  if (request.channel !== 'written') throw new StateConflictError('not_written', 'Only written requests are answered in writing.');
  assertNotHeldByAnother(request, operatorId);
  // Already answered (a second click, a retry) or not registered yet: the consistent read says so,
  // and the refused transaction and its re-read would only say it again. The write below still
  // holds the rule when the request moves between this read and it.
  if (!ANSWERABLE.includes(request.status)) throw notAnswerable();
  const at = deps.clock.now().toISOString();
  try {
    await deps.requests.transition(
      requestId,
      ANSWERABLE,
      { status: 'answered', assignedTo: operatorId, answer: { text: input.text, at, operatorId }, inbox: null },
      { at, event: 'answered', detail: `operator ${operatorId}` },
      at,
      { expect: { assignee: operatorId }, owner: request },
    );
  } catch (error) {
    if (!(error instanceof StaleTransitionError)) throw error;
    // Someone took it between the read and the write, or it moved on.
    const fresh = await deps.requests.getRequest(requestId);
    if (fresh && heldByAnother(fresh, operatorId)) throw new StateConflictError('taken', 'Another operator holds this request.');
    throw notAnswerable();
  }
  // The SMS goes through the notice workflow, which retries it; the answer is already stored.
  await startOrLeaveToReconciler(deps, { workflow: 'notice', name: `${requestId}-answered`, input: { requestId, kind: 'answered' } }, requestId, 'Notify');
  // The number never changes, and the write above made the status `answered`.
  return { id: request.id, number: request.number, status: 'answered' as const, answer: { text: input.text, at } };
}
