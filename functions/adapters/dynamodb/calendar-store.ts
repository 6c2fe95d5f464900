import { DeleteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CentreConfig, DayOverride, QueueConfig } from '#core/scheduling/centre-config';
import type { CalendarStore } from '#ports/stores/calendar';
import { SK_PREFIX, keys } from './keys.ts';
import { type Table, getItem, queryAll } from './table-client.ts';
import { type Item, type TransactItem, failedCondition } from './transact.ts';

/** A transaction takes at most 100 items: a seed larger than that is a configuration error. */
const MAX_SEED_ITEMS = 100;

/** The booking settings: every CentreConfig field that is not a queue, a holiday or an override. */
function settingsOf(c: CentreConfig) {
  return { leadMinutes: c.leadMinutes, horizonDays: c.horizonDays, retryDelayMinutes: c.retryDelayMinutes, peakPeriods: c.peakPeriods, maxRecommendedWindows: c.maxRecommendedWindows };
}

/** The calendar from the items of its partition (the core checks it with checkCentreConfig). */
function calendarOf(items: Item[]): CentreConfig | undefined {
  const settings = items.find((i) => i.SK === SK_PREFIX.settings);
  if (!settings) return undefined;
  const queues: Record<string, QueueConfig> = {};
  const holidays: string[] = [];
  const overrides: Record<string, Record<string, DayOverride>> = {};
  for (const item of items) {
    const sk = String(item.SK);
    if (sk.startsWith(SK_PREFIX.queue)) {
      queues[sk.slice(SK_PREFIX.queue.length)] = { hours: item.hours as QueueConfig['hours'], slotMinutes: Number(item.slotMinutes), capacityPerSlot: Number(item.capacityPerSlot) };
    } else if (sk.startsWith(SK_PREFIX.holiday)) holidays.push(sk.slice(SK_PREFIX.holiday.length));
    else if (sk.startsWith(SK_PREFIX.override)) {
      const rest = sk.slice(SK_PREFIX.override.length);
      const cut = rest.lastIndexOf('#');
      const queue = rest.slice(0, cut);
      (overrides[queue] ??= {})[rest.slice(cut + 1)] = {
        ...(item.hours !== undefined ? { hours: item.hours as DayOverride['hours'] } : {}),
        ...(item.capacityPerSlot !== undefined ? { capacityPerSlot: Number(item.capacityPerSlot) } : {}),
      };
    }
  }
  return {
    queues,
    holidays: holidays.sort(),
    overrides,
    leadMinutes: Number(settings.leadMinutes),
    horizonDays: Number(settings.horizonDays),
    retryDelayMinutes: Number(settings.retryDelayMinutes),
    peakPeriods: settings.peakPeriods as CentreConfig['peakPeriods'],
    maxRecommendedWindows: Number(settings.maxRecommendedWindows),
  };
}

/**
 * The centre's calendar in its partition `CALENDAR` (keys.ts): `SETTINGS` (the booking settings;
 * its presence says the calendar is seeded), `QUEUE#<queue>`, `HOLIDAY#<date>`,
 * `OVERRIDE#<queue>#<date>`. Read whole with one consistent Query; seeded with one transaction,
 * so a reader sees either the seed or the stored calendar, never half of one.
 */
export function dynamoCalendarStore(table: Table, seed: CentreConfig): CalendarStore {
  const { doc, name: tableName } = table;
  const put = (key: Record<string, string>, kind: string, fields: Record<string, unknown>): TransactItem => ({ Put: { TableName: tableName, Item: { ...key, kind, ...fields } } });
  const overrideFields = (o: DayOverride) => ({ ...(o.hours !== undefined ? { hours: o.hours } : {}), ...(o.capacityPerSlot !== undefined ? { capacityPerSlot: o.capacityPerSlot } : {}) });

  /** Deletes an item, false when it was not there. */
  async function deleteExisting(key: Record<string, string>): Promise<boolean> {
    const out = await doc.send(new DeleteCommand({ TableName: tableName, Key: key, ReturnValues: 'ALL_OLD' }));
    return out.Attributes !== undefined;
  }

  return {
    async readCalendar() {
      const items = await queryAll(table, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.calendarPartition }, ConsistentRead: true });
      return calendarOf(items) ?? seed;
    },

    async seedCalendar(at) {
      if (await getItem(table, keys.calendarSettings())) return false;
      const items: TransactItem[] = [
        { Put: { TableName: tableName, Item: { ...keys.calendarSettings(), kind: 'calendar-settings', ...settingsOf(seed), seededAt: at }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ...Object.entries(seed.queues).map(([queue, q]) => put(keys.calendarQueue(queue), 'calendar-queue', { ...q, updatedAt: at })),
        ...seed.holidays.map((date) => put(keys.calendarHoliday(date), 'calendar-holiday', { updatedAt: at })),
        ...Object.entries(seed.overrides ?? {}).flatMap(([queue, days]) =>
          Object.entries(days).map(([date, o]) => put(keys.calendarOverride(queue, date), 'calendar-override', { ...overrideFields(o), updatedAt: at })),
        ),
      ];
      if (items.length > MAX_SEED_ITEMS) throw new Error(`the calendar seed has ${items.length} items; one transaction takes ${MAX_SEED_ITEMS}`);
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        // Another instance seeded it a moment ago.
        if (failedCondition(error, 0)) return false;
        throw error;
      }
    },

    async putQueueCalendar(queue, config, at, expectSlotMinutes) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.calendarQueue(queue), kind: 'calendar-queue', hours: config.hours, slotMinutes: config.slotMinutes, capacityPerSlot: config.capacityPerSlot, updatedAt: at },
            ConditionExpression: 'slotMinutes = :seen',
            ExpressionAttributeValues: { ':seen': expectSlotMinutes },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    async putHoliday(date, at) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.calendarHoliday(date), kind: 'calendar-holiday', updatedAt: at } }));
    },

    deleteHoliday: (date) => deleteExisting(keys.calendarHoliday(date)),

    async putOverride(queue, date, override, at) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.calendarOverride(queue, date), kind: 'calendar-override', ...overrideFields(override), updatedAt: at } }));
    },

    deleteOverride: (queue, date) => deleteExisting(keys.calendarOverride(queue, date)),
  };
}
