import type { Deps } from '#ports/deps';
import { NotFoundError, StaleTransitionError, StateConflictError, ValidationError } from '../errors.ts';
import { parsePhone } from '../phone/phone.ts';
import type { RequestPatch } from '#ports/store';
import { CLAIM_WAIT_SECONDS, type CallDirection, type CallOutcome, type CallRecord, MAX_ATTEMPTS, type TranscriptLine } from './model.ts';

export interface RecordCallInput {
  requestId?: string;
  direction: CallDirection;
  phone: string;
  queuedAt: string;
  answeredAt?: string;
  endedAt: string;
  outcome: CallOutcome;
  transcript?: TranscriptLine[];
}

const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

function checkTimes(input: RecordCallInput) {
  const problems = [];
  if (input.outcome === 'answered' && !input.answeredAt) problems.push({ path: 'answeredAt', code: 'required', message: 'An answered call has an answer time.' });
  if (input.outcome !== 'answered' && input.answeredAt) problems.push({ path: 'answeredAt', code: 'unexpected', message: 'Only an answered call has an answer time.' });
  const order = [input.queuedAt, input.answeredAt ?? input.queuedAt, input.endedAt].map(Date.parse);
  if (!(order[0]! <= order[1]! && order[1]! <= order[2]!)) {
    problems.push({ path: 'endedAt', code: 'times_out_of_order', message: 'queuedAt ≤ answeredAt ≤ endedAt.' });
  }
  const parsed = parsePhone(input.phone);
  if (!parsed.ok) problems.push({ path: 'phone', code: parsed.code, message: 'Not a Russian phone number.' });
  if (input.direction === 'outbound' && !input.requestId) problems.push({ path: 'requestId', code: 'required', message: 'An outbound call is a callback of a request.' });
  if (problems.length > 0) throw new ValidationError(problems);
  return parsed.ok ? parsed.phone.e164 : input.phone;
}

/**
 * Records a call an operator made or took. For a callback request it takes the request out of its
 * queue, counts the attempt, completes the request when answered, and resumes the waiting
 * workflow with the outcome (which books a retry or gives up after the third attempt).
 */
export async function recordCall(deps: Pick<Deps, 'store' | 'clock' | 'ids' | 'workflows' | 'metrics'>, operatorId: string, input: RecordCallInput) {
  const phone = checkTimes(input);
  const waitSeconds = seconds(input.queuedAt, input.answeredAt ?? input.endedAt);
  const durationSeconds = input.answeredAt ? seconds(input.answeredAt, input.endedAt) : 0;
  const request = input.requestId ? await deps.store.getRequest(input.requestId) : undefined;
  if (input.requestId && !request) throw new NotFoundError('request');
  const userId = request?.userId ?? (await deps.store.userByPhone(phone));
  const call: CallRecord = {
    id: deps.ids.newId(),
    ...(userId ? { userId } : {}),
    ...(request ? { requestId: request.id } : {}),
    ...(request?.route ? { queue: request.route.queue } : {}),
    direction: input.direction,
    phone,
    operatorId,
    queuedAt: new Date(input.queuedAt).toISOString(),
    ...(input.answeredAt ? { answeredAt: new Date(input.answeredAt).toISOString() } : {}),
    endedAt: new Date(input.endedAt).toISOString(),
    waitSeconds,
    durationSeconds,
    outcome: input.outcome,
    transcript: input.transcript ?? [],
    confirmed: false,
  };
  const at = deps.clock.now().toISOString();
  deps.metrics.put('CallWaitSeconds', { Queue: call.queue ?? 'inbound' }, waitSeconds);
  const isCallback = request?.channel === 'callback';
  if (!request || !isCallback) {
    await deps.store.putCall(call);
    return { id: call.id, waitSeconds, durationSeconds };
  }
  // Conditional on the workflow token read: a resumed run (the reconciler) may have queued the
  // request again meanwhile, and the outcome must reach the run that waits now, not a dead one.
  let current = request;
  for (let round = 1; ; round += 1) {
    const attempts = (current.attempts ?? 0) + 1;
    const patch: RequestPatch = { attempts, taskToken: null, ...(input.outcome === 'answered' ? { status: 'completed', checkAt: null, failure: null } : {}) };
    try {
      await deps.store.putCall(call, {
        from: ['scheduled', 'in_progress'],
        patch,
        event: { at, event: input.outcome === 'answered' ? 'completed' : 'call_unanswered', detail: `attempt ${attempts}: ${input.outcome}` },
        at,
        expect: { taskToken: current.taskToken ?? null },
      });
    } catch (error) {
      if (!(error instanceof StaleTransitionError)) throw error;
      const fresh = await deps.store.getRequest(current.id);
      const awaiting = fresh && (fresh.status === 'scheduled' || fresh.status === 'in_progress');
      if (!awaiting) throw new StateConflictError('not_awaiting_call', `The request is ${fresh?.status ?? 'gone'}: it awaits no call.`);
      if (round >= 3) throw error;
      current = fresh;
      continue;
    }
    // A workflow that gave up waiting (timeout) has already counted the attempt: false is fine then.
    if (current.taskToken) await deps.workflows.sendTaskSuccess(current.taskToken, { outcome: input.outcome, attempts, maxAttempts: MAX_ATTEMPTS });
    return { id: call.id, waitSeconds, durationSeconds };
  }
}

/** The workflow waited in vain for an outcome: that counts as an unanswered attempt. */
export async function recordLostOutcome(deps: Pick<Deps, 'store' | 'clock'>, requestId: string) {
  const request = await deps.store.getRequest(requestId);
  if (!request) throw new NotFoundError('request');
  const attempts = (request.attempts ?? 0) + 1;
  const at = deps.clock.now().toISOString();
  // Out of the operators' queue too: the next attempt queues it again when due.
  await deps.store.transition(
    requestId,
    ['scheduled', 'in_progress'],
    { attempts, taskToken: null },
    { at, event: 'call_unanswered', detail: `attempt ${attempts}: no outcome recorded` },
    at,
    { dequeue: true },
  );
  return { outcome: 'no_answer' as const, attempts, maxAttempts: MAX_ATTEMPTS };
}

/** After the last unanswered attempt: `missed`, and the SMS offers a written request. */
export async function markMissed(deps: Pick<Deps, 'store' | 'clock'>, requestId: string) {
  const at = deps.clock.now().toISOString();
  await deps.store.transition(requestId, ['scheduled', 'in_progress', 'received'], { status: 'missed', taskToken: null, checkAt: null }, { at, event: 'missed' }, at, { dequeue: true });
  return { notice: 'missed' as const };
}

export function callView(call: CallRecord) {
  return {
    id: call.id,
    at: call.queuedAt,
    direction: call.direction,
    operatorId: call.operatorId,
    waitSeconds: call.waitSeconds,
    durationSeconds: call.durationSeconds,
    outcome: call.outcome,
    confirmed: call.confirmed,
    claimEligible: call.waitSeconds > CLAIM_WAIT_SECONDS && call.claimRequestId === undefined,
    ...(call.requestId ? { requestId: call.requestId } : {}),
  };
}

export async function listOwnCalls(deps: Pick<Deps, 'store'>, userId: string) {
  return { items: (await deps.store.listCallsByOwner(userId, 100)).map(callView) };
}
