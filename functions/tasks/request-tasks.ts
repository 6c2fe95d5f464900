import * as z from 'zod';
import { enqueueDue } from '#core/callbacks/queue';
import { markMissed, recordLostOutcome } from '#core/callbacks/record-call';
import { scheduleCallback } from '#core/callbacks/schedule';
import { markNeedsInfo, routeRequest, sendNotice, verifyIdentity } from '#core/requests/intake';
import { composeDeps, smsFromEnv, storeFromEnv, systemClockFactory } from '#functions/deps';
import { taskHandler } from './task-stack.ts';

/**
 * The tasks of the intake, notice and callback workflows (statemachines/*.asl.json): one Lambda
 * dispatching on `task`. Inputs are checked here; errors go back to the state machine by name.
 */
const deps = composeDeps({ store: storeFromEnv, sms: smsFromEnv, clock: systemClockFactory });
const RequestRef = z.object({ requestId: z.string().min(1) });
const NOTICE_KINDS = ['registered', 'scheduled', 'answered', 'missed', 'needs_info'] as const;

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
    const { requestId, kind, when } = RequestRef.extend({ kind: z.enum(NOTICE_KINDS), when: z.string().optional() }).parse(input);
    return sendNotice(deps, requestId, kind, when);
  },
  scheduleCallback: async (input) => scheduleCallback(deps, RequestRef.parse(input).requestId),
  enqueueDue: async (input) => {
    const { requestId, taskToken } = RequestRef.extend({ taskToken: z.string().min(1) }).parse(input);
    return enqueueDue(deps, requestId, taskToken);
  },
  recordLostOutcome: async (input) => recordLostOutcome(deps, RequestRef.parse(input).requestId),
  markMissed: async (input) => markMissed(deps, RequestRef.parse(input).requestId),
});
