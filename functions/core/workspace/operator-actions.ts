import type { Deps } from '#ports/deps';
import { takeRequest } from '../callbacks/queue.ts';
import { NotFoundError, StaleTransitionError, StateConflictError } from '../errors.ts';
import { CITIZEN_LIMITS, tooManyComments } from '../limits/limits.ts';
import { zoneOrMoscow } from '../regions/regions.ts';
import { AWAITING_ANSWER, deadlineInForce, extendedDeadline, extensionRefusal, mayForward } from '../requests/deadlines.ts';
import { CLOSED_STATUSES, type RequestComment, STATUSES, type SupportRequest } from '../requests/model.ts';
import { type Operator, assertNotHeldByAnother, heldByAnother, operatorRequest } from '../requests/operator-access.ts';
import { formatCitizenTime } from '../scheduling/zone-time.ts';
import { startNotice } from './notices.ts';

/**
 * What an operator does on a request of their queues besides taking, calling and answering: write
 * to the citizen, give the request back, and the 59-FZ extension and forwarding. Every one acts
 * only on a request of the operator's queues (404 otherwise) and, once someone took it, only by
 * its assignee (409 `taken`); each state change is one conditional write, so two operators at
 * once never both succeed where one must.
 */
export type ActionDeps = Pick<Deps, 'requests' | 'clock' | 'ids' | 'workflows' | 'metrics'>;

const OPEN = STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));

/** Why a failed conditional write failed, from a fresh read: someone else took it, or it moved on. */
async function conflictAfter(deps: Pick<Deps, 'requests'>, id: string, operatorId: string, otherwise: StateConflictError): Promise<never> {
  const fresh = await deps.requests.getRequest(id);
  if (!fresh) throw new NotFoundError('request');
  if (heldByAnother(fresh, operatorId)) throw new StateConflictError('taken', 'Another operator holds this request.');
  throw otherwise;
}

function assertWrittenAwaiting(request: SupportRequest): void {
  if (request.channel !== 'written') throw new StateConflictError('not_written', 'Only written requests have 59-FZ deadlines.');
  if (!AWAITING_ANSWER.includes(request.status)) throw new StateConflictError('not_answerable', 'The request is not awaiting an answer.');
}

/**
 * An operator comment, by the operator who holds the request: one nobody holds is taken first (as
 * answering takes it), then the comment is written on condition that the caller still holds it.
 * The citizen gets an SMS and a notification for each (the notice workflow, per comment).
 */
export async function addOperatorComment(deps: ActionDeps, operator: Operator, requestId: string, input: { text: string }): Promise<RequestComment> {
  const request = await operatorRequest(deps, operator, requestId);
  assertNotHeldByAnother(request, operator.id);
  if (CLOSED_STATUSES.includes(request.status)) throw new StateConflictError('request_closed', 'The request is closed: comments are no longer accepted.');
  if (request.assignedTo !== operator.id) await takeRequest(deps, operator, requestId);
  const at = deps.clock.now().toISOString();
  const comment: RequestComment = { id: deps.ids.newId(), at, author: 'operator', text: input.text };
  const outcome = await deps.requests.appendComment(requestId, comment, OPEN, undefined, at, { perRequest: CITIZEN_LIMITS.commentsPerRequest, holder: operator.id });
  switch (outcome.kind) {
    case 'created':
      break;
    case 'not_found':
      throw new NotFoundError('request');
    case 'too_many':
      throw tooManyComments();
    case 'not_held':
      throw new StateConflictError('taken', 'Another operator holds this request.');
    default:
      throw new StateConflictError('request_closed', 'The request is closed: comments are no longer accepted.');
  }
  await startNotice(deps, requestId, 'comment', { ref: comment.id });
  return comment;
}

/** The assignee gives the request back: `registered` (written) or `scheduled` (callback), in its queue again. */
export async function releaseRequest(deps: ActionDeps, operator: Operator, requestId: string) {
  const request = await operatorRequest(deps, operator, requestId);
  assertNotHeldByAnother(request, operator.id);
  if (request.status !== 'in_progress' || request.assignedTo !== operator.id) throw new StateConflictError('not_taken', 'You do not hold this request.');
  const to = request.channel === 'written' ? ('registered' as const) : ('scheduled' as const);
  const at = deps.clock.now().toISOString();
  try {
    await deps.requests.transition(requestId, ['in_progress'], { status: to, assignedTo: null }, { at, event: to, detail: `released by operator ${operator.id}` }, at, {
      expect: { holder: operator.id },
      owner: request,
    });
  } catch (error) {
    if (!(error instanceof StaleTransitionError)) throw error;
    await conflictAfter(deps, requestId, operator.id, new StateConflictError('not_taken', 'You do not hold this request.'));
  }
  return { id: requestId, status: to };
}

/**
 * 59-FZ: the deadline extended once, before it passes, by 1..30 days, with a reason the citizen is
 * told (SMS and notification). It does not take the request: an extension is not an answer.
 */
export async function extendRequest(deps: ActionDeps, operator: Operator, requestId: string, input: { days: number; reason: string }) {
  const request = await operatorRequest(deps, operator, requestId);
  assertWrittenAwaiting(request);
  assertNotHeldByAnother(request, operator.id);
  const now = deps.clock.now();
  const refusal = extensionRefusal(request, now);
  if (refusal === 'already_extended') throw new StateConflictError('already_extended', 'The deadline was already extended once.');
  if (refusal === 'overdue') throw new StateConflictError('overdue', 'The deadline has passed: it can no longer be extended.');
  const extendedTo = extendedDeadline(deadlineInForce(request) as string, input.days);
  const at = now.toISOString();
  const queue = (request.route as NonNullable<SupportRequest['route']>).queue;
  const when = formatCitizenTime(extendedTo, zoneOrMoscow(request.timeZone));
  try {
    await deps.requests.transition(
      requestId,
      AWAITING_ANSWER,
      { extendedTo, inbox: { queue, dueAt: extendedTo } },
      { at, event: 'extended', detail: `${when}: ${input.reason}` },
      at,
      // Once: the write itself requires no extension yet, so of 20 at once exactly one wins.
      { expect: { assignee: operator.id, extendableAt: at }, owner: request },
    );
  } catch (error) {
    if (!(error instanceof StaleTransitionError)) throw error;
    const fresh = await deps.requests.getRequest(requestId);
    if (fresh?.extendedTo !== undefined) throw new StateConflictError('already_extended', 'The deadline was already extended once.');
    await conflictAfter(deps, requestId, operator.id, new StateConflictError('not_answerable', 'The request is not awaiting an answer.'));
  }
  await startNotice(deps, requestId, 'extended', { reason: input.reason });
  return { id: requestId, dueBy: extendedTo };
}

/** 59-FZ: sent on to the competent body within 7 days of registration; `forwarded` is final. */
export async function forwardRequest(deps: ActionDeps, operator: Operator, requestId: string, input: { to: string; reason: string }) {
  const request = await operatorRequest(deps, operator, requestId);
  assertWrittenAwaiting(request);
  assertNotHeldByAnother(request, operator.id);
  const now = deps.clock.now();
  if (!mayForward(request, now)) throw new StateConflictError('forward_too_late', 'A request may be forwarded only within 7 days of its registration.');
  const at = now.toISOString();
  try {
    await deps.requests.transition(
      requestId,
      AWAITING_ANSWER,
      { status: 'forwarded', assignedTo: operator.id, inbox: null },
      { at, event: 'forwarded', detail: `${input.to}: ${input.reason}` },
      at,
      { expect: { assignee: operator.id }, owner: request },
    );
  } catch (error) {
    if (!(error instanceof StaleTransitionError)) throw error;
    await conflictAfter(deps, requestId, operator.id, new StateConflictError('not_answerable', 'The request is not awaiting an answer.'));
  }
  await startNotice(deps, requestId, 'forwarded', { to: input.to, reason: input.reason });
  return { id: requestId, status: 'forwarded' as const };
}
