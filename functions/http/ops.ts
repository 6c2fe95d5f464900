import { listQueue, takeRequest } from '#core/callbacks/queue';
import { recordCall } from '#core/callbacks/record-call';
import { answerRequest } from '#core/requests/answer';
import { composeDeps, profilesFromEnv, requestsFromEnv, slotsFromEnv, callsFromEnv, systemClockFactory, systemIdsFactory, workflowsFromEnv, emfMetricsFactory } from '#functions/deps';
import { AnswerSchema, QueueParamSchema, QueueQuerySchema, RecordCallSchema, RequestIdSchema } from './schemas.ts';
import { httpFunction, operatorOfRequest } from './stack.ts';
import { parseWith } from './validate.ts';

/**
 * Operator routes (role `operator`, checked by the stack from the route table). Each acts only on
 * the queues the token's `queues` claim names; the core checks that and the assignee.
 */
const deps = composeDeps({ profiles: profilesFromEnv, requests: requestsFromEnv, slots: slotsFromEnv, calls: callsFromEnv, clock: systemClockFactory, ids: systemIdsFactory, workflows: workflowsFromEnv, metrics: emfMetricsFactory });

export const handler = httpFunction('httpOps', {
  async answerRequest(req) {
    const operator = operatorOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await answerRequest(deps, operator, id, parseWith(AnswerSchema, req.body)) };
  },
  async listQueue(req) {
    const operator = operatorOfRequest(req);
    const queue = parseWith(QueueParamSchema, req.params.queue, 'queue');
    const { limit } = parseWith(QueueQuerySchema, req.query);
    return { statusCode: 200, body: await listQueue(deps, operator, queue, limit ?? 50) };
  },
  async takeRequest(req) {
    const operator = operatorOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await takeRequest(deps, operator, id) };
  },
  async recordCall(req) {
    const operator = operatorOfRequest(req);
    return { statusCode: 201, body: await recordCall(deps, operator, parseWith(RecordCallSchema, req.body)) };
  },
});
