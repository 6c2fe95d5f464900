import { createRequest } from '#core/requests/create-request';
import { cancelOwnRequest } from '#core/requests/cancel';
import { addCitizenComment } from '#core/requests/comments';
import { getOwnRequest } from '#core/requests/get-request';
import { listOwnRequests } from '#core/requests/list-requests';
import { composeDeps, hasherFromEnv, requestsFromEnv, callsFromEnv, systemClockFactory, systemIdsFactory, workflowsFromEnv, emfMetricsFactory } from '#functions/deps';
import { CommentSchema, CreateRequestSchema, IdempotencyKeySchema, ListQuerySchema, RequestIdSchema } from './schemas.ts';
import type { HttpRequest } from './stack.ts';
import { callerOfRequest, httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Citizen routes on requests: each acts on the caller's own `sub` only. */
const deps = composeDeps({
  requests: requestsFromEnv, calls: callsFromEnv,
  workflows: workflowsFromEnv,
  clock: systemClockFactory,
  ids: systemIdsFactory,
  hasher: hasherFromEnv,
  metrics: emfMetricsFactory,
});

function idempotencyKeyOf(req: HttpRequest): string | undefined {
  const key = req.headers['idempotency-key'];
  return key === undefined ? undefined : parseWith(IdempotencyKeySchema, key, 'Idempotency-Key');
}

export const handler = httpFunction('httpRequests', {
  async createRequest(req) {
    const { sub } = callerOfRequest(req);
    const idempotencyKey = idempotencyKeyOf(req);
    const input = parseWith(CreateRequestSchema, req.body);
    return createRequest(deps, sub, input, idempotencyKey);
  },

  async listRequests(req) {
    const { sub } = callerOfRequest(req);
    const query = parseWith(ListQuerySchema, req.query);
    return { statusCode: 200, body: await listOwnRequests(deps, sub, query.limit, query.cursor) };
  },

  async addComment(req) {
    const { sub } = callerOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    const idempotencyKey = idempotencyKeyOf(req);
    return addCitizenComment(deps, sub, id, parseWith(CommentSchema, req.body), idempotencyKey);
  },

  async cancelRequest(req) {
    const { sub } = callerOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await cancelOwnRequest(deps, sub, id) };
  },

  async getRequest(req) {
    const { sub } = callerOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await getOwnRequest(deps, sub, id) };
  },
});
