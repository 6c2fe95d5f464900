import {
  DomainError,
  ForbiddenError,
  IdempotencyMismatchError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  StateConflictError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#core/errors';
import { CodeExpiredError, CodeInvalidError } from '#core/otp/errors';

/** RFC 9457 problem details; the one table from domain error classes to HTTP statuses. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: { path: string; code: string; message: string }[];
  [extra: string]: unknown;
}

const STATUS_BY_CLASS: [abstract new (...args: never[]) => DomainError, number, string][] = [
  [ValidationError, 400, 'Invalid input'],
  [CodeInvalidError, 400, 'Invalid code'],
  [UnauthenticatedError, 401, 'Unauthenticated'],
  [ForbiddenError, 403, 'Forbidden'],
  [NotFoundError, 404, 'Not found'],
  [StateConflictError, 409, 'Conflict'],
  [CodeExpiredError, 410, 'Code expired'],
  [PayloadTooLargeError, 413, 'Payload too large'],
  [UnsupportedMediaTypeError, 415, 'Unsupported media type'],
  [IdempotencyMismatchError, 422, 'Idempotency key reused'],
  [RateLimitedError, 429, 'Too many requests'],
];

export function problemFor(error: DomainError): { problem: Problem; headers: Record<string, string> } | undefined {
  const row = STATUS_BY_CLASS.find(([cls]) => error instanceof cls);
  if (!row) return undefined;
  const [, status, title] = row;
  const problem: Problem = { type: `https://support-center.example/problems/${error.code}`, title, status, code: error.code, detail: error.message, ...error.extra };
  if (error instanceof ValidationError) problem.errors = error.errors;
  const headers: Record<string, string> = {};
  if (error instanceof RateLimitedError) headers['Retry-After'] = String(error.retryAfterSeconds);
  return { problem, headers };
}

export const INTERNAL_PROBLEM: Problem = {
  type: 'https://support-center.example/problems/internal',
  title: 'Internal error',
  status: 500,
  code: 'internal',
  detail: 'Something went wrong on our side. Try again later.',
};
