import type { Deps } from '#ports/deps';
import { intakeCheckAt } from '../reconcile/expectations.ts';
import { startIntake } from '../requests/create-request.ts';
import { StateConflictError } from '../errors.ts';
import { CITIZEN_LIMITS, newRequestsLimited, underWindow } from '../limits/limits.ts';
import { CLAIM_WAIT_SECONDS } from '../callbacks/model.ts';
import { getOwnRequest } from '../requests/get-request.ts';
import type { SupportRequest } from '../requests/model.ts';
import { newRequestNumber } from '../requests/request-number.ts';
import { zoneOrMoscow } from '../regions/regions.ts';
import { formatCitizenTime } from '../scheduling/zone-time.ts';
import { ownCall } from './confirmation.ts';

/**
 * A claim about a long wait, in one step: a written `complaint` that names the call, its times and
 * the measured wait, linked both ways (the call names its claim, once; the request its call).
 */
const NUMBER_ATTEMPTS = 3;

function minutesAndSeconds(seconds: number): string {
  return `${Math.floor(seconds / 60)} мин ${seconds % 60} с`;
}

export async function fileClaim(deps: Pick<Deps, 'profiles' | 'requests' | 'calls' | 'clock' | 'ids' | 'workflows' | 'metrics'>, userId: string, callId: string, input: { text: string }) {
  const call = await ownCall(deps, userId, callId);
  if (!(call.waitSeconds > CLAIM_WAIT_SECONDS)) throw new StateConflictError('claim_not_eligible', 'A claim can be filed for a wait over 10 minutes.');
  if (call.claimRequestId) throw new StateConflictError('already_claimed', 'A claim was already filed for this call.');
  const profile = await deps.profiles.getProfile(userId);
  if (!profile) throw new StateConflictError('profile_missing', 'A claim needs the reference profile.');
  const now = deps.clock.now();
  const at = now.toISOString();
  // The citizen's own clock, as in every text they read (the profile is at hand).
  const zone = zoneOrMoscow(profile.timeZone);
  const facts =
    `Звонок ${call.id}: в очереди с ${formatCitizenTime(call.queuedAt, zone)}` +
    (call.answeredAt ? `, ответ оператора в ${formatCitizenTime(call.answeredAt, zone)}` : ', без ответа') +
    `, ожидание ${minutesAndSeconds(call.waitSeconds)}.`;
  // A claim is a new request: it counts in the citizen's 24-hour window like any other.
  let numberAttempts = 0;
  const request = await underWindow(
    () => deps.requests.getLimitWindow('requests', userId),
    userId,
    now,
    CITIZEN_LIMITS.newRequests,
    newRequestsLimited,
    async (window) => {
      // The citizen is signed in and the call is theirs: the claim carries the profile's own identity.
      const request: SupportRequest = {
        id: deps.ids.newId(),
        number: newRequestNumber(now, deps.ids),
        userId,
        channel: 'written',
        type: 'complaint',
        status: 'received',
        createdAt: at,
        updatedAt: at,
        checkAt: intakeCheckAt(now),
        identity: {
          fullNameFolded: profile.fullNameFolded,
          snilsHash: profile.snilsHash,
          snilsLast2: profile.snilsLast2,
          passportHash: profile.passportHash,
          passportLast2: profile.passportLast2,
          phone: profile.phone,
        },
        written: { topic: `Жалоба на время ожидания (звонок ${call.id})`, text: `${input.text}\n\n${facts}`, attempts: [] },
        claimOf: { callId: call.id, queuedAt: call.queuedAt, ...(call.answeredAt ? { answeredAt: call.answeredAt } : {}), waitSeconds: call.waitSeconds },
      };
      const outcome = await deps.requests.createClaim(request, { at, event: 'received', detail: `claim for call ${call.id}` }, call.id, window);
      if (outcome.kind === 'already_claimed') throw new StateConflictError('already_claimed', 'A claim was already filed for this call.');
      if (outcome.kind === 'window_changed') return outcome.kind;
      if (outcome.kind === 'number_taken' && (numberAttempts += 1) < NUMBER_ATTEMPTS) return 'window_changed' as const;
      if (outcome.kind !== 'created') throw new Error('could not issue a unique request number');
      return request;
    },
  );
  deps.metrics.put('RequestsCreated', { Channel: request.channel, Type: request.type });
  await startIntake(deps, request.id);
  return getOwnRequest(deps, userId, request.id);
}
