import type { Deps } from '#ports/deps';
import { NotFoundError, StaleTransitionError, StateConflictError } from '../errors.ts';
import { moscowDate } from '../scheduling/moscow-time.ts';
import { CLOSED_STATUSES, STATUSES } from './model.ts';

/** A citizen withdraws their request while nobody has finished it. */
const CANCELLABLE = STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));

export async function cancelOwnRequest(deps: Pick<Deps, 'requests' | 'clock'>, userId: string, requestId: string) {
  const request = await deps.requests.getRequest(requestId);
  if (!request || request.userId !== userId) throw new NotFoundError('request');
  const at = deps.clock.now().toISOString();
  try {
    // Conditional on the status: a cancel racing an answer or another cancel loses cleanly.
    // A booked callback gives its place back in the same transaction, so it is freed exactly once.
    const releaseSlot = request.slot ? { ...request.slot, day: moscowDate(request.slot.start) } : undefined;
    await deps.requests.transition(
      requestId,
      CANCELLABLE,
      { status: 'cancelled', taskToken: null, checkAt: null, inbox: null },
      { at, event: 'cancelled', detail: 'by the citizen' },
      at,
      { owner: request, ...(releaseSlot ? { releaseSlot } : {}) },
    );
  } catch (error) {
    if (error instanceof StaleTransitionError) throw new StateConflictError('not_cancellable', 'The request is already answered, completed, missed or cancelled.');
    throw error;
  }
  return { status: 'cancelled' as const };
}
