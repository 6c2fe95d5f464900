import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '#http/routes';
import { signLocalToken } from '#infra/local/jwt-keys';
import { badCredentials } from '../support/bad-tokens.ts';
import { type Reply, send } from '../support/e2e-http.ts';
import { PROFILE_PHONE_E164, identity, writtenRequest } from '../support/fixtures.ts';
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
} from '../support/route-catalog.ts';

/**
 * Who may do what, through `npm start` (its gateway checks the JWT, the handlers check roles and
 * ownership). Every list of routes here comes from the route table, so a new route is covered.
 */
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
