/**
 * Domain errors. Each carries the machine-readable `code` of the contract; the HTTP layer maps
 * the class to a status in one table (functions/http/problem.ts) and the state machines match
 * the class name in their Catch clauses, so names are part of the workflow contract.
 */
export interface FieldProblem {
  path: string;
  code: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly extra: Record<string, unknown>;
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.extra = extra;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(readonly errors: FieldProblem[]) {
    super('The request has invalid fields.');
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(what = 'resource') {
    super(`The ${what} does not exist.`);
  }
}

/** 409: the resource's state forbids the action; `code` says which state rule. */
export class StateConflictError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class IdempotencyMismatchError extends DomainError {
  readonly code = 'idempotency_key_reused';
  constructor() {
    super('This Idempotency-Key was used with a different request body.');
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
  constructor(message = 'A valid bearer token is required.') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  constructor(message = 'Your role may not use this route.') {
    super(message);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
  constructor(limit: number) {
    super(`The body is larger than ${limit} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported_media_type';
  constructor() {
    super('The body must be JSON (Content-Type: application/json).');
  }
}

export class RateLimitedError extends DomainError {
  readonly code: string;
  constructor(
    readonly retryAfterSeconds: number,
    code = 'rate_limited',
    message = 'Too many requests; try again later.',
  ) {
    super(message);
    this.code = code;
  }
}

/** A state machine task found the request in a status it cannot act on (workflow Catch target). */
export class StaleTransitionError extends DomainError {
  readonly code = 'stale_transition';
}

/** No callback slot has a free place within the horizon (workflow Retry/Catch target). */
export class NoFreeSlotError extends DomainError {
  readonly code = 'no_free_slot';
}

/** The reference profile needed by a task is gone (workflow Catch target). */
export class ProfileMissingError extends DomainError {
  readonly code = 'profile_missing';
}

/** The SMS port could not send; the state machine retries on this name. */
export class SmsSendError extends DomainError {
  readonly code = 'sms_send_failed';
}
