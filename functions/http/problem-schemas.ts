import * as z from 'zod/mini';
import { named } from './schemas.ts';

/**
 * Every problem `code` the API answers, with its HTTP status, what it means and the extra members
 * it carries: the one list the OpenAPI document and the response checks read. A route names the
 * codes it can return (routes.ts, `errors`); the ones every route of a kind can return (a bad token,
 * a body too large, …) are added from the route's own properties by `problemCodesOf`.
 *
 * Only for the document and the tests: the Lambdas import the code names as a type, never these
 * schemas (the runtime maps error classes to statuses in problem.ts).
 */
interface ProblemKind {
  status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500;
  about: string;
  extra?: 'errors' | 'attemptsLeft';
}

export const PROBLEM_KINDS = {
  validation_failed: { status: 400, about: 'invalid input: every field problem is listed in `errors`', extra: 'errors' },
  code_invalid: { status: 400, about: 'the code is wrong; `attemptsLeft` says how many tries this code has left (0: request a new one)', extra: 'attemptsLeft' },
  unauthenticated: { status: 401, about: 'missing, expired or invalid token' },
  forbidden: { status: 403, about: 'the caller’s role (or, on an operator queue, the token’s `queues`) does not allow this route' },
  not_found: { status: 404, about: 'no such resource, or another citizen’s' },
  // 409: the resource's state forbids the action.
  too_many_open_callbacks: { status: 409, about: '3 callback requests are already received, scheduled or in progress' },
  too_many_comments: { status: 409, about: 'the request already has 100 comments' },
  too_many_attachments: { status: 409, about: '5 attachments that are not rejected (20 in all)' },
  request_closed: { status: 409, about: 'the request is cancelled, answered, completed, missed or forwarded' },
  not_cancellable: { status: 409, about: 'the request is already answered, completed, missed, forwarded or cancelled' },
  not_ready: { status: 409, about: 'the file is still pending, or was rejected' },
  phone_in_use: { status: 409, about: 'another profile holds the phone number; nothing changes' },
  already_confirmed: { status: 409, about: 'the call is already confirmed' },
  profile_missing: { status: 409, about: 'the caller has no reference profile' },
  code_not_requested: { status: 409, about: 'no code was requested: request one first' },
  code_used: { status: 409, about: 'the code was already used: request a new one' },
  not_confirmed: { status: 409, about: 'the call is not confirmed with its SMS code yet' },
  claim_not_eligible: { status: 409, about: 'the call’s wait did not exceed 10 minutes' },
  already_claimed: { status: 409, about: 'a claim was already filed for this call' },
  taken: { status: 409, about: 'another operator holds the request' },
  not_takeable: { status: 409, about: 'the request awaits no operator (not scheduled or registered)' },
  not_awaiting_call: { status: 409, about: 'the request awaits no call' },
  not_written: { status: 409, about: 'only written requests are answered in writing' },
  not_answerable: { status: 409, about: 'the request is not awaiting an answer' },
  not_taken: { status: 409, about: 'nobody holds the request: there is nothing to give back' },
  already_extended: { status: 409, about: 'the deadline was already extended once (59-FZ allows one extension)' },
  overdue: { status: 409, about: 'the deadline has passed: it can no longer be extended' },
  forward_too_late: { status: 409, about: 'more than 7 days since registration: it can no longer be forwarded' },
  calendar_in_use: { status: 409, about: 'slotMinutes cannot change while the queue has bookings ahead' },
  calendar_changed: { status: 409, about: 'another change of the queue’s calendar won: read it again and retry' },
  code_expired: { status: 410, about: 'the code is older than 5 minutes: request a new one' },
  payload_too_large: { status: 413, about: 'the body is over 256 KiB' },
  unsupported_media_type: { status: 415, about: 'the body is not JSON (`Content-Type: application/json`)' },
  idempotency_key_reused: { status: 422, about: 'this `Idempotency-Key` was used with another body' },
  rate_limited: { status: 429, about: 'too many requests: a per-citizen limit of the route, or (in the cloud, on every route) this client’s per-address limit at the edge; `Retry-After` says when to try again' },
  code_resend_too_soon: { status: 429, about: 'a new code may be sent once a minute' },
  code_send_limit: { status: 429, about: 'at most 5 codes an hour' },
  code_locked: { status: 429, about: '5 wrong tries: the code is dead, whatever code is sent now; request a new one' },
  internal: { status: 500, about: 'something failed on the server; the body says nothing more' },
} as const satisfies Record<string, ProblemKind>;

export type ProblemCode = keyof typeof PROBLEM_KINDS;
export type ProblemStatus = ProblemKind['status'];

export const FieldProblemSchema = named(z.strictObject({ path: z.string(), code: z.string(), message: z.string() }), 'FieldProblem');

const EXTRA = {
  errors: { errors: z.array(FieldProblemSchema).check(z.minLength(1)) },
  attemptsLeft: { attemptsLeft: z.number().check(z.int(), z.minimum(0)) },
} as const;

/** `code_invalid` → `CodeInvalidProblem`. */
function componentName(code: string): string {
  return `${code.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}Problem`;
}

const schemas = new Map<ProblemCode, z.ZodMiniType>();

/** The RFC 9457 body of one code: closed, with `code` and `status` fixed and its extra members required. */
export function problemSchema(code: ProblemCode): z.ZodMiniType {
  let schema = schemas.get(code);
  if (!schema) {
    const kind: ProblemKind = PROBLEM_KINDS[code];
    schema = named(
      z.strictObject({
        type: z.string(),
        title: z.string(),
        status: z.literal(kind.status),
        code: z.literal(code),
        detail: z.optional(z.string()),
        ...(kind.extra ? EXTRA[kind.extra] : {}),
      }),
      componentName(code),
    );
    schemas.set(code, schema);
  }
  return schema;
}

/** The body of one status of one route: the one code's problem, or a union on `code`. */
export function problemUnion(codes: readonly ProblemCode[]): z.ZodMiniType {
  const [first, ...rest] = codes.map(problemSchema) as [z.ZodMiniObject, ...z.ZodMiniObject[]];
  return rest.length === 0 ? first : z.discriminatedUnion('code', [first, ...rest]);
}

export function statusOf(code: ProblemCode): ProblemStatus {
  return PROBLEM_KINDS[code].status;
}

export function aboutOf(code: ProblemCode): string {
  return PROBLEM_KINDS[code].about;
}
