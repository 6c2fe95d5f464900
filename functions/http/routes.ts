import type * as z from 'zod/mini';
import type { ProblemCode } from './problem-schemas.ts';
import type * as ResponseSchemas from './response-schemas.ts';
import type { Lazy } from '#functions/lazy';
import {
  AnswerSchema,
  ClaimSchema,
  CodeSchema,
  CommentSchema,
  CreateRequestSchema,
  ExtendSchema,
  ForwardSchema,
  InboxQuerySchema,
  DayOverrideSchema,
  ListQuerySchema,
  NewAttachmentSchema,
  NotificationQuerySchema,
  PhoneChangeSchema,
  ProfileSchema,
  QueueCalendarSchema,
  QueueQuerySchema,
  RecordCallSchema,
  SearchQuerySchema,
  SlotQuerySchema,
} from './schemas.ts';

/**
 * The route table: the one list of HTTP routes. The CDK API and the local server both build their
 * routes from it, the shared middy stack checks roles from it, and the OpenAPI document is built
 * from it: each route names here what it takes (body, query, `Idempotency-Key`) and everything it
 * answers, its success bodies (schemas in response-schemas.ts) and the problem codes it can return
 * (problem-schemas.ts; the ones implied by the route itself, such as `unauthenticated` or
 * `not_found` for a path with an id, are added there). test/integration/response-contract.test.ts
 * drives every route and fails on any answer these declarations do not describe.
 */
export type Role = 'citizen' | 'operator' | 'admin';
export type HttpFunction = 'httpPublic' | 'httpRequests' | 'httpCalls' | 'httpTranscript' | 'httpAttachments' | 'httpAdmin' | 'httpOps' | 'httpNotifications';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type SuccessStatus = 200 | 201 | 202 | 204;

/**
 * A success body's schema, by its export name in response-schemas.ts: named, not imported, so that
 * the Lambdas (which all load this table) do not carry every answer's schema.
 */
export type ResponseSchemaName = { [K in keyof typeof ResponseSchemas]: (typeof ResponseSchemas)[K] extends z.ZodMiniType ? K : never }[keyof typeof ResponseSchemas];

/** One success answer: a JSON body (`schema`), a binary one (`binary`: its content type), or none. */
export interface SuccessDoc {
  description: string;
  schema?: ResponseSchemaName;
  binary?: 'application/pdf';
  /** Response headers it always carries, with what they say. */
  headers?: Partial<Record<'Location' | 'Content-Disposition', string>>;
}

export interface RouteDef {
  method: Method;
  path: string;
  fn: HttpFunction;
  operation: string;
  summary: string;
  /** `public`: no token. `any`: any authenticated caller, acting on its own `sub`. */
  access: 'public' | 'any' | readonly Role[];
  /** The JSON body it parses (built on first use: schemas.ts, `lazy`). */
  body?: Lazy<z.ZodMiniType>;
  /** The query it parses: an object schema, one property per parameter. */
  query?: Lazy<z.ZodMiniObject>;
  /** Takes `Idempotency-Key`. */
  idempotent?: boolean;
  responses: Partial<Record<SuccessStatus, SuccessDoc>>;
  /** The problem codes of its own rules (the route's kind adds the generic ones: problemCodesOf). */
  errors?: readonly ProblemCode[];
}

const LOCATION = { Location: 'Where the new resource is read' } as const;

export const ROUTES = [
  {
    method: 'GET',
    path: '/v1/contacts',
    fn: 'httpPublic',
    operation: 'getContacts',
    summary: 'Ways to reach support, lines and live queues',
    access: 'public',
    responses: { 200: { description: 'Channels, lines and live queues', schema: 'ContactsSchema' } },
  },
  {
    method: 'GET',
    path: '/v1/callback-slots',
    fn: 'httpPublic',
    operation: 'getCallbackSlots',
    summary: 'Bookable callback slots of the queue serving a type',
    access: 'public',
    query: SlotQuerySchema,
    responses: { 200: { description: 'Bookable slots with free places', schema: 'SlotListSchema' } },
  },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'httpPublic',
    operation: 'getOpenApi',
    summary: 'This API as OpenAPI 3.1',
    access: 'public',
    responses: { 200: { description: 'This document', schema: 'OpenApiDocumentSchema' } },
  },
  {
    method: 'POST',
    path: '/v1/requests',
    fn: 'httpRequests',
    operation: 'createRequest',
    summary: 'File a written or callback request',
    access: 'any',
    body: CreateRequestSchema,
    idempotent: true,
    responses: { 202: { description: 'Accepted; it moves on by itself', schema: 'AcceptedRequestSchema', headers: LOCATION } },
    errors: ['too_many_open_callbacks', 'rate_limited'],
  },
  {
    method: 'GET',
    path: '/v1/requests',
    fn: 'httpRequests',
    operation: 'listRequests',
    summary: 'Your requests, newest first',
    access: 'any',
    query: ListQuerySchema,
    responses: { 200: { description: 'Your requests, newest first; `nextCursor` while more remain', schema: 'RequestListSchema' } },
  },
  {
    method: 'GET',
    path: '/v1/requests/{id}',
    fn: 'httpRequests',
    operation: 'getRequest',
    summary: 'One of your requests with its history',
    access: 'any',
    responses: { 200: { description: 'The request with its history', schema: 'RequestDetailSchema' } },
  },
  {
    method: 'POST',
    path: '/v1/requests/{id}/comments',
    fn: 'httpRequests',
    operation: 'addComment',
    summary: 'Add a comment to your open request',
    access: 'any',
    body: CommentSchema,
    idempotent: true,
    responses: { 201: { description: 'The comment', schema: 'CommentViewSchema' } },
    errors: ['request_closed', 'too_many_comments', 'rate_limited'],
  },
  {
    method: 'POST',
    path: '/v1/requests/{id}/cancel',
    fn: 'httpRequests',
    operation: 'cancelRequest',
    summary: 'Withdraw your request',
    access: 'any',
    responses: { 200: { description: 'Cancelled', schema: 'CancelledSchema' } },
    errors: ['not_cancellable'],
  },
  {
    method: 'POST',
    path: '/v1/requests/{id}/attachments',
    fn: 'httpAttachments',
    operation: 'createAttachment',
    summary: 'Attach a file to your open request: a presigned upload',
    access: 'any',
    body: NewAttachmentSchema,
    responses: {
      201: {
        description:
          'Pending: PUT the file to `upload.url` with exactly `upload.headers` (and a Content-Length equal to `size`) within 15 minutes; ' +
          'it is then checked and becomes `ready` or `rejected` by itself',
        schema: 'AttachmentUploadSchema',
        headers: LOCATION,
      },
    },
    errors: ['request_closed', 'too_many_attachments'],
  },
  {
    method: 'GET',
    path: '/v1/requests/{id}/attachments/{attachmentId}',
    fn: 'httpAttachments',
    operation: 'getAttachment',
    summary: 'A short-lived download of a checked file (your own, or as an operator on a request in a queue)',
    access: 'any',
    responses: { 200: { description: 'A presigned download, valid 5 minutes', schema: 'AttachmentDownloadSchema' } },
    errors: ['not_ready'],
  },
  {
    method: 'GET',
    path: '/v1/calls',
    fn: 'httpCalls',
    operation: 'listCalls',
    summary: 'Your call records, newest first',
    access: 'any',
    responses: { 200: { description: 'Your call records, newest first', schema: 'CallListSchema' } },
  },
  {
    method: 'POST',
    path: '/v1/calls/{callId}/confirmation',
    fn: 'httpCalls',
    operation: 'requestConfirmation',
    summary: 'Send (or send again) the SMS code that confirms a call',
    access: 'any',
    responses: { 202: { description: 'A code is on its way to the profile phone', schema: 'CodeSentSchema' } },
    errors: ['already_confirmed', 'profile_missing', 'code_resend_too_soon', 'code_send_limit'],
  },
  {
    method: 'POST',
    path: '/v1/calls/{callId}/confirmation/verify',
    fn: 'httpCalls',
    operation: 'verifyConfirmation',
    summary: 'Confirm a call with its SMS code',
    access: 'any',
    body: CodeSchema,
    responses: { 200: { description: 'Confirmed', schema: 'ConfirmedSchema' } },
    errors: ['code_invalid', 'already_confirmed', 'code_used', 'code_not_requested', 'code_expired', 'code_locked'],
  },
  {
    method: 'GET',
    path: '/v1/calls/{callId}/transcript',
    fn: 'httpTranscript',
    operation: 'getTranscript',
    summary: 'The PDF copy of a confirmed call',
    access: 'any',
    responses: {
      200: {
        description: 'The call and its dialog in Russian, as a PDF',
        binary: 'application/pdf',
        headers: { 'Content-Disposition': '`attachment; filename="call-{callId}.pdf"`' },
      },
    },
    errors: ['not_confirmed'],
  },
  {
    method: 'POST',
    path: '/v1/calls/{callId}/claim',
    fn: 'httpCalls',
    operation: 'fileClaim',
    summary: 'File a complaint about a wait over 10 minutes',
    access: 'any',
    body: ClaimSchema,
    responses: { 201: { description: 'The complaint, as GET /v1/requests/{id} shows it', schema: 'RequestDetailSchema' } },
    errors: ['claim_not_eligible', 'already_claimed', 'profile_missing', 'rate_limited'],
  },
  {
    method: 'POST',
    path: '/v1/profile/phone',
    fn: 'httpCalls',
    operation: 'requestPhoneChange',
    summary: 'Send a code to a new profile phone',
    access: 'any',
    body: PhoneChangeSchema,
    responses: { 202: { description: 'A code is on its way to the new phone', schema: 'CodeSentSchema' } },
    errors: ['not_found', 'phone_in_use', 'code_resend_too_soon', 'code_send_limit'],
  },
  {
    method: 'POST',
    path: '/v1/profile/phone/verify',
    fn: 'httpCalls',
    operation: 'verifyPhoneChange',
    summary: 'Change the profile phone with the code',
    access: 'any',
    body: CodeSchema,
    responses: { 200: { description: 'The profile phone is changed', schema: 'PhoneChangedSchema' } },
    errors: ['code_invalid', 'phone_in_use', 'code_used', 'code_not_requested', 'code_expired', 'code_locked'],
  },
  {
    method: 'GET',
    path: '/v1/ops/queues/{queue}',
    fn: 'httpOps',
    operation: 'listQueue',
    summary: 'Callbacks due in a queue, in queue order',
    access: ['operator'],
    query: QueueQuerySchema,
    responses: { 200: { description: 'Due callbacks in queue order', schema: 'OperatorQueueSchema' } },
  },
  {
    method: 'POST',
    path: '/v1/ops/requests/{id}/take',
    fn: 'httpOps',
    operation: 'takeRequest',
    summary: 'Take a request',
    access: ['operator'],
    responses: { 200: { description: 'Taken by you', schema: 'TakenSchema' } },
    errors: ['taken', 'not_takeable'],
  },
  {
    method: 'POST',
    path: '/v1/ops/calls',
    fn: 'httpOps',
    operation: 'recordCall',
    summary: 'Record a call and its outcome',
    access: ['operator'],
    body: RecordCallSchema,
    responses: { 201: { description: 'Recorded', schema: 'RecordedCallSchema' } },
    errors: ['not_found', 'taken', 'not_awaiting_call'],
  },
  {
    method: 'POST',
    path: '/v1/ops/requests/{id}/answer',
    fn: 'httpOps',
    operation: 'answerRequest',
    summary: 'Answer a written request',
    access: ['operator'],
    body: AnswerSchema,
    responses: { 200: { description: 'Answered; the citizen gets an SMS', schema: 'AnsweredSchema' } },
    errors: ['taken', 'not_written', 'not_answerable'],
  },
  {
    method: 'GET',
    path: '/v1/ops/requests/{id}/attachments',
    fn: 'httpAttachments',
    operation: 'listRequestAttachments',
    summary: 'The files attached to a request in a queue',
    access: ['operator'],
    responses: { 200: { description: 'The files on the request, in upload order', schema: 'AttachmentListSchema' } },
  },
  {
    method: 'PUT',
    path: '/v1/admin/profiles/{userId}',
    fn: 'httpAdmin',
    operation: 'putProfile',
    summary: 'Create or replace a reference profile',
    access: ['admin'],
    body: ProfileSchema,
    responses: { 200: { description: 'Replaced', schema: 'ProfileViewSchema' }, 201: { description: 'Created', schema: 'ProfileViewSchema' } },
    errors: ['phone_in_use'],
  },
  {
    method: 'GET',
    path: '/v1/admin/calendar',
    fn: 'httpAdmin',
    operation: 'getCalendar',
    summary: 'The centre\'s calendar: queues, holidays, overrides',
    access: ['admin'],
    responses: { 200: { description: 'The whole calendar', schema: 'CalendarSchema' } },
  },
  {
    method: 'PUT',
    path: '/v1/admin/calendar/queues/{queue}',
    fn: 'httpAdmin',
    operation: 'putQueueCalendar',
    summary: 'Replace a queue\'s week, slot length and capacity',
    access: ['admin'],
    body: QueueCalendarSchema,
    responses: { 200: { description: 'Stored; the whole calendar as it is now. Bookings already made are kept', schema: 'CalendarSchema' } },
    errors: ['calendar_in_use', 'calendar_changed'],
  },
  {
    method: 'PUT',
    path: '/v1/admin/calendar/holidays/{date}',
    fn: 'httpAdmin',
    operation: 'putHoliday',
    summary: 'Close the centre on a date',
    access: ['admin'],
    responses: { 200: { description: 'The centre is closed that date (idempotent); the whole calendar', schema: 'CalendarSchema' } },
  },
  {
    method: 'DELETE',
    path: '/v1/admin/calendar/holidays/{date}',
    fn: 'httpAdmin',
    operation: 'deleteHoliday',
    summary: 'Open the centre again on a date',
    access: ['admin'],
    responses: { 200: { description: 'Open again that date; the whole calendar', schema: 'CalendarSchema' } },
  },
  {
    method: 'PUT',
    path: '/v1/admin/calendar/overrides/{queue}/{date}',
    fn: 'httpAdmin',
    operation: 'putOverride',
    summary: 'A queue\'s day that differs: other hours, other capacity',
    access: ['admin'],
    body: DayOverrideSchema,
    responses: { 200: { description: 'Stored (replacing the day\'s override); the whole calendar', schema: 'CalendarSchema' } },
  },
  {
    method: 'DELETE',
    path: '/v1/admin/calendar/overrides/{queue}/{date}',
    fn: 'httpAdmin',
    operation: 'deleteOverride',
    summary: 'Remove a queue\'s day override',
    access: ['admin'],
    responses: { 200: { description: 'Removed; the whole calendar', schema: 'CalendarSchema' } },
  },
  {
    method: 'GET',
    path: '/v1/ops/inbox/{queue}',
    fn: 'httpOps',
    operation: 'listInbox',
    summary: 'Written requests of a queue waiting for an answer, nearest deadline first',
    access: ['operator'],
    query: InboxQuerySchema,
    responses: { 200: { description: 'Registered and in-progress written requests of the queue, nearest `dueBy` first; `nextCursor` while more remain', schema: 'InboxSchema' } },
  },
  {
    method: 'GET',
    path: '/v1/ops/requests/{id}',
    fn: 'httpOps',
    operation: 'getOperatorRequest',
    summary: 'A request of your queues in full, with the citizen',
    access: ['operator'],
    responses: { 200: { description: 'The request as its citizen sees it with the phones in full, plus the assignee, the extension and the citizen', schema: 'OperatorRequestSchema' } },
  },
  {
    method: 'POST',
    path: '/v1/ops/requests/{id}/comments',
    fn: 'httpOps',
    operation: 'addOperatorComment',
    summary: 'Write to the citizen on a request you hold (or that nobody holds: it is then yours)',
    access: ['operator'],
    body: CommentSchema,
    responses: { 201: { description: 'The operator comment; the citizen gets an SMS and a notification', schema: 'CommentViewSchema' } },
    errors: ['taken', 'request_closed', 'too_many_comments'],
  },
  {
    method: 'POST',
    path: '/v1/ops/requests/{id}/release',
    fn: 'httpOps',
    operation: 'releaseRequest',
    summary: 'Give a request you took back to its queue',
    access: ['operator'],
    responses: { 200: { description: 'Back in its queue: `registered` (written) or `scheduled` (callback)', schema: 'ReleasedSchema' } },
    errors: ['taken', 'not_taken'],
  },
  {
    method: 'POST',
    path: '/v1/ops/requests/{id}/extend',
    fn: 'httpOps',
    operation: 'extendRequest',
    summary: 'Extend the answer deadline once (59-FZ)',
    access: ['operator'],
    body: ExtendSchema,
    responses: { 200: { description: 'The new deadline in force; the citizen is told by SMS and a notification', schema: 'ExtendedSchema' } },
    errors: ['already_extended', 'overdue', 'taken', 'not_written', 'not_answerable'],
  },
  {
    method: 'POST',
    path: '/v1/ops/requests/{id}/forward',
    fn: 'httpOps',
    operation: 'forwardRequest',
    summary: 'Forward a written request to the competent body (59-FZ)',
    access: ['operator'],
    body: ForwardSchema,
    responses: { 200: { description: 'Forwarded (final); the citizen is told where and why', schema: 'ForwardedSchema' } },
    errors: ['forward_too_late', 'taken', 'not_written', 'not_answerable'],
  },
  {
    method: 'GET',
    path: '/v1/ops/search',
    fn: 'httpOps',
    operation: 'search',
    summary: 'Find requests and calls by number, phone or call time',
    access: ['operator'],
    query: SearchQuerySchema,
    responses: { 200: { description: 'Requests and calls of your queues that match', schema: 'SearchResultsSchema' } },
  },
  {
    method: 'GET',
    path: '/v1/notifications',
    fn: 'httpNotifications',
    operation: 'listNotifications',
    summary: 'Your notifications, newest first, with the unread count',
    access: 'any',
    query: NotificationQuerySchema,
    responses: { 200: { description: 'Your notifications, newest first, and how many are unread', schema: 'NotificationListSchema' } },
  },
  {
    method: 'POST',
    path: '/v1/notifications/read-all',
    fn: 'httpNotifications',
    operation: 'readAllNotifications',
    summary: 'Mark all your notifications read',
    access: 'any',
    responses: { 200: { description: 'Every notification marked read', schema: 'AllReadSchema' } },
  },
  {
    method: 'POST',
    path: '/v1/notifications/{id}/read',
    fn: 'httpNotifications',
    operation: 'readNotification',
    summary: 'Mark one of your notifications read',
    access: 'any',
    responses: { 200: { description: 'Marked read', schema: 'NotificationViewSchema' } },
  },
] as const satisfies readonly RouteDef[];

export type RouteKey = `${(typeof ROUTES)[number]['method']} ${(typeof ROUTES)[number]['path']}`;

export function routeKey(route: Pick<RouteDef, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function findRoute(key: string): RouteDef | undefined {
  return (ROUTES as readonly RouteDef[]).find((r) => routeKey(r) === key);
}

/**
 * The OAuth scopes that stand for the staff roles. API Gateway flattens an array claim into one
 * string ("[citizen admin]"), so a function cannot tell `["citizen admin"]` from
 * `["citizen","admin"]`; the gateway's JWT authorizer checks these scopes (the token's
 * space-separated `scope` claim) on every operator and admin route, the local gateway does the
 * same, and the function grants a staff role only when both `roles` and `scope` name it.
 */
export const ROLE_SCOPES = { operator: 'support-center/operator', admin: 'support-center/admin' } as const satisfies Record<Exclude<Role, 'citizen'>, string>;

/** The scopes a route requires (any one of them), or none for public and any-caller routes. */
export function routeScopes(route: Pick<RouteDef, 'access'>): string[] {
  if (route.access === 'public' || route.access === 'any') return [];
  return route.access.filter((r): r is Exclude<Role, 'citizen'> => r !== 'citizen').map((r) => ROLE_SCOPES[r]);
}
