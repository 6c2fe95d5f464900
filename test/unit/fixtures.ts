import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type { CreateRequestInput } from '#core/requests/create-request';
import { snilsCheckNumber } from '#core/identity/snils';

/** Shared test data and builders for the unit tests (not a test file itself). */

/** A valid SNILS (check number computed) from nine digits. */
export function withSnilsCheck(nine: string): string {
  return nine + String(snilsCheckNumber(nine)).padStart(2, '0');
}

export const IDENTITY = {
  fullName: 'Иванов Иван Иванович',
  snils: '112-233-445 95',
  passport: { series: '4510', number: '123456', issuedOn: '2015-03-20' },
  registrationAddress: 'г. Москва, ул. Тверская, д. 1',
  phone: '+7 912 345-67-89',
} as const;

export const PROFILE_PHONE_E164 = '+79123456789';
export { citizenPhone } from '../support/fixtures.ts';

export function identity(overrides: Partial<CreateRequestInput['identity']> = {}): CreateRequestInput['identity'] {
  return { ...IDENTITY, passport: { ...IDENTITY.passport }, ...overrides };
}

export function writtenInput(overrides: Partial<CreateRequestInput> = {}): CreateRequestInput {
  return {
    channel: 'written',
    type: 'technical',
    identity: identity(),
    written: { topic: 'Не приходит СМС-код', text: 'При входе на портал не приходит код подтверждения.' },
    ...overrides,
  };
}

export function callbackInput(overrides: Partial<CreateRequestInput> = {}): CreateRequestInput {
  return {
    channel: 'callback',
    type: 'consultation',
    identity: identity(),
    callback: { phone: '+7 495 123-45-67 доб. 12', description: 'Как заполнить заявление на загранпаспорт?' },
    ...overrides,
  };
}

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface EventOptions {
  claims?: Record<string, string | number | boolean | string[]> | null;
  body?: unknown;
  rawBody?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
}

/** An API Gateway HTTP API (payload 2.0) event as a JWT authorizer hands it to the Lambda. */
export function httpEvent(routeKey: string, options: EventOptions = {}): HttpEvent {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  let rawPath = path;
  for (const [name, value] of Object.entries(options.pathParameters ?? {})) rawPath = rawPath.replace(`{${name}}`, value);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  const event = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '02/Mar/2026:09:00:00 +0000',
      timeEpoch: 0,
      authorizer: options.claims === null || options.claims === undefined ? undefined : { principalId: '', integrationLatency: 0, jwt: { claims: options.claims, scopes: [] } },
    },
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(body !== undefined ? { body } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
  };
  return event as unknown as HttpEvent;
}

export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'aws-req-1',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;
