import { callbackSlots, contactsWithLoad } from '#core/callbacks/slots-view';
import { calendarFromEnv, composeDeps, slotsFromEnv, systemClockFactory } from '#functions/deps';
import { SlotQuerySchema } from './schemas.ts';
import { shortCache } from '#core/short-cache';
import { httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Routes that need no token. */
const deps = composeDeps({ slots: slotsFromEnv, calendar: calendarFromEnv, clock: systemClockFactory });
let document: unknown;
/** Live enough: queue loads change by the minute, and an anonymous read must not cost ~25 queries each time. */
export const CONTACTS_TTL_MS = 10_000;
const contactsNow = shortCache(CONTACTS_TTL_MS, () => deps.clock.now().getTime(), () => contactsWithLoad(deps));

export const handler = httpFunction('httpPublic', {
  async getContacts() {
    return { statusCode: 200, body: await contactsNow() };
  },
  async getCallbackSlots(req) {
    return { statusCode: 200, body: await callbackSlots(deps, parseWith(SlotQuerySchema, req.query)) };
  },
  async getOpenApi() {
    // Loaded on the first ask: the document's machinery (every answer's schema, the problem
    // schemas) is most of what this function would otherwise build at its cold start.
    document ??= (await import('./openapi.ts')).openApiDocument();
    return { statusCode: 200, body: document };
  },
});
