import { callbackSlots, contactsWithLoad } from '#core/callbacks/slots-view';
import { composeDeps, storeFromEnv, systemClockFactory } from '#functions/deps';
import { openApiDocument } from './openapi.ts';
import { SlotQuerySchema } from './schemas.ts';
import { httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Routes that need no token. */
const deps = composeDeps({ store: storeFromEnv, clock: systemClockFactory });
let document: unknown;

export const handler = httpFunction('httpPublic', {
  async getContacts() {
    return { statusCode: 200, body: await contactsWithLoad(deps) };
  },
  async getCallbackSlots(req) {
    return { statusCode: 200, body: await callbackSlots(deps, parseWith(SlotQuerySchema, req.query)) };
  },
  async getOpenApi() {
    document ??= openApiDocument();
    return { statusCode: 200, body: document };
  },
});
