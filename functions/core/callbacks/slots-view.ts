import type { Deps } from '#ports/deps';
import { ValidationError } from '../errors.ts';
import { contacts } from '../contacts/centre.ts';
import { ROUTING_TABLE } from '../routing/routing-table.ts';
import { queueLoad } from '../scheduling/load.ts';
import { addLocalDays, moscowDate } from '../scheduling/moscow-time.ts';
import { bookableSlots, type SlotQueryInput, validateSlotQuery } from '../scheduling/slots.ts';
import { localIso } from '../scheduling/zone-time.ts';

/** Public views of the callback capacity: bookable slots, and the live queues of the contacts page. */
function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let d = moscowDate(from); d <= moscowDate(to); d = addLocalDays(d, 1)) days.push(d);
  return days;
}

export async function callbackSlots(deps: Pick<Deps, 'slots' | 'clock' | 'centre'>, input: SlotQueryInput) {
  const now = deps.clock.now();
  const config = deps.centre;
  const checked = validateSlotQuery(input, now, config);
  if (!checked.ok) throw new ValidationError(checked.problems);
  const { queue, slotMinutes, from, to, timeZone } = checked.query;
  const counts = await deps.slots.slotCounts(queue, daysBetween(from, to));
  const items = bookableSlots(queue, now, { from, to }, counts, config, timeZone);
  // With a zone, each slot also says when it starts on the citizen's clock.
  return { slotMinutes, items: timeZone === undefined ? items : items.map((s) => ({ ...s, localStart: localIso(s.start, timeZone) })) };
}

const RECENT_MINUTES = 60;
const WINDOW_DAYS = 2;

export async function contactsWithLoad(deps: Pick<Deps, 'slots' | 'clock' | 'centre'>) {
  const now = deps.clock.now();
  const config = deps.centre;
  const queues = [...new Set(Object.values(ROUTING_TABLE).map((r) => r.queue))];
  const since = new Date(now.getTime() - RECENT_MINUTES * 60_000).toISOString();
  const until = new Date(now.getTime() + WINDOW_DAYS * 86_400_000);
  const loads = await Promise.all(
    queues.map(async (queue) => {
      const [waiting, recentWaitsSeconds, counts] = await Promise.all([
        deps.slots.countQueue(queue),
        deps.slots.recentWaits(queue, since),
        deps.slots.slotCounts(queue, daysBetween(now, until)),
      ]);
      const freeSlots = bookableSlots(queue, now, { from: now, to: until }, counts, config);
      return queueLoad({ queue, waiting, recentWaitsSeconds, now, freeSlots }, config);
    }),
  );
  return contacts(loads);
}
