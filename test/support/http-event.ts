import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '#http/stack';
import { ROLE_SCOPES, type Role, type RouteDef, routeKey } from '#http/routes';
import { resolveFromRepo } from '#infra/local/local-paths';
import { fillPath, handlerEntry } from './route-catalog.ts';

/**
 * API Gateway HTTP API payload 2.0 events for calling the real handler modules in-process, shaped
 * as API Gateway shapes them: lower-case headers, string claims (`roles: "[a b]"`), the body as
 * text or base64.
 */
export interface EventInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  /** undefined: no authorizer context at all (what a Lambda behind no authorizer would see). */
  claims?: Record<string, unknown>;
}

export type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export function httpEvent(route: RouteDef, input: EventInput): HttpEvent {
  const params = input.params ?? {};
  const rawPath = fillPath(route, params);
  const query = input.query;
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers: input.headers ?? {},
    ...(query && Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'fuzz',
      domainName: 'fuzz.local',
      domainPrefix: 'fuzz',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'fuzz' },
      requestId,
      routeKey: routeKey(route),
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(input.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: input.claims, scopes: null } } } : {}),
    },
    ...(input.body !== undefined ? { body: input.body } : {}),
    isBase64Encoded: input.isBase64Encoded ?? false,
  } as unknown as HttpEvent;
}

export function lambdaContext(route: RouteDef): Context {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `fuzz-${route.fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:000000000000:function:fuzz-${route.fn}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/fuzz-${route.fn}`,
    logStreamName: 'fuzz',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const loaded = new Map<string, Promise<Handler>>();

/** The handler Lambda runs for the route: infra/functions.ts names its module. */
export function handlerFor(route: RouteDef): Promise<Handler> {
  const entry = handlerEntry(route);
  let found = loaded.get(entry);
  if (!found) {
    found = (import(resolveFromRepo(entry)) as Promise<{ handler?: Handler }>).then((mod) => {
      if (typeof mod.handler !== 'function') throw new Error(`${entry} exports no handler`);
      return mod.handler;
    });
    loaded.set(entry, found);
  }
  return found;
}

/** Roles as an HTTP API JWT authorizer hands them to the Lambda. */
export function gatewayRoles(roles: readonly string[]): string {
  return `[${roles.join(' ')}]`;
}

/**
 * Claims of a staff token as the HTTP API JWT authorizer hands them over: roles flattened, the
 * `scope` string naming each staff role (ROLE_SCOPES) and the `queues` claim (every queue unless given).
 */
export function staffClaims(sub: string, roles: readonly Role[], queues: readonly string[] = ['*']): Record<string, string> {
  const scope = roles.filter((r): r is Exclude<Role, 'citizen'> => r !== 'citizen').map((r) => ROLE_SCOPES[r]).join(' ');
  return { sub, roles: gatewayRoles(roles), scope, ...(roles.includes('operator') ? { queues: gatewayRoles(queues) } : {}) };
}
