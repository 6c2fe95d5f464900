import { listQueue, takeRequest } from '#core/callbacks/queue';
import { recordCall } from '#core/callbacks/record-call';
import { answerRequest } from '#core/requests/answer';
import { listInbox } from '#core/workspace/inbox';
import { getOperatorRequest } from '#core/workspace/operator-view';
import { addOperatorComment, extendRequest, forwardRequest, releaseRequest } from '#core/workspace/operator-actions';
import { search } from '#core/workspace/search';
import { composeDeps, profilesFromEnv, requestsFromEnv, slotsFromEnv, callsFromEnv, workspaceFromEnv, systemClockFactory, systemIdsFactory, workflowsFromEnv, emfMetricsFactory } from '#functions/deps';
import {
  AnswerSchema,
  CommentSchema,
  ExtendSchema,
  ForwardSchema,
  InboxQuerySchema,
  QueueParamSchema,
  QueueQuerySchema,
  RecordCallSchema,
  RequestIdSchema,
  SearchQuerySchema,
} from './schemas.ts';
import { httpFunction, operatorOfRequest } from './stack.ts';
import { parseWith } from './validate.ts';

/**
 * Operator routes (role `operator`, checked by the stack from the route table). Each acts only on
 * the queues the token's `queues` claim names; the core checks that and the assignee.
 */
const deps = composeDeps({ profiles: profilesFromEnv, requests: requestsFromEnv, slots: slotsFromEnv, calls: callsFromEnv, workspace: workspaceFromEnv, clock: systemClockFactory, ids: systemIdsFactory, workflows: workflowsFromEnv, metrics: emfMetricsFactory });

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
  async listInbox(req) {
    const operator = operatorOfRequest(req);
    const queue = parseWith(QueueParamSchema, req.params.queue, 'queue');
    const { limit, cursor } = parseWith(InboxQuerySchema, req.query);
    return { statusCode: 200, body: await listInbox(deps, operator, queue, limit, cursor) };
  },
  async getOperatorRequest(req) {
    const operator = operatorOfRequest(req);
    return { statusCode: 200, body: await getOperatorRequest(deps, operator, parseWith(RequestIdSchema, req.params.id, 'id')) };
  },
  async addOperatorComment(req) {
    const operator = operatorOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 201, body: await addOperatorComment(deps, operator, id, parseWith(CommentSchema, req.body)) };
  },
  async releaseRequest(req) {
    const operator = operatorOfRequest(req);
    return { statusCode: 200, body: await releaseRequest(deps, operator, parseWith(RequestIdSchema, req.params.id, 'id')) };
  },
  async extendRequest(req) {
    const operator = operatorOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await extendRequest(deps, operator, id, parseWith(ExtendSchema, req.body)) };
  },
  async forwardRequest(req) {
    const operator = operatorOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await forwardRequest(deps, operator, id, parseWith(ForwardSchema, req.body)) };
  },
  async search(req) {
    const operator = operatorOfRequest(req);
    return { statusCode: 200, body: await search(deps, operator, parseWith(SearchQuerySchema, req.query)) };
  },
  async recordCall(req) {
    const operator = operatorOfRequest(req);
    return { statusCode: 201, body: await recordCall(deps, operator, parseWith(RecordCallSchema, req.body)) };
  },
});
