import type { Deps } from '#ports/deps';
import { type FieldProblem, NotFoundError, StaleTransitionError, StateConflictError, ValidationError } from '../errors.ts';
import { type Operator, assertNotHeldByAnother, heldByAnother, operatorRequest } from '../requests/operator-access.ts';
import { parsePhone } from '../phone/phone.ts';
import type { RequestPatch } from '#ports/stores/requests';
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

/** How far a reported time may lie ahead of the server's clock (an operator desk's clock drifts). */
export const CALL_TIME_SKEW_SECONDS = 60;
/** How old a reported call may be: calls are recorded as they end, not weeks later. */
export const CALL_MAX_AGE_HOURS = 24;

/**
 * The times an operator reports: each within the last 24 hours and not in the future (give or
 * take a minute of clock skew), queuedAt ≤ answeredAt ≤ endedAt, and every transcript line within
 * the call (queuedAt..endedAt). A wait of 31 billion seconds is no wait.
 */
export function checkCallTimes(input: RecordCallInput, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const latest = now.getTime() + CALL_TIME_SKEW_SECONDS * 1000;
  const earliest = now.getTime() - CALL_MAX_AGE_HOURS * 3_600_000;
  const fields = [['queuedAt', input.queuedAt], ['answeredAt', input.answeredAt], ['endedAt', input.endedAt]] as const;
  for (const [path, value] of fields) {
    if (value === undefined) continue;
    const t = Date.parse(value);
    if (t > latest) problems.push({ path, code: 'time_in_future', message: 'A reported time may not lie in the future.' });
    else if (t < earliest) problems.push({ path, code: 'time_too_old', message: `A call is recorded within ${CALL_MAX_AGE_HOURS} hours of its times.` });
  }
  const queued = Date.parse(input.queuedAt);
  const ended = Date.parse(input.endedAt);
  const answered = input.answeredAt === undefined ? undefined : Date.parse(input.answeredAt);
  if (answered !== undefined && answered < queued) problems.push({ path: 'answeredAt', code: 'times_out_of_order', message: 'queuedAt ≤ answeredAt ≤ endedAt.' });
  if (ended < (answered ?? queued) || ended < queued) problems.push({ path: 'endedAt', code: 'times_out_of_order', message: 'queuedAt ≤ answeredAt ≤ endedAt.' });
  input.transcript?.forEach((line, i) => {
    const at = Date.parse(line.at);
    if (at < queued || at > ended) problems.push({ path: `transcript.${i}.at`, code: 'time_out_of_call', message: 'A transcript line lies between queuedAt and endedAt.' });
  });
  return problems;
}

function checkCall(input: RecordCallInput, now: Date) {
  const problems = checkCallTimes(input, now);
  if (input.outcome === 'answered' && !input.answeredAt) problems.push({ path: 'answeredAt', code: 'required', message: 'An answered call has an answer time.' });
  if (input.outcome !== 'answered' && input.answeredAt) problems.push({ path: 'answeredAt', code: 'unexpected', message: 'Only an answered call has an answer time.' });
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
 *
 * A request's call is recorded only for a request of the operator's queues (404 otherwise) and, once
 * someone took it, only by its assignee (409 `taken`); a callback nobody holds is taken by the write
 * that records its call, conditionally, so two operators cannot both count an attempt as theirs.
 */
export async function recordCall(deps: Pick<Deps, 'calls' | 'profiles' | 'requests' | 'workspace' | 'clock' | 'ids' | 'workflows' | 'metrics'>, operator: Operator, input: RecordCallInput) {
  const operatorId = operator.id;
  const phone = checkCall(input, deps.clock.now());
  const waitSeconds = seconds(input.queuedAt, input.answeredAt ?? input.endedAt);
  const durationSeconds = input.answeredAt ? seconds(input.answeredAt, input.endedAt) : 0;
  const request = input.requestId ? await operatorRequest(deps, operator, input.requestId) : undefined;
  if (request) assertNotHeldByAnother(request, operatorId);
  const userId = request?.userId ?? (await deps.profiles.userByPhone(phone));
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
  // Search refs first (idempotent keys): a ref to a call that failed to store is skipped by search.
  const where = { ...(call.queue ? { queue: call.queue } : {}), ...(call.requestId ? { requestId: call.requestId } : {}) };
  await deps.workspace.putPhoneRefs([{ phone, kind: 'call', callId: call.id, queuedAt: call.queuedAt, ...where }]);
  await deps.workspace.putCallTimeRefs({ callId: call.id, queuedAt: call.queuedAt, endedAt: call.endedAt, operatorId, ...where });
  const isCallback = request?.channel === 'callback';
  if (!request || !isCallback) {
    await deps.calls.putCall(call);
    return { id: call.id, waitSeconds, durationSeconds };
  }
  // Conditional on the workflow token read: a resumed run (the reconciler) may have queued the
  // request again meanwhile, and the outcome must reach the run that waits now, not a dead one.
  let current = request;
  for (let round = 1; ; round += 1) {
    const attempts = (current.attempts ?? 0) + 1;
    const patch: RequestPatch = {
      attempts,
      taskToken: null,
      assignedTo: operatorId,
      ...(input.outcome === 'answered' ? { status: 'completed', checkAt: null, failure: null } : {}),
    };
    try {
      await deps.calls.putCall(call, {
        from: ['scheduled', 'in_progress'],
        patch,
        event: { at, event: input.outcome === 'answered' ? 'completed' : 'call_unanswered', detail: `attempt ${attempts}: ${input.outcome}` },
        at,
        expect: { taskToken: current.taskToken ?? null, assignee: operatorId },
        owner: current,
      });
    } catch (error) {
      if (!(error instanceof StaleTransitionError)) throw error;
      const fresh = await deps.requests.getRequest(current.id);
      const awaiting = fresh && (fresh.status === 'scheduled' || fresh.status === 'in_progress');
      if (fresh && heldByAnother(fresh, operatorId)) throw new StateConflictError('taken', 'Another operator holds this request.');
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
export async function recordLostOutcome(deps: Pick<Deps, 'requests' | 'clock'>, requestId: string) {
  const request = await deps.requests.getRequest(requestId);
  if (!request) throw new NotFoundError('request');
  const attempts = (request.attempts ?? 0) + 1;
  const at = deps.clock.now().toISOString();
  // Out of the operators' queue too: the next attempt queues it again when due.
  await deps.requests.transition(
    requestId,
    ['scheduled', 'in_progress'],
    { attempts, taskToken: null },
    { at, event: 'call_unanswered', detail: `attempt ${attempts}: no outcome recorded` },
    at,
    { dequeue: true, owner: request },
  );
  return { outcome: 'no_answer' as const, attempts, maxAttempts: MAX_ATTEMPTS };
}

/** After the last unanswered attempt: `missed`, and the SMS offers a written request. */
export async function markMissed(deps: Pick<Deps, 'requests' | 'clock'>, requestId: string) {
  const at = deps.clock.now().toISOString();
  await deps.requests.transition(requestId, ['scheduled', 'in_progress', 'received'], { status: 'missed', taskToken: null, checkAt: null }, { at, event: 'missed' }, at, { dequeue: true });
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

export async function listOwnCalls(deps: Pick<Deps, 'calls'>, userId: string) {
  return { items: (await deps.calls.listCallsByOwner(userId, 100)).map(callView) };
}
