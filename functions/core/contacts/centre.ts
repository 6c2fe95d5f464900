import { REQUEST_TYPES } from '../requests/model.ts';
import { ROUTING_TABLE } from '../routing/routing-table.ts';

/** The ways to reach support and the lines per request type (configuration kept as code). */
export const CHANNEL_HOURS = [
  { channel: 'phone', hours: 'Пн–Пт 08:00–20:00, Сб 09:00–18:00 (МСК)' },
  { channel: 'callback', hours: 'Пн–Пт 08:00–20:00, Сб 09:00–18:00 (МСК)' },
  { channel: 'written', hours: 'круглосуточно; ответ в течение 30 дней' },
  { channel: 'chat', hours: 'круглосуточно' },
] as const;

export interface QueueLoad {
  queue: string;
  waiting: number;
  estimatedWaitMinutes: number;
  peakNow: boolean;
  recommendedWindows: { from: string; to: string }[];
}

export function contacts(queues: QueueLoad[]) {
  return {
    channels: CHANNEL_HOURS.map((c) => ({ ...c })),
    lines: REQUEST_TYPES.map((type) => ({ type, ...ROUTING_TABLE[type].line })),
    queues,
  };
}
