import * as z from 'zod/mini';
import { ROUTES, type RouteDef } from './routes.ts';
import {
  AcceptedRequestSchema,
  AttachmentDownloadSchema,
  AttachmentListSchema,
  AttachmentUploadSchema,
  NewAttachmentSchema,
  ClaimSchema,
  CodeSchema,
  CodeSentSchema,
  ConfirmedSchema,
  PhoneChangeSchema,
  PhoneChangedSchema,
  CallListSchema,
  QueueListSchema,
  RecordCallSchema,
  RecordedCallSchema,
  SlotListSchema,
  TakenSchema,
  TimeZoneSchema,
  AnswerSchema,
  AnsweredSchema,
  CancelledSchema,
  CommentSchema,
  CommentViewSchema,
  RequestListSchema,
  ContactsSchema,
  CreateRequestSchema,
  ProblemSchema,
  ProfileSchema,
  ProfileViewSchema,
  RequestDetailSchema,
  AllReadSchema,
  ExtendSchema,
  ExtendedSchema,
  ForwardSchema,
  ForwardedSchema,
  InboxSchema,
  NotificationListSchema,
  NotificationViewSchema,
  OperatorRequestSchema,
  ReleasedSchema,
  SearchResultsSchema,
} from './schemas.ts';

/**
 * The OpenAPI 3.1 document, generated from the route table and the same zod schemas that
 * validate requests. An operation missing here fails test/unit/openapi.test.ts.
 */
interface OperationDoc {
  body?: z.ZodMiniType;
  responses: Record<number, { description: string; schema?: z.ZodMiniType }>;
  idempotent?: boolean;
  /** Query parameters, all optional strings on the wire. */
  query?: string[];
  /** The schema of a query parameter that is more than a string (an enumeration). */
  queryTypes?: Record<string, z.ZodMiniType>;
}

export const OPERATION_DOCS: Record<string, OperationDoc> = {
  getContacts: { responses: { 200: { description: 'Channels, lines and live queues', schema: ContactsSchema } } },
  getOpenApi: { responses: { 200: { description: 'This document' } } },
  getCallbackSlots: {
    query: ['type', 'from', 'to', 'timeZone'],
    queryTypes: { timeZone: TimeZoneSchema },
    responses: { 200: { description: 'Bookable slots with free places', schema: SlotListSchema } },
  },
  listCalls: { responses: { 200: { description: 'Your call records, newest first', schema: CallListSchema } } },
  listQueue: { query: ['limit'], responses: { 200: { description: 'Due callbacks in queue order', schema: QueueListSchema } } },
  takeRequest: { responses: { 200: { description: 'Taken by you', schema: TakenSchema } } },
  recordCall: { body: RecordCallSchema, responses: { 201: { description: 'Recorded', schema: RecordedCallSchema } } },
  requestConfirmation: { responses: { 202: { description: 'A code is on its way to the profile phone', schema: CodeSentSchema } } },
  verifyConfirmation: {
    body: CodeSchema,
    responses: {
      200: { description: 'Confirmed', schema: ConfirmedSchema },
      400: { description: '`code_invalid` with `attemptsLeft` (each try is spent before the code is compared), or `validation_failed`' },
      409: { description: '`code_used`, `code_not_requested` or `already_confirmed`: the same answer whatever code was sent' },
      410: { description: 'The code expired (`code_expired`)' },
      429: { description: '`code_locked` after 5 wrong tries, the same answer whatever code was sent; Retry-After: when a new code may be sent' },
    },
  },
  getTranscript: { responses: { 200: { description: 'application/pdf: the dialog in Russian' } } },
  fileClaim: {
    body: ClaimSchema,
    responses: {
      201: { description: 'The complaint, as GET /v1/requests/{id} shows it', schema: RequestDetailSchema },
      409: { description: '`claim_not_eligible`, `already_claimed` or `profile_missing`' },
      429: { description: '`rate_limited`: 10 new requests (claims count) in the last 24 hours; Retry-After: until the oldest leaves the window' },
    },
  },
  requestPhoneChange: {
    body: PhoneChangeSchema,
    responses: {
      202: { description: 'A code is on its way to the new phone', schema: CodeSentSchema },
      409: { description: '`phone_in_use`: another profile holds the number (no code is sent; it counts as a send)' },
      429: { description: '`code_resend_too_soon` or `code_send_limit`; Retry-After' },
    },
  },
  verifyPhoneChange: {
    body: CodeSchema,
    responses: {
      200: { description: 'The profile phone is changed', schema: PhoneChangedSchema },
      400: { description: '`code_invalid` with `attemptsLeft`, or `validation_failed`' },
      409: { description: '`phone_in_use` (taken since the code was sent; nothing changes), `code_used` or `code_not_requested`' },
      410: { description: 'The code expired (`code_expired`)' },
      429: { description: '`code_locked` after 5 wrong tries, whatever code was sent; Retry-After' },
    },
  },
  createRequest: {
    body: CreateRequestSchema,
    idempotent: true,
    responses: {
      202: { description: 'Accepted; it moves on by itself', schema: AcceptedRequestSchema },
      409: { description: '`too_many_open_callbacks`: 3 callback requests already received, scheduled or in progress' },
      422: { description: 'Idempotency-Key reused with another body' },
      429: { description: '`rate_limited`: 10 new requests in the last 24 hours; Retry-After: until the oldest leaves the window' },
    },
  },
  getRequest: { responses: { 200: { description: 'The request with its history', schema: RequestDetailSchema } } },
  listRequests: {
    query: ['limit', 'cursor'],
    responses: { 200: { description: 'Your requests, newest first; `nextCursor` while more remain', schema: RequestListSchema } },
  },
  addComment: {
    body: CommentSchema,
    idempotent: true,
    responses: {
      201: { description: 'The comment', schema: CommentViewSchema },
      409: { description: '`request_closed`, or `too_many_comments` (100 on the request)' },
      422: { description: 'Idempotency-Key reused with another body' },
      429: { description: '`rate_limited`: 20 comments in the last hour; Retry-After: until the oldest leaves the window' },
    },
  },
  cancelRequest: { responses: { 200: { description: 'Cancelled', schema: CancelledSchema } } },
  createAttachment: {
    body: NewAttachmentSchema,
    responses: {
      201: {
        description:
          'Pending: PUT the file to `upload.url` with exactly `upload.headers` (and a Content-Length equal to `size`) within 15 minutes; ' +
          'it is then checked and becomes `ready` or `rejected` by itself',
        schema: AttachmentUploadSchema,
      },
      409: { description: '`request_closed`, or `too_many_attachments` (5 that are not rejected)' },
    },
  },
  getAttachment: {
    responses: {
      200: { description: 'A presigned download, valid 5 minutes', schema: AttachmentDownloadSchema },
      409: { description: '`not_ready`: the file is pending or was rejected' },
    },
  },
  listRequestAttachments: { responses: { 200: { description: 'The files on the request, in upload order', schema: AttachmentListSchema } } },
  answerRequest: { body: AnswerSchema, responses: { 200: { description: 'Answered; the citizen gets an SMS', schema: AnsweredSchema } } },
  listInbox: {
    query: ['limit', 'cursor'],
    responses: {
      200: { description: 'Registered and in-progress written requests of the queue, nearest `dueBy` first; `nextCursor` while more remain', schema: InboxSchema },
      403: { description: '`forbidden`: the token\'s `queues` claim does not name the queue' },
    },
  },
  getOperatorRequest: { responses: { 200: { description: 'The request as its citizen sees it, plus the assignee, the extension and the citizen', schema: OperatorRequestSchema } } },
  addOperatorComment: {
    body: CommentSchema,
    responses: {
      201: { description: 'The operator comment; the citizen gets an SMS and a notification', schema: CommentViewSchema },
      409: { description: '`taken` (another operator holds it), `not_taken` (take it first), `request_closed` or `too_many_comments`' },
    },
  },
  releaseRequest: {
    responses: {
      200: { description: 'Back in its queue: `registered` (written) or `scheduled` (callback)', schema: ReleasedSchema },
      409: { description: '`taken` (another operator holds it) or `not_taken` (nobody holds it)' },
    },
  },
  extendRequest: {
    body: ExtendSchema,
    responses: {
      200: { description: 'The new deadline in force; the citizen is told by SMS and a notification', schema: ExtendedSchema },
      409: { description: '`already_extended`, `overdue`, `taken`, `not_written` or `not_answerable`' },
    },
  },
  forwardRequest: {
    body: ForwardSchema,
    responses: {
      200: { description: 'Forwarded (final); the citizen is told where and why', schema: ForwardedSchema },
      409: { description: '`forward_too_late` (after day 7 from registration), `taken`, `not_written` or `not_answerable`' },
    },
  },
  search: {
    query: ['number', 'phone', 'callAt'],
    responses: { 200: { description: 'Requests and calls of your queues that match', schema: SearchResultsSchema } },
  },
  listNotifications: {
    query: ['limit', 'cursor'],
    responses: { 200: { description: 'Your notifications, newest first, and how many are unread', schema: NotificationListSchema } },
  },
  readNotification: { responses: { 200: { description: 'Marked read', schema: NotificationViewSchema } } },
  readAllNotifications: { responses: { 200: { description: 'Every notification marked read', schema: AllReadSchema } } },
  putProfile: {
    body: ProfileSchema,
    responses: {
      200: { description: 'Replaced', schema: ProfileViewSchema },
      201: { description: 'Created', schema: ProfileViewSchema },
      409: { description: '`phone_in_use`: another profile holds the number; nothing changes' },
    },
  },
};

const PROBLEM_STATUSES: Record<number, string> = {
  400: 'Invalid input: every field problem in `errors`',
  401: 'Missing, expired or invalid token',
  403: 'The role may not use this route',
  404: 'Unknown resource, or another citizen\'s',
  409: 'The resource\'s state forbids the action',
  413: 'Body over 256 KiB',
  415: 'Body not JSON',
  429: 'Rate limited; see Retry-After',
  500: 'Generic error',
};

const COMPONENTS = '#/components/schemas/';

/** A reference to the named component when the schema has an id (in `z.globalRegistry`), else the schema inline. */
function jsonSchema(schema: z.ZodMiniType) {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: `${COMPONENTS}${id}` };
  const { $schema: _dialect, ...inline } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return inline;
}

/** Every schema with an id, once, under components.schemas; references between them point there. */
function componentSchemas() {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any', uri: (id) => `${COMPONENTS}${id}` });
  // The component's place in the document is its identity: no $schema or fragment-only $id inside.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]));
}

function operation(route: RouteDef) {
  const doc = OPERATION_DOCS[route.operation];
  if (!doc) throw new Error(`no OpenAPI entry for operation ${route.operation}`);
  const params: { name: string | undefined; in: string; required: boolean; schema: object }[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  for (const name of doc.query ?? []) {
    const typed = doc.queryTypes?.[name];
    params.push({ name, in: 'query', required: false, schema: typed ? jsonSchema(typed) : { type: 'string' } });
  }
  if (doc.idempotent) params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } });
  const responses: Record<string, unknown> = {};
  const problem = (description: string, status: string) => ({
    description,
    content: { 'application/problem+json': { schema: jsonSchema(ProblemSchema) } },
    ...(status === '429' ? { headers: { 'Retry-After': { description: 'Seconds until a retry can succeed', schema: { type: 'integer', minimum: 1 } } } } : {}),
  });
  for (const [status, r] of Object.entries(doc.responses)) {
    if (r.schema) responses[status] = { description: r.description, content: { 'application/json': { schema: jsonSchema(r.schema) } } };
    // An error documented for its codes is still a problem document.
    else responses[status] = Number(status) >= 400 ? problem(r.description, status) : { description: r.description };
  }
  for (const [status, description] of Object.entries(PROBLEM_STATUSES)) {
    if (route.access === 'public' && (status === '401' || status === '403')) continue;
    responses[status] ??= problem(description, status);
  }
  return {
    operationId: route.operation,
    summary: route.summary,
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body) } } } } : {}),
    responses,
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES as readonly RouteDef[]) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Support Center API', version: '1.0.0', description: 'Help and support of the government services portal.' },
    servers: [{ url: '/' }],
    components: { schemas: componentSchemas(), securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
