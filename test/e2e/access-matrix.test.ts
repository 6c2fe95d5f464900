import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '#http/routes';
import { ROLE_SCOPES } from '#http/routes';
import { signLocalClaims, signLocalToken } from '#infra/local/jwt-keys';
import { REPO_ROOT } from '#infra/local/local-paths';
import { badCredentials } from '../support/bad-tokens.ts';
import { type Reply, send } from '../support/e2e-http.ts';
import { PROFILE_PHONE_E164, citizenPhone, identity, writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, startSystem } from '../support/local-process.ts';
import { problemViolations } from '../support/problem-checks.ts';
import {
  bodySchemaOf,
  citizenRoutes,
  exampleBodies,
  exampleQuery,
  fillPath,
  hasKnownExample,
  keyOf,
  paramNames,
  protectedRoutes,
  publicRoutes,
  restrictedRoutes,
  roleFor,
} from '../support/route-catalog.ts';

/**
 * Who may do what, through `npm start` (its gateway checks the JWT, the handlers check roles and
 * ownership). Every list of routes here comes from the route table, so a new route is covered.
 */
const run = promisify(execFile);
const A = 'matrix-citizen-a';
const B = 'matrix-citizen-b';
/** ULID-shaped, never issued. */
const MISSING_ID = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

let system: StartedSystem;
const tokens: Record<string, string> = {};
const aRequestIds: string[] = [];
let aCallId: string | undefined;
let aAttachmentId: string | undefined;
let before: Record<string, unknown>;
let callsBefore: unknown;

function call(method: string, path: string, options: Parameters<typeof send>[3] = {}): Promise<Reply> {
  return send(system.url, method, path, options);
}

function describeReply(r: Reply): string {
  return `${r.status} ${r.text.slice(0, 200)}`;
}

/** Path parameters naming A's resources (or the given ids), anything else a value that names nothing. */
function pathFor(route: RouteDef, ids: { id: string; callId?: string | undefined; attachmentId?: string | undefined }): string {
  const params: Record<string, string> = {};
  for (const name of paramNames(route)) {
    if (name === 'id') params[name] = ids.id;
    else if (name === 'callId') params[name] = ids.callId ?? MISSING_ID;
    else if (name === 'attachmentId') params[name] = ids.attachmentId ?? MISSING_ID;
    else params[name] = name === 'queue' ? 'tech-support' : `matrix-${name}`;
  }
  return fillPath(route, params);
}

const A_RESOURCES = () => ({ id: aRequestIds[0] as string, callId: aCallId, attachmentId: aAttachmentId });
const MISSING = { id: MISSING_ID, callId: MISSING_ID, attachmentId: MISSING_ID };

/**
 * The one exception to "every caller acts on its own sub": operators may read the attachments of
 * requests in a queue (docs/api.md). There an operator gets what the owner gets; an admin who is not
 * an operator still gets the 404 of a missing request.
 */
const OPERATOR_READS = new Set(['GET /v1/requests/{id}/attachments/{attachmentId}']);

function validBody(route: RouteDef): unknown {
  return route.method === 'GET' ? undefined : exampleBodies(route)[0];
}

async function ownRequest(id: string): Promise<Record<string, unknown>> {
  const r = await call('GET', `/v1/requests/${id}`, { token: tokens.a });
  expect(r.status, describeReply(r)).toBe(200);
  return r.json as Record<string, unknown>;
}

async function listAll(token: string, extra: Record<string, string> = {}): Promise<{ ids: string[]; pages: Reply[] }> {
  const ids: string[] = [];
  const pages: Reply[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page += 1) {
    const r = await call('GET', '/v1/requests', { token, query: { limit: '1', ...extra, ...(cursor ? { cursor } : {}) } });
    pages.push(r);
    if (r.status !== 200) break;
    ids.push(...((r.json?.items as { id: string }[]) ?? []).map((i) => i.id));
    cursor = r.json?.nextCursor as string | undefined;
    if (!cursor) break;
  }
  return { ids, pages };
}

/** Citizen routes that address one of the caller's own resources by id. */
const LOOKUP_PARAMS = ['id', 'callId', 'attachmentId'];
const idRoutes = citizenRoutes.filter((r) => paramNames(r).some((n) => LOOKUP_PARAMS.includes(n)));

beforeAll(async () => {
  system = await startSystem();
  const sign = (sub: string, roles: string[]) => signLocalToken(sub, roles);
  Object.assign(tokens, {
    a: await sign(A, ['citizen']),
    b: await sign(B, ['citizen']),
    admin: await sign('matrix-admin', ['admin']),
    operator: await sign('matrix-operator', ['operator']),
  });
  const profile = await call('PUT', `/v1/admin/profiles/${A}`, { token: tokens.admin, body: identity() });
  expect(profile.status, describeReply(profile)).toBe(201);
  for (let i = 0; i < 2; i += 1) {
    const created = await call('POST', '/v1/requests', { token: tokens.a, body: writtenRequest() });
    expect(created.status, describeReply(created)).toBe(202);
    aRequestIds.push(created.json?.id as string);
  }
  // Let both settle (registered), so nothing moves on its own while the others poke at them.
  for (const id of aRequestIds) {
    const settled = await eventually(async () => {
      const r = await ownRequest(id);
      return r.status !== 'received' ? r : undefined;
    }, `request ${id} to be registered`, 20_000);
    // The SMS is the workflow's last step: once it is out, nothing moves on its own any more.
    await eventually(async () => {
      const outbox = await call('GET', `/_local/outbox?to=${encodeURIComponent(PROFILE_PHONE_E164)}`);
      return ((outbox.json?.items as { text: string }[] | undefined) ?? []).find((m) => m.text.includes(settled.number as string));
    }, `the SMS about ${String(settled.number)}`, 20_000);
  }
  // A call record of A's (an operator took A's call about the first request), for the call routes.
  if (protectedRoutes.some((r) => keyOf(r) === 'POST /v1/ops/calls')) {
    const now = Date.now();
    const iso = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const recorded = await call('POST', '/v1/ops/calls', {
      token: tokens.operator,
      body: {
        requestId: aRequestIds[0],
        direction: 'inbound',
        phone: PROFILE_PHONE_E164,
        queuedAt: iso(30),
        answeredAt: iso(12),
        endedAt: iso(5),
        outcome: 'answered',
        transcript: [{ at: iso(11), speaker: 'operator', text: 'Здравствуйте, слушаю вас.' }],
      },
    });
    expect(recorded.status, describeReply(recorded)).toBe(201);
    aCallId = recorded.json?.id as string;
  }
  // An attachment of A's first request (pending: never uploaded), for the attachment routes.
  const attachRoute = citizenRoutes.find((r) => keyOf(r) === 'POST /v1/requests/{id}/attachments');
  if (attachRoute) {
    const attached = await call('POST', `/v1/requests/${aRequestIds[0]}/attachments`, { token: tokens.a, body: exampleBodies(attachRoute)[0] });
    expect(attached.status, describeReply(attached)).toBe(201);
    aAttachmentId = attached.json?.id as string;
  }
  before = await ownRequest(aRequestIds[0] as string);
  expect(before.status).toBe('registered');
  callsBefore = (await call('GET', '/v1/calls', { token: tokens.a })).json;
  if (aCallId) expect(JSON.stringify(callsBefore)).toContain(aCallId);
});

afterAll(async () => {
  await system?.stop();
});

describe('another citizen cannot see or touch a request', () => {
  it('derives the routes from the table (GET, comments and cancel at least)', () => {
    expect(idRoutes.map(keyOf)).toEqual(
      expect.arrayContaining(['GET /v1/requests/{id}', 'POST /v1/requests/{id}/comments', 'POST /v1/requests/{id}/cancel']),
    );
  });

  it("aims at real resources: A's own GETs on them are no 404", async () => {
    for (const route of idRoutes.filter((r) => r.method === 'GET')) {
      const own = await call('GET', pathFor(route, A_RESOURCES()), { token: tokens.a });
      expect(own.status, `${keyOf(route)}: ${describeReply(own)}`).not.toBe(404);
      expect(own.status).toBeLessThan(500);
    }
  });

  it.each(idRoutes.map((r) => [keyOf(r), r] as const))('%s: B gets the same 404 as for an id that does not exist', async (_key, route) => {
    const body = validBody(route);
    const peek = await call(route.method, pathFor(route, A_RESOURCES()), { token: tokens.b, ...(body !== undefined ? { body } : {}) });
    const missing = await call(route.method, pathFor(route, MISSING), { token: tokens.b, ...(body !== undefined ? { body } : {}) });
    // With a valid body the only possible refusal is "no such request"; a schema-built body may be refused first, the same way.
    if (!bodySchemaOf(route) || hasKnownExample(route)) expect(peek.status, describeReply(peek)).toBe(404);
    expect(peek.status, `A's id: ${describeReply(peek)}; missing id: ${describeReply(missing)}`).toBe(missing.status);
    expect(problemViolations(peek.status, peek.headers.get('content-type') ?? undefined, peek.text)).toEqual([]);
    expect(peek.json?.code).toBe(missing.json?.code);
    expect(peek.json?.type).toBe(missing.json?.type);
    expect(peek.json?.title).toBe(missing.json?.title);
    expect(peek.text).not.toContain(A);
  });

  it.each(idRoutes.map((r) => [keyOf(r), r] as const))('%s: operators and admins act on their own sub there too (404)', async (key, route) => {
    const body = validBody(route);
    const staff = [
      { token: tokens.operator as string, operator: true },
      { token: tokens.admin as string, operator: false },
      { token: await signLocalToken('matrix-both', ['operator', 'admin']), operator: true },
    ];
    for (const { token, operator } of staff) {
      const peek = await call(route.method, pathFor(route, A_RESOURCES()), { token, ...(body !== undefined ? { body } : {}) });
      if (operator && OPERATOR_READS.has(key)) {
        const own = await call(route.method, pathFor(route, A_RESOURCES()), { token: tokens.a, ...(body !== undefined ? { body } : {}) });
        expect(own.status, describeReply(own)).not.toBe(404);
        expect(peek.status, describeReply(peek)).toBe(own.status);
        expect(peek.json?.code).toBe(own.json?.code);
        continue;
      }
      const missing = await call(route.method, pathFor(route, MISSING), { token, ...(body !== undefined ? { body } : {}) });
      if (!bodySchemaOf(route) || hasKnownExample(route)) expect(peek.status, describeReply(peek)).toBe(404);
      expect(peek.status).toBe(missing.status);
      expect(peek.json?.code).toBe(missing.json?.code);
    }
  });

  it("leaves A's request exactly as it was: status, comments, timeline", async () => {
    const after = await ownRequest(aRequestIds[0] as string);
    expect(after.status).toBe(before.status);
    expect(after.comments).toEqual(before.comments);
    expect(after.timeline).toEqual(before.timeline);
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(after).toEqual(before);
    // And A's call: not confirmed, not claimed by anyone else.
    expect((await call('GET', '/v1/calls', { token: tokens.a })).json).toEqual(callsBefore);
  });

  it("never lists A's requests to B, whatever B sends as query or cursor", async () => {
    const own = await call('POST', '/v1/requests', { token: tokens.b, body: writtenRequest() });
    expect(own.status, describeReply(own)).toBe(202);
    const bList = await listAll(tokens.b as string);
    expect(bList.ids).toContain(own.json?.id);
    for (const id of aRequestIds) expect(bList.ids).not.toContain(id);

    // A's own pages: both requests, one per page, so A holds a cursor into its own list.
    const aList = await listAll(tokens.a as string);
    expect([...aList.ids].sort()).toEqual([...aRequestIds].sort());
    const aCursor = aList.pages[0]?.json?.nextCursor as string | undefined;
    expect(aCursor).toBeTypeOf('string');

    const attempts: Reply[] = [
      await call('GET', '/v1/requests', { token: tokens.b, query: { limit: '100', cursor: aCursor as string } }),
      await call('GET', '/v1/requests', { token: tokens.b, query: { limit: '100', userId: A } }),
      await call('GET', '/v1/requests', { token: tokens.b, query: { limit: '100', sub: A } }),
      await call('GET', '/v1/requests', { token: tokens.b, query: { limit: '100' } }),
    ];
    for (const r of attempts) {
      expect(r.status, describeReply(r)).toBeLessThan(500);
      for (const id of aRequestIds) expect(r.text, describeReply(r)).not.toContain(id);
    }
  });
});

describe('roles', () => {
  const roleSets: { name: string; roles: string[] }[] = [
    { name: 'citizen', roles: ['citizen'] },
    { name: 'no roles claim (citizen)', roles: [] },
    { name: 'operator', roles: ['operator'] },
    { name: 'admin', roles: ['admin'] },
    { name: 'operator+admin', roles: ['operator', 'admin'] },
  ];

  it('has operator and admin routes to check', () => {
    expect(restrictedRoutes.length).toBeGreaterThan(0);
  });

  it.each(restrictedRoutes.map((r) => [keyOf(r), r] as const))('%s: 403 for every role it does not list, before the body is read', async (_key, route) => {
    const failures: string[] = [];
    for (const set of roleSets) {
      const token = await signLocalToken(`matrix-${set.name.replace(/\W+/g, '-')}`, set.roles);
      const effective = set.roles.length > 0 ? set.roles : ['citizen'];
      const allowed = route.access.some((role) => effective.includes(role));
      const path = pathFor(route, MISSING);
      if (!allowed) {
        const body = validBody(route);
        const withBody = await call(route.method, path, { token, ...(body !== undefined ? { body } : {}) });
        const garbage = await call(route.method, path, { token, ...(route.method !== 'GET' ? { body: '{not json' } : {}) });
        for (const r of [withBody, garbage]) {
          if (r.status !== 403 || r.json?.code !== 'forbidden') failures.push(`${set.name}: ${describeReply(r)}`);
          failures.push(...problemViolations(r.status, r.headers.get('content-type') ?? undefined, r.text).map((v) => `${set.name}: ${v}`));
        }
      } else {
        // Allowed: a body that cannot be valid, so nothing happens; it must get past the role check.
        const r = await call(route.method, path, { token, ...(route.method !== 'GET' ? { body: '{not json' } : { query: exampleQuery(route) }) });
        if (r.status === 401 || r.status === 403 || r.status >= 500) failures.push(`${set.name} (allowed): ${describeReply(r)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('tokens', () => {
  it.each(protectedRoutes.map((r) => [keyOf(r), r] as const))('%s: 401 for a missing, expired, forged or unsigned token', async (_key, route) => {
    const failures: string[] = [];
    for (const bad of await badCredentials(A)) {
      const r = await call(route.method, pathFor(route, A_RESOURCES()), {
        ...(bad.authorization !== undefined ? { authorization: bad.authorization } : {}),
        ...(route.method !== 'GET' ? { body: '{not json' } : { query: exampleQuery(route) }),
      });
      if (r.status !== 401) failures.push(`${bad.name}: ${describeReply(r)}`);
      else {
        failures.push(...problemViolations(r.status, r.headers.get('content-type') ?? undefined, r.text).map((v) => `${bad.name}: ${v}`));
        if (r.json?.code !== 'unauthenticated') failures.push(`${bad.name}: code ${String(r.json?.code)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(publicRoutes.map((r) => [keyOf(r), r] as const))('%s: 200 without any token', async (_key, route) => {
    const r = await call(route.method, pathFor(route, MISSING), { query: exampleQuery(route) });
    expect(r.status, describeReply(r)).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/json/);
  });
});

/**
 * Operators act only on the queues their token names, and once a request is taken only its
 * assignee acts on it. Every operator route is tried with no token, a citizen, an operator of
 * another queue, an operator of the request's queue who did not take it, and the assignee.
 */
describe('operators: their queues and the assignee', () => {
  let requestId: string;
  let attachmentId: string;
  const ops: Record<string, string> = {};
  const QUEUE = 'tech-support';

  beforeAll(async () => {
    Object.assign(ops, {
      none: '',
      citizen: tokens.a as string,
      otherQueue: await signLocalToken('matrix-op-other', ['operator'], 3600, undefined, { queues: ['services', 'complaints'] }),
      sameQueue: await signLocalToken('matrix-op-same', ['operator'], 3600, undefined, { queues: [QUEUE] }),
      assignee: await signLocalToken('matrix-op-assignee', ['operator'], 3600, undefined, { queues: [QUEUE, 'services'] }),
    });
    const created = await call('POST', '/v1/requests', { token: tokens.a, body: writtenRequest() });
    expect(created.status, describeReply(created)).toBe(202);
    requestId = created.json?.id as string;
    await eventually(async () => ((await ownRequest(requestId)).status === 'registered' ? true : undefined), `request ${requestId} registered`, 20_000);
    const attached = await call('POST', `/v1/requests/${requestId}/attachments`, { token: tokens.a, body: { fileName: 'скрин.png', contentType: 'image/png', size: 1000 } });
    expect(attached.status, describeReply(attached)).toBe(201);
    attachmentId = attached.json?.id as string;
    const taken = await call('POST', `/v1/ops/requests/${requestId}/take`, { token: ops.assignee });
    expect(taken.status, describeReply(taken)).toBe(200);
    expect(taken.json).toMatchObject({ status: 'in_progress', assignedTo: 'matrix-op-assignee' });
  });

  const asEach = async (method: string, path: (who: string) => string, body?: (who: string) => unknown) => {
    const out: Record<string, Reply> = {};
    for (const who of ['none', 'citizen', 'otherQueue', 'sameQueue', 'assignee']) {
      const token = ops[who] as string;
      const b = body?.(who);
      out[who] = await call(method, path(who), { ...(token ? { token } : {}), ...(b !== undefined ? { body: b } : {}) });
    }
    return out;
  };
  const statuses = (replies: Record<string, Reply>) => Object.fromEntries(Object.entries(replies).map(([who, r]) => [who, `${r.status} ${String(r.json?.code ?? '')}`.trim()]));

  it('covers every operator route of the table', () => {
    const operatorRoutes = restrictedRoutes.filter((r) => r.access.includes('operator')).map(keyOf).sort();
    expect(operatorRoutes).toEqual(
      [
        'GET /v1/ops/queues/{queue}',
        'GET /v1/ops/requests/{id}/attachments',
        'POST /v1/ops/calls',
        'POST /v1/ops/requests/{id}/answer',
        'POST /v1/ops/requests/{id}/take',
        'GET /v1/ops/inbox/{queue}',
        'GET /v1/ops/requests/{id}',
        'POST /v1/ops/requests/{id}/comments',
        'POST /v1/ops/requests/{id}/release',
        'POST /v1/ops/requests/{id}/extend',
        'POST /v1/ops/requests/{id}/forward',
        'GET /v1/ops/search',
      ].sort(),
    );
  });

  it('GET /v1/ops/queues/{queue}: only operators who work the queue list it (403 for another queue)', async () => {
    const replies = await asEach('GET', () => `/v1/ops/queues/${QUEUE}`);
    expect(statuses(replies)).toEqual({ none: '401 unauthenticated', citizen: '403 forbidden', otherQueue: '403 forbidden', sameQueue: '200', assignee: '200' });
    const other = await call('GET', '/v1/ops/queues/services', { token: ops.sameQueue });
    expect(other.status).toBe(403);
    expect((await call('GET', '/v1/ops/queues/services', { token: ops.otherQueue })).status).toBe(200);
  });

  it('POST /v1/ops/requests/{id}/take: 404 from another queue, 409 taken for the others of the queue, 200 again for the assignee', async () => {
    const replies = await asEach('POST', () => `/v1/ops/requests/${requestId}/take`);
    expect(statuses(replies)).toEqual({ none: '401 unauthenticated', citizen: '403 forbidden', otherQueue: '404 not_found', sameQueue: '409 taken', assignee: '200' });
    expect(replies.otherQueue?.json?.title).toBe((await call('POST', `/v1/ops/requests/${MISSING_ID}/take`, { token: ops.otherQueue })).json?.title);
  });

  it('POST /v1/ops/calls: only the assignee records a call for a taken request', async () => {
    const now = Date.now();
    const body = () => ({
      requestId,
      direction: 'inbound',
      phone: PROFILE_PHONE_E164,
      queuedAt: new Date(now - 300_000).toISOString(),
      answeredAt: new Date(now - 240_000).toISOString(),
      endedAt: new Date(now - 60_000).toISOString(),
      outcome: 'answered',
    });
    const replies = await asEach('POST', () => '/v1/ops/calls', body);
    expect(statuses(replies)).toEqual({ none: '401 unauthenticated', citizen: '403 forbidden', otherQueue: '404 not_found', sameQueue: '409 taken', assignee: '201' });
    const detail = await ownRequest(requestId);
    expect((detail.calls as { operatorId: string }[]).map((c) => c.operatorId)).toEqual(['matrix-op-assignee']);
  });

  it('attachments: operators of the queue read them (taking is about acting), operators of another queue get 404', async () => {
    const list = await asEach('GET', () => `/v1/ops/requests/${requestId}/attachments`);
    expect(statuses(list)).toEqual({ none: '401 unauthenticated', citizen: '403 forbidden', otherQueue: '404 not_found', sameQueue: '200', assignee: '200' });
    const download = await asEach('GET', () => `/v1/requests/${requestId}/attachments/${attachmentId}`);
    // Never uploaded: the owner gets 409 not_ready, so do the operators of its queue; a citizen who is not the owner gets 404.
    expect(statuses(download)).toEqual({ none: '401 unauthenticated', citizen: '409 not_ready', otherQueue: '404 not_found', sameQueue: '409 not_ready', assignee: '409 not_ready' });
  });

  it('POST /v1/ops/requests/{id}/answer: only the assignee answers', async () => {
    const replies = await asEach('POST', () => `/v1/ops/requests/${requestId}/answer`, (who) => ({ text: `Ответ от ${who}` }));
    expect(statuses(replies)).toEqual({ none: '401 unauthenticated', citizen: '403 forbidden', otherQueue: '404 not_found', sameQueue: '409 taken', assignee: '200' });
    const detail = await ownRequest(requestId);
    expect(detail.status).toBe('answered');
    expect(detail.answer).toMatchObject({ text: 'Ответ от assignee' });
  });

  it('a cancelled request is in no operator\'s reach: its attachments are 404 for every operator', async () => {
    const created = await call('POST', '/v1/requests', { token: tokens.a, body: writtenRequest() });
    const id = created.json?.id as string;
    await eventually(async () => ((await ownRequest(id)).status === 'registered' ? true : undefined), `request ${id} registered`, 20_000);
    expect((await call('GET', `/v1/ops/requests/${id}/attachments`, { token: ops.sameQueue })).status).toBe(200);
    expect((await call('POST', `/v1/requests/${id}/cancel`, { token: tokens.a })).status).toBe(200);
    for (const who of ['sameQueue', 'assignee', 'otherQueue']) {
      const r = await call('GET', `/v1/ops/requests/${id}/attachments`, { token: ops[who] as string });
      expect(r.status, `${who}: ${describeReply(r)}`).toBe(404);
    }
  });
});

/**
 * The workspace routes, each tried with no token, a citizen, an operator of another queue, an
 * operator of the request's queue who did not take it, and the assignee (who took it first).
 */
describe('operators: the workspace routes, their queues and the assignee', () => {
  const ops: Record<string, string> = {};
  const QUEUE = 'tech-support';
  const WHO = ['none', 'citizen', 'otherQueue', 'sameQueue', 'assignee'] as const;
  // A citizen of their own: A's daily limit of 10 new requests is spent by the tests above.
  const C = 'matrix-ws-citizen';
  const C_PHONE = citizenPhone(C);
  let cToken: string;
  const cRequest = async (id: string) => (await call('GET', `/v1/requests/${id}`, { token: cToken })).json as Record<string, unknown>;

  async function takenRequest(): Promise<{ id: string; number: string }> {
    const created = await call('POST', '/v1/requests', { token: cToken, body: writtenRequest({ identity: identity({ phone: C_PHONE }) }) });
    expect(created.status, describeReply(created)).toBe(202);
    const id = created.json?.id as string;
    await eventually(async () => ((await cRequest(id)).status === 'registered' ? true : undefined), `request ${id} registered`, 20_000);
    const taken = await call('POST', `/v1/ops/requests/${id}/take`, { token: ops.assignee });
    expect(taken.status, describeReply(taken)).toBe(200);
    return { id, number: created.json?.number as string };
  }

  const asEach = async (method: string, path: string, body?: (who: string) => unknown, query?: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const who of WHO) {
      const token = ops[who] as string;
      const b = body?.(who);
      const r = await call(method, path, { ...(token ? { token } : {}), ...(b !== undefined ? { body: b } : {}), ...(query ? { query } : {}) });
      expect(problemViolations(r.status, r.headers.get('content-type') ?? undefined, r.text), `${who}: ${describeReply(r)}`).toEqual([]);
      out[who] = `${r.status} ${String(r.json?.code ?? '')}`.trim();
    }
    return out;
  };
  const DENIED = { none: '401 unauthenticated', citizen: '403 forbidden', otherQueue: '404 not_found' };

  beforeAll(async () => {
    Object.assign(ops, {
      none: '',
      citizen: tokens.a as string,
      otherQueue: await signLocalToken('matrix-ws-other', ['operator'], 3600, undefined, { queues: ['services', 'complaints'] }),
      sameQueue: await signLocalToken('matrix-ws-same', ['operator'], 3600, undefined, { queues: [QUEUE] }),
      assignee: await signLocalToken('matrix-ws-assignee', ['operator'], 3600, undefined, { queues: [QUEUE, 'services'] }),
    });
    cToken = await signLocalToken(C, ['citizen']);
    const put = await call('PUT', `/v1/admin/profiles/${C}`, { token: tokens.admin, body: identity({ phone: C_PHONE }) });
    expect(put.status, describeReply(put)).toBe(201);
  });

  it('GET /v1/ops/inbox/{queue}: operators of the queue list it (403 for another queue); a bad cursor is 400', async () => {
    const { id } = await takenRequest();
    expect(await asEach('GET', `/v1/ops/inbox/${QUEUE}`, undefined, { limit: '100' })).toEqual({ ...DENIED, otherQueue: '403 forbidden', sameQueue: '200', assignee: '200' });
    const listed = await call('GET', `/v1/ops/inbox/${QUEUE}`, { token: ops.sameQueue, query: { limit: '100' } });
    expect((listed.json?.items as { id: string }[]).some((i) => i.id === id)).toBe(true);
    expect(JSON.stringify(listed.json)).not.toMatch(/snils|passport|\+7\d{10}/i);
    for (const cursor of ['bogus', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      const r = await call('GET', `/v1/ops/inbox/${QUEUE}`, { token: ops.sameQueue, query: { cursor } });
      expect(r.status, describeReply(r)).toBe(400);
      expect((r.json?.errors as { code: string }[])[0]?.code).toBe('invalid_cursor');
    }
  });

  it('GET /v1/ops/requests/{id}: every operator of the queue reads it; another queue gets 404 like a missing id', async () => {
    const { id } = await takenRequest();
    expect(await asEach('GET', `/v1/ops/requests/${id}`)).toEqual({ ...DENIED, sameQueue: '200', assignee: '200' });
    const missing = await call('GET', `/v1/ops/requests/${MISSING_ID}`, { token: ops.otherQueue });
    expect(missing.status).toBe(404);
    const view = await call('GET', `/v1/ops/requests/${id}`, { token: ops.sameQueue });
    expect(view.json).toMatchObject({ assignedTo: 'matrix-ws-assignee', citizen: { userId: C, phone: C_PHONE } });
    expect(view.text).not.toMatch(/snilsHash|passportHash|112-233-445|11223344595/);
  });

  it('POST /v1/ops/requests/{id}/comments: only the assignee writes', async () => {
    const { id } = await takenRequest();
    expect(await asEach('POST', `/v1/ops/requests/${id}/comments`, (who) => ({ text: `Вопрос от ${who}` }))).toEqual({ ...DENIED, sameQueue: '409 taken', assignee: '201' });
    const detail = await cRequest(id);
    expect((detail.comments as { author: string; text: string }[]).map((c) => `${c.author}: ${c.text}`)).toEqual(['operator: Вопрос от assignee']);
  });

  it('POST /v1/ops/requests/{id}/extend: only the assignee extends, once', async () => {
    const { id } = await takenRequest();
    expect(await asEach('POST', `/v1/ops/requests/${id}/extend`, () => ({ days: 7, reason: 'Запрос в ведомство' }))).toEqual({ ...DENIED, sameQueue: '409 taken', assignee: '200' });
    const again = await call('POST', `/v1/ops/requests/${id}/extend`, { token: ops.assignee, body: { days: 7, reason: 'Ещё' } });
    expect(again.json?.code).toBe('already_extended');
  });

  it('POST /v1/ops/requests/{id}/forward: only the assignee forwards', async () => {
    const { id } = await takenRequest();
    expect(await asEach('POST', `/v1/ops/requests/${id}/forward`, () => ({ to: 'Росреестр', reason: 'Вопрос о кадастре' }))).toEqual({ ...DENIED, sameQueue: '409 taken', assignee: '200' });
    expect((await cRequest(id)).status).toBe('forwarded');
  });

  it('POST /v1/ops/requests/{id}/release: only the assignee gives it back; then nobody holds it', async () => {
    const { id } = await takenRequest();
    expect(await asEach('POST', `/v1/ops/requests/${id}/release`)).toEqual({ ...DENIED, sameQueue: '409 taken', assignee: '200' });
    const detail = await cRequest(id);
    expect(detail.status).toBe('registered');
    expect((await call('POST', `/v1/ops/requests/${id}/release`, { token: ops.assignee })).json?.code).toBe('not_taken');
    // Back in the queue: another operator of it may take it now.
    expect((await call('POST', `/v1/ops/requests/${id}/take`, { token: ops.sameQueue })).status).toBe(200);
  });

  it('GET /v1/ops/search: by number within the operator\'s queues only', async () => {
    const { id, number } = await takenRequest();
    const found = (who: string) => call('GET', '/v1/ops/search', { token: ops[who] as string, query: { number } });
    expect(await asEach('GET', '/v1/ops/search', undefined, { number })).toEqual({ none: '401 unauthenticated', citizen: '403 forbidden', otherQueue: '200', sameQueue: '200', assignee: '200' });
    expect(((await found('otherQueue')).json?.requests as unknown[]).length).toBe(0);
    expect(((await found('sameQueue')).json?.requests as { id: string }[]).map((r) => r.id)).toEqual([id]);
    expect(((await found('assignee')).json?.requests as { id: string }[]).map((r) => r.id)).toEqual([id]);
    const byPhone = await call('GET', '/v1/ops/search', { token: ops.sameQueue, query: { phone: `8 (${C_PHONE.slice(2, 5)}) ${C_PHONE.slice(5, 8)}-${C_PHONE.slice(8, 10)}-${C_PHONE.slice(10)}` } });
    expect((byPhone.json?.requests as { id: string }[]).map((r) => r.id)).toContain(id);
    expect(((await call('GET', '/v1/ops/search', { token: ops.otherQueue, query: { phone: C_PHONE } })).json?.requests as unknown[]).length).toBe(0);
    expect((await call('GET', '/v1/ops/search', { token: ops.sameQueue })).status).toBe(400);
    expect((await call('GET', '/v1/ops/search', { token: ops.sameQueue, query: { number, phone: C_PHONE } })).status).toBe(400);
  });
});

/**
 * Notifications are the citizen's own: another citizen's id is 404 exactly like a missing one.
 */
describe('notifications: the caller\'s own only', () => {
  it('A sees theirs; B gets 404 for A\'s and an empty list; staff act on their own sub', async () => {
    const mine = await eventually(async () => {
      const r = await call('GET', '/v1/notifications', { token: tokens.a });
      return ((r.json?.items as unknown[]) ?? []).length > 0 ? r : undefined;
    }, "A's notifications", 20_000);
    const first = (mine.json?.items as { id: string }[])[0] as { id: string };
    const peek = await call('POST', `/v1/notifications/${first.id}/read`, { token: tokens.b });
    const missing = await call('POST', `/v1/notifications/${A}-registered/read`, { token: tokens.b });
    expect(peek.status, describeReply(peek)).toBe(404);
    expect(peek.json).toEqual(missing.json);
    expect((await call('POST', `/v1/notifications/${first.id}/read`, { token: tokens.operator })).status).toBe(404);
    const bList = await call('GET', '/v1/notifications', { token: tokens.b });
    expect(bList.text).not.toContain(first.id);
    const cursor = Buffer.from(JSON.stringify([new Date().toISOString(), first.id])).toString('base64url');
    expect((await call('GET', '/v1/notifications', { token: tokens.b, query: { cursor } })).text).not.toContain(first.id);
    expect((await call('POST', '/v1/notifications/read-all', { token: tokens.b })).status).toBe(200);
    // A's stay unread: B's read-all touched only B's partition.
    const after = await call('GET', '/v1/notifications', { token: tokens.a });
    expect((after.json?.items as { id: string; read: boolean }[]).find((n) => n.id === first.id)?.read).toBe(false);
  });
});

/**
 * Roles smuggled in a claim value, through the local gateway with really signed tokens: the
 * gateway flattens arrays ("[a b]"), so it also requires each staff route's OAuth scope.
 */
describe('smuggled roles and missing scopes', () => {
  const admin = { method: 'PUT', path: `/v1/admin/profiles/matrix-smuggled`, body: identity({ phone: citizenPhone('matrix-smuggled') }) };
  const operator = { method: 'GET', path: '/v1/ops/queues/tech-support' };
  const SMUGGLED: { name: string; claims: Record<string, unknown> }[] = [
    { name: 'roles: "admin"', claims: { roles: 'admin', scope: `${ROLE_SCOPES.admin} ${ROLE_SCOPES.operator}`, queues: ['*'] } },
    { name: 'roles: ["citizen admin"] without the scope', claims: { roles: ['citizen admin'] } },
    { name: 'roles: ["citizen,admin"]', claims: { roles: ['citizen,admin'], scope: ROLE_SCOPES.admin } },
    { name: 'roles: [["admin"]]', claims: { roles: [['admin']], scope: ROLE_SCOPES.admin } },
    { name: 'roles: ["citizen", ["admin", "operator"]]', claims: { roles: ['citizen', ['admin', 'operator']], scope: `${ROLE_SCOPES.admin} ${ROLE_SCOPES.operator}`, queues: ['*'] } },
    { name: 'roles: "citizen operator admin"', claims: { roles: 'citizen operator admin', scope: `${ROLE_SCOPES.admin} ${ROLE_SCOPES.operator}`, queues: ['*'] } },
    { name: 'right roles, no scope', claims: { roles: ['operator', 'admin'], queues: ['*'] } },
    { name: 'right roles, scope as an array', claims: { roles: ['operator', 'admin'], scope: [ROLE_SCOPES.admin, ROLE_SCOPES.operator], queues: ['*'] } },
    { name: 'right roles, a look-alike scope', claims: { roles: ['operator', 'admin'], scope: 'support-center/admins support-center/operators', queues: ['*'] } },
  ];

  it.each(SMUGGLED.map((s) => [s.name, s] as const))('%s: 403 on admin and operator routes, nothing written', async (_name, { claims }) => {
    const token = await signLocalClaims('matrix-smuggler', claims);
    const put = await call(admin.method, admin.path, { token, body: admin.body });
    expect(put.status, describeReply(put)).toBe(403);
    expect(put.json?.code).toBe('forbidden');
    expect(problemViolations(put.status, put.headers.get('content-type') ?? undefined, put.text)).toEqual([]);
    const list = await call(operator.method, operator.path, { token });
    expect(list.status, describeReply(list)).toBe(403);
    // Still a citizen: their own routes work.
    expect((await call('GET', '/v1/requests', { token })).status).toBe(200);
  });

  it('the same claims in their strict form pass (the test can fail)', async () => {
    const token = await signLocalClaims('matrix-smuggler', { roles: ['citizen', 'admin', 'operator'], scope: `openid ${ROLE_SCOPES.admin} ${ROLE_SCOPES.operator}`, queues: ['*'] });
    expect((await call('GET', operator.path, { token })).status).toBe(200);
    const put = await call(admin.method, admin.path, { token, body: admin.body });
    expect(put.status, describeReply(put)).toBe(201);
  });

  it('a scope alone grants no role: the function still needs roles to name it', async () => {
    const token = await signLocalClaims('matrix-scope-only', { scope: `${ROLE_SCOPES.admin} ${ROLE_SCOPES.operator}`, queues: ['*'] });
    expect((await call(admin.method, admin.path, { token, body: admin.body })).status).toBe(403);
    expect((await call('GET', operator.path, { token })).status).toBe(403);
  });

  it('npm run token puts the scope and the queues in staff tokens, and refuses an unknown queue', async () => {
    // Run without blocking the event loop (spawnSync would leave this process's idle keep-alive sockets stale).
    const token = async (...args: string[]) => (await run('npm', ['run', '--silent', 'token', '--', ...args], { cwd: REPO_ROOT, encoding: 'utf8' })).stdout;
    const payload = (t: string) => JSON.parse(Buffer.from(t.trim().split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload(await token('--sub', 'cli-op', '--roles', 'operator'))).toMatchObject({ roles: ['operator'], scope: ROLE_SCOPES.operator, queues: ['*'] });
    expect(payload(await token('--sub', 'cli-op', '--roles', 'operator,admin', '--queues', 'tech-support,services'))).toMatchObject({
      roles: ['operator', 'admin'],
      scope: `${ROLE_SCOPES.operator} ${ROLE_SCOPES.admin}`,
      queues: ['tech-support', 'services'],
    });
    const citizen = payload(await token('--sub', 'cli-citizen'));
    expect(citizen.scope).toBeUndefined();
    expect(citizen.queues).toBeUndefined();
    await expect(token('--sub', 'cli-op', '--roles', 'operator', '--queues', 'nowhere')).rejects.toThrow(/unknown queue/);
    await expect(token('--sub', 'cli-citizen', '--queues', '*')).rejects.toThrow(/operator/);
  });
});

/** No malformed path produces a 500: the gateway and the functions answer 400 validation_failed. */
describe('malformed paths', () => {
  const BAD = ['%zz', '%', '%E0%A4%A', 'abc%', '%C0%AF', '%ED%A0%80'];

  it.each(BAD)('GET /v1/requests/%s → 400 validation_failed (401 without a token: the token comes first)', async (raw) => {
    const r = await call('GET', `/v1/requests/${raw}`, { token: tokens.a });
    expect(r.status, describeReply(r)).toBe(400);
    expect(r.json?.code).toBe('validation_failed');
    expect(r.json?.errors).toEqual([expect.objectContaining({ path: 'id', code: 'invalid_encoding' })]);
    expect(problemViolations(r.status, r.headers.get('content-type') ?? undefined, r.text)).toEqual([]);
    expect((await call('GET', `/v1/requests/${raw}`)).status).toBe(401);
  });

  it('every route with a path parameter answers a malformed one with 400, never 500', async () => {
    const staff = await signLocalToken('matrix-bad-paths', ['operator', 'admin']);
    for (const route of protectedRoutes.filter((r) => paramNames(r).length > 0)) {
      for (const raw of BAD) {
        const path = route.path.replace(/\{\w+\}/g, raw);
        const r = await call(route.method, path, { token: roleFor(route) === 'citizen' ? (tokens.a as string) : staff, ...(route.method !== 'GET' ? { body: validBody(route) ?? {} } : {}) });
        expect(r.status, `${keyOf(route)} ${raw}: ${describeReply(r)}`).toBe(400);
        expect(r.json?.code).toBe('validation_failed');
      }
    }
  });

  it('an overlong id is 400 too_long, not a 404 or a 500', async () => {
    for (const length of [65, 1_000, 6_000]) {
      const r = await call('GET', `/v1/requests/${'x'.repeat(length)}`, { token: tokens.a });
      expect(r.status, `${length}: ${describeReply(r)}`).toBe(400);
      expect(r.json?.errors).toEqual([expect.objectContaining({ path: 'id', code: 'too_long' })]);
    }
  });

  it('bidi and other invisible format characters in a file name are 400 invalid_format', async () => {
    for (const fileName of ['invoice\u202efdp.exe.png', '\u2066скрин\u2069.png', 'a\u200fb.png', 'a\u200bb.png', '\ufeffscan.pdf', 'a\u061cb.png', 'a\u2028b.png']) {
      const r = await call('POST', `/v1/requests/${aRequestIds[0]}/attachments`, { token: tokens.a, body: { fileName, contentType: 'image/png', size: 100 } });
      expect(r.status, `${JSON.stringify(fileName)}: ${describeReply(r)}`).toBe(400);
      expect(r.json?.errors).toEqual([expect.objectContaining({ path: 'fileName', code: 'invalid_format' })]);
    }
    // ZWJ stays allowed (emoji sequences): the refusal above is about the characters, not about non-ASCII names.
    const ok = await call('POST', `/v1/requests/${aRequestIds[0]}/attachments`, { token: tokens.a, body: { fileName: 'семья 👨\u200d👩\u200d👧.png', contentType: 'image/png', size: 100 } });
    expect([201, 409]).toContain(ok.status);
  });
});
