import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DomainError, ForbiddenError, PayloadTooLargeError, UnauthenticatedError, UnsupportedMediaTypeError, ValidationError } from '#core/errors';
import { logger } from '#adapters/logger';
import { optionalConfig } from '#functions/config';
import { ORIGIN_REFUSAL, ORIGIN_VERIFY_HEADER, originCheck } from './origin-verify.ts';
import { INTERNAL_PROBLEM, problemFor } from './problem.ts';
import { claimNames, parseQueuesClaim } from '#core/requests/operator-access';
import { type HttpFunction, ROLE_SCOPES, type Role, type RouteDef, findRoute } from './routes.ts';

/**
 * The shared middy stack every HTTP function uses: the origin check (in the cloud, before anything
 * else), route lookup and role check (before the body is touched), body limits and JSON parsing,
 * dispatch to the operation, problem+json errors, security headers, correlation id and one
 * structured, PII-free access log line.
 */
export const MAX_BODY_BYTES = 256 * 1024;

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface Caller {
  sub: string;
  roles: Role[];
  /** The queues an operator works (`queues` claim; empty for anyone else). */
  queues: readonly string[];
}

export interface HttpRequest {
  caller: Caller | undefined;
  body: unknown;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export interface Reply {
  statusCode: number;
  /** JSON by default; a Uint8Array is sent as binary (base64 through API Gateway). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Operation = (request: HttpRequest) => Promise<Reply>;

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

const ROLES: readonly Role[] = ['citizen', 'operator', 'admin'];

/**
 * `roles` strictly: a JSON array of exact names, or the "[a b]" string API Gateway makes of one
 * (claimNames). A bare string, an element with a space, comma or bracket, or a nested array grants
 * nothing beyond `citizen`; unknown names are ignored.
 */
export function parseRoles(claim: unknown): Role[] {
  const names = claimNames(claim) ?? [];
  const roles = [...new Set(names.filter((n): n is Role => (ROLES as readonly string[]).includes(n)))];
  return roles.length > 0 ? roles : ['citizen'];
}

/** The OAuth `scope` claim: one string of space-separated scopes (RFC 8693); anything else is none. */
export function parseScopes(claim: unknown): string[] {
  return typeof claim === 'string' ? claim.split(' ').filter(Boolean) : [];
}

/**
 * The roles a caller holds. The gateway flattens arrays, so `["citizen admin"]` reads like
 * `["citizen","admin"]` here: a staff role counts only when the token's `scope` also names it
 * (ROLE_SCOPES), which the gateway itself checks on every staff route.
 */
export function grantedRoles(claims: Record<string, unknown> | undefined): Role[] {
  const scopes = parseScopes(claims?.scope);
  const roles = parseRoles(claims?.roles).filter((r) => r === 'citizen' || scopes.includes(ROLE_SCOPES[r]));
  return roles.length > 0 ? roles : ['citizen'];
}

/** Portal user ids are short; a longer `sub` cannot be a real caller (and would not fit a key). */
const MAX_SUB_BYTES = 256;

function callerOf(event: HttpEvent): Caller | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '' || Buffer.byteLength(sub) > MAX_SUB_BYTES) return undefined;
  const roles = grantedRoles(claims);
  return { sub, roles, queues: roles.includes('operator') ? parseQueuesClaim(claims?.queues) : [] };
}

function authorize(route: RouteDef, caller: Caller | undefined): void {
  if (route.access === 'public') return;
  if (!caller) throw new UnauthenticatedError();
  if (route.access === 'any') return;
  if (!route.access.some((role) => caller.roles.includes(role))) throw new ForbiddenError();
}

/**
 * A client's X-Correlation-Id is kept only when it is a UUID with no long digit run: logs keep it
 * unscrubbed, so it must never be a way to smuggle a phone or a SNILS into them.
 */
function trustedCorrelationId(value: string | undefined): string | undefined {
  if (value === undefined || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return undefined;
  return /\d{6}/.test(value.replace(/-/g, '')) ? undefined : value;
}

/** The headers an operation sees: lower-case names, strings only, never the origin secret. */
function lowerHeaders(headers: HttpEvent['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  delete out[ORIGIN_VERIFY_HEADER];
  return out;
}

/** Any body over the limit is refused; below it, a GET's stray body is ignored, as HTTP says. */
function parseBody(event: HttpEvent, headers: Record<string, string>, method: string): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  if (method === 'GET' || method === 'DELETE') return undefined;
  const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) throw new UnsupportedMediaTypeError();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError([{ path: '', code: 'invalid_encoding', message: 'The body is not valid UTF-8.' }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError([{ path: '', code: 'invalid_json', message: 'The body is not valid JSON.' }]);
  }
}

function reply(statusCode: number, body: unknown, headers: Record<string, string>, contentType: string): HttpResult {
  const out: HttpResult = { statusCode, headers: { ...SECURITY_HEADERS, ...headers } };
  if (body instanceof Uint8Array) {
    out.headers = { ...out.headers, 'content-type': contentType };
    out.body = Buffer.from(body).toString('base64');
    out.isBase64Encoded = true;
  } else if (body !== undefined) {
    out.headers = { ...out.headers, 'content-type': contentType };
    out.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return out;
}

function errorReply(error: unknown, correlationId: string): HttpResult {
  const mapped = error instanceof DomainError ? problemFor(error) : undefined;
  if (mapped) return reply(mapped.problem.status, mapped.problem, { ...mapped.headers, 'x-correlation-id': correlationId }, 'application/problem+json');
  logger.error('unhandled error', { error: error as Error, correlationId });
  return reply(500, INTERNAL_PROBLEM, { 'x-correlation-id': correlationId }, 'application/problem+json');
}

export function httpFunction(fn: HttpFunction, operations: Record<string, Operation>) {
  // Read once, at the cold start. Set in the cloud on every HTTP function behind CloudFront
  // (test/infra/origin-verify.test.ts holds the stack to that); unset locally and in tests.
  const [current, previous] = [optionalConfig('ORIGIN_VERIFY'), optionalConfig('ORIGIN_VERIFY_PREVIOUS')];
  if (current === undefined && previous !== undefined) throw new Error('Configuration: ORIGIN_VERIFY_PREVIOUS is set without ORIGIN_VERIFY');
  const fromCloudFront = originCheck([current, previous]);
  const core = async (event: HttpEvent): Promise<HttpResult> => {
    const started = Date.now();
    const headers = lowerHeaders(event.headers);
    const correlationId = trustedCorrelationId(headers['x-correlation-id']) ?? event.requestContext?.requestId ?? 'none';
    // Before the route, the claims, the body or any store: a call that skipped CloudFront (and its
    // WAF) gets a 403 and nothing else. The log line says why; the header's value is never logged.
    if (fromCloudFront && !fromCloudFront(event.headers)) {
      const refused = errorReply(new ForbiddenError(ORIGIN_REFUSAL), correlationId);
      logger.info('request', { route: event.routeKey, status: refused.statusCode, durationMs: Date.now() - started, correlationId, refused: 'origin' });
      return refused;
    }
    const route = findRoute(event.routeKey);
    let result: HttpResult;
    try {
      const operation = route && route.fn === fn ? operations[route.operation] : undefined;
      if (!route || !operation) throw new Error(`route ${event.routeKey} is not served by ${fn}`);
      const caller = callerOf(event);
      authorize(route, caller);
      const body = parseBody(event, headers, route.method);
      const out = await operation({
        caller,
        body,
        params: (event.pathParameters ?? {}) as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        headers,
      });
      const contentType = out.headers?.['content-type'] ?? 'application/json';
      result = reply(out.statusCode, out.body, { ...out.headers, 'x-correlation-id': correlationId }, contentType);
    } catch (error) {
      result = errorReply(error, correlationId);
    }
    logger.info('request', { route: event.routeKey, status: result.statusCode, durationMs: Date.now() - started, correlationId });
    return result;
  };
  return middy<HttpEvent, HttpResult, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(core);
}

/** The caller of a route whose access is not `public` (the stack has already refused anyone else). */
export function callerOfRequest(request: HttpRequest): Caller {
  if (!request.caller) throw new UnauthenticatedError();
  return request.caller;
}

/** The operator behind a staff route (the stack has already checked the role). */
export function operatorOfRequest(request: HttpRequest): { id: string; queues: readonly string[] } {
  const { sub, queues } = callerOfRequest(request);
  return { id: sub, queues };
}
