/**
 * The route table: the one list of HTTP routes. The CDK API and the local server both build their
 * routes from it, the shared middy stack checks roles from it, and the OpenAPI document lists it.
 */
export type Role = 'citizen' | 'operator' | 'admin';
export type HttpFunction = 'httpPublic' | 'httpRequests' | 'httpCalls' | 'httpTranscript' | 'httpAttachments' | 'httpAdmin' | 'httpOps' | 'httpNotifications';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDef {
  method: Method;
  path: string;
  fn: HttpFunction;
  operation: string;
  summary: string;
  /** `public`: no token. `any`: any authenticated caller, acting on its own `sub`. */
  access: 'public' | 'any' | readonly Role[];
}

export const ROUTES = [
  { method: 'GET', path: '/v1/contacts', fn: 'httpPublic', operation: 'getContacts', summary: 'Ways to reach support, lines and live queues', access: 'public' },
  { method: 'GET', path: '/v1/callback-slots', fn: 'httpPublic', operation: 'getCallbackSlots', summary: 'Bookable callback slots of the queue serving a type', access: 'public' },
  { method: 'GET', path: '/v1/openapi.json', fn: 'httpPublic', operation: 'getOpenApi', summary: 'This API as OpenAPI 3.1', access: 'public' },
  { method: 'POST', path: '/v1/requests', fn: 'httpRequests', operation: 'createRequest', summary: 'File a written or callback request', access: 'any' },
  { method: 'GET', path: '/v1/requests', fn: 'httpRequests', operation: 'listRequests', summary: 'Your requests, newest first', access: 'any' },
  { method: 'GET', path: '/v1/requests/{id}', fn: 'httpRequests', operation: 'getRequest', summary: 'One of your requests with its history', access: 'any' },
  { method: 'POST', path: '/v1/requests/{id}/comments', fn: 'httpRequests', operation: 'addComment', summary: 'Add a comment to your open request', access: 'any' },
  { method: 'POST', path: '/v1/requests/{id}/cancel', fn: 'httpRequests', operation: 'cancelRequest', summary: 'Withdraw your request', access: 'any' },
  { method: 'POST', path: '/v1/requests/{id}/attachments', fn: 'httpAttachments', operation: 'createAttachment', summary: 'Attach a file to your open request: a presigned upload', access: 'any' },
  {
    method: 'GET',
    path: '/v1/requests/{id}/attachments/{attachmentId}',
    fn: 'httpAttachments',
    operation: 'getAttachment',
    summary: 'A short-lived download of a checked file (your own, or as an operator on a request in a queue)',
    access: 'any',
  },
  { method: 'GET', path: '/v1/calls', fn: 'httpCalls', operation: 'listCalls', summary: 'Your call records, newest first', access: 'any' },
  { method: 'POST', path: '/v1/calls/{callId}/confirmation', fn: 'httpCalls', operation: 'requestConfirmation', summary: 'Send (or send again) the SMS code that confirms a call', access: 'any' },
  { method: 'POST', path: '/v1/calls/{callId}/confirmation/verify', fn: 'httpCalls', operation: 'verifyConfirmation', summary: 'Confirm a call with its SMS code', access: 'any' },
  { method: 'GET', path: '/v1/calls/{callId}/transcript', fn: 'httpTranscript', operation: 'getTranscript', summary: 'The PDF copy of a confirmed call', access: 'any' },
  { method: 'POST', path: '/v1/calls/{callId}/claim', fn: 'httpCalls', operation: 'fileClaim', summary: 'File a complaint about a wait over 10 minutes', access: 'any' },
  { method: 'POST', path: '/v1/profile/phone', fn: 'httpCalls', operation: 'requestPhoneChange', summary: 'Send a code to a new profile phone', access: 'any' },
  { method: 'POST', path: '/v1/profile/phone/verify', fn: 'httpCalls', operation: 'verifyPhoneChange', summary: 'Change the profile phone with the code', access: 'any' },
  { method: 'GET', path: '/v1/ops/queues/{queue}', fn: 'httpOps', operation: 'listQueue', summary: 'Callbacks due in a queue, in queue order', access: ['operator'] },
  { method: 'POST', path: '/v1/ops/requests/{id}/take', fn: 'httpOps', operation: 'takeRequest', summary: 'Take a request', access: ['operator'] },
  { method: 'POST', path: '/v1/ops/calls', fn: 'httpOps', operation: 'recordCall', summary: 'Record a call and its outcome', access: ['operator'] },
  { method: 'POST', path: '/v1/ops/requests/{id}/answer', fn: 'httpOps', operation: 'answerRequest', summary: 'Answer a written request', access: ['operator'] },
  { method: 'GET', path: '/v1/ops/inbox/{queue}', fn: 'httpOps', operation: 'listInbox', summary: 'Written requests of a queue waiting for an answer, nearest deadline first', access: ['operator'] },
  { method: 'GET', path: '/v1/ops/requests/{id}', fn: 'httpOps', operation: 'getOperatorRequest', summary: 'A request of your queues in full, with the citizen', access: ['operator'] },
  { method: 'POST', path: '/v1/ops/requests/{id}/comments', fn: 'httpOps', operation: 'addOperatorComment', summary: 'Write to the citizen on a request you took', access: ['operator'] },
  { method: 'POST', path: '/v1/ops/requests/{id}/release', fn: 'httpOps', operation: 'releaseRequest', summary: 'Give a request you took back to its queue', access: ['operator'] },
  { method: 'POST', path: '/v1/ops/requests/{id}/extend', fn: 'httpOps', operation: 'extendRequest', summary: 'Extend the answer deadline once (59-FZ)', access: ['operator'] },
  { method: 'POST', path: '/v1/ops/requests/{id}/forward', fn: 'httpOps', operation: 'forwardRequest', summary: 'Forward a written request to the competent body (59-FZ)', access: ['operator'] },
  { method: 'GET', path: '/v1/ops/search', fn: 'httpOps', operation: 'search', summary: 'Find requests and calls by number, phone or call time', access: ['operator'] },
  { method: 'GET', path: '/v1/ops/requests/{id}/attachments', fn: 'httpAttachments', operation: 'listRequestAttachments', summary: 'The files attached to a request in a queue', access: ['operator'] },
  { method: 'GET', path: '/v1/notifications', fn: 'httpNotifications', operation: 'listNotifications', summary: 'Your notifications, newest first, with the unread count', access: 'any' },
  { method: 'POST', path: '/v1/notifications/read-all', fn: 'httpNotifications', operation: 'readAllNotifications', summary: 'Mark all your notifications read', access: 'any' },
  { method: 'POST', path: '/v1/notifications/{id}/read', fn: 'httpNotifications', operation: 'readNotification', summary: 'Mark one of your notifications read', access: 'any' },
  { method: 'PUT', path: '/v1/admin/profiles/{userId}', fn: 'httpAdmin', operation: 'putProfile', summary: 'Create or replace a reference profile', access: ['admin'] },
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
