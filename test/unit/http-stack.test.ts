import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '#adapters/logger';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { provideDeps, resetDeps } from '#functions/deps';
import { handler as adminHandler } from '#http/admin';
import { INTERNAL_PROBLEM } from '#http/problem';
import { handler as publicHandler } from '#http/public';
import { handler as requestsHandler } from '#http/requests';
import { MAX_BODY_BYTES, grantedRoles, parseRoles } from '#http/stack';
import { ROLE_SCOPES } from '#http/routes';
import { parseQueuesClaim } from '#core/requests/operator-access';
import { QUEUE_NAMES } from '#core/routing/routing-table';
import { type EventOptions, IDENTITY, callbackInput, httpEvent, lambdaContext, writtenInput } from './fixtures.ts';

type Handler = typeof requestsHandler;
interface Response {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  raw: string | undefined;
}

async function call(handler: Handler, routeKey: string, options: EventOptions = {}): Promise<Response> {
  const result = await handler(httpEvent(routeKey, options), lambdaContext);
  const headers = (result.headers ?? {}) as Record<string, string>;
  const raw = result.body;
  return { status: result.statusCode ?? 0, headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, raw };
}

const CITIZEN = { sub: 'user-1', roles: '[citizen]' };
const OTHER_CITIZEN = { sub: 'user-2' };
const ADMIN = { sub: 'admin-1', roles: '[admin]', scope: ROLE_SCOPES.admin };
const CREATE = 'POST /v1/requests';
const GET = 'GET /v1/requests/{id}';
const PUT_PROFILE = 'PUT /v1/admin/profiles/{userId}';

let deps: MemoryDeps;
beforeAll(() => {
  logger.setLogLevel('SILENT');
});
beforeEach(() => {
  deps = memoryDeps();
  provideDeps(deps);
});
afterEach(() => {
  resetDeps();
  vi.restoreAllMocks();
});

function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
}

function expectValidationProblem(res: Response) {
  expectProblem(res, 400, 'validation_failed');
  const errors = res.body.errors as unknown[];
  expect(Array.isArray(errors)).toBe(true);
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(e).toEqual({ path: expect.any(String), code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) });
  return errors as { path: string; code: string; message: string }[];
}

function expectSecurityHeaders(res: Response) {
  expect(res.headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'strict-transport-security': expect.stringContaining('max-age='),
    'x-frame-options': 'DENY',
    'content-security-policy': expect.stringContaining("default-src 'none'"),
    'referrer-policy': 'no-referrer',
  });
}

describe('authentication and roles', () => {
  it('no claims → 401 problem+json', async () => {
    const res = await call(requestsHandler, CREATE, { body: writtenInput() });
    expectProblem(res, 401, 'unauthenticated');
    expectSecurityHeaders(res);
    expect(deps.table.snapshot().requests).toEqual([]);
  });

  it('claims without a sub, or an empty one → 401', async () => {
    expectProblem(await call(requestsHandler, GET, { claims: { roles: '[citizen]' }, pathParameters: { id: 'x' } }), 401, 'unauthenticated');
    expectProblem(await call(requestsHandler, GET, { claims: { sub: '' }, pathParameters: { id: 'x' } }), 401, 'unauthenticated');
  });

  it('a citizen on the admin route → 403', async () => {
    const res = await call(adminHandler, PUT_PROFILE, { claims: CITIZEN, pathParameters: { userId: 'user-1' }, body: IDENTITY });
    expectProblem(res, 403, 'forbidden');
    expectSecurityHeaders(res);
    expect(deps.table.snapshot().profiles).toEqual([]);
  });

  it('403 comes before the body is looked at: garbage, a wrong type or an oversized body still give 403', async () => {
    const options = { claims: CITIZEN, pathParameters: { userId: 'user-1' } };
    expectProblem(await call(adminHandler, PUT_PROFILE, { ...options, rawBody: '{not json', headers: { 'content-type': 'application/json' } }), 403, 'forbidden');
    expectProblem(await call(adminHandler, PUT_PROFILE, { ...options, rawBody: 'hello', headers: { 'content-type': 'text/plain' } }), 403, 'forbidden');
    expectProblem(await call(adminHandler, PUT_PROFILE, { ...options, body: { unexpected: true } }), 403, 'forbidden');
    expectProblem(await call(adminHandler, PUT_PROFILE, { ...options, rawBody: 'x'.repeat(MAX_BODY_BYTES + 1) }), 403, 'forbidden');
  });

  it('401 comes before the body too', async () => {
    expectProblem(await call(requestsHandler, CREATE, { rawBody: '{not json' }), 401, 'unauthenticated');
  });

  it('the roles claim as the authorizer passes arrays ("[citizen admin]") grants admin with the admin scope', async () => {
    const claims = { sub: 'a', roles: '[citizen admin]', scope: ROLE_SCOPES.admin };
    const res = await call(adminHandler, PUT_PROFILE, { claims, pathParameters: { userId: 'user-1' }, body: IDENTITY });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId: 'user-1', snilsLast2: '95', passportLast2: '56', phone: '+7********89' });
    expect(res.raw).not.toContain('11223344595');
    const again = await call(adminHandler, PUT_PROFILE, { claims: { ...claims, roles: ['admin'] }, pathParameters: { userId: 'user-1' }, body: IDENTITY });
    expect(again.status).toBe(200);
  });

  it('parseRoles reads arrays of exact names and the gateway form "[a b]", nothing else', () => {
    expect(parseRoles('[citizen admin]')).toEqual(['citizen', 'admin']);
    expect(parseRoles('[operator]')).toEqual(['operator']);
    expect(parseRoles(['admin'])).toEqual(['admin']);
    expect(parseRoles(undefined)).toEqual(['citizen']);
    expect(parseRoles('[]')).toEqual(['citizen']);
    expect(parseRoles('[superuser]')).toEqual(['citizen']);
    expect(parseRoles('[citizen superuser]')).toEqual(['citizen']);
    expect(parseRoles(42)).toEqual(['citizen']);
    // The smuggling forms of issue 11: a string, commas, spaces inside an element, nesting.
    for (const smuggled of ['admin', 'admin,operator', '[citizen,admin]', '[[admin]]', '[admin] ', ' [admin]', '[admin  operator]', '[admin\toperator]', ['citizen admin'], ['citizen,admin'], [['admin']], ['admin', ['operator']], [42], [' admin']]) {
      expect(parseRoles(smuggled), JSON.stringify(smuggled)).toEqual(['citizen']);
    }
  });

  it('a staff role needs its scope too: roles alone, a wrong scope, or the scope as an array grant nothing', () => {
    expect(grantedRoles({ roles: '[admin]' })).toEqual(['citizen']);
    expect(grantedRoles({ roles: '[admin]', scope: ROLE_SCOPES.operator })).toEqual(['citizen']);
    expect(grantedRoles({ roles: '[admin]', scope: `[${ROLE_SCOPES.admin}]` })).toEqual(['citizen']);
    expect(grantedRoles({ roles: '[admin]', scope: [ROLE_SCOPES.admin] })).toEqual(['citizen']);
    expect(grantedRoles({ roles: '[admin]', scope: `${ROLE_SCOPES.admin}x` })).toEqual(['citizen']);
    expect(grantedRoles({ roles: '[operator admin]', scope: `openid ${ROLE_SCOPES.admin}` })).toEqual(['admin']);
    expect(grantedRoles({ roles: '[operator admin]', scope: `${ROLE_SCOPES.operator} ${ROLE_SCOPES.admin}` })).toEqual(['operator', 'admin']);
    // A scope without the role grants nothing either.
    expect(grantedRoles({ scope: `${ROLE_SCOPES.operator} ${ROLE_SCOPES.admin}` })).toEqual(['citizen']);
    expect(grantedRoles({ roles: 'admin', scope: ROLE_SCOPES.admin })).toEqual(['citizen']);
  });

  it('a staff route refuses roles without the scope (403) and writes nothing', async () => {
    for (const claims of [{ sub: 'a', roles: '[admin]', scope: '' }, { sub: 'a', roles: 'admin', scope: ROLE_SCOPES.admin }, { sub: 'a', roles: '[citizen,admin]', scope: ROLE_SCOPES.admin }]) {
      expectProblem(await call(adminHandler, PUT_PROFILE, { claims, pathParameters: { userId: 'user-1' }, body: IDENTITY }), 403, 'forbidden');
    }
    expect(deps.table.snapshot().profiles).toEqual([]);
  });

  it('parseQueuesClaim: exact queue names or *, in either form; anything else is no queue', () => {
    expect(parseQueuesClaim('[tech-support services]')).toEqual(['tech-support', 'services']);
    expect(parseQueuesClaim(['complaints'])).toEqual(['complaints']);
    expect(parseQueuesClaim('[*]')).toEqual([...QUEUE_NAMES]);
    expect(parseQueuesClaim(['*'])).toEqual([...QUEUE_NAMES]);
    for (const bad of [undefined, '*', 'tech-support', '[tech-support,services]', '[[tech-support]]', '[tech-support nowhere]', ['tech-support services'], [['*']], 7, '[Tech-Support]']) {
      expect(parseQueuesClaim(bad), JSON.stringify(bad)).toEqual([]);
    }
  });

  it('an unknown role does not grant admin', async () => {
    const res = await call(adminHandler, PUT_PROFILE, { claims: { sub: 'a', roles: '[administrator root]' }, pathParameters: { userId: 'u' }, body: IDENTITY });
    expectProblem(res, 403, 'forbidden');
  });

  it('public routes need no token', async () => {
    const res = await call(publicHandler, 'GET /v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.openapi).toBe('3.1.0');
    expectSecurityHeaders(res);
  });
});

describe('body handling', () => {
  it('a body over 256 KiB → 413; exactly 256 KiB is not refused for its size', async () => {
    const big = JSON.stringify({ ...writtenInput(), padding: 'x'.repeat(MAX_BODY_BYTES) });
    expectProblem(await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody: big }), 413, 'payload_too_large');
    const base = JSON.stringify({ ...writtenInput(), padding: '' });
    const exact = JSON.stringify({ ...writtenInput(), padding: 'x'.repeat(MAX_BODY_BYTES - Buffer.byteLength(base)) });
    expect(Buffer.byteLength(exact)).toBe(MAX_BODY_BYTES);
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody: exact });
    expect(res.status).toBe(400); // the unknown field, not the size
    expect(expectValidationProblem(res)).toContainEqual(expect.objectContaining({ path: 'padding', code: 'unexpected' }));
  });

  it('counts bytes, not characters: 2-byte Cyrillic over the limit → 413', async () => {
    const rawBody = JSON.stringify({ text: 'я'.repeat(MAX_BODY_BYTES / 2 + 1) });
    expect(rawBody.length).toBeLessThan(MAX_BODY_BYTES);
    expectProblem(await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody }), 413, 'payload_too_large');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', ''])('content type %j → 415', async (type) => {
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody: JSON.stringify(writtenInput()), headers: { 'content-type': type } });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('accepts application/json with a charset, in any case', async () => {
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody: JSON.stringify(writtenInput()), headers: { 'Content-Type': 'Application/JSON; charset=utf-8' } });
    expect(res.status).toBe(202);
  });

  it.each(['{not json', '{"channel": "written",}', "{'a': 1}", '{"a": 1} trailing', '{'])('malformed JSON %j → 400 invalid_json', async (rawBody) => {
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody });
    expect(expectValidationProblem(res)).toEqual([{ path: '', code: 'invalid_json', message: expect.any(String) }]);
  });

  it('invalid UTF-8 (bytes 0xff 0xfe) → 400', async () => {
    const bytes = Buffer.concat([Buffer.from('{"channel":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody: bytes.toString('base64'), isBase64Encoded: true });
    expect(expectValidationProblem(res)).toEqual([{ path: '', code: 'invalid_encoding', message: expect.any(String) }]);
  });

  it('a base64-encoded valid body is decoded', async () => {
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody: Buffer.from(JSON.stringify(writtenInput())).toString('base64'), isBase64Encoded: true });
    expect(res.status).toBe(202);
  });

  it('an empty body → 400 required', async () => {
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN });
    expect(expectValidationProblem(res)).toEqual([{ path: '', code: 'required', message: expect.any(String) }]);
  });

  it('unknown fields at any depth → unexpected, with the other problems at once', async () => {
    const body = { ...writtenInput(), extra: 1, identity: { ...writtenInput().identity, nickname: 'x', passport: { ...IDENTITY.passport, code: '770-001' } } };
    const errors = expectValidationProblem(await call(requestsHandler, CREATE, { claims: CITIZEN, body: { ...body, type: 'unknown' } }));
    expect(errors.map(({ path, code }) => ({ path, code }))).toEqual(
      expect.arrayContaining([
        { path: 'extra', code: 'unexpected' },
        { path: 'identity.nickname', code: 'unexpected' },
        { path: 'identity.passport.code', code: 'unexpected' },
        { path: 'type', code: 'invalid_value' },
      ]),
    );
  });

  it('missing fields → required at their path', async () => {
    const { identity: _identity, ...rest } = writtenInput();
    const errors = expectValidationProblem(await call(requestsHandler, CREATE, { claims: CITIZEN, body: rest }));
    expect(errors).toContainEqual(expect.objectContaining({ path: 'identity', code: 'required' }));
  });

  it('domain rules come back as 400 with their codes and paths', async () => {
    const body = writtenInput({ identity: { ...writtenInput().identity, snils: '112-233-445 94', phone: '+7 495 123-45-67' } });
    const errors = expectValidationProblem(await call(requestsHandler, CREATE, { claims: CITIZEN, body }));
    expect(errors.map(({ path, code }) => ({ path, code }))).toEqual([
      { path: 'identity.snils', code: 'snils_invalid' },
      { path: 'identity.phone', code: 'phone_not_mobile' },
    ]);
  });

  it('property: no body, however malformed, gives a 500', async () => {
    const valid = writtenInput() as unknown as Record<string, unknown>;
    const mutated = fc.record({ key: fc.constantFrom(...Object.keys(valid), 'identity', 'written', '__proto__', 'constructor'), value: fc.jsonValue() }).map(({ key, value }) => {
      const body = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
      Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
      return JSON.stringify(body);
    });
    const nested = fc
      .record({
        section: fc.constantFrom('identity', 'written', 'callback'),
        field: fc.constantFrom('fullName', 'snils', 'passport', 'phone', 'topic', 'text', 'attempts', 'contactPhone', 'preferredWindow', 'description'),
        value: fc.oneof(fc.jsonValue(), fc.string(), fc.array(fc.record({ at: fc.string(), phone: fc.string() }))),
      })
      .map(({ section, field, value }) => {
        const body = JSON.parse(JSON.stringify(callbackInput())) as Record<string, Record<string, unknown>>;
        body[section] = { ...(body[section] ?? {}), [field]: value };
        return JSON.stringify(body);
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), mutated, nested, fc.string()), async (rawBody) => {
        const res = await call(requestsHandler, CREATE, { claims: CITIZEN, rawBody, headers: { 'idempotency-key': 'k' } });
        expect(res.status, rawBody).not.toBe(500);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
  });
});

describe('responses', () => {
  it('202 with Location and the accepted request, security headers and a correlation id', async () => {
    const correlation = '0f8fad5b-d9cb-469f-a165-7a86c7b2e95e';
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN, body: writtenInput(), headers: { 'x-correlation-id': correlation } });
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers.Location).toBe(`/v1/requests/${String(res.body.id)}`);
    expect(res.headers['x-correlation-id']).toBe(correlation);
    expect(res.body).toMatchObject({ channel: 'written', type: 'technical', status: 'received', createdAt: '2026-03-02T09:00:00.000Z' });
    expectSecurityHeaders(res);
  });

  it('Idempotency-Key: the same body gets the same response, another body 422', async () => {
    const headers = { 'idempotency-key': 'abc' };
    const first = await call(requestsHandler, CREATE, { claims: CITIZEN, body: writtenInput(), headers });
    const second = await call(requestsHandler, CREATE, { claims: CITIZEN, body: writtenInput(), headers });
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.Location).toBe(first.headers.Location);
    expect(deps.table.snapshot().requests).toHaveLength(1);
    const third = await call(requestsHandler, CREATE, { claims: CITIZEN, body: writtenInput({ type: 'complaint' }), headers });
    expectProblem(third, 422, 'idempotency_key_reused');
  });

  it('an Idempotency-Key over 255 characters → 400', async () => {
    const res = await call(requestsHandler, CREATE, { claims: CITIZEN, body: writtenInput(), headers: { 'idempotency-key': 'k'.repeat(256) } });
    expectValidationProblem(res);
  });

  it('GET of the own request shows no SNILS or passport and masks phones', async () => {
    const created = await call(requestsHandler, CREATE, { claims: CITIZEN, body: callbackInput() });
    const res = await call(requestsHandler, GET, { claims: CITIZEN, pathParameters: { id: String(created.body.id) } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, status: 'received', callback: { phone: '+7********67', extension: '12' } });
    expect(res.body.timeline).toEqual([{ at: '2026-03-02T09:00:00.000Z', event: 'received' }]);
    for (const secret of ['11223344595', '112-233-445', '4510', '123456', '9123456789', '4951234567', 'snilsHash', 'passportHash']) expect(res.raw).not.toContain(secret);
    expectSecurityHeaders(res);
  });

  it("another citizen's request → 404 identical to a missing one", async () => {
    const created = await call(requestsHandler, CREATE, { claims: CITIZEN, body: writtenInput() });
    const foreign = await call(requestsHandler, GET, { claims: OTHER_CITIZEN, pathParameters: { id: String(created.body.id) } });
    const missing = await call(requestsHandler, GET, { claims: OTHER_CITIZEN, pathParameters: { id: '01TEST0000000000000000ZZZZ' } });
    expectProblem(foreign, 404, 'not_found');
    expect(foreign.raw).toBe(missing.raw);
    expect(foreign.headers).toEqual(missing.headers);
    expect(foreign.raw).not.toContain(String(created.body.id));
  });

  it('an admin is not the owner either: 404 on a citizen request', async () => {
    const created = await call(requestsHandler, CREATE, { claims: CITIZEN, body: writtenInput() });
    expectProblem(await call(requestsHandler, GET, { claims: ADMIN, pathParameters: { id: String(created.body.id) } }), 404, 'not_found');
  });

  it('an unknown error → generic 500 with no stack or internal names, logged in full', async () => {
    const failure = new Error('ResourceNotFoundException: table support-prod-Table-1ABC at dynamoStore.getRequestDetail (/var/task/index.mjs:12:3)');
    // The first read of GET /v1/requests/{id} is the request item (its owner is checked before the rest).
    provideDeps({ requests: { ...deps.requests, getRequest: () => Promise.reject(failure), getRequestDetail: () => Promise.reject(failure) } });
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const res = await call(requestsHandler, GET, { claims: CITIZEN, pathParameters: { id: 'x' } });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toEqual(INTERNAL_PROBLEM);
    for (const leak of ['ResourceNotFound', 'support-prod', 'dynamo', '/var/task', 'stack', 'Error', 'getRequestDetail']) expect(res.raw).not.toContain(leak);
    expectSecurityHeaders(res);
    expect(logged).toHaveBeenCalledWith('unhandled error', expect.objectContaining({ error: failure }));
  });
});
