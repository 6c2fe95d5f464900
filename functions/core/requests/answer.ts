import type { Deps } from '#ports/deps';
import { NotFoundError, StaleTransitionError, StateConflictError } from '../errors.ts';
import { startOrLeaveToReconciler } from '../reconcile/record-failure.ts';

/** An operator's written answer: the request becomes `answered` and the citizen gets an SMS. */
export async function answerRequest(deps: Pick<Deps, 'store' | 'clock' | 'workflows' | 'metrics'>, operatorId: string, requestId: string, input: { text: string }) {
  const request = await deps.store.getRequest(requestId);
  if (!request) throw new NotFoundError('request');
  if (request.channel !== 'written') throw new StateConflictError('not_written', 'Only written requests are answered in writing.');
  const at = deps.clock.now().toISOString();
  let answered;
  try {
    answered = await deps.store.transition(
      requestId,
      ['registered', 'in_progress'],
      { status: 'answered', answer: { text: input.text, at, operatorId } },
      { at, event: 'answered', detail: `operator ${operatorId}` },
      at,
    );
  } catch (error) {
    if (error instanceof StaleTransitionError) throw new StateConflictError('not_answerable', 'The request is not awaiting an answer.');
    throw error;
  }
  // The SMS goes through the notice workflow, which retries it; the answer is already stored.
  await startOrLeaveToReconciler(deps, { workflow: 'notice', name: `${requestId}-answered`, input: { requestId, kind: 'answered' } }, requestId, 'Notify');
  return { id: answered.id, number: answered.number, status: answered.status, answer: { text: input.text, at } };
}
