import type { Deps } from '#ports/deps';
import { intakeCheckAt } from '../reconcile/expectations.ts';
import { startOrLeaveToReconciler } from '../reconcile/record-failure.ts';
import type { IdempotencyRecord } from '#ports/stores/requests';
import { canonicalJson } from '../canonical-json.ts';
import { type FieldProblem, ValidationError } from '../errors.ts';
import { type HttpOutcome, idempotencyRecord, idempotencyScope, replayOf } from '../idempotency.ts';
import { type IdentityInput, checkIdentity, checkPhone, storedIdentity } from '../identity/identity.ts';
import { isValidInn } from '../identity/inn.ts';
import { CITIZEN_LIMITS, WindowChanged, newRequestsLimited, tooManyOpenCallbacks, underWindow } from '../limits/limits.ts';
import { parsePhone } from '../phone/phone.ts';
import { addDays, latestRussianDate } from '../time.ts';
import type { Channel, RelatedKind, RequestType, SupportRequest } from './model.ts';
import { newRequestNumber } from './request-number.ts';

export interface CreateRequestInput {
  channel: Channel;
  type: RequestType;
  identity: IdentityInput;
  relatedNumber?: string;
  relatedKind?: RelatedKind;
  written?: {
    topic: string;
    text: string;
    contactPhone?: string;
    attempts?: { at: string; phone?: string; error?: string }[];
    desiredOutcome?: string;
  };
  callback?: {
    phone: string;
    description: string;
    note?: string;
    preferredWindow?: { from: string; to: string };
  };
}

export type Created = HttpOutcome;

const MAX_WINDOW_DAYS = 7;
const NUMBER_ATTEMPTS = 3;

export function checkCreateRules(input: CreateRequestInput, now: Date): FieldProblem[] {
  const problems = checkIdentity(input.identity, latestRussianDate(now), 'identity.');
  const other: Channel = input.channel === 'written' ? 'callback' : 'written';
  if (!input[input.channel]) {
    problems.push({ path: input.channel, code: 'required', message: `A ${input.channel} request needs its "${input.channel}" section.` });
  }
  if (input[other]) {
    problems.push({ path: other, code: 'unexpected', message: `Only the "${input.channel}" section goes with channel "${input.channel}".` });
  }
  if (input.relatedKind === 'inn' && input.relatedNumber && /^(\d{10}|\d{12})$/.test(input.relatedNumber)) {
    if (!isValidInn(input.relatedNumber)) {
      problems.push({ path: 'relatedNumber', code: 'inn_invalid', message: 'The INN check digits do not match.' });
    }
  }
  if (input.written?.contactPhone !== undefined) {
    problems.push(...checkPhone(input.written.contactPhone, 'written.contactPhone', { mobile: false }));
  }
  input.written?.attempts?.forEach((attempt, i) => {
    if (attempt.phone !== undefined) problems.push(...checkPhone(attempt.phone, `written.attempts.${i}.phone`, { mobile: false }));
  });
  if (input.callback) {
    problems.push(...checkPhone(input.callback.phone, 'callback.phone', { mobile: false }));
    const window = input.callback.preferredWindow;
    if (window) {
      const from = Date.parse(window.from);
      const to = Date.parse(window.to);
      const latest = addDays(now, MAX_WINDOW_DAYS).getTime();
      if (!(from < to) || to <= now.getTime() || from > latest || to > latest) {
        problems.push({
          path: 'callback.preferredWindow',
          code: 'window_invalid',
          message: 'The window must end in the future, start before it ends, and lie within 7 days.',
        });
      }
    }
  }
  return problems;
}

function normalizedPhone(input: string): { e164: string; extension?: string } {
  const parsed = parsePhone(input);
  if (!parsed.ok) throw new Error('normalizedPhone called on unchecked phone');
  return parsed.phone;
}

async function buildRequest(deps: Pick<Deps, 'ids' | 'hasher'>, userId: string, input: CreateRequestInput, now: Date): Promise<SupportRequest> {
  const at = now.toISOString();
  const request: SupportRequest = {
    id: deps.ids.newId(),
    number: newRequestNumber(now, deps.ids),
    userId,
    channel: input.channel,
    type: input.type,
    status: 'received',
    createdAt: at,
    updatedAt: at,
    identity: await requestIdentity(input.identity, deps),
    checkAt: intakeCheckAt(now),
  };
  if (input.relatedNumber !== undefined) request.relatedNumber = input.relatedNumber;
  if (input.relatedKind !== undefined) request.relatedKind = input.relatedKind;
  if (input.channel === 'written' && input.written) {
    const w = input.written;
    request.written = {
      topic: w.topic,
      text: w.text,
      attempts: (w.attempts ?? []).map((a) => ({ ...a, ...(a.phone ? { phone: normalizedPhone(a.phone).e164 } : {}) })),
      ...(w.contactPhone !== undefined ? { contactPhone: normalizedPhone(w.contactPhone) } : {}),
      ...(w.desiredOutcome !== undefined ? { desiredOutcome: w.desiredOutcome } : {}),
    };
  }
  if (input.channel === 'callback' && input.callback) {
    const c = input.callback;
    request.callback = {
      phone: normalizedPhone(c.phone),
      description: c.description,
      ...(c.note !== undefined ? { note: c.note } : {}),
      ...(c.preferredWindow ? { preferredWindow: { from: new Date(c.preferredWindow.from).toISOString(), to: new Date(c.preferredWindow.to).toISOString() } } : {}),
    };
  }
  return request;
}

/** Carries a replay found while reading the limits out of the limited write's loop. */
class ReplayFound extends Error {
  constructor(readonly record: IdempotencyRecord) {
    super('replay');
  }
}

type StartDeps = Pick<Deps, 'requests' | 'clock' | 'metrics' | 'workflows'>;

/** Intake of a stored request, named after it: a second start of the same request is a no-op. */
export const startIntake = (deps: StartDeps, requestId: string) =>
  startOrLeaveToReconciler(deps, { workflow: 'intake', name: requestId, input: { requestId } }, requestId, 'Start');

async function replay(deps: StartDeps, record: IdempotencyRecord, bodyHash: string): Promise<Created> {
  const outcome = replayOf(record, bodyHash);
  // The first attempt may have stored the request and then failed to start its workflow.
  await startIntake(deps, (record.body as { id: string }).id);
  return outcome;
}

/**
 * Accepts a request: checks every synchronous rule, stores it with its idempotency record in one
 * transaction, and starts the intake workflow named after the request (so a retry cannot start two).
 */
export async function createRequest(
  deps: Pick<Deps, 'requests' | 'workflows' | 'clock' | 'ids' | 'hasher' | 'metrics'>,
  userId: string,
  input: CreateRequestInput,
  idempotencyKey?: string,
): Promise<Created> {
  const now = deps.clock.now();
  const bodyHash = deps.hasher.digest(canonicalJson(input));
  const scope = idempotencyScope(deps.hasher, userId, 'create-request', idempotencyKey);
  // A retry replays the first answer even when a time-dependent rule (the window) has passed since.
  const earlier = scope ? await deps.requests.getIdempotencyRecord(scope, now.toISOString()) : undefined;
  if (earlier) return replay(deps, earlier, bodyHash);

  const problems = checkCreateRules(input, now);
  if (problems.length > 0) throw new ValidationError(problems);

  // Per-citizen limits: the 24-hour window (checked first: 429 wins over 409) and, for a callback,
  // a place among the open ones; both counted in the creating transaction, retried when another
  // create of the same citizen won the window in between.
  const open = input.channel === 'callback' ? { openCallbacks: CITIZEN_LIMITS.openCallbacks } : {};
  let numberAttempts = 0;
  const outcome = await underWindow(
    // A duplicate racing its first attempt may find the window already full with that very request:
    // the replay wins then too, so the window is read with the idempotency record.
    async (known) => {
      const state = known ?? (await deps.requests.getLimitWindow('requests', userId));
      const first = scope ? await deps.requests.getIdempotencyRecord(scope, now.toISOString()) : undefined;
      if (first) throw new ReplayFound(first);
      return state;
    },
    userId,
    now,
    CITIZEN_LIMITS.newRequests,
    newRequestsLimited,
    async (window) => {
      const request = await buildRequest(deps, userId, input, now);
      const created: Created = {
        statusCode: 202,
        headers: { Location: `/v1/requests/${request.id}` },
        body: {
          id: request.id,
          number: request.number,
          channel: request.channel,
          type: request.type,
          status: request.status,
          createdAt: request.createdAt,
        },
      };
      const record = scope ? idempotencyRecord(scope, bodyHash, created, now) : undefined;
      const stored = await deps.requests.createRequest(request, { at: request.createdAt, event: 'received' }, record, now.toISOString(), { window, ...open });
      if (stored.kind === 'number_taken') {
        numberAttempts += 1;
        if (numberAttempts >= NUMBER_ATTEMPTS) throw new Error('could not issue a unique request number');
        return 'window_changed' as const;
      }
      if (stored.kind === 'window_changed') return new WindowChanged(stored.current);
      return { stored, request, created };
    },
  ).catch((error: unknown) => {
    if (error instanceof ReplayFound) return { replayed: error.record };
    throw error;
  });
  if ('replayed' in outcome) return replay(deps, outcome.replayed, bodyHash);
  const { stored, request, created } = outcome;
  if (stored.kind === 'replay') return replay(deps, stored.record, bodyHash);
  if (stored.kind === 'too_many_open') throw tooManyOpenCallbacks();
  deps.metrics.put('RequestsCreated', { Channel: request.channel, Type: request.type });
  // Stored first, started second: a start that fails leaves a `received` request the reconciler resumes.
  await startIntake(deps, request.id);
  return created;
}

/**
 * What a request keeps of the identity typed into it: only what verification compares. The
 * registration address is never compared (the profile holds it), so it is not copied into every
 * request: 152-FZ asks for no more personal data than the purpose needs, and the request item then
 * stays under the 1 KB that DynamoDB bills a write by.
 */
async function requestIdentity(identity: IdentityInput, deps: Pick<Deps, 'hasher'>) {
  const stored = await storedIdentity(identity, deps.hasher);
  delete stored.registrationAddress;
  return stored;
}
