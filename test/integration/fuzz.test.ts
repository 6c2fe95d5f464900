import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUSSIAN_TIME_ZONES } from '#core/regions/regions';
import { provideDeps, resetDeps } from '#functions/deps';
import { ROLE_SCOPES, type RouteDef } from '#http/routes';
import type { SmsSender } from '#ports/sms';
import type { Workflows } from '#ports/workflows';
import { identity, writtenRequest } from '../support/fixtures.ts';
import { type EventInput, gatewayRoles, handlerFor, httpEvent, lambdaContext, staffClaims } from '../support/http-event.ts';
import { freshTable, realSystem } from '../support/integration.ts';
import { headerOf, parseProblem, problemViolations } from '../support/problem-checks.ts';
import {
  ALL_ROUTES,
  bodySchemaOf,
  callbackRequest,
  exampleBodies,
  exampleQuery,
  isIdempotent,
  keyOf,
  paramNames,
  queryNamesOf,
  roleFor,
} from '../support/route-catalog.ts';
import { isRequired, isStrictObject, schemaAt } from '../support/zod-shape.ts';

/**
 * Hundreds of malformed requests per route, against the real handler modules (the ones Lambda
 * runs, found through infra/functions.ts) over DynamoDB Local. Every route of the table is fuzzed:
 * citizen routes as their owner (and as a stranger), operator and admin routes with their role,
 * public ones without a token. Whatever comes in, the answer is never a 5xx, every 4xx is a
 * well-formed problem, inputs that are surely invalid are refused, and nothing is written.
 *
 * FUZZ_SEED and FUZZ_RUNS reproduce or widen a run; a failure prints every offending case.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 320);
/** The contract's body limit (256 KiB), not the implementation's constant. */
const BODY_LIMIT = 256 * 1024;
const CONCURRENCY = 4;

const OWNER = 'fuzz-owner';
const STRANGER = 'fuzz-stranger';
const STAFF = 'fuzz-staff';
const ODD_SUBJECTS = [`${OWNER}#REQ`, `${OWNER} `, OWNER.toUpperCase(), '😀', 'ж'.repeat(700), 'x'.repeat(3_000), '\u0000', '#', 'USER#x'];

type Json = unknown;
type Path = (string | number)[];
type Claims = Record<string, unknown> | undefined;

interface Target {
  params: Record<string, string>;
  claims: Claims;
  /** The addressed resource surely does not exist for this caller (random id, or another citizen's). */
  dead: boolean;
  /** The caller's own seeded resource. */
  owned: boolean;
  /** A `sub` no identity provider would issue: refusing the token (401) is as good as serving it. */
  oddSubject: boolean;
  label: string;
}

interface Payload {
  body?: string;
  isBase64Encoded: boolean;
  contentType?: string;
  label: string;
  /** Where the one deliberate problem is (deterministic cases): `errors` must name it. */
  errorPath?: string;
  /** The contract's code for that problem, when it names one. */
  errorCode?: string;
  /** Well-formed but against a contract rule (check digits, dates, phones): surely refused. */
  knownInvalid?: boolean;
}

interface Extras {
  query?: Record<string, string>;
  queryInvalid: boolean;
  idempotencyKey?: string;
  correlationId?: string;
}

interface Expectation {
  /** The status must be one of these. */
  statuses?: number[];
  /** Surely invalid: never 2xx/3xx. */
  reject: boolean;
  errorPath?: string;
  errorCode?: string;
  errorCodes?: string[];
}

interface Case {
  label: string;
  input: EventInput;
  expect: Expectation;
}

// ---------------------------------------------------------------------------------------------
// Bodies

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/vnd.portal+json'];
const NON_JSON_TYPES = [
  undefined,
  '',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'text/html',
  'application/octet-stream',
  'json',
  '*/*',
  'application/jsonx',
  'application/javascript',
  'image/png',
];

const DEEP_MARK = '\u0001deep\u0001';
const DEEP_ARRAY = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
const DEEP_MIXED = `${'[{"a":'.repeat(5_000)}null${'}]'.repeat(5_000)}`;
const DEEP = [DEEP_ARRAY, DEEP_OBJECT, DEEP_MIXED];

function stringifyWithDeep(value: Json, deep: string): string {
  return JSON.stringify(value).split(JSON.stringify(DEEP_MARK)).join(deep);
}

const WRONG_TYPE_VALUES: Json[] = [42, -1.5, 0, true, false, null, [], ['x'], {}, { nested: { x: 1 } }, 'wrong-type'];

function typeName(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function pathsOf(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  return out;
}

function objectPathsOf(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...objectPathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    out.push(prefix);
    for (const [k, v] of Object.entries(value)) out.push(...objectPathsOf(v, [...prefix, k]));
  }
  return out;
}

function getAt(value: Json, path: Path): Json {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, Json>)[key];
  }
  return current;
}

function defineOwn(target: object, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation =
  | { kind: 'wrongType'; path: Path; value: Json }
  | { kind: 'remove'; path: Path }
  | { kind: 'extra'; path: Path; key: string; value: Json }
  | { kind: 'set'; path: Path; value: Json; what: string };

function applyMutation(root: Json, m: Mutation): Json {
  if (m.path.length === 0 && m.kind !== 'extra') return m.kind === 'remove' ? undefined : m.value;
  const clone = structuredClone(root);
  if (m.kind === 'extra') {
    const holder = getAt(clone, m.path);
    if (holder !== null && typeof holder === 'object') defineOwn(holder, m.key, m.value);
    return clone;
  }
  const parent = getAt(clone, m.path.slice(0, -1));
  const key = m.path.at(-1) as string | number;
  if (parent === null || typeof parent !== 'object') return clone;
  if (m.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete (parent as Record<string, Json>)[key];
  } else defineOwn(parent, key, m.value);
  return clone;
}

function describeMutation(m: Mutation): string {
  const at = m.path.join('.') || '<root>';
  switch (m.kind) {
    case 'wrongType':
      return `${at}=${typeName(m.value)}`;
    case 'remove':
      return `-${at}`;
    case 'extra':
      return `+${at ? `${at}.` : ''}${m.key}`;
    case 'set':
      return `${at}=${m.what}`;
  }
}

function hugeString(length: number, ch: string): string {
  return ch.repeat(length);
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// What a payload is, as the contract sees it

type Inspected =
  | { kind: 'empty' }
  | { kind: 'stack'; statuses: number[]; codes?: string[]; what: string }
  | { kind: 'json'; value: Json };

function isJsonType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_TYPES.includes(contentType);
}

function inspect(p: Payload): Inspected {
  if (p.body === undefined || p.body === '') return { kind: 'empty' };
  const bytes = p.isBase64Encoded ? Buffer.from(p.body, 'base64') : Buffer.from(p.body, 'utf8');
  const badMedia = !isJsonType(p.contentType);
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  let value: Json;
  let parsed = false;
  if (text !== undefined) {
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  if (bytes.byteLength > BODY_LIMIT) return { kind: 'stack', statuses: badMedia ? [413, 415] : [413], what: `${bytes.byteLength} bytes` };
  if (badMedia) return { kind: 'stack', statuses: parsed ? [415] : [415, 400], what: `content-type ${String(p.contentType)}` };
  if (text === undefined) return { kind: 'stack', statuses: [400], codes: ['invalid_encoding', 'invalid_json'], what: 'not UTF-8' };
  if (!parsed) return { kind: 'stack', statuses: [400], codes: ['invalid_json'], what: 'not JSON' };
  return { kind: 'json', value };
}

// ---------------------------------------------------------------------------------------------
// The expectation for one case, from the contract

interface RouteFacts {
  route: RouteDef;
  schema: ReturnType<typeof bodySchemaOf>;
  isGet: boolean;
  /** GET and DELETE: a body is not part of the request. */
  bodyless: boolean;
}

function expectationFor(f: RouteFacts, target: Target, payload: Payload, extras: Extras): Expectation | 'unsafe' {
  const e = contractExpectation(f, target, payload, extras);
  if (e === 'unsafe' || !target.oddSubject || !e.statuses) return e;
  return { ...e, statuses: [...e.statuses, 401].sort() };
}

function contractExpectation(f: RouteFacts, target: Target, payload: Payload, extras: Extras): Expectation | 'unsafe' {
  const inspected = inspect(payload);
  if (f.bodyless) {
    // A GET or DELETE carries no body: ignoring a stray one and refusing it are both fine.
    const semantic = contractExpectation({ ...f, bodyless: false }, target, { isBase64Encoded: false, label: payload.label }, extras);
    if (semantic === 'unsafe' || inspected.kind === 'empty') return semantic;
    if (!semantic.reject) return semantic;
    const statuses = [...new Set([...(semantic.statuses ?? []), ...(inspected.kind === 'stack' ? inspected.statuses : [])])].sort();
    return { statuses, reject: true };
  }
  if (inspected.kind === 'stack') return { statuses: inspected.statuses, reject: true, ...(inspected.codes ? { errorCodes: inspected.codes } : {}) };
  const value = inspected.kind === 'json' ? inspected.value : undefined;
  const allowed = new Set<number>();
  let reject = false;
  const lookupMiss = target.dead ? [400, 404] : [];
  const keyBad = extras.idempotencyKey !== undefined && (extras.idempotencyKey.length === 0 || extras.idempotencyKey.length > 255);
  if (keyBad) {
    reject = true;
    for (const s of [400, ...lookupMiss]) allowed.add(s);
  }
  if (payload.knownInvalid || (f.schema && !f.schema.safeParse(value).success)) {
    reject = true;
    for (const s of [400, ...lookupMiss]) allowed.add(s);
  }
  if (extras.queryInvalid) {
    reject = true;
    for (const s of [400, ...lookupMiss]) allowed.add(s);
  }
  if (target.dead) {
    reject = true;
    for (const s of lookupMiss) allowed.add(s);
  }
  if (!reject) {
    // A well-formed call that could change something: not part of a fuzz that must write nothing.
    if (!f.isGet) return 'unsafe';
    return { reject: false };
  }
  return {
    statuses: [...allowed].sort(),
    reject,
    ...(payload.errorPath !== undefined && !target.dead ? { errorPath: payload.errorPath } : {}),
    ...(payload.errorCode !== undefined && !target.dead ? { errorCode: payload.errorCode } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

function randomParamArb(avoid: string[]): fc.Arbitrary<string> {
  const tricky = [
    '../',
    '../../etc/passwd',
    '..',
    '.',
    '%2e%2e%2f',
    '..\\..\\windows',
    '/',
    ' ',
    '\t',
    '\n',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    'prototype',
    '*',
    '#',
    'REQ#x',
    'META',
    `USER#${OWNER}`,
    "' OR '1'='1",
    '${jndi:ldap://x/a}',
    '01NOTAREQUEST000000000000',
    '%00',
    '\u0000',
    '😀',
    'Заявка №1',
    'ж'.repeat(64),
    'ж'.repeat(65),
    '',
  ];
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.constantFrom(...tricky, ...avoid.flatMap((a) => [a.toLowerCase(), `${a} `, `${a}/`, `${a}\u0000`, `../${a}`, a.slice(1)])) },
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }) },
      { weight: 1, arbitrary: fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/) },
      { weight: 1, arbitrary: fc.integer({ min: 1024, max: 2048 }).map((n) => 'ф'.repeat(n)) },
      { weight: 1, arbitrary: fc.integer({ min: 2048, max: 2100 }).map((n) => 'a'.repeat(n)) },
    )
    .filter((v) => !avoid.includes(v));
}

function claimsArb(route: RouteDef): fc.Arbitrary<{ claims: Claims; stranger: boolean; odd?: boolean }> {
  if (route.access === 'public') return fc.constant({ claims: undefined, stranger: false });
  if (route.access === 'any') {
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom<Claims>(
          { sub: OWNER, roles: gatewayRoles(['citizen']) },
          { sub: OWNER },
          { sub: OWNER, roles: ['citizen'] },
          { sub: OWNER, roles: '[citizen superuser]' },
        ).map((claims) => ({ claims, stranger: false })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom<Claims>(
            { sub: STRANGER, roles: gatewayRoles(['citizen']) },
            { sub: STRANGER, roles: gatewayRoles(['operator', 'admin']) },
            // Subjects the identity provider would not issue, but a signed token could carry.
            ...ODD_SUBJECTS.map((sub) => ({ sub, roles: gatewayRoles(['citizen']) })),
          )
          .map((claims) => ({ claims, stranger: true, odd: ODD_SUBJECTS.includes(String(claims?.sub)) })),
      },
    );
  }
  const roles = route.access;
  return fc
    .constantFrom<Claims>(
      ...roles.map((r) => staffClaims(STAFF, [r])),
      ...roles.map((r) => ({ ...staffClaims(STAFF, [r]), roles: [r] })),
      ...roles.map((r) => staffClaims(STAFF, ['citizen', r])),
    )
    .map((claims) => ({ claims, stranger: false }));
}

/**
 * Parameters that name an existing resource: a random value surely misses (404, or 400 when it
 * cannot be an id at all). Others (a queue name, the user id a PUT creates) may be anything.
 */
const LOOKUP_PARAMS = new Set(['id', 'requestId', 'callId', 'attachmentId']);

function isLookup(route: RouteDef, name: string): boolean {
  return route.method !== 'PUT' && LOOKUP_PARAMS.has(name);
}

function targetArb(route: RouteDef, seeded: Record<string, string>): fc.Arbitrary<Target> {
  const names = paramNames(route);
  const avoid = Object.values(seeded);
  const paramArbs = names.map((name) => {
    const random = randomParamArb(avoid).map((v) => ({ v, random: true }));
    const known = seeded[name];
    return known === undefined ? random : fc.oneof({ weight: 2, arbitrary: fc.constant({ v: known, random: false }) }, { weight: 3, arbitrary: random });
  });
  return fc.tuple(fc.tuple(...paramArbs), claimsArb(route)).map(([values, who]) => {
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = (values[i] as { v: string }).v;
    });
    const anyRandom = values.some((v) => (v as { random: boolean }).random);
    const randomLookup = names.some((name, i) => isLookup(route, name) && (values[i] as { random: boolean }).random);
    const seededLookup = names.some((name, i) => isLookup(route, name) && !(values[i] as { random: boolean }).random);
    // Another citizen's resource is a miss too, on the routes that act on the caller's own.
    const dead = randomLookup || (who.stranger && seededLookup);
    const owned = names.length > 0 && !anyRandom && !who.stranger;
    const label = names.length > 0 ? `${anyRandom ? 'random' : 'seeded'}${who.stranger ? ' by stranger' : ''} ${names.map((n) => `${n}=${JSON.stringify(params[n]).slice(0, 24)}`).join(',')}` : who.stranger ? 'stranger' : 'caller';
    return { params, claims: who.claims, dead, owned, oddSubject: who.odd === true, label };
  });
}

const charArb = fc.constantFrom('a', 'ж', '€', '😀', '"', '\\');
/** Lengths so that some bodies pass and some exceed the 256 KiB limit. */
const hugeLengthArb = fc.oneof(fc.integer({ min: 10_001, max: 100_000 }), fc.integer({ min: 120_000, max: 300 * 1024 }));

function mutationArb(example: Json, route: RouteDef): fc.Arbitrary<Mutation> {
  const schema = bodySchemaOf(route);
  const paths = pathsOf(example);
  const strictObjects = objectPathsOf(example).filter((p) => isStrictObject(schema && schemaAt(schema, p)));
  const objectPaths = strictObjects.length > 0 ? strictObjects : [[] as Path];
  const all: Path[] = [[], ...paths];
  const arbs: fc.Arbitrary<Mutation>[] = [
    fc.record({ path: fc.constantFrom(...all), value: fc.constantFrom(...WRONG_TYPE_VALUES) }).map(({ path, value }) => ({ kind: 'wrongType' as const, path, value })),
    fc.record({
      path: fc.constantFrom(...objectPaths),
      key: fc.oneof(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'userId', 'status', 'createdAt', 'number', 'isAdmin', 'snilsHash'),
      ),
      value: fc.jsonValue({ maxDepth: 2 }),
    }).map(({ path, key, value }) => ({ kind: 'extra' as const, path, key, value })),
    fc.record({ path: fc.constantFrom(...all), value: fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }) }).map(({ path, value }) => ({ kind: 'set' as const, path, value, what: 'json' })),
    fc.record({ path: fc.constantFrom(...all), value: fc.constantFrom<Json>('', ' ', '\u0000', '\uFEFF', '\u202E', 'x'.repeat(257), '0', '-1', 'true', '2026-02-30', '+7', '999-999-999 99', 'ﬁ', 'Ӂ'.repeat(30), '\ud800', 'a\udfffb', '\u0085\u2028') }).map(
      ({ path, value }) => ({ kind: 'set' as const, path, value, what: JSON.stringify(value).slice(0, 12) }),
    ),
    fc.record({ path: fc.constantFrom(...all), length: hugeLengthArb, ch: charArb }).map(({ path, length, ch }) => ({
      kind: 'set' as const,
      path,
      value: hugeString(length, ch),
      what: `${length}×${JSON.stringify(ch)}`,
    })),
    fc.record({ path: fc.constantFrom(...all) }).map(({ path }) => ({ kind: 'set' as const, path, value: DEEP_MARK, what: 'deep' })),
  ];
  if (paths.length > 0) arbs.push(fc.constantFrom(...paths).map((path) => ({ kind: 'remove' as const, path })));
  return fc.oneof(...arbs);
}

function mutatedPayloadArb(route: RouteDef, examples: Json[]): fc.Arbitrary<Payload> {
  return fc
    .nat({ max: examples.length - 1 })
    .chain((i) =>
      fc.record({
        i: fc.constant(i),
        mutations: fc.array(mutationArb(examples[i], route), { minLength: 1, maxLength: 3 }),
        deep: fc.constantFrom(...DEEP),
        contentType: fc.constantFrom(...JSON_TYPES),
      }),
    )
    .map(({ i, mutations, deep, contentType }) => {
      const mutated = mutations.reduce<Json>((acc, m) => applyMutation(acc, m), examples[i]);
      const body = mutated === undefined ? '' : stringifyWithDeep(mutated, deep);
      return { body, isBase64Encoded: false, contentType, label: `example#${i} ${mutations.map(describeMutation).join(' ')}` };
    });
}

const nonJsonTextArb = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 200 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
    fc.constantFrom(
      '{',
      '{"text":',
      "{'text':'x'}",
      'undefined',
      'NaN',
      '{"a":1}}',
      '[1,]',
      'text=hello&x=1',
      '<request><text>x</text></request>',
      '{"text":"x"} trailing',
      '{"text":"\\x41"}',
      '{"text":"\\ud800',
      '\u0000',
      '   ',
      '// comment\n{}',
      '{"a":1,}',
      "{text:'x'}",
      '0x10',
      '.5',
      '01',
      '-',
      'Infinity',
    ),
  )
  .filter((s) => {
    try {
      JSON.parse(new TextDecoder().decode(Buffer.from(s, 'utf8')));
      return false;
    } catch {
      return true;
    }
  });

const invalidUtf8Arb = fc
  .record({
    bytes: fc.uint8Array({ maxLength: 2_000 }),
    at: fc.nat(),
    bad: fc.constantFrom([0xff], [0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80]),
    prefix: fc.constantFrom('', '{"text":"', '{"channel":"written","type":"'),
  })
  .map(({ bytes, at, bad, prefix }) => {
    const pos = bytes.length === 0 ? 0 : at % (bytes.length + 1);
    const all = Buffer.concat([Buffer.from(prefix, 'utf8'), Buffer.from(bytes.slice(0, pos)), Buffer.from(bad), Buffer.from(bytes.slice(pos))]);
    return all.toString('base64');
  });

function payloadArb(route: RouteDef): fc.Arbitrary<Payload> {
  const examples = exampleBodies(route);
  const someJson: fc.Arbitrary<string> =
    examples.length > 0 ? fc.constantFrom(...examples.map((e) => JSON.stringify(e))) : fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null');
  const arbs: { weight: number; arbitrary: fc.Arbitrary<Payload> }[] = [
    {
      weight: 2,
      arbitrary: fc.record({ v: fc.oneof(fc.jsonValue({ maxDepth: 5 }), fc.jsonValue({ maxDepth: 5, stringUnit: 'binary' })), ct: fc.constantFrom(...JSON_TYPES) }).map(({ v, ct }) => ({
        body: JSON.stringify(v) ?? 'null',
        isBase64Encoded: false,
        contentType: ct,
        label: 'random JSON',
      })),
    },
    {
      weight: 2,
      arbitrary: fc.record({ t: nonJsonTextArb, ct: fc.constantFrom(...JSON_TYPES) }).map(({ t, ct }) => ({ body: t, isBase64Encoded: false, contentType: ct, label: `text ${JSON.stringify(t).slice(0, 30)}` })),
    },
    {
      weight: 2,
      arbitrary: fc.record({ b: invalidUtf8Arb, ct: fc.constantFrom(...JSON_TYPES) }).map(({ b, ct }) => ({ body: b, isBase64Encoded: true, contentType: ct, label: 'invalid UTF-8 (base64)' })),
    },
    {
      weight: 1,
      arbitrary: fc.record({ v: fc.jsonValue({ maxDepth: 3 }), ct: fc.constantFrom(...JSON_TYPES) }).map(({ v, ct }) => ({
        body: Buffer.from(JSON.stringify(v) ?? 'null', 'utf8').toString('base64'),
        isBase64Encoded: true,
        contentType: ct,
        label: 'random JSON (base64)',
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ body: fc.oneof(someJson, nonJsonTextArb, fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null')), ct: fc.constantFrom(...NON_JSON_TYPES) })
        .map(({ body, ct }) => ({ body, isBase64Encoded: false, ...(ct !== undefined ? { contentType: ct } : {}), label: `content-type ${String(ct)}` })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ length: hugeLengthArb, ch: charArb, shape: fc.constantFrom('string', 'text', 'array'), ct: fc.constantFrom(...JSON_TYPES) })
        .map(({ length, ch, shape, ct }) => {
          const s = hugeString(length, ch);
          const body = shape === 'string' ? JSON.stringify(s) : shape === 'text' ? JSON.stringify({ text: s }) : JSON.stringify([s]);
          return { body, isBase64Encoded: false, contentType: ct, label: `huge ${shape} ${length}×${JSON.stringify(ch)}` };
        }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ deep: fc.constantFrom(...DEEP), ct: fc.constantFrom(...JSON_TYPES) }).map(({ deep, ct }) => ({ body: deep, isBase64Encoded: false, contentType: ct, label: `deep ${deep.slice(0, 6)}` })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | undefined>(undefined, ...JSON_TYPES).map((ct) => ({ isBase64Encoded: false, ...(ct !== undefined ? { contentType: ct } : {}), label: 'no body' })),
    },
  ];
  if (examples.length > 0) arbs.push({ weight: 8, arbitrary: mutatedPayloadArb(route, examples) });
  return fc.oneof(...arbs);
}

const limitArb = fc.oneof(
  fc.constantFrom('-1', 'abc', '0', '1.5', '', ' ', 'NaN', 'Infinity', '-0', '1e400', '10abc', '٣', '１', '0x10', '100', '1', '20', '101', '1000000000000000000000', '5 ', '+5', '-5', '1,2', '[1]'),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.string({ maxLength: 10 }),
);

function limitInvalid(v: string): boolean {
  const n = Number(v);
  return v.trim() === '' || !Number.isInteger(n) || n < 1;
}

const cursorArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 600 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }),
  fc.jsonValue({ maxDepth: 2 }).map((j) => b64url(JSON.stringify(j) ?? 'null')),
  fc.constantFrom(
    '',
    '====',
    '%%%',
    '..',
    'x'.repeat(513),
    'x'.repeat(5_000),
    b64url('["not a date","01ARZ3NDEKTSV4RRFFQ69G5FAV"]'),
    b64url('["2026-01-01T00:00:00Z","lowercase-id"]'),
    b64url('["2026-01-01T00:00:00Z"]'),
    b64url('[1,2]'),
    b64url('{"createdAt":"2026-01-01T00:00:00Z","id":"01ARZ3NDEKTSV4RRFFQ69G5FAV"}'),
    b64url(`["2026-01-01T00:00:00Z","${'Z'.repeat(400)}"]`),
    Buffer.from([0xff, 0xfe, 0x00]).toString('base64url'),
  ),
);

/** `?timeZone=`: the zones of Russia, near misses (aliases, case, zones abroad) and noise. */
const timeZoneArb = fc.oneof(
  fc.constantFrom(...RUSSIAN_TIME_ZONES),
  fc.constantFrom('W-SU', 'europe/moscow', 'Europe/Moscow ', 'Europe/Kyiv', 'Asia/Almaty', 'UTC', 'Etc/GMT-3', '', 'Europe/Moscow\u202e', 'Asia/Kamchatka\u0000'),
  fc.string({ maxLength: 80 }),
);

function queryArb(route: RouteDef): fc.Arbitrary<{ query: Record<string, string>; invalid: boolean }> {
  const names = queryNamesOf(route);
  const known = fc.record(
    Object.fromEntries(names.map((n) => [n, n === 'limit' ? limitArb : n === 'cursor' ? cursorArb : n === 'timeZone' ? timeZoneArb : fc.string({ maxLength: 50 })])),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Record<string, string>>;
  const extra = fc.dictionary(
    fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'sub', 'userId', 'limit[]')).filter((k) => !names.includes(k)),
    fc.string({ maxLength: 20 }),
    { maxKeys: 2 },
  );
  return fc.record({ known, extra: fc.option(extra, { freq: 4 }) }).map(({ known: k, extra: e }) => {
    const query: Record<string, string> = {};
    for (const [key, v] of Object.entries(k)) defineOwn(query, key, v);
    for (const [key, v] of Object.entries(e ?? {})) defineOwn(query, key, v);
    const invalid =
      (k.limit !== undefined && names.includes('limit') && limitInvalid(k.limit)) ||
      (k.cursor !== undefined && names.includes('cursor')) ||
      (k.timeZone !== undefined && names.includes('timeZone') && !(RUSSIAN_TIME_ZONES as readonly string[]).includes(k.timeZone));
    return { query, invalid };
  });
}

function extrasArb(route: RouteDef): fc.Arbitrary<Extras> {
  const query = route.method === 'GET' ? fc.option(queryArb(route), { freq: 3 }) : fc.option(queryArb(route), { freq: 10 });
  const key = isIdempotent(route)
    ? fc.option(fc.oneof(fc.constant(''), fc.integer({ min: 256, max: 2_000 }).map((n) => 'k'.repeat(n)), fc.string({ minLength: 1, maxLength: 255 })), { freq: 3 })
    : fc.constant(null);
  const correlation = fc.option(fc.oneof(fc.string({ maxLength: 100 }), fc.constant('x'.repeat(10_000))), { freq: 5 });
  return fc.record({ query, key, correlation }).map(({ query: q, key: k, correlation: c }) => ({
    ...(q ? { query: q.query } : {}),
    queryInvalid: q ? q.invalid && route.method === 'GET' : false,
    ...(k !== null ? { idempotencyKey: k } : {}),
    ...(c !== null ? { correlationId: c } : {}),
  }));
}

function toCase(f: RouteFacts, target: Target, payload: Payload, extras: Extras): Case | undefined {
  const expectation = expectationFor(f, target, payload, extras);
  if (expectation === 'unsafe') return undefined;
  const headers: Record<string, string> = {};
  if (payload.contentType !== undefined) headers['content-type'] = payload.contentType;
  if (extras.idempotencyKey !== undefined) headers['idempotency-key'] = extras.idempotencyKey;
  if (extras.correlationId !== undefined) headers['x-correlation-id'] = extras.correlationId;
  const extraLabel = [
    extras.query ? `query ${JSON.stringify(extras.query).slice(0, 60)}` : '',
    extras.idempotencyKey !== undefined ? `key(${extras.idempotencyKey.length})` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    label: `${target.label} | ${payload.label}${extraLabel ? ` | ${extraLabel}` : ''}`,
    input: {
      params: target.params,
      ...(extras.query ? { query: extras.query } : {}),
      headers,
      ...(payload.body !== undefined ? { body: payload.body } : {}),
      isBase64Encoded: payload.isBase64Encoded,
      ...(target.claims ? { claims: target.claims } : {}),
    },
    expect: expectation,
  };
}

// ---------------------------------------------------------------------------------------------
// Deterministic cases: every field of every example, the contract's rules, the edges of the stack

interface RuleCase {
  body: Json;
  label: string;
  path: string;
  code?: string;
}

/** Identity values each rule of the contract refuses (paths relative to the identity object). */
function identityRuleCases(identityAt: Path, base: Json, profile: boolean): RuleCase[] {
  const prefix = identityAt.map(String).join('.');
  const at = (p: string) => (prefix ? `${prefix}.${p}` : p);
  const cases: [string, Json, string, string][] = [
    ['snils', '112-233-445 96', 'snils', 'snils_invalid'],
    ['snils', '1122334459', 'snils', 'snils_invalid'],
    ['snils', 'ABC-DEF-GHI JK', 'snils', 'snils_invalid'],
    ['passport.series', '451', 'passport', 'passport_invalid'],
    ['passport.number', '12345a', 'passport', 'passport_invalid'],
    ['passport.issuedOn', '2015-02-30', 'passport', 'passport_invalid'],
    ['passport.issuedOn', '1997-06-30', 'passport', 'passport_invalid'],
    ['passport.issuedOn', '2999-01-01', 'passport', 'passport_invalid'],
    ['passport.issuedOn', '20.03.2015', 'passport', 'passport_invalid'],
    ['fullName', 'Ivanov Ivan Ivanovich', 'fullName', 'name_invalid'],
    ['fullName', 'Иванов', 'fullName', 'name_invalid'],
    ['fullName', 'Иванов Иван Иванович Младший', 'fullName', 'name_invalid'],
    ['fullName', 'Иванов 1ван', 'fullName', 'name_invalid'],
    ['phone', '+7 712 345-67-89', 'phone', 'phone_not_russian'],
    ['phone', '+7 612 345-67-89', 'phone', 'phone_not_russian'],
    ['phone', '+7 912 345-67', 'phone', 'phone_invalid'],
    ['phone', '8 912 345-67-89-0', 'phone', 'phone_invalid'],
  ];
  if (profile) cases.push(['phone', '+7 495 123-45-67', 'phone', 'phone_not_mobile']);
  return cases.map(([field, value, path, code]) => {
    const full = [...identityAt, ...field.split('.')];
    return { body: applyMutation(base, { kind: 'set', path: full, value, what: '' }), label: `${full.join('.')}=${JSON.stringify(value)}`, path: at(path), code };
  });
}

function ruleCases(route: RouteDef): RuleCase[] {
  if (route.operation === 'putProfile') {
    const place: [Record<string, Json>, string, string][] = [
      [{ region: '00' }, 'region', 'invalid_value'],
      [{ region: '80' }, 'region', 'invalid_value'],
      [{ region: '99' }, 'region', 'invalid_value'],
      [{ timeZone: 'Europe/Kyiv' }, 'timeZone', 'invalid_value'],
      [{ region: '77', timeZone: 'Asia/Kamchatka' }, 'timeZone', 'timezone_not_in_region'],
      [{ region: '14', timeZone: 'Asia/Kamchatka' }, 'timeZone', 'timezone_not_in_region'],
    ];
    const base = identity() as unknown as Record<string, Json>;
    return [
      ...identityRuleCases([], identity(), true),
      ...place.map(([extra, path, code]) => ({ body: { ...base, ...extra }, label: JSON.stringify(extra), path, code })),
    ];
  }
  if (route.operation !== 'createRequest') return [];
  const written = writtenRequest() as unknown as Record<string, Json>;
  const callback = callbackRequest() as unknown as Record<string, Json>;
  const hour = 3_600_000;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const window = (from: number, to: number) => ({ ...callback, callback: { ...(callback.callback as object), preferredWindow: { from: iso(from), to: iso(to) } } });
  return [
    ...identityRuleCases(['identity'], written, false),
    ...identityRuleCases(['identity'], callback, false),
    { body: { ...written, relatedNumber: '7707083894', relatedKind: 'inn' }, label: 'INN check digit', path: 'relatedNumber', code: 'inn_invalid' },
    { body: { ...written, callback: callback.callback }, label: 'written with a callback section', path: 'callback' },
    { body: { ...written, channel: 'callback' }, label: 'callback channel, written section', path: 'callback' },
    { body: { ...callback, channel: 'written' }, label: 'written channel, callback section', path: 'written' },
    { body: { ...written, written: { ...(written.written as object), contactPhone: '123' } }, label: 'contactPhone 123', path: 'written.contactPhone', code: 'phone_invalid' },
    { body: { ...callback, callback: { ...(callback.callback as object), phone: '+7 701 123-45-67' } }, label: 'callback phone in Kazakhstan', path: 'callback.phone', code: 'phone_not_russian' },
    { body: window(now + 2 * hour, now + hour), label: 'window from > to', path: 'callback.preferredWindow', code: 'window_invalid' },
    { body: window(now + hour, now + hour), label: 'window from = to', path: 'callback.preferredWindow', code: 'window_invalid' },
    { body: window(now - 3 * hour, now - hour), label: 'window in the past', path: 'callback.preferredWindow', code: 'window_invalid' },
    { body: window(now + 8 * 24 * hour, now + 8 * 24 * hour + hour), label: 'window 8 days ahead', path: 'callback.preferredWindow', code: 'window_invalid' },
  ];
}

function ownTarget(route: RouteDef, seeded: Record<string, string>): Target {
  const params: Record<string, string> = {};
  for (const name of paramNames(route)) params[name] = seeded[name] ?? '01NOTAREQUEST000000000000';
  const role = roleFor(route);
  const claims: Claims = role === undefined ? undefined : route.access === 'any' ? { sub: OWNER, roles: gatewayRoles(['citizen']) } : staffClaims(STAFF, [role]);
  const unknownParam = paramNames(route).some((n) => seeded[n] === undefined);
  const dead = paramNames(route).some((n) => seeded[n] === undefined && isLookup(route, n));
  return { params, claims, dead, owned: !unknownParam && paramNames(route).length > 0, oddSubject: false, label: 'own' };
}

function fieldCases(f: RouteFacts, seeded: Record<string, string>): Case[] {
  const { route, schema } = f;
  const target = ownTarget(route, seeded);
  const out: (Case | undefined)[] = [];
  const push = (payload: Payload, extras: Extras = { queryInvalid: false }) => out.push(toCase(f, target, payload, extras));
  const json = (value: Json, label: string, errorPath?: string, errorCode?: string): Payload => ({
    body: value === undefined ? '' : stringifyWithDeep(value, DEEP_ARRAY),
    isBase64Encoded: false,
    contentType: 'application/json',
    label,
    ...(errorPath !== undefined ? { errorPath } : {}),
    ...(errorCode !== undefined ? { errorCode } : {}),
  });

  for (const rule of ruleCases(route)) push({ ...json(rule.body, `rule ${rule.label}`, rule.path, rule.code), knownInvalid: true });

  exampleBodies(route).forEach((example, i) => {
    for (const root of [42, 'text', null, [], [example], true]) push(json(root, `example#${i} root=${typeName(root)}`));
    for (const path of pathsOf(example)) {
      const at = path.join('.');
      const original = getAt(example, path);
      const sub = schema ? schemaAt(schema, path) : undefined;
      for (const wrong of WRONG_TYPE_VALUES) {
        if (typeName(wrong) === typeName(original)) continue;
        if (sub && sub.safeParse(wrong).success) continue;
        push(json(applyMutation(example, { kind: 'wrongType', path, value: wrong }), `example#${i} ${at}=${typeName(wrong)}`, at));
      }
      if (isRequired(sub)) push(json(applyMutation(example, { kind: 'remove', path }), `example#${i} -${at}`, at));
      if (typeof original === 'string') {
        push(json(applyMutation(example, { kind: 'set', path, value: 'ж'.repeat(20_001), what: 'long' }), `example#${i} ${at}=20001 chars`, at));
      }
      push(json(applyMutation(example, { kind: 'set', path, value: DEEP_MARK, what: 'deep' }), `example#${i} ${at}=deep`, at));
    }
    for (const path of objectPathsOf(example)) {
      if (!isStrictObject(schema && schemaAt(schema, path))) continue;
      for (const key of ['unexpectedField', '__proto__']) {
        const at = [...path, key].join('.');
        push(json(applyMutation(example, { kind: 'extra', path, key, value: { x: 1 } }), `example#${i} +${at}`, at));
      }
    }
    if (isIdempotent(route)) {
      for (const key of ['', 'k'.repeat(256)]) push(json(example, `example#${i} valid body`), { idempotencyKey: key, queryInvalid: false });
    }
    // The limit itself: exactly 256 KiB is not too large, one byte more is.
    const padded = (total: number) => {
      const base = JSON.stringify({ ...(example as Record<string, Json>), zzPadding: '' });
      return `${base.slice(0, -2)}${'a'.repeat(total - Buffer.byteLength(base))}"}`;
    };
    push({ body: padded(BODY_LIMIT), isBase64Encoded: false, contentType: 'application/json', label: `example#${i} padded to exactly 256 KiB` });
    push({ body: padded(BODY_LIMIT + 1), isBase64Encoded: false, contentType: 'application/json', label: `example#${i} padded to 256 KiB + 1` });
    for (const ct of NON_JSON_TYPES) {
      push({ body: JSON.stringify(example), isBase64Encoded: false, ...(ct !== undefined ? { contentType: ct } : {}), label: `example#${i} content-type ${String(ct)}` });
    }
    push({ body: Buffer.from(JSON.stringify(example), 'utf8').toString('base64'), isBase64Encoded: true, contentType: 'application/json', label: `example#${i} as base64` });
  });
  // Every route, with or without a body: the stack's own refusals.
  push({ body: '{', isBase64Encoded: false, contentType: 'application/json', label: 'truncated JSON' });
  push({ body: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'), isBase64Encoded: true, contentType: 'application/json', label: 'invalid UTF-8' });
  push({ body: '{}', isBase64Encoded: false, contentType: 'text/plain', label: 'text/plain' });
  push({ body: JSON.stringify('x'.repeat(BODY_LIMIT)), isBase64Encoded: false, contentType: 'application/json', label: 'just over 256 KiB' });
  push({ body: DEEP_ARRAY, isBase64Encoded: false, contentType: 'application/json', label: 'deep array' });
  push({ body: DEEP_OBJECT, isBase64Encoded: false, contentType: 'application/json', label: 'deep object' });

  const cases = out.filter((c): c is Case => c !== undefined);
  // Who may not call: no authorizer context at all, and (role routes) a plain citizen.
  if (route.access !== 'public') {
    cases.push({
      label: 'no claims | truncated JSON',
      input: { params: target.params, headers: { 'content-type': 'application/json' }, body: '{' },
      expect: { statuses: [401], reject: true },
    });
  }
  if (Array.isArray(route.access) && !route.access.includes('citizen')) {
    cases.push({
      label: 'citizen | truncated JSON',
      input: { params: target.params, headers: { 'content-type': 'application/json' }, body: '{', claims: { sub: OWNER, roles: gatewayRoles(['citizen']) } },
      expect: { statuses: [403], reject: true },
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Running

function hashOf(text: string): number {
  let h = 2_166_136_261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16_777_619);
  return h >>> 0;
}

function randomCases(f: RouteFacts, seeded: Record<string, string>): Case[] {
  const arb = fc.record({ target: targetArb(f.route, seeded), payload: payloadArb(f.route), extras: extrasArb(f.route) });
  const seed = (SEED ^ hashOf(keyOf(f.route))) | 0;
  const out: Case[] = [];
  // Cases that could legitimately change data are dropped: sample until RUNS remain.
  for (let round = 0; out.length < RUNS && round < 10; round += 1) {
    for (const s of fc.sample(arb, { seed: seed + round, numRuns: RUNS * 2 })) {
      const c = toCase(f, s.target, s.payload, s.extras);
      if (c) out.push(c);
      if (out.length >= RUNS) break;
    }
  }
  return out;
}

function short(text: string | undefined, n = 60): string {
  if (text === undefined) return '<none>';
  return text.length > n ? `${JSON.stringify(text.slice(0, n))}…(${text.length} chars)` : JSON.stringify(text);
}

async function runCase(route: RouteDef, c: Case): Promise<{ status: number; violations: string[] }> {
  const handler = await handlerFor(route);
  let status = 0;
  const violations: string[] = [];
  try {
    const res = await handler(httpEvent(route, c.input), lambdaContext(route));
    status = res.statusCode ?? 200;
    const bodyText = res.isBase64Encoded && res.body ? Buffer.from(res.body, 'base64').toString('utf8') : res.body;
    violations.push(...problemViolations(status, headerOf(res.headers, 'content-type'), bodyText));
    const e = c.expect;
    if (e.statuses && !e.statuses.includes(status)) violations.push(`status ${status}, expected ${e.statuses.join('|')}`);
    else if (e.reject && status < 400) violations.push(`status ${status} for a surely invalid input`);
    if (status === 400) {
      const problem = parseProblem(bodyText);
      const errors = problem?.errors ?? [];
      if (problem?.code !== 'validation_failed' && e.errorPath !== undefined) violations.push(`400 with code ${String(problem?.code)}`);
      const named = (path: string) => path === e.errorPath || (e.errorPath !== '' && path.startsWith(`${e.errorPath}.`));
      if (e.errorPath !== undefined && !errors.some((er) => named(er.path) && (e.errorCode === undefined || er.code === e.errorCode))) {
        violations.push(`errors do not name ${e.errorPath}${e.errorCode ? ` with ${e.errorCode}` : ''}: ${JSON.stringify(errors.map((er) => `${er.path}:${er.code}`)).slice(0, 160)}`);
      }
      if (e.errorCodes && e.statuses?.length === 1 && !errors.some((er) => e.errorCodes?.includes(er.code))) {
        violations.push(`errors lack ${e.errorCodes.join('|')}: ${JSON.stringify(errors).slice(0, 120)}`);
      }
    }
  } catch (error) {
    violations.push(`handler threw ${(error as Error).name}: ${(error as Error).message.slice(0, 100)}`);
  }
  return { status, violations };
}

async function runAll(route: RouteDef, cases: Case[]) {
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next;
      next += 1;
      const c = cases[i];
      if (!c) return;
      const { status, violations } = await runCase(route, c);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (violations.length > 0) {
        failures.push(
          `${keyOf(route)} [${c.label}] params=${short(JSON.stringify(c.input.params ?? {}))} headers=${short(JSON.stringify(c.input.headers ?? {}), 80)} body=${short(c.input.body)}${c.input.isBase64Encoded ? ' (base64)' : ''} → ${violations.join('; ')}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { statuses, failures };
}

// ---------------------------------------------------------------------------------------------

interface Recorder {
  calls: string[];
}

function recording<T extends object>(): T & Recorder {
  const calls: string[] = [];
  return new Proxy({ calls } as Recorder, {
    get(target, prop) {
      if (prop === 'calls') return target.calls;
      if (prop === 'then') return undefined;
      return async (...args: unknown[]) => {
        calls.push(`${String(prop)} ${JSON.stringify(args).slice(0, 120)}`);
      };
    },
  }) as T & Recorder;
}

async function scanTable(table: Awaited<ReturnType<typeof freshTable>>): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await table.client.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (i: Record<string, AttributeValue>) => `${i.PK?.S ?? ''}|${i.SK?.S ?? ''}`;
  return items.sort((a, b) => key(a).localeCompare(key(b)));
}

const fuzzed = ALL_ROUTES;
let table: Awaited<ReturnType<typeof freshTable>>;
let workflows: Workflows & Recorder;
let sms: SmsSender & Recorder;
let seeded: Record<string, string>;
let before: Record<string, AttributeValue>[];
const summary: string[] = [];

describe('fuzzing every route of the table in-process', () => {
  beforeAll(async () => {
    table = await freshTable();
    workflows = recording<Workflows>();
    sms = recording<SmsSender>();
    provideDeps({ ...table.store, workflows, sms, ...realSystem() });
    // Seed through the handlers themselves: one profile and one request to aim at.
    const putRoute = ALL_ROUTES.find((r) => r.method === 'PUT' && r.path === '/v1/admin/profiles/{userId}');
    const createRoute = ALL_ROUTES.find((r) => r.method === 'POST' && r.path === '/v1/requests');
    if (!putRoute || !createRoute) throw new Error('the route table lost PUT /v1/admin/profiles/{userId} or POST /v1/requests');
    const json = { 'content-type': 'application/json' };
    const profile = await (await handlerFor(putRoute))(
      httpEvent(putRoute, { params: { userId: OWNER }, headers: json, body: JSON.stringify(identity()), claims: staffClaims(STAFF, ['admin']) }),
      lambdaContext(putRoute),
    );
    expect(profile.statusCode).toBe(201);
    const created = await (await handlerFor(createRoute))(
      httpEvent(createRoute, { headers: json, body: JSON.stringify(writtenRequest()), claims: { sub: OWNER, roles: gatewayRoles(['citizen']) } }),
      lambdaContext(createRoute),
    );
    expect(created.statusCode).toBe(202);
    const id = (JSON.parse(created.body ?? '{}') as { id: string }).id;
    seeded = { id, userId: OWNER };
    // And a (pending) attachment of that request, for the attachment routes.
    const attachRoute = ALL_ROUTES.find((r) => r.method === 'POST' && r.path === '/v1/requests/{id}/attachments');
    if (attachRoute) {
      const attached = await (await handlerFor(attachRoute))(
        httpEvent(attachRoute, { params: { id }, headers: json, body: JSON.stringify(exampleBodies(attachRoute)[0]), claims: { sub: OWNER, roles: gatewayRoles(['citizen']) } }),
        lambdaContext(attachRoute),
      );
      expect(attached.statusCode).toBe(201);
      seeded.attachmentId = (JSON.parse(attached.body ?? '{}') as { id: string }).id;
    }
    before = await scanTable(table);
    workflows.calls.length = 0;
    sms.calls.length = 0;
  });

  afterAll(() => {
    resetDeps();
    if (summary.length > 0) process.stdout.write(`\nfuzz cases per route (seed ${SEED}):\n${summary.join('\n')}\n`);
  });

  it.each(fuzzed.map((route) => [keyOf(route), route] as const))('%s: no 5xx, problems well-formed, invalid input refused', async (_key, route) => {
    const facts: RouteFacts = {
      route,
      schema: bodySchemaOf(route),
      isGet: route.method === 'GET',
      bodyless: route.method === 'GET' || route.method === 'DELETE',
    };
    const deterministic = fieldCases(facts, seeded);
    const random = randomCases(facts, seeded);
    const started = Date.now();
    const { statuses, failures } = await runAll(route, [...deterministic, ...random]);
    const histogram = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    summary.push(`  ${keyOf(route).padEnd(40)} ${deterministic.length} field/edge + ${random.length} random cases in ${Date.now() - started} ms: ${histogram}`);
    const shown = failures.slice(0, 25);
    expect(shown, `${failures.length} of ${deterministic.length + random.length} cases failed on ${keyOf(route)}`).toEqual([]);
  }, 60_000);

  it('wrote nothing, started no workflow and sent no SMS', async () => {
    const after = await scanTable(table);
    expect(after.length).toBe(before.length);
    expect(after).toEqual(before);
    expect(workflows.calls).toEqual([]);
    expect(sms.calls).toEqual([]);
  });
});

/**
 * The token's `sub` is input too: API Gateway passes any signed subject through, and the handlers
 * build table keys from it (with the Idempotency-Key, up to 255 characters). Well-formed calls
 * with odd subjects may be refused, never answered with a 5xx. These calls may write, so they get
 * a table of their own.
 */
describe('well-formed calls from tokens with odd subjects', () => {
  const subjects = [...ODD_SUBJECTS, 'x'.repeat(1_300), 'ж'.repeat(1_100)];

  beforeAll(async () => {
    const own = await freshTable();
    provideDeps({ ...own.store, workflows: recording<Workflows>(), sms: recording<SmsSender>(), ...realSystem() });
  });

  afterAll(() => resetDeps());

  it.each(ALL_ROUTES.filter((r) => r.access === 'any').map((r) => [keyOf(r), r] as const))('%s', async (_key, route) => {
    const failures: string[] = [];
    const keys: (string | undefined)[] = isIdempotent(route) ? [undefined, 'odd-subject-key', '€'.repeat(255)] : [undefined];
    for (const sub of subjects) {
      for (const key of keys) {
        const params: Record<string, string> = {};
        for (const name of paramNames(route)) params[name] = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
        const body = exampleBodies(route)[0];
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(key !== undefined ? { 'idempotency-key': key } : {}) };
        const res = await (await handlerFor(route))(
          httpEvent(route, {
            params,
            query: exampleQuery(route),
            headers,
            ...(body !== undefined && route.method !== 'GET' ? { body: JSON.stringify(body) } : {}),
            claims: { sub, roles: gatewayRoles(['citizen']) },
          }),
          lambdaContext(route),
        );
        const violations = problemViolations(res.statusCode ?? 200, headerOf(res.headers, 'content-type'), res.body);
        if (violations.length > 0) {
          failures.push(`sub ${short(sub, 12)} (${Buffer.byteLength(sub)} bytes)${key ? `, Idempotency-Key ${short(key, 8)} (${Buffer.byteLength(key)} bytes)` : ''}: ${violations.join('; ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

/**
 * The hostile inputs of issue 11, in-process against the real handlers over DynamoDB Local:
 * malformed path parameters (as a gateway that does not decode would pass them), bidi file
 * names, roles smuggled in claim values and operator-reported times out of bounds. Each is refused
 * with a well-formed problem, and nothing is written.
 */
describe('hostile path parameters, file names, role claims and call times', () => {
  let own: Awaited<ReturnType<typeof freshTable>>;
  let ownId: string;
  let snapshot: Record<string, AttributeValue>[];
  const json = { 'content-type': 'application/json' };
  const invoke = async (route: RouteDef, input: EventInput) => {
    const res = await (await handlerFor(route))(httpEvent(route, input), lambdaContext(route));
    return { status: res.statusCode ?? 200, body: res.body, problem: parseProblem(res.body), violations: problemViolations(res.statusCode ?? 200, headerOf(res.headers, 'content-type'), res.body) };
  };
  const routeOf = (key: string) => {
    const found = ALL_ROUTES.find((r) => keyOf(r) === key);
    if (!found) throw new Error(`no route ${key}`);
    return found;
  };

  beforeAll(async () => {
    own = await freshTable();
    provideDeps({ ...own.store, workflows: recording<Workflows>(), sms: recording<SmsSender>(), ...realSystem() });
    const put = await invoke(routeOf('PUT /v1/admin/profiles/{userId}'), { params: { userId: OWNER }, headers: json, body: JSON.stringify(identity()), claims: staffClaims(STAFF, ['admin']) });
    expect(put.status).toBe(201);
    const created = await invoke(routeOf('POST /v1/requests'), { headers: json, body: JSON.stringify(writtenRequest()), claims: { sub: OWNER, roles: gatewayRoles(['citizen']) } });
    expect(created.status).toBe(202);
    ownId = (JSON.parse(created.body ?? '{}') as { id: string }).id;
    snapshot = await scanTable(own);
  });

  afterAll(() => resetDeps());

  const BAD_PARAMS = ['%zz', '%', '%E0%A4%A', 'x'.repeat(65), 'ж'.repeat(5_000), '\u202e', '\u0000', '../../etc', '#META', 'REQ#x', '\ufffd'];

  it.each(ALL_ROUTES.filter((r) => paramNames(r).length > 0).map((r) => [keyOf(r), r] as const))('%s: malformed path parameters are never a 5xx; overlong ones are 400', async (_key, route) => {
    const failures: string[] = [];
    const claims = route.access === 'any' ? { sub: OWNER, roles: gatewayRoles(['citizen']) } : staffClaims(STAFF, route.access as never);
    for (const bad of BAD_PARAMS) {
      const params = Object.fromEntries(paramNames(route).map((n) => [n, bad]));
      // A PUT creates what its path names (a profile '%zz' is a legal id): no body there, so nothing is written.
      const body = route.method === 'PUT' ? undefined : exampleBodies(route)[0];
      const r = await invoke(route, { params, query: exampleQuery(route), headers: json, ...(body !== undefined && route.method !== 'GET' ? { body: JSON.stringify(body) } : {}), claims });
      if (r.violations.length > 0) failures.push(`${short(bad, 12)}: ${r.violations.join('; ')}`);
      if (bad.length > 64 && r.status !== 400) failures.push(`${short(bad, 12)} (${bad.length} chars): ${r.status} ${short(r.body)}`);
    }
    expect(failures).toEqual([]);
  });

  it('bidi controls and other invisible format characters in a file name are 400 on fileName', async () => {
    const route = routeOf('POST /v1/requests/{id}/attachments');
    const chars = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', '\u200b', '\u2060', '\ufeff', '\u2028', '\u2029', '\ufff9'];
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...chars), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), async (c, before, after) => {
        const fileName = `${before}${c}${after}.png`;
        const r = await invoke(route, { params: { id: ownId }, headers: json, body: JSON.stringify({ fileName, contentType: 'image/png', size: 10 }), claims: { sub: OWNER, roles: gatewayRoles(['citizen']) } });
        const paths = r.problem?.errors?.map((e) => `${e.path}:${e.code}`) ?? [];
        if (r.status !== 400 || !paths.includes('fileName:invalid_format')) failures.push(`${JSON.stringify(fileName)}: ${r.status} ${paths.join(',')}`);
      }),
      { seed: SEED, numRuns: 120 },
    );
    expect(failures).toEqual([]);
  });

  it.each(ALL_ROUTES.filter((r) => Array.isArray(r.access)).map((r) => [keyOf(r), r] as const))('%s: smuggled roles and missing scopes are 403', async (_key, route) => {
    const scope = `${ROLE_SCOPES.operator} ${ROLE_SCOPES.admin}`;
    // As API Gateway hands them over: arrays flattened into "[a b]", nested ones into "[[a] b]".
    const smuggled: Record<string, unknown>[] = [
      { roles: 'admin', scope, queues: '[*]' },
      { roles: 'operator', scope, queues: '[*]' },
      { roles: '[citizen,admin]', scope, queues: '[*]' },
      { roles: '[citizen,operator]', scope, queues: '[*]' },
      { roles: '[[admin]]', scope, queues: '[*]' },
      { roles: '[citizen [operator admin]]', scope, queues: '[*]' },
      { roles: '[citizen admin]', queues: '[*]' },
      { roles: '[citizen operator]', queues: '[*]' },
      { roles: '[operator admin]', scope: `[${scope}]`, queues: '[*]' },
      { roles: ['citizen admin', 'citizen operator'], scope, queues: ['*'] },
      { scope, queues: '[*]' },
    ];
    const failures: string[] = [];
    for (const claims of smuggled) {
      const body = exampleBodies(route)[0];
      const params = Object.fromEntries(paramNames(route).map((n) => [n, n === 'id' ? ownId : n === 'queue' ? 'tech-support' : OWNER]));
      const r = await invoke(route, { params, query: exampleQuery(route), headers: json, ...(body !== undefined && route.method !== 'GET' ? { body: JSON.stringify(body) } : {}), claims: { sub: STAFF, ...claims } });
      if (r.status !== 403 || r.problem?.code !== 'forbidden') failures.push(`${JSON.stringify(claims)}: ${r.status} ${short(r.body)}`);
    }
    expect(failures).toEqual([]);
  });

  it('POST /v1/ops/calls: times out of order, in the future or over 24 hours old are 400 on the field', async () => {
    const route = routeOf('POST /v1/ops/calls');
    const failures: string[] = [];
    const hour = 3_600_000;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('queuedAt', 'answeredAt', 'endedAt'),
        fc.oneof(fc.integer({ min: 24 * hour + 1_000, max: 1_000 * 24 * hour }).map((ms) => -ms), fc.integer({ min: 61_000, max: 1_000 * 24 * hour })),
        async (field, offset) => {
          const now = Date.now();
          const times: Record<string, number> = { queuedAt: now - 600_000, answeredAt: now - 300_000, endedAt: now - 120_000 };
          times[field] = now + offset;
          const body = { direction: 'inbound', phone: '+79123456789', outcome: 'answered', ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, new Date(v).toISOString()])) };
          const r = await invoke(route, { headers: json, body: JSON.stringify(body), claims: staffClaims(STAFF, ['operator']) });
          const paths = r.problem?.errors?.map((e) => e.path) ?? [];
          if (r.status !== 400 || !paths.includes(field)) failures.push(`${field} ${offset} ms: ${r.status} ${paths.join(',')}`);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
    const zero = await invoke(route, {
      headers: json,
      body: JSON.stringify({ direction: 'inbound', phone: '+79123456789', queuedAt: '0000-01-01T00:00:00Z', endedAt: new Date().toISOString(), outcome: 'no_answer' }),
      claims: staffClaims(STAFF, ['operator']),
    });
    expect(zero.status).toBe(400);
    expect(zero.problem?.errors).toEqual([expect.objectContaining({ path: 'queuedAt', code: 'time_too_old' })]);
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('wrote nothing', async () => {
    expect(await scanTable(own)).toEqual(snapshot);
  });
});
