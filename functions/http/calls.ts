import { listOwnCalls } from '#core/callbacks/record-call';
import { composeDeps, storeFromEnv } from '#functions/deps';
import { callerOfRequest, httpFunction } from './stack.ts';

/** Citizen routes on call records: each acts on the caller's own `sub` only. */
const deps = composeDeps({ store: storeFromEnv });

export const handler = httpFunction('httpCalls', {
  async listCalls(req) {
    const { sub } = callerOfRequest(req);
    return { statusCode: 200, body: await listOwnCalls(deps, sub) };
  },
});
