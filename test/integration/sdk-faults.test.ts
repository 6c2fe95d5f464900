import { inspect } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import {
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ScanCommand,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { InternalErrorException, InvalidParameterException, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { ConfiguredRetryStrategy, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { dynamoStores } from '#adapters/dynamodb/stores';
import { keys } from '#adapters/dynamodb/keys';
import { snsSms } from '#adapters/sns/sns-sms';
import { codeText } from '#core/notices/sms-templates';
import { SmsSendError, StaleTransitionError } from '#core/errors';
import type { SupportRequest } from '#core/requests/model';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#infra/local/dynamodb-local';
import { PROFILE_PHONE_E164, storedWrittenRequest } from '../support/fixtures.ts';
import { freshTable } from '../support/integration.ts';
import { findLeaks } from '../support/pii-scan.ts';
import { type FaultHandle, dynamoFaults, injectFaults, snsFaults, wire } from '../support/sdk-faults.ts';

/**
 * The AWS SDK's own retries, proven with faults injected inside the client (test/support/sdk-faults.ts):
 * transient failures are retried with growing delays and then succeed; a failure that persists
 * comes out, after the configured attempts, as an error whose `name` is the service error's (what a
 * Lambda reports and a state machine's Retry/Catch matches), with nothing half written; a failed
 * condition is never retried; and an SMS failure names only the SDK error, never the phone or text.
 */

/** Delay before retry n (1-based): 20, 40, 80 ms. Small, so the run stays fast, and growing. */
const backoff = (retry: number) => 20 * 2 ** (retry - 1);
/** Node's timers may fire up to a millisecond before `performance.now()` says the delay is over. */
const TIMER_SLACK_MS = 2;

/** A client for the run's DynamoDB Local, made as localDynamoClient makes it, with its retries configured. */
function dynamoClient(maxAttempts: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts,
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, backoff),
  });
}

/** A fresh table, its plain store (to read back what really happened), and a store over a client with faults. */
async function tableWithFaultyClient(maxAttempts: number) {
  const table = await freshTable();
  const client = dynamoClient(maxAttempts);
  return { ...table, faulty: { client, ...dynamoStores(client, table.tableName) } };
}

/** An SNS client whose endpoint refuses connections: only attempts the middleware answers can succeed. */
const UNREACHABLE = 'http://127.0.0.1:9';
function snsClient(retry?: { maxAttempts: number }): SNSClient {
  return new SNSClient({
    region: 'eu-central-1',
    endpoint: UNREACHABLE,
    credentials: { accessKeyId: 'AKIDFAKEFAKEFAKE', secretAccessKey: 'fake-secret' },
    ...(retry ? { maxAttempts: retry.maxAttempts, retryStrategy: new ConfiguredRetryStrategy(retry.maxAttempts, backoff) } : {}),
  });
}

const request = storedWrittenRequest;

/** The SDK's retry middleware numbered the attempts itself (`amz-sdk-request`): these are its retries. */
function sdkAttemptHeaders(handle: FaultHandle): (string | undefined)[] {
  return handle.records.map((r) => r.sdkRequest);
}
function expectedHeaders(attempts: number, max: number): string[] {
  return Array.from({ length: attempts }, (_, i) => `attempt=${i + 1}; max=${max}`);
}

/** Each wait between attempts lasted at least the configured backoff for that retry. */
function expectBackoff(handle: FaultHandle): void {
  const gaps = handle.gaps();
  expect(gaps).toHaveLength(handle.attempts - 1);
  gaps.forEach((gap, i) => {
    expect(gap).toBeGreaterThanOrEqual(backoff(i + 1) - TIMER_SLACK_MS);
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { attempts?: number; totalRetryDelay?: number; httpStatusCode?: number } }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

async function itemCount(client: DynamoDBClient, tableName: string): Promise<number> {
  const out = await client.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ConsistentRead: true }));
  return out.Count ?? 0;
}

describe('the fault middleware', () => {
  it('sits inside the retry middleware, as the last middleware before the HTTP handler', () => {
    const client = dynamoClient(4);
    const handle = injectFaults(client, { command: '*', fault: dynamoFaults.internalServerError(), times: 0 });
    const stack = client.middlewareStack.identify();
    const at = (name: string) => stack.findIndex((entry) => entry.startsWith(`${name} `));
    expect(at('retryMiddleware')).toBeGreaterThanOrEqual(0);
    expect(at('retryMiddleware')).toBeLessThan(at('httpSigningMiddleware'));
    expect(at('httpSigningMiddleware')).toBeLessThan(at('deserializerMiddleware'));
    expect(at('deserializerMiddleware')).toBeLessThan(at(handle.name));
    expect(stack.at(-1)).toBe(`${handle.name} - deserialize`);
    handle.remove();
    expect(client.middlewareStack.identify().some((entry) => entry.startsWith(handle.name))).toBe(false);
  });

  it('throws the SDK\'s own exception classes, which the SDK classifies as it does the real ones', () => {
    const [throughput, throttling, server] = [
      dynamoFaults.provisionedThroughputExceeded(),
      dynamoFaults.throttling(),
      dynamoFaults.internalServerError(),
    ].map((f) => f({ commandName: 'X', number: 1 }) as Error);
    expect(throughput).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(throttling).toBeInstanceOf(ThrottlingException);
    expect(server).toBeInstanceOf(InternalServerError);
    // Throttling by name (the SDK's THROTTLING_ERROR_CODES); no `$retryable` is needed or set.
    for (const error of [throughput, throttling]) {
      expect(isThrottlingError(error as never)).toBe(true);
      expect((error as { $retryable?: unknown }).$retryable).toBeUndefined();
    }
    // A 500 is transient by its status code alone.
    expect(isTransientError(server as never)).toBe(true);
    const [internal, throttled, invalid] = [snsFaults.internalError(), snsFaults.throttled(), snsFaults.invalidParameter()].map(
      (f) => f({ commandName: 'PublishCommand', number: 1 }) as Error,
    );
    expect(internal).toBeInstanceOf(InternalErrorException);
    expect(isTransientError(internal as never)).toBe(true);
    expect(throttled).toBeInstanceOf(ThrottledException);
    expect(isThrottlingError(throttled as never)).toBe(true);
    // A client error: neither throttling, transient nor server: the SDK does not retry it.
    expect(invalid).toBeInstanceOf(InvalidParameterException);
    expect(isThrottlingError(invalid as never) || isTransientError(invalid as never) || isServerError(invalid as never)).toBe(false);
  });
});

describe('DynamoDB store under injected faults (DynamoDB Local)', () => {
  it('creates a request through two throttled attempts: the SDK retries with growing delays and the request is stored', async () => {
    const { store, faulty } = await tableWithFaultyClient(4);
    const handle = injectFaults(faulty.client, {
      command: 'TransactWriteItemsCommand',
      fault: dynamoFaults.provisionedThroughputExceeded(),
      times: 2,
    });
    const now = new Date().toISOString();

    expect(await faulty.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, undefined, now)).toEqual({ kind: 'created' });

    expect(handle.attempts).toBe(3);
    expect(handle.records.map((r) => r.outcome)).toEqual(['faulted', 'faulted', 'passed']);
    expect(sdkAttemptHeaders(handle)).toEqual(expectedHeaders(3, 4));
    expectBackoff(handle);
    // Read back through a client without faults: the request, its number claim and one timeline event.
    const detail = await store.requests.getRequestDetail('r1');
    expect(detail?.request).toMatchObject({ id: 'r1', number: 'N-1', status: 'received' });
    expect(detail?.timeline).toEqual([{ at: now, event: 'received' }]);
  });

  it('moves a status through three throttled attempts of four, appending its timeline event once', async () => {
    const { store, faulty } = await tableWithFaultyClient(4);
    const t0 = '2026-11-26T10:00:00.000Z';
    await store.requests.createRequest(request('r1', 'N-1', t0), { at: t0, event: 'received' }, undefined, t0);
    const handle = injectFaults(faulty.client, { command: 'TransactWriteItemsCommand', fault: dynamoFaults.throttling(), times: 3 });
    const t1 = '2026-11-26T10:00:01.000Z';

    await faulty.requests.transition('r1', ['received'], { status: 'registered' }, { at: t1, event: 'registered' }, t1);
    const moved = await store.requests.getRequest('r1');

    expect(moved).toMatchObject({ status: 'registered', updatedAt: t1 });
    expect(handle.attempts).toBe(4);
    expect(sdkAttemptHeaders(handle)).toEqual(expectedHeaders(4, 4));
    expectBackoff(handle);
    const detail = await store.requests.getRequestDetail('r1');
    expect(detail?.timeline.map((e) => e.event)).toEqual(['received', 'registered']);
  });

  it('gives up on throttling that never ends after maxAttempts, with the service error\'s name and nothing written', async () => {
    const { client, tableName, store, faulty } = await tableWithFaultyClient(4);
    const handle = injectFaults(faulty.client, {
      command: 'TransactWriteItemsCommand',
      fault: dynamoFaults.provisionedThroughputExceeded(),
      times: Number.POSITIVE_INFINITY,
    });
    const now = new Date().toISOString();

    const error = await rejection(faulty.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, undefined, now));

    // The name a Lambda reports as its errorType, and a Retry/Catch `ErrorEquals` matches.
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error.name).toBe('ProvisionedThroughputExceededException');
    expect(error.constructor.name).toBe('ProvisionedThroughputExceededException');
    // The SDK writes its own count onto the error: the same as the attempts seen below it.
    expect(error.$metadata?.attempts).toBe(4);
    expect(error.$metadata?.totalRetryDelay).toBeGreaterThanOrEqual(backoff(1) + backoff(2) + backoff(3));
    expect(handle.attempts).toBe(4);
    expect(handle.sent).toBe(0);
    expect(sdkAttemptHeaders(handle)).toEqual(expectedHeaders(4, 4));
    expectBackoff(handle);
    // TransactWriteItems is all or nothing, and no attempt reached the table: no request, no number claim, no event.
    expect(await store.requests.getRequest('r1')).toBeUndefined();
    const claim = await client.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: keys.requestNumber('N-1').PK }, SK: { S: 'NUM' } }, ConsistentRead: true }));
    expect(claim.Item).toBeUndefined();
    expect(await itemCount(client, tableName)).toBe(0);
  });

  it('retries a transient 500 on reads (GetItem and Query) and returns what is stored', async () => {
    const { store, faulty } = await tableWithFaultyClient(4);
    const now = new Date().toISOString();
    await store.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, undefined, now);
    const getItem = injectFaults(faulty.client, { command: 'GetItemCommand', fault: dynamoFaults.internalServerError(), times: 2 });
    const query = injectFaults(faulty.client, { command: 'QueryCommand', fault: dynamoFaults.internalServerError(), times: 3 });

    expect(await faulty.requests.getRequest('r1')).toMatchObject({ id: 'r1', number: 'N-1' });
    expect((await faulty.requests.getRequestDetail('r1'))?.timeline).toEqual([{ at: now, event: 'received' }]);

    expect(getItem.attempts).toBe(3);
    expect(query.attempts).toBe(4);
    expectBackoff(getItem);
    expectBackoff(query);
  });

  it('surfaces a 500 that persists on a read as InternalServerError after maxAttempts', async () => {
    const { faulty } = await tableWithFaultyClient(3);
    const handle = injectFaults(faulty.client, { command: 'GetItemCommand', fault: dynamoFaults.internalServerError(), times: Number.POSITIVE_INFINITY });

    const error = await rejection(faulty.requests.getRequest('r1'));

    expect(error.name).toBe('InternalServerError');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 500, attempts: 3 });
    expect(handle.attempts).toBe(3);
  });

  it('never retries a real failed condition: StaleTransitionError and number_taken after one attempt each', async () => {
    const { store, faulty } = await tableWithFaultyClient(4);
    const t0 = '2026-11-26T10:00:00.000Z';
    await store.requests.createRequest(request('r1', 'N-1', t0), { at: t0, event: 'received' }, undefined, t0);
    await store.requests.transition('r1', ['received'], { status: 'registered' }, { at: t0, event: 'registered' }, t0);
    // Nothing injected: the middleware only counts what reaches DynamoDB Local.
    const handle = injectFaults(faulty.client, { command: 'TransactWriteItemsCommand', fault: dynamoFaults.throttling(), times: 0 });

    const stale = await rejection(faulty.requests.transition('r1', ['received'], { status: 'needs_info' }, { at: t0, event: 'needs_info' }, t0));
    expect(stale).toBeInstanceOf(StaleTransitionError);
    expect(stale.name).toBe('StaleTransitionError');
    expect(handle.attempts).toBe(1);

    expect(await faulty.requests.createRequest(request('r2', 'N-1'), { at: t0, event: 'received' }, undefined, t0)).toEqual({ kind: 'number_taken' });
    expect(handle.attempts).toBe(2);
    expect(sdkAttemptHeaders(handle)).toEqual(['attempt=1; max=4', 'attempt=1; max=4']);
    expect((await store.requests.getRequestDetail('r1'))?.timeline.map((e) => e.event)).toEqual(['received', 'registered']);
  });

  it('builds the same named error from the service\'s own bytes: a wire-level 400 ProvisionedThroughputExceededException', async () => {
    const { tableName, faulty } = await tableWithFaultyClient(3);
    const handle = injectFaults(faulty.client, {
      command: 'GetItemCommand',
      fault: wire.dynamoError('ProvisionedThroughputExceededException', 400, 'The level of configured provisioned throughput for the table was exceeded.'),
      times: Number.POSITIVE_INFINITY,
    });

    const error = await rejection(faulty.client.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: 'REQ#r1' }, SK: { S: 'META' } } })));

    // The SDK's deserializer made it: same class, same name, status from the response, and throttling retries.
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error.name).toBe('ProvisionedThroughputExceededException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 3 });
    expect(handle.attempts).toBe(3);
  });

  it('uses DynamoDB\'s own defaults without a strategy: 4 attempts, 25 ms base delay for a 500', async () => {
    const { tableName } = await freshTable();
    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const handle = injectFaults(client, { command: 'GetItemCommand', fault: dynamoFaults.internalServerError(), times: 3 });

    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: 'REQ#r1' }, SK: { S: 'META' } } }));

    expect(out.Item).toBeUndefined();
    expect(out.$metadata.attempts).toBe(4);
    expect(handle.attempts).toBe(4);
    expect(sdkAttemptHeaders(handle)).toEqual(expectedHeaders(4, 4));
    // Full jitter below 25·2^n ms for retry n+1: at most 24 + 49 + 99 in all.
    expect(out.$metadata.totalRetryDelay).toBeLessThanOrEqual(24 + 49 + 99);
  });

  it('a 500 that hides a committed transition: the retry carries the same ClientRequestToken, so it succeeds and nothing is written twice', async () => {
    // The response of a committed TransactWriteItems is lost (phase `after`). The store sets no
    // ClientRequestToken, but the SDK fills that idempotency token itself while serializing, which
    // happens once, outside the retry loop: the retry is the same transaction to DynamoDB, which
    // answers it as done instead of failing its condition (no false StaleTransitionError).
    const { store, faulty } = await tableWithFaultyClient(4);
    const t0 = '2026-11-26T10:00:00.000Z';
    await store.requests.createRequest(request('r1', 'N-1', t0), { at: t0, event: 'received' }, undefined, t0);
    const handle = injectFaults(faulty.client, {
      command: 'TransactWriteItemsCommand',
      fault: dynamoFaults.internalServerError(),
      times: 1,
      phase: 'after',
    });
    const t1 = '2026-11-26T10:00:01.000Z';

    await faulty.requests.transition('r1', ['received'], { status: 'registered' }, { at: t1, event: 'registered' }, t1);
    const moved = await store.requests.getRequest('r1');

    expect(moved).toMatchObject({ status: 'registered', updatedAt: t1 });
    expect(handle.attempts).toBe(2);
    expect(handle.sent).toBe(2);
    const tokens = handle.records.map((r) => (JSON.parse(r.body ?? '{}') as { ClientRequestToken?: string }).ClientRequestToken);
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens[1]).toBe(tokens[0]);
    expect((await store.requests.getRequestDetail('r1'))?.timeline.map((e) => e.event)).toEqual(['received', 'registered']);
  });

  it('a 500 that hides a committed creation: the retry reports created, not number_taken, and there is one request', async () => {
    const { client, tableName, store, faulty } = await tableWithFaultyClient(4);
    const handle = injectFaults(faulty.client, {
      command: 'TransactWriteItemsCommand',
      fault: dynamoFaults.internalServerError(),
      times: 1,
      phase: 'after',
    });
    const now = new Date().toISOString();

    expect(await faulty.requests.createRequest(request('r1', 'N-1'), { at: now, event: 'received' }, undefined, now)).toEqual({ kind: 'created' });

    expect(handle.attempts).toBe(2);
    expect((await store.requests.getRequestDetail('r1'))?.timeline).toEqual([{ at: now, event: 'received' }]);
    // The number claim, the request and its one event.
    expect(await itemCount(client, tableName)).toBe(3);
  });
});

describe('SNS SMS adapter under injected faults', () => {
  const phone = PROFILE_PHONE_E164;
  const text = codeText('482913');
  const person = { snils: [], passports: [], phones: [phone.replace(/^\+7/, '')], fullNames: [], addresses: [], addressWords: [], secrets: ['482913'] };

  /** Everything an error could carry into a log or an execution history, checked for the phone and the code. */
  function expectNoPersonalData(error: Error): void {
    const rendered = [error.message, String(error.stack), inspect(error, { depth: 5, showHidden: true }), JSON.stringify(error)].join('\n');
    expect(findLeaks(rendered, person)).toEqual([]);
    expect(rendered).not.toContain(text);
  }

  it('is a control: the endpoint is unreachable, so every answer in these tests comes from the middleware', async () => {
    const client = snsClient({ maxAttempts: 3 });
    const handle = injectFaults(client, { command: 'PublishCommand', fault: snsFaults.internalError(), times: 0 });

    const error = await rejection(snsSms(client, 'Gosuslugi').send(phone, text));

    // ECONNREFUSED is retried as transient, then surfaces as a plain `Error`.
    expect(error).toBeInstanceOf(SmsSendError);
    expect(error.message).toBe('SNS publish failed: Error');
    expect(handle.attempts).toBe(3);
    expect(handle.sent).toBe(3);
    expectNoPersonalData(error);
  });

  it('sends after two InternalErrorExceptions (SDK defaults: 3 attempts), never touching the network', async () => {
    const client = snsClient();
    const handle = injectFaults(client, {
      command: 'PublishCommand',
      fault: snsFaults.internalError(),
      times: 2,
      then: wire.snsPublished('00000000-0000-4000-8000-000000000001'),
    });

    await expect(snsSms(client, 'Gosuslugi').send(phone, text)).resolves.toBeUndefined();

    expect(handle.attempts).toBe(3);
    expect(handle.records.map((r) => r.outcome)).toEqual(['faulted', 'faulted', 'answered']);
    expect(handle.sent).toBe(0);
    expect(sdkAttemptHeaders(handle)).toEqual(expectedHeaders(3, 3));
  });

  it('fails a persistent InternalErrorException as SmsSendError naming only the SDK error, after 3 attempts', async () => {
    const client = snsClient();
    const handle = injectFaults(client, { command: 'PublishCommand', fault: snsFaults.internalError(), times: Number.POSITIVE_INFINITY });

    const error = await rejection(snsSms(client, 'Gosuslugi').send(phone, text));

    expect(error).toBeInstanceOf(SmsSendError);
    expect(error.name).toBe('SmsSendError');
    expect(error.message).toBe('SNS publish failed: InternalErrorException');
    expect(handle.attempts).toBe(3);
    expect(handle.sent).toBe(0);
    expectNoPersonalData(error);
  });

  it('retries ThrottledException with backoff, then fails as SmsSendError', async () => {
    const client = snsClient({ maxAttempts: 3 });
    const handle = injectFaults(client, { command: 'PublishCommand', fault: snsFaults.throttled(), times: Number.POSITIVE_INFINITY });

    const error = await rejection(snsSms(client, 'Gosuslugi').send(phone, text));

    expect(error).toBeInstanceOf(SmsSendError);
    expect(error.message).toBe('SNS publish failed: ThrottledException');
    expect(handle.attempts).toBe(3);
    expectBackoff(handle);
    expectNoPersonalData(error);
  });

  it('does not retry InvalidParameterException, even when the service\'s message would name the number', async () => {
    const client = snsClient({ maxAttempts: 3 });
    const handle = injectFaults(client, {
      command: 'PublishCommand',
      fault: wire.snsError('InvalidParameter', 400, `Invalid parameter: PhoneNumber Reason: ${phone} is not valid to publish to`),
      times: Number.POSITIVE_INFINITY,
    });

    const error = await rejection(snsSms(client, 'Gosuslugi').send(phone, text));

    expect(error).toBeInstanceOf(SmsSendError);
    expect(error.message).toBe('SNS publish failed: InvalidParameterException');
    expect(handle.attempts).toBe(1);
    expect(handle.sent).toBe(0);
    expectNoPersonalData(error);
  });

  it('does not retry the thrown InvalidParameterException class either', async () => {
    const client = snsClient({ maxAttempts: 3 });
    const handle = injectFaults(client, { command: 'PublishCommand', fault: snsFaults.invalidParameter(), times: Number.POSITIVE_INFINITY });

    const error = await rejection(snsSms(client, 'Gosuslugi').send(phone, text));

    expect(error.message).toBe('SNS publish failed: InvalidParameterException');
    expect(handle.attempts).toBe(1);
  });
});
