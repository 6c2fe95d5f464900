import type { Deps } from '#ports/deps';
import { StateConflictError } from '../errors.ts';
import { ownCall } from './confirmation.ts';

/** What the transcript PDF shows, once the call is confirmed. */
export async function transcriptOf(deps: Pick<Deps, 'requests' | 'calls'>, userId: string, callId: string) {
  const call = await ownCall(deps, userId, callId);
  if (!call.confirmed) throw new StateConflictError('not_confirmed', 'Confirm the call with the SMS code first.');
  const request = call.requestId ? await deps.requests.getRequest(call.requestId) : undefined;
  return {
    requestNumber: request?.number ?? '—',
    callId: call.id,
    startedAt: call.answeredAt ?? call.queuedAt,
    operatorId: call.operatorId,
    waitSeconds: call.waitSeconds,
    durationSeconds: call.durationSeconds,
    lines: call.transcript,
  };
}
