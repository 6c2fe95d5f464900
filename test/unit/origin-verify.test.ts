import { afterEach, describe, expect, it, vi } from 'vitest';
import { type EventOptions, type HttpEvent, httpEvent, lambdaContext, writtenInput } from './fixtures.ts';

// The comparison must be crypto.timingSafeEqual's; the real function, counted.
const timing = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      timing.calls += 1;
      return real.timingSafeEqual(a, b);
    },
  };
});

/**
 * The origin check of the shared HTTP stack (functions/http/origin-verify.ts), driven through the
 * real handler modules loaded afresh with ORIGIN_VERIFY in their environment, as Lambda loads them
 * at a cold start: the check must refuse before the claims, the body or any store is touched.
 */
const SECRET = '9f3a6c0b1d2e4f5a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c';
const PREVIOUS = 'Q7wErTyUiOpAsDfGhJkLzXcVbNm1234567890qwertyuiopasdfghjklzxcvbn12';
const CITIZEN = { sub: 'user-1', roles: '[citizen]' };
const LIST = 'GET /v1/requests';
const CREATE = 'POST /v1/requests';
const CONTACTS = 'GET /v1/contacts';

interface Loaded {
  requests: (event: HttpEvent) => Promise<{ statusCode?: number; headers?: Record<string, unknown>; body?: string }>;
  publicFns: Loaded['requests'];
  stack: typeof import('#http/stack');
  /** Every use of a port (`part.method`), in order. */
  touched: string[];
  /** Every line the logger printed, at any level. */
  lines: string[];
}

/** The handlers as a cold start builds them, with `env` set, on in-memory ports that record every use. */
async function load(env: { ORIGIN_VERIFY?: string; ORIGIN_VERIFY_PREVIOUS?: string }): Promise<Loaded> {
  vi.resetModules();
  vi.stubEnv('ORIGIN_VERIFY', env.ORIGIN_VERIFY ?? '');
  vi.stubEnv('ORIGIN_VERIFY_PREVIOUS', env.ORIGIN_VERIFY_PREVIOUS ?? '');
  // Everything from the same fresh module graph (the error classes must be the stack's own).
  const { provideDeps } = await import('#functions/deps');
  const { memoryDeps } = await import('#adapters/memory/memory-deps');
  const { logger } = await import('#adapters/logger');
  const touched: string[] = [];
  const spied = Object.fromEntries(
    Object.entries(memoryDeps()).map(([part, port]) => [
      part,
      typeof port === 'object' && port !== null
        ? new Proxy(port, {
            get(target, prop) {
              touched.push(`${part}.${String(prop)}`);
              const value: unknown = Reflect.get(target, prop);
              return typeof value === 'function' ? value.bind(target) : value;
            },
          })
        : port,
    ]),
  );
  provideDeps(spied);
  const lines: string[] = [];
  const out = (logger as unknown as { console: Record<'debug' | 'info' | 'warn' | 'error' | 'log', (line: unknown) => void> }).console;
  for (const level of ['debug', 'info', 'warn', 'error', 'log'] as const) vi.spyOn(out, level).mockImplementation((line: unknown) => void lines.push(String(line)));
  logger.setLogLevel('DEBUG');
  const requests = (await import('#http/requests')).handler;
  const publicFns = (await import('#http/public')).handler;
  return {
    requests: (event) => requests(event, lambdaContext) as ReturnType<Loaded['requests']>,
    publicFns: (event) => publicFns(event, lambdaContext) as ReturnType<Loaded['requests']>,
    stack: await import('#http/stack'),
    touched,
    lines,
  };
}

/** An event whose JWT claims record being read. */
function event(routeKey: string, headers: Record<string, unknown>, options: EventOptions = {}): { event: HttpEvent; claimsRead: () => boolean } {
  const built = httpEvent(routeKey, { ...options, headers: headers as Record<string, string> });
  let read = false;
  const authorizer = built.requestContext.authorizer;
  Object.defineProperty(built.requestContext, 'authorizer', {
    get: () => {
      read = true;
      return authorizer;
    },
  });
  return { event: built, claimsRead: () => read };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  timing.calls = 0;
});

const REFUSED: [string, Record<string, unknown>][] = [
  ['no header', {}],
  ['an empty value', { 'x-origin-verify': '' }],
  ['a wrong value of the same length', { 'x-origin-verify': SECRET.replace(/.$/, '0') }],
  ['a longer value (the secret and one more character)', { 'x-origin-verify': `${SECRET}0` }],
  ['a shorter value (a prefix of the secret)', { 'x-origin-verify': SECRET.slice(0, -1) }],
  ['the secret in another case', { 'x-origin-verify': SECRET.toUpperCase() }],
  ['the secret with a space around it', { 'x-origin-verify': ` ${SECRET}` }],
  ['the header twice, joined by API Gateway with a comma', { 'x-origin-verify': `${SECRET},${SECRET}` }],
  ['the header twice, the secret and another value', { 'x-origin-verify': `${SECRET},forged` }],
  ['an array of values', { 'x-origin-verify': [SECRET] }],
  ['two spellings of the name', { 'X-Origin-Verify': SECRET, 'x-origin-verify': SECRET }],
  ['the secret under another name', { 'x-origin-verified': SECRET, authorization: SECRET }],
];

describe('with ORIGIN_VERIFY set (the cloud, behind CloudFront)', () => {
  it('the right header passes: the claims are read, the store answers, 200', async () => {
    const api = await load({ ORIGIN_VERIFY: SECRET });
    const call = event(LIST, { 'x-origin-verify': SECRET }, { claims: CITIZEN });
    const result = await api.requests(call.event);
    expect(result.statusCode).toBe(200);
    expect(call.claimsRead()).toBe(true);
    expect(api.touched).toContain('requests.listRequestsByOwner');
    // A header name as any client may spell it passes too (HTTP names are case-insensitive).
    expect((await api.requests(event(LIST, { 'X-Origin-Verify': SECRET }, { claims: CITIZEN }).event)).statusCode).toBe(200);
  });

  it.each(REFUSED)('%s: 403 problem+json, before the claims, the body or any port', async (_, headers) => {
    const api = await load({ ORIGIN_VERIFY: SECRET });
    for (const [handler, routeKey, options] of [
      [api.requests, LIST, { claims: CITIZEN }],
      [api.requests, CREATE, { claims: CITIZEN, body: writtenInput() }],
      [api.publicFns, CONTACTS, {}],
      // Even a route this function does not serve is refused first, not answered 500.
      [api.publicFns, 'GET /v1/nowhere', {}],
    ] as const) {
      const call = event(routeKey, { 'x-correlation-id': '3f2504e0-4f89-41d3-9a0c-0305e82c3301', ...headers }, options);
      const result = await handler(call.event);
      expect(result.statusCode, routeKey).toBe(403);
      expect(result.headers).toMatchObject({ 'content-type': 'application/problem+json', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
      expect(result.headers?.['x-correlation-id']).toBe('3f2504e0-4f89-41d3-9a0c-0305e82c3301');
      expect(JSON.parse(result.body ?? '{}')).toEqual({
        type: 'https://support-center.example/problems/forbidden',
        title: 'Forbidden',
        status: 403,
        code: 'forbidden',
        detail: 'This address does not serve the API; call it through its public address.',
      });
      expect(call.claimsRead(), routeKey).toBe(false);
    }
    expect(api.touched).toEqual([]);
  });

  it('the value never reaches a log line, accepted or refused; a refusal says why', async () => {
    const api = await load({ ORIGIN_VERIFY: SECRET });
    await api.requests(event(LIST, { 'x-origin-verify': SECRET }, { claims: CITIZEN }).event);
    for (const [, headers] of REFUSED) await api.requests(event(CREATE, headers, { claims: CITIZEN, body: writtenInput() }).event);
    // A crash in an operation logs the error in full: the header must not be in it either.
    const crashing = api.stack.httpFunction('httpPublic', {
      getContacts: async () => {
        throw new Error('boom');
      },
    });
    expect((await crashing(event(CONTACTS, { 'x-origin-verify': SECRET }).event, lambdaContext)).statusCode).toBe(500);
    const printed = api.lines.join('\n');
    expect(api.lines.length).toBeGreaterThanOrEqual(REFUSED.length + 2);
    expect(printed).toContain('boom');
    for (const value of [SECRET, SECRET.slice(0, -1), SECRET.toUpperCase(), SECRET.slice(8, 40)]) expect(printed).not.toContain(value);
    const refusals = api.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.refused === 'origin');
    expect(refusals).toHaveLength(REFUSED.length);
    for (const line of refusals) expect(line).toMatchObject({ message: 'request', status: 403, route: CREATE });
  });

  it('an operation never sees the header', async () => {
    const api = await load({ ORIGIN_VERIFY: SECRET });
    const echo = api.stack.httpFunction('httpPublic', { getContacts: async (req) => ({ statusCode: 200, body: req.headers }) });
    const result = await echo(event(CONTACTS, { 'x-origin-verify': SECRET, 'accept-language': 'ru' }).event, lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(Object.keys(JSON.parse(result.body ?? '{}') as object)).toEqual(['accept-language']);
    expect(result.body).not.toContain(SECRET);
  });

  it('compares with crypto.timingSafeEqual, a value of another length too (a refusal, not a throw)', async () => {
    const api = await load({ ORIGIN_VERIFY: SECRET });
    timing.calls = 0;
    for (const value of [SECRET, `${SECRET}0`, 'x']) await api.publicFns(event(CONTACTS, { 'x-origin-verify': value }).event);
    expect(timing.calls).toBe(3);
  });
});

describe('during a rotation (ORIGIN_VERIFY_PREVIOUS set)', () => {
  it('accepts the new value and the previous one, nothing else; afterwards only the new one', async () => {
    const during = await load({ ORIGIN_VERIFY: SECRET, ORIGIN_VERIFY_PREVIOUS: PREVIOUS });
    const status = async (api: Loaded, value: string) => (await api.publicFns(event(CONTACTS, { 'x-origin-verify': value }).event)).statusCode;
    expect(await status(during, SECRET)).toBe(200);
    expect(await status(during, PREVIOUS)).toBe(200);
    expect(await status(during, PREVIOUS.toLowerCase())).toBe(403);
    expect(await status(during, `${SECRET},${PREVIOUS}`)).toBe(403);
    const after = await load({ ORIGIN_VERIFY: SECRET });
    expect(await status(after, SECRET)).toBe(200);
    expect(await status(after, PREVIOUS)).toBe(403);
  });
});

describe('configuration', () => {
  it('unset (local runtime, tests): no check, and the header is still not passed on', async () => {
    const api = await load({});
    expect((await api.requests(event(LIST, {}, { claims: CITIZEN }).event)).statusCode).toBe(200);
    const echo = api.stack.httpFunction('httpPublic', { getContacts: async (req) => ({ statusCode: 200, body: req.headers }) });
    expect((await echo(event(CONTACTS, { 'x-origin-verify': SECRET }).event, lambdaContext)).body).toBe('{}');
  });

  it.each([
    ['a short value', { ORIGIN_VERIFY: 'short' }, /ORIGIN_VERIFY/],
    ['an unresolved dynamic reference', { ORIGIN_VERIFY: '{{resolve:secretsmanager:arn:aws:secretsmanager:eu-central-1:123456789012:secret:x:SecretString:::}}' }, /ORIGIN_VERIFY/],
    ['a previous value alone', { ORIGIN_VERIFY_PREVIOUS: PREVIOUS }, /ORIGIN_VERIFY_PREVIOUS/],
  ])('%s fails the cold start, naming the variable', async (_, env, name) => {
    await expect(load(env)).rejects.toThrow(name);
  });
});
