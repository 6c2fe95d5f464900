import { deleteHoliday, deleteOverride, getCalendar, putHoliday, putOverride, putQueueCalendar } from '#core/calendar/admin-calendar';
import { putProfile } from '#core/profiles/put-profile';
import { calendarFromEnv, composeDeps, hasherFromEnv, profilesFromEnv, slotsFromEnv, systemClockFactory } from '#functions/deps';
import { CalendarDateSchema, DayOverrideSchema, ProfileSchema, QueueCalendarSchema, QueueParamSchema, UserIdSchema } from './schemas.ts';
import { httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Admin routes (role `admin`, checked by the stack from the route table): reference profiles, the centre's calendar. */
const deps = composeDeps({ profiles: profilesFromEnv, calendar: calendarFromEnv, slots: slotsFromEnv, clock: systemClockFactory, hasher: hasherFromEnv });

const dateOf = (params: Record<string, string | undefined>) => parseWith(CalendarDateSchema, params.date, 'date');
const queueOf = (params: Record<string, string | undefined>) => parseWith(QueueParamSchema, params.queue, 'queue');
const ok = (body: unknown) => ({ statusCode: 200, body });

export const handler = httpFunction('httpAdmin', {
  async putProfile(req) {
    const userId = parseWith(UserIdSchema, req.params.userId, 'userId');
    return putProfile(deps, userId, parseWith(ProfileSchema, req.body));
  },
  getCalendar: async () => ok(await getCalendar(deps)),
  putQueueCalendar: async (req) => ok(await putQueueCalendar(deps, queueOf(req.params), parseWith(QueueCalendarSchema, req.body))),
  putHoliday: async (req) => ok(await putHoliday(deps, dateOf(req.params))),
  deleteHoliday: async (req) => ok(await deleteHoliday(deps, dateOf(req.params))),
  putOverride: async (req) => ok(await putOverride(deps, queueOf(req.params), dateOf(req.params), parseWith(DayOverrideSchema, req.body))),
  deleteOverride: async (req) => ok(await deleteOverride(deps, queueOf(req.params), dateOf(req.params))),
});
