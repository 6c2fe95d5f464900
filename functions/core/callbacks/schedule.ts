import type { Deps } from '#ports/deps';
import { NoFreeSlotError, NotFoundError, StaleTransitionError } from '../errors.ts';
import type { SupportRequest } from '../requests/model.ts';
import { callbackCheckAt } from '../reconcile/expectations.ts';
import { formatMoscow, moscowDate } from '../scheduling/moscow-time.ts';
import { bookingCandidates, retryCandidates, slotCapacity } from '../scheduling/slots.ts';

/**
 * Books a callback into the earliest slot with a free place: for the first attempt inside the
 * citizen's preferred window (else the earliest after it), for a retry from 15 minutes after the
 * call or the slot it retries, whichever is later. The slot counter's conditional write makes
 * overbooking impossible however many book at once; a full slot just moves the booking on to the
 * next candidate.
 */
export async function loadCallback(deps: Pick<Deps, 'store'>, requestId: string): Promise<SupportRequest & { route: NonNullable<SupportRequest['route']> }> {
  const request = await deps.store.getRequest(requestId);
  if (!request) throw new NotFoundError('request');
  if (request.channel !== 'callback' || !request.callback || !request.route) throw new StaleTransitionError('not a routed callback request');
  return request as SupportRequest & { route: NonNullable<SupportRequest['route']> };
}

/**
 * A resumed run (the reconciler: the first run is gone) takes the booking the request has, so
 * it waits for that slot, or queues at once when it is past, and never books a second place.
 */
export async function resumeCallback(deps: Pick<Deps, 'store' | 'clock'>, requestId: string) {
  const request = await loadCallback(deps, requestId);
  if ((request.status !== 'scheduled' && request.status !== 'in_progress') || !request.scheduledAt) throw new StaleTransitionError(`callback is ${request.status}`);
  // This run now owns the callback: the reconciler looks again only when this run should be done.
  const now = deps.clock.now();
  const at = now.toISOString();
  const due = Date.parse(request.scheduledAt) > now.getTime() ? request.scheduledAt : at;
  await deps.store.transition(requestId, [request.status], { checkAt: callbackCheckAt(due) }, { at, event: 'callback_resumed', internal: true }, at);
  return { scheduledAt: request.scheduledAt, when: formatMoscow(request.scheduledAt), first: false };
}

export async function scheduleCallback(deps: Pick<Deps, 'store' | 'clock' | 'metrics' | 'centre'>, requestId: string) {
  const config = deps.centre;
  const request = await loadCallback(deps, requestId);
  const now = deps.clock.now();
  const first = request.scheduledAt === undefined;
  const queue = request.route.queue;
  const candidates = first ? bookingCandidates(queue, now, request.callback?.preferredWindow, config) : retryCandidates(queue, now, config, request.scheduledAt);
  const capacity = slotCapacity(queue, config);
  const counts = await deps.store.slotCounts(queue, [...new Set(candidates.map((s) => moscowDate(s.start)))]);
  const at = now.toISOString();
  for (const slot of candidates) {
    if ((counts.get(slot.start) ?? 0) >= capacity) continue;
    const when = formatMoscow(slot.start);
    const outcome = await deps.store.bookSlot(
      requestId,
      first ? ['received'] : ['scheduled', 'in_progress'],
      { queue, start: slot.start, day: moscowDate(slot.start), capacity },
      { status: 'scheduled', scheduledAt: slot.start, slot: { queue, start: slot.start }, assignedTo: null, checkAt: callbackCheckAt(slot.start) },
      { at, event: first ? 'scheduled' : 'rescheduled', detail: `${when} МСК, queue ${queue}` },
      at,
    );
    if (outcome === 'booked') {
      deps.metrics.put('SlotsBooked', { Queue: queue });
      deps.metrics.put('SlotFill', { Queue: queue }, Math.round((((counts.get(slot.start) ?? 0) + 1) / capacity) * 100));
      return { scheduledAt: slot.start, when, first };
    }
  }
  throw new NoFreeSlotError(`no free slot in queue ${queue} within the horizon`);
}
