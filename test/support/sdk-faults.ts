import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { InternalErrorException, InvalidParameterException, ThrottledException } from '@aws-sdk/client-sns';
import { HttpResponse } from '@smithy/core/protocols';
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeHandlerOutput,
  HandlerExecutionContext,
  MetadataBearer,
  MiddlewareStack,
  ResponseMetadata,
} from '@smithy/types';

/**
 * Faults injected inside an AWS SDK v3 client, where the SDK's own retry logic sees them.
 *
 * Where the middleware sits: step `deserialize`, priority `low`, the innermost middleware of the
 * stack, right before the HTTP handler. The retry middleware (step `finalizeRequest`, priority
 * `high`) wraps it, so every injected failure goes through the SDK's classification, backoff and
 * attempt limit exactly as a failure from the network would; and a `before` fault is thrown before
 * any byte leaves the process. A canned HTTP response (`wire`) is returned to the SDK's own
 * deserializer (which sits outside this middleware, in the same step), so the SDK builds the
 * service error, or the successful output, from the bytes a real service would send.
 */

/** A raw HTTP answer, as the service would send it: the SDK's deserializer turns it into an error or an output. */
export interface WireResponse {
  wire: { statusCode: number; headers?: Record<string, string>; body: string };
}

/** What one faulty attempt does: throw this error, or answer with this HTTP response. */
export type Fault = (attempt: { commandName: string; number: number }) => Error | WireResponse;

export interface FaultPlan {
  /** The SDK command name (`TransactWriteItemsCommand`, `GetItemCommand`, `PublishCommand`…), or `*` for every command. */
  command: string;
  fault: Fault;
  /** How many of the next matching attempts fail (`Infinity`: every one). */
  times: number;
  /**
   * `before` (default): the attempt fails before it reaches the network. `after`: the request is
   * really sent and executed, then its response is lost and the fault is raised instead: the
   * ambiguous case of a timeout or a 500 after the service committed.
   */
  phase?: 'before' | 'after';
  /** Attempts after the faults: `pass` (default) goes to the network; a `WireResponse` is answered without it. */
  then?: 'pass' | WireResponse;
}

export interface AttemptRecord {
  /** `performance.now()` when the attempt reached this middleware. */
  at: number;
  /** What this middleware did with it: failed it, let it through unchanged, or answered it with a canned response. */
  outcome: 'faulted' | 'passed' | 'answered';
  /** Whether the request was really sent (`pass`, or a fault in the `after` phase). */
  sent: boolean;
  /** The SDK's own `amz-sdk-request` header: `attempt=N; max=M` (set by the retry middleware). */
  sdkRequest: string | undefined;
  /** The serialized request body, as text (when it is a string or bytes, not a stream): serialized once, sent on every retry. */
  body: string | undefined;
}

export interface FaultHandle {
  /** Matching attempts seen so far (faulted, passed to the network, or answered). */
  readonly attempts: number;
  readonly records: readonly AttemptRecord[];
  /** `performance.now()` of each matching attempt. */
  readonly timestamps: readonly number[];
  /** Milliseconds between consecutive attempts: the backoff the SDK waited (plus a little run time). */
  gaps(): number[];
  /** Attempts that were really sent (`pass`, or faults in the `after` phase). */
  readonly sent: number;
  /** The middleware's name in the client's stack. */
  readonly name: string;
  /** Takes the middleware out of the stack. */
  remove(): void;
}

/** Any SDK v3 client (or DynamoDBDocumentClient, which shares its client's stack). */
export interface FaultableClient {
  // The stack's input and output types differ per client; any client must fit.
  middlewareStack: MiddlewareStack<any, any>;
}

let sequence = 0;

function isWire(value: Error | WireResponse): value is WireResponse {
  return !(value instanceof Error) && typeof value === 'object' && value !== null && 'wire' in value;
}

function toHttpResponse({ wire }: WireResponse): HttpResponse {
  return new HttpResponse({
    statusCode: wire.statusCode,
    headers: { 'content-length': String(Buffer.byteLength(wire.body)), ...wire.headers },
    body: Buffer.from(wire.body, 'utf8'),
  });
}

function describeRequest(args: DeserializeHandlerArguments<object>): Pick<AttemptRecord, 'sdkRequest' | 'body'> {
  const request = args.request as { headers?: Record<string, string>; body?: unknown } | undefined;
  const raw = request?.body;
  const body = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : undefined;
  return { sdkRequest: request?.headers?.['amz-sdk-request'], body };
}

export function injectFaults(client: FaultableClient, plan: FaultPlan): FaultHandle {
  sequence += 1;
  const name = `sdkFaultInjection-${sequence}`;
  const phase = plan.phase ?? 'before';
  let remaining = plan.times;
  const records: AttemptRecord[] = [];

  const middleware =
    <Output extends MetadataBearer>(next: DeserializeHandler<object, Output>, context: HandlerExecutionContext) =>
    async (args: DeserializeHandlerArguments<object>): Promise<DeserializeHandlerOutput<Output>> => {
      const commandName = String(context.commandName ?? '');
      if (plan.command !== '*' && commandName !== plan.command) return next(args);
      const record: AttemptRecord = { at: performance.now(), outcome: 'passed', sent: false, ...describeRequest(args) };
      records.push(record);
      if (remaining > 0) {
        remaining -= 1;
        record.outcome = 'faulted';
        const fault = plan.fault({ commandName, number: records.length });
        if (phase === 'after') {
          record.sent = true;
          // Executed by the service; whatever it answered is lost.
          await next(args).catch(() => undefined);
        }
        if (isWire(fault)) return { response: toHttpResponse(fault) };
        throw fault;
      }
      if (plan.then && plan.then !== 'pass') {
        record.outcome = 'answered';
        return { response: toHttpResponse(plan.then) };
      }
      record.sent = true;
      return next(args);
    };

  client.middlewareStack.add(middleware, { step: 'deserialize', priority: 'low', name, tags: ['FAULT_INJECTION'], override: true });

  return {
    name,
    get attempts() {
      return records.length;
    },
    records,
    get timestamps() {
      return records.map((r) => r.at);
    },
    gaps() {
      return records.slice(1).map((r, i) => r.at - (records[i] as AttemptRecord).at);
    },
    get sent() {
      return records.filter((r) => r.sent).length;
    },
    remove() {
      client.middlewareStack.remove(name);
    },
  };
}

/** `$metadata` as the SDK's deserializer fills it for a service error. */
function metadata(httpStatusCode: number): ResponseMetadata {
  return { httpStatusCode, requestId: `fault-${randomUUID()}` };
}

/**
 * The real SDK exception classes, built as the SDK's deserializer builds them: name, `$fault`,
 * `$metadata` with the HTTP status the service's model declares. None of them carries `$retryable`
 * (the models have no retryable trait on these): the SDK classifies them by name and status code.
 */
export const dynamoFaults = {
  /** Table or index over its provisioned throughput (HTTP 400). Throttling by name. */
  provisionedThroughputExceeded: (): Fault => () =>
    new ProvisionedThroughputExceededException({
      message: 'The level of configured provisioned throughput for the table was exceeded.',
      $metadata: metadata(400),
    }),
  /** On-demand or control-plane throttling (HTTP 400). Throttling by name. */
  throttling: (): Fault => () => new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: metadata(400) }),
  /** Account-level request limit (HTTP 400). Throttling by name. */
  requestLimitExceeded: (): Fault => () =>
    new RequestLimitExceeded({ message: 'Throughput exceeds the current throughput limit for your account.', $metadata: metadata(400) }),
  /** A server-side failure (HTTP 500). Transient by status code. */
  internalServerError: (): Fault => () => new InternalServerError({ message: 'Internal server error', $metadata: metadata(500) }),
};

export const snsFaults = {
  /** Wire code `InternalError`, HTTP 500. Transient by status code. */
  internalError: (): Fault => () => new InternalErrorException({ message: 'Internal Error', $metadata: metadata(500) }),
  /** Wire code `Throttled`, HTTP 429 in the model. Throttling by name and by status. */
  throttled: (): Fault => () => new ThrottledException({ message: 'Rate exceeded', $metadata: metadata(429) }),
  /** Wire code `InvalidParameter`, HTTP 400: a client error, never retried. */
  invalidParameter: (): Fault => () =>
    new InvalidParameterException({ message: 'Invalid parameter: PhoneNumber Reason: input incorrectly formatted', $metadata: metadata(400) }),
};

/** Raw service answers, for the SDK's own deserializer. */
export const wire = {
  /** DynamoDB (awsJson1_0): the error type in `__type` and `x-amzn-errortype`. */
  dynamoError(type: string, statusCode: number, message: string): Fault {
    return () => ({
      wire: {
        statusCode,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': `wire-${randomUUID()}`,
          'x-amzn-errortype': type,
        },
        body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
      },
    });
  },
  /** SNS (awsQuery): the error's wire code (`InternalError`, `Throttled`, `InvalidParameter`). */
  snsError(code: string, statusCode: number, message: string): Fault {
    const requestId = randomUUID();
    return () => ({
      wire: {
        statusCode,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body:
          '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">' +
          `<Error><Type>${statusCode >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      },
    });
  },
  /** A successful SNS Publish answer. */
  snsPublished(messageId: string): WireResponse {
    const requestId = randomUUID();
    return {
      wire: {
        statusCode: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body:
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">' +
          `<PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      },
    };
  },
};
