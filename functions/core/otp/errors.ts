import { DomainError, RateLimitedError } from '#core/errors';

/**
 * Errors of one-time-code verification. HTTP statuses (functions/http/problem.ts):
 * - CodeInvalidError → 400, `code_invalid`, with `attemptsLeft` at the top level of the problem
 *   (it travels in `extra`, which problemFor spreads beside `code`);
 * - CodeExpiredError → 410, `code_expired`;
 * - CodeLockedError → 429, `code_locked`, with Retry-After: it IS a RateLimitedError, so the
 *   existing row for RateLimitedError already maps it.
 * A code that was never requested or was already used is a StateConflictError (409,
 * `code_not_requested` / `code_used`), also already mapped.
 * No message or extra member ever carries the code or its hash.
 */
export class CodeInvalidError extends DomainError {
  readonly code = 'code_invalid';
  constructor(readonly attemptsLeft: number) {
    super(
      attemptsLeft > 0
        ? `The code is wrong. Attempts left for this code: ${attemptsLeft}.`
        : 'The code is wrong, and that was the last attempt: request a new code.',
      { attemptsLeft },
    );
  }
}

export class CodeExpiredError extends DomainError {
  readonly code = 'code_expired';
  constructor() {
    super('The code has expired: request a new code.');
  }
}

/** Too many wrong codes: this code is dead; Retry-After says when a new one may be sent. */
export class CodeLockedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds, 'code_locked', 'Too many wrong codes: this code no longer works. Request a new code.');
  }
}
