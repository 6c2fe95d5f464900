import type { Deps } from '#ports/deps';
import { currentCentre } from '../calendar/current.ts';
import { NoFreeSlotError, NotFoundError, StaleTransitionError } from '../errors.ts';
import type { SupportRequest } from '../requests/model.ts';
import { callbackCheckAt } from '../reconcile/expectations.ts';
import { zoneOrMoscow } from '../regions/regions.ts';
import { moscowDate } from '../scheduling/moscow-time.ts';
import { bookingCandidates, retryCandidates, slotCapacity } from '../scheduling/slots.ts';
import { formatCitizenTime } from '../scheduling/zone-time.ts';

/**
 * Books a callback into the earliest slot with a free place that also lies inside the citizen's
 * calling hours (08:00–21:00 in the zone routing stored on the request; Moscow when none): for
 * the first attempt inside the preferred window (else the earliest after it), for a retry from
 * 15 minutes after the call or the slot it retries, whichever is later. `when`, which the SMS and
 * the timeline show, is on the citizen's clock ('03.12.2026 10:00 (МСК+7)'). The slot counter's
 * conditional write makes overbooking impossible however many book at once; a full slot just
 * moves the booking on to the next candidate.
 */
export async function loadCallback(deps: Pick<Deps, 'requests'>, requestId: string): Promise<SupportRequest & { route: NonNullable<SupportRequest['route']> }> {
  const request = await deps.requests.getRequest(requestId);
  if (!request) throw new NotFoundError('request');
  if (request.channel !== 'callback' || !request.callback || !request.route) throw new StaleTransitionError('not a routed callback request');
  return request as SupportRequest & { route: NonNullable<SupportRequest['route']> };
}

/**
 * A resumed run (the reconciler: the first run is gone) takes the booking the request has, so
 * it waits for that slot, or queues at once when it is past, and never books a second place.
 */
export async function resumeCallback(deps: Pick<Deps, 'requests' | 'clock'>, requestId: string) {
  const request = await loadCallback(deps, requestId);
  if ((request.status !== 'scheduled' && request.status !== 'in_progress') || !request.scheduledAt) throw new StaleTransitionError(`callback is ${request.status}`);
  // This run now owns the callback: the reconciler looks again only when this run should be done.
  const now = deps.clock.now();
  const at = now.toISOString();
  const due = Date.parse(request.scheduledAt) > now.getTime() ? request.scheduledAt : at;
  await deps.requests.transition(requestId, [request.status], { checkAt: callbackCheckAt(due) }, { at, event: 'callback_resumed', internal: true }, at, { owner: request });
  return { scheduledAt: request.scheduledAt, when: formatCitizenTime(request.scheduledAt, zoneOrMoscow(request.timeZone)), first: false };
}

export async function scheduleCallback(deps: Pick<Deps, 'requests' | 'slots' | 'calendar' | 'clock' | 'metrics'>, requestId: string) {
  const request = await loadCallback(deps, requestId);
  const config = await currentCentre(deps);
  const now = deps.clock.now();
  const first = request.scheduledAt === undefined;
  const queue = request.route.queue;
  const zone = zoneOrMoscow(request.timeZone);
  const candidates = first
    ? bookingCandidates(queue, now, request.callback?.preferredWindow, config, zone)
    : retryCandidates(queue, now, config, request.scheduledAt, zone);
  // The booked counts of the first candidate day, and of the other days only once the bookings
  // reach them (the first day had no free place, or lost it to a race): nearly every booking lands
  // on its first day, and each day read is a DynamoDB query (the horizon spans ~6 days). No slot is
  // tried without its day's count.
  const days = [...new Set(candidates.map((s) => moscowDate(s.start)))];
  const counts = await deps.slots.slotCounts(queue, days.slice(0, 1));
  let laterDaysRead = days.length <= 1;
  const at = now.toISOString();
  for (const slot of candidates) {
    if (!laterDaysRead && moscowDate(slot.start) !== days[0]) {
      for (const [start, n] of await deps.slots.slotCounts(queue, days.slice(1))) counts.set(start, n);
      laterDaysRead = true;
    }
    // That day's capacity (an override may raise or lower it); a slot already fuller is skipped, its bookings stay.
    const capacity = slotCapacity(queue, config, moscowDate(slot.start));
    if ((counts.get(slot.start) ?? 0) >= capacity) continue;
    const when = formatCitizenTime(slot.start, zone);
    const outcome = await deps.slots.bookSlot(
      requestId,
      first ? ['received'] : ['scheduled', 'in_progress'],
      { queue, start: slot.start, day: moscowDate(slot.start), capacity },
      { status: 'scheduled', scheduledAt: slot.start, slot: { queue, start: slot.start }, assignedTo: null, checkAt: callbackCheckAt(slot.start) },
      { at, event: first ? 'scheduled' : 'rescheduled', detail: `${when}, queue ${queue}` },
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
