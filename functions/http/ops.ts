import { listQueue, takeRequest } from '#core/callbacks/queue';
import { recordCall } from '#core/callbacks/record-call';
import { answerRequest } from '#core/requests/answer';
import { composeDeps, storeFromEnv, systemClockFactory, systemIdsFactory, workflowsFromEnv, emfMetricsFactory } from '#functions/deps';
import { AnswerSchema, QueueParamSchema, QueueQuerySchema, RecordCallSchema, RequestIdSchema } from './schemas.ts';
import { callerOfRequest, httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Operator routes (role `operator`, checked by the stack from the route table). */
const deps = composeDeps({ store: storeFromEnv, clock: systemClockFactory, ids: systemIdsFactory, workflows: workflowsFromEnv, metrics: emfMetricsFactory });

export const handler = httpFunction('httpOps', {
  async answerRequest(req) {
    const { sub } = callerOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await answerRequest(deps, sub, id, parseWith(AnswerSchema, req.body)) };
  },
  async listQueue(req) {
    const queue = parseWith(QueueParamSchema, req.params.queue, 'queue');
    const { limit } = parseWith(QueueQuerySchema, req.query);
    return { statusCode: 200, body: await listQueue(deps, queue, limit ?? 50) };
  },
  async takeRequest(req) {
    const { sub } = callerOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await takeRequest(deps, sub, id) };
  },
  async recordCall(req) {
    const { sub } = callerOfRequest(req);
    return { statusCode: 201, body: await recordCall(deps, sub, parseWith(RecordCallSchema, req.body)) };
  },
});
