import { REQUEST_TYPES } from '../requests/model.ts';
import { ROUTING_TABLE } from '../routing/routing-table.ts';
import { type CentreConfig, queueConfig } from '../scheduling/centre-config.ts';
import { unionOfWeeks, weekHoursText } from './hours-text.ts';

/**
 * The ways to reach support and the lines per request type. The phone and callback hours come
 * from the centre's calendar (the union of its queues' weeks; each line its own queue's week), so
 * the page says what booking does; written requests and the chat do not depend on the calendar.
 */
export const ALWAYS_OPEN_CHANNELS = [
  { channel: 'written', hours: 'круглосуточно; ответ в течение 30 дней' },
  { channel: 'chat', hours: 'круглосуточно' },
] as const;

/** Every channel the contacts page lists, in its order. */
export const CONTACT_CHANNELS = ['phone', 'callback', ...ALWAYS_OPEN_CHANNELS.map((c) => c.channel)] as const;

export interface QueueLoad {
  queue: string;
  waiting: number;
  estimatedWaitMinutes: number;
  peakNow: boolean;
  recommendedWindows: { from: string; to: string }[];
}

export function contacts(queues: QueueLoad[], config: CentreConfig) {
  const centreHours = weekHoursText(unionOfWeeks(Object.values(config.queues).map((q) => q.hours)));
  return {
    channels: [{ channel: 'phone', hours: centreHours }, { channel: 'callback', hours: centreHours }, ...ALWAYS_OPEN_CHANNELS.map((c) => ({ ...c }))],
    lines: REQUEST_TYPES.map((type) => {
      const rule = ROUTING_TABLE[type];
      return { type, ...rule.line, hours: weekHoursText(queueConfig(rule.queue, config).hours) };
    }),
    queues,
  };
}
