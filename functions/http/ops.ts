import { answerRequest } from '#core/requests/answer';
import { composeDeps, storeFromEnv, systemClockFactory, workflowsFromEnv } from '#functions/deps';
import { AnswerSchema, RequestIdSchema } from './schemas.ts';
import { callerOfRequest, httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Operator routes (role `operator`, checked by the stack from the route table). */
const deps = composeDeps({ store: storeFromEnv, clock: systemClockFactory, workflows: workflowsFromEnv });

export const handler = httpFunction('httpOps', {
  async answerRequest(req) {
    const { sub } = callerOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await answerRequest(deps, sub, id, parseWith(AnswerSchema, req.body)) };
  },
});
