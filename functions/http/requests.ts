import { createRequest } from '#core/requests/create-request';
import { getOwnRequest } from '#core/requests/get-request';
import { composeDeps, hasherFromEnv, storeFromEnv, systemClockFactory, systemIdsFactory, workflowsFromEnv } from '#functions/deps';
import { CreateRequestSchema, IdempotencyKeySchema, RequestIdSchema } from './schemas.ts';
import { callerOfRequest, httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Citizen routes on requests: each acts on the caller's own `sub` only. */
const deps = composeDeps({
  store: storeFromEnv,
  workflows: workflowsFromEnv,
  clock: systemClockFactory,
  ids: systemIdsFactory,
  hasher: hasherFromEnv,
});

export const handler = httpFunction('httpRequests', {
  async createRequest(req) {
    const { sub } = callerOfRequest(req);
    const key = req.headers['idempotency-key'];
    const idempotencyKey = key === undefined ? undefined : parseWith(IdempotencyKeySchema, key, 'Idempotency-Key');
    const input = parseWith(CreateRequestSchema, req.body);
    return createRequest(deps, sub, input, idempotencyKey);
  },

  async getRequest(req) {
    const { sub } = callerOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await getOwnRequest(deps, sub, id) };
  },
});
