import type { Deps } from '#ports/deps';
import { NotFoundError, StateConflictError } from '../errors.ts';
import type { CallRecord } from '../callbacks/model.ts';
import { type CodeDeps, checkCode, sendCode } from './codes.ts';

/** Confirming a call with an SMS code, which unlocks its transcript. */
export async function ownCall(deps: Pick<Deps, 'calls'>, userId: string, callId: string): Promise<CallRecord> {
  const call = await deps.calls.getCall(callId);
  // Another citizen's call is reported exactly like a missing one.
  if (!call || call.userId !== userId) throw new NotFoundError('call');
  return call;
}

export async function requestCallConfirmation(deps: CodeDeps & Pick<Deps, 'calls' | 'profiles'>, userId: string, callId: string) {
  const call = await ownCall(deps, userId, callId);
  if (call.confirmed) throw new StateConflictError('already_confirmed', 'This call is already confirmed.');
  const profile = await deps.profiles.getProfile(userId);
  if (!profile) throw new StateConflictError('profile_missing', 'There is no profile phone to send a code to.');
  return sendCode(deps, 'call-confirmation', callId, profile.phone);
}

export async function verifyCallConfirmation(deps: Pick<Deps, 'calls' | 'codes' | 'clock' | 'hasher' | 'metrics'>, userId: string, callId: string, code: string) {
  const call = await ownCall(deps, userId, callId);
  if (call.confirmed) throw new StateConflictError('already_confirmed', 'This call is already confirmed.');
  const { used } = await checkCode(deps, 'call-confirmation', callId, code);
  if (!(await deps.calls.confirmCall(callId, used))) throw new StateConflictError('code_used', 'This code has already been used: request a new code.');
  return { confirmed: true as const, transcriptUrl: `/v1/calls/${callId}/transcript` };
}
