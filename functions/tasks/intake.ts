import * as z from 'zod';
import { markNeedsInfo, routeRequest, sendNotice, verifyIdentity } from '#core/requests/intake';
import { composeDeps, smsFromEnv, storeFromEnv, systemClockFactory } from '#functions/deps';
import { taskHandler } from './task-stack.ts';

/** The intake workflow's tasks (statemachines/intake.asl.json), one Lambda dispatching on `task`. */
const deps = composeDeps({ store: storeFromEnv, sms: smsFromEnv, clock: systemClockFactory });
const RequestRef = z.object({ requestId: z.string().min(1) });

export const handler = taskHandler({
  verifyIdentity: async (input) => verifyIdentity(deps, RequestRef.parse(input).requestId),
  markNeedsInfo: async (input) => {
    const { requestId, problems } = RequestRef.extend({
      problems: z.array(z.object({ field: z.enum(['fullName', 'snils', 'passport', 'phone', 'profile']), code: z.enum(['mismatch', 'not_found']) })),
    }).parse(input);
    return markNeedsInfo(deps, requestId, problems);
  },
  routeRequest: async (input) => routeRequest(deps, RequestRef.parse(input).requestId),
  sendNotice: async (input) => {
    const { requestId, kind } = RequestRef.extend({ kind: z.enum(['registered', 'scheduled', 'answered', 'missed', 'needs_info']) }).parse(input);
    return sendNotice(deps, requestId, kind);
  },
});
