import { listOwnCalls } from '#core/callbacks/record-call';
import { fileClaim } from '#core/calls/claim';
import { requestCallConfirmation, verifyCallConfirmation } from '#core/calls/confirmation';
import { requestPhoneChange, verifyPhoneChange } from '#core/profiles/phone-change';
import {
  composeDeps,
  hasherFromEnv,
  otpRandomFactory,
  sealerFromEnv,
  profilesFromEnv,
  requestsFromEnv,
  callsFromEnv,
  codesFromEnv,
  systemClockFactory,
  systemIdsFactory,
  workflowsFromEnv,
  emfMetricsFactory,
} from '#functions/deps';
import { CallIdSchema, ClaimSchema, CodeSchema, PhoneChangeSchema } from './schemas.ts';
import { callerOfRequest, httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Citizen routes on calls and the profile phone: each acts on the caller's own `sub` only. */
const deps = composeDeps({
  profiles: profilesFromEnv,
  requests: requestsFromEnv,
  calls: callsFromEnv,
  codes: codesFromEnv,
  clock: systemClockFactory,
  ids: systemIdsFactory,
  hasher: hasherFromEnv,
  sealer: sealerFromEnv,
  otpRandom: otpRandomFactory,
  workflows: workflowsFromEnv,
  metrics: emfMetricsFactory,
});

export const handler = httpFunction('httpCalls', {
  async listCalls(req) {
    const { sub } = callerOfRequest(req);
    return { statusCode: 200, body: await listOwnCalls(deps, sub) };
  },
  async requestConfirmation(req) {
    const { sub } = callerOfRequest(req);
    const callId = parseWith(CallIdSchema, req.params.callId, 'callId');
    return { statusCode: 202, body: await requestCallConfirmation(deps, sub, callId) };
  },
  async verifyConfirmation(req) {
    const { sub } = callerOfRequest(req);
    const callId = parseWith(CallIdSchema, req.params.callId, 'callId');
    const { code } = parseWith(CodeSchema, req.body);
    return { statusCode: 200, body: await verifyCallConfirmation(deps, sub, callId, code) };
  },
  async fileClaim(req) {
    const { sub } = callerOfRequest(req);
    const callId = parseWith(CallIdSchema, req.params.callId, 'callId');
    return { statusCode: 201, body: await fileClaim(deps, sub, callId, parseWith(ClaimSchema, req.body)) };
  },
  async requestPhoneChange(req) {
    const { sub } = callerOfRequest(req);
    return { statusCode: 202, body: await requestPhoneChange(deps, sub, parseWith(PhoneChangeSchema, req.body)) };
  },
  async verifyPhoneChange(req) {
    const { sub } = callerOfRequest(req);
    const { code } = parseWith(CodeSchema, req.body);
    return { statusCode: 200, body: await verifyPhoneChange(deps, sub, code) };
  },
});
