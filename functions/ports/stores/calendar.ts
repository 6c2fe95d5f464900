import type { CentreConfig, DayOverride, QueueConfig } from '#core/scheduling/centre-config';

/**
 * The centre's calendar as data: per-queue hours, slot length and capacity, the centre's holidays,
 * per-queue day overrides, and the booking settings (lead, horizon, retry delay, peaks). The
 * adapter is built with the calendar a fresh table starts from (its seed: DEFAULT_CENTRE_CONFIG,
 * or CENTRE_CONFIG in tests and locally).
 */
export interface CalendarStore {
  /** The whole calendar as stored (read consistently); the seed itself while none is stored. */
  readCalendar(): Promise<CentreConfig>;
  /** Stores the seed, all at once, when no calendar is stored yet. True when this call stored it. */
  seedCalendar(at: string): Promise<boolean>;
  /**
   * Replaces a queue's week, slot length and capacity, only while its stored `slotMinutes` is still
   * `expectSlotMinutes` (what the caller checked bookings against). False when it changed meanwhile.
   */
  putQueueCalendar(queue: string, config: QueueConfig, at: string, expectSlotMinutes: number): Promise<boolean>;
  putHoliday(date: string, at: string): Promise<void>;
  /** False when the date was not a holiday. */
  deleteHoliday(date: string): Promise<boolean>;
  putOverride(queue: string, date: string, override: DayOverride, at: string): Promise<void>;
  /** False when the queue had no override that day. */
  deleteOverride(queue: string, date: string): Promise<boolean>;
}
