import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { openApiDocument, problemCodesOf } from '#http/openapi';
import { PROBLEM_KINDS, type ProblemCode } from '#http/problem-schemas';
import { ROUTES, type RouteDef } from '#http/routes';
import { CreateRequestSchema, PATH_PARAMS, ProfileSchema } from '#http/schemas';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: Json }[];
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, { description: string; headers?: Json; content?: Record<string, { schema: Json }> }>;
}
const doc = openApiDocument() as unknown as Json & { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };
const routes = ROUTES as readonly RouteDef[];
const op = (path: string, method: string): Operation => {
  const found = doc.paths[path]?.[method];
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
};

/** Resolves a local `#/…` pointer from the document root, as OpenAPI tools do. */
function resolve(schema: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part];
  return node as Json;
}

/** Every object schema in a tree, with where it is. */
function objects(node: unknown, at: string, out: [string, Json][] = []): [string, Json][] {
  if (Array.isArray(node)) node.forEach((n, i) => objects(n, `${at}/${i}`, out));
  else if (node !== null && typeof node === 'object') {
    const schema = node as Json;
    if (schema.type === 'object') out.push([at, schema]);
    for (const [k, v] of Object.entries(schema)) objects(v, `${at}/${k}`, out);
  }
  return out;
}

/** The `code` values a problem response schema admits. */
function codesOf(schema: Json): string[] {
  const options = schema.oneOf ? (schema.oneOf as Json[]) : [schema];
  return options.map((o) => ((resolve(o).properties as Json).code as { const: string }).const);
}

describe('OpenAPI document', () => {
  it('is JSON-serializable and declares OpenAPI 3.1.0', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String), license: expect.any(Object) });
  });

  it('lists every route of the route table under its path and method, and nothing else', () => {
    for (const route of routes) expect(op(route.path, route.method.toLowerCase()).operationId).toBe(route.operation);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('every object lists its properties and allows no others (the only maps: upload headers and the document itself)', () => {
    const open = objects(doc.components.schemas, '#/components/schemas').filter(([, s]) => s.additionalProperties !== false);
    expect(open.map(([at]) => at).sort()).toEqual([
      '#/components/schemas/AttachmentUpload/properties/upload/properties/headers',
      ...['components', 'info', 'paths', 'security/items', 'servers/items', 'tags/items'].map((p) => `#/components/schemas/OpenApiDocument/properties/${p}`),
      '#/components/schemas/OpenApiDocument/properties/components/additionalProperties',
      '#/components/schemas/OpenApiDocument/properties/paths/additionalProperties',
    ].sort());
    for (const [, schema] of objects(doc.components.schemas, '')) if (schema.properties) expect(schema.required ?? []).toEqual(expect.any(Array));
  });

  it('CreateRequest is a union on channel, each option with its own section only', () => {
    const body = op('/v1/requests', 'post').requestBody?.content['application/json']?.schema as Json;
    expect(body).toEqual({ $ref: '#/components/schemas/CreateRequest' });
    const union = resolve(body);
    expect(union.discriminator).toEqual({
      propertyName: 'channel',
      mapping: { written: '#/components/schemas/CreateWrittenRequest', callback: '#/components/schemas/CreateCallbackRequest' },
    });
    const [written, callback] = (union.oneOf as Json[]).map(resolve) as [Json, Json];
    expect(written.required).toEqual(['channel', 'type', 'identity', 'written']);
    expect(callback.required).toEqual(['channel', 'type', 'identity', 'callback']);
    expect(written.properties).not.toHaveProperty('callback');
    expect(callback.properties).not.toHaveProperty('written');
    expect((written.properties as Json).channel).toEqual({ type: 'string', const: 'written' });
    // The very schema that validates requests: its JSON Schema, component by component.
    const generated = z.toJSONSchema(CreateRequestSchema(), { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json;
    expect(Object.keys(generated.$defs as Json)).toEqual(expect.arrayContaining(['CreateWrittenRequest', 'CreateCallbackRequest']));
    expect(doc.paths['/v1/requests']?.post?.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', minLength: 1, maxLength: 255 } }));
  });

  it('the request detail is a union on channel too, with the submitted section', () => {
    const detail = resolve({ $ref: '#/components/schemas/RequestDetail' });
    expect((detail.discriminator as Json).propertyName).toBe('channel');
    expect(resolve({ $ref: '#/components/schemas/WrittenRequestDetail' }).required).toContain('written');
    expect(resolve({ $ref: '#/components/schemas/CallbackRequestDetail' }).required).toContain('callback');
  });

  it('the putProfile body is the schema generated from ProfileSchema', () => {
    const root = resolve(op('/v1/admin/profiles/{userId}', 'put').requestBody?.content['application/json']?.schema as Json);
    expect(root.required).toEqual(['fullName', 'snils', 'passport', 'phone']);
    expect(Object.keys(root.properties as Json).sort()).toEqual(Object.keys(ProfileSchema().def.shape).sort());
  });

  it('path and query parameters have their real types and bounds', () => {
    for (const route of routes) {
      const params = op(route.path, route.method.toLowerCase()).parameters ?? [];
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      expect(params.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(names);
      for (const name of names) expect(PATH_PARAMS()[name], name).toBeDefined();
    }
    const list = op('/v1/requests', 'get').parameters ?? [];
    expect(list.find((p) => p.name === 'limit')).toEqual({ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } });
    const slots = op('/v1/callback-slots', 'get').parameters ?? [];
    expect(slots.find((p) => p.name === 'type')).toMatchObject({ required: true, schema: { enum: expect.arrayContaining(['technical', 'status_check']) } });
    expect(slots.find((p) => p.name === 'from')).toMatchObject({ required: false, schema: { type: 'string', format: 'date-time' } });
    expect(op('/v1/ops/queues/{queue}', 'get').parameters?.[0]?.schema).toMatchObject({ type: 'string', pattern: expect.any(String) });
  });

  it('responses name their content type and headers: Location, Content-Disposition and the PDF, Retry-After on every 429', () => {
    expect(op('/v1/requests', 'post').responses['202']?.headers).toHaveProperty('Location');
    expect(op('/v1/requests/{id}/attachments', 'post').responses['201']?.headers).toHaveProperty('Location');
    const pdf = op('/v1/calls/{callId}/transcript', 'get').responses['200'];
    expect(Object.keys(pdf?.content ?? {})).toEqual(['application/pdf']);
    expect(pdf?.headers).toHaveProperty('Content-Disposition');
    for (const route of routes) {
      const responses = op(route.path, route.method.toLowerCase()).responses;
      for (const [status, response] of Object.entries(responses)) {
        expect(response.headers, `${route.operation} ${status}`).toHaveProperty('X-Correlation-Id');
        if (Number(status) >= 400) expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
        if (status === '429') expect(response.headers).toHaveProperty('Retry-After');
      }
    }
  });

  it('each error response lists exactly the codes its route can return, with their extra members', () => {
    for (const route of routes) {
      const responses = op(route.path, route.method.toLowerCase()).responses;
      const documented = Object.entries(responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([status, r]) => codesOf(r.content?.['application/problem+json']?.schema as Json).map((code) => `${status} ${code}`));
      const expected = problemCodesOf(route).map((code: ProblemCode) => `${PROBLEM_KINDS[code].status} ${code}`);
      expect(documented.sort(), route.operation).toEqual(expected.sort());
    }
    const verify = op('/v1/calls/{callId}/confirmation/verify', 'post').responses;
    expect(codesOf(verify['400']?.content?.['application/problem+json']?.schema as Json).sort()).toEqual(['code_invalid', 'validation_failed']);
    expect(resolve({ $ref: '#/components/schemas/CodeInvalidProblem' }).required).toContain('attemptsLeft');
    expect(resolve({ $ref: '#/components/schemas/ValidationFailedProblem' }).required).toContain('errors');
    expect(codesOf(verify['429']?.content?.['application/problem+json']?.schema as Json).sort()).toEqual(['code_locked', 'rate_limited']);
    // The edge's per-address limit answers on every route.
    for (const route of routes) expect(problemCodesOf(route), route.operation).toContain('rate_limited');
    expect(codesOf(op('/v1/requests', 'post').responses['409']?.content?.['application/problem+json']?.schema as Json)).toEqual(['too_many_open_callbacks']);
  });

  it('public routes need no token and say no 401; a citizen route cannot be 403, a staff route can', () => {
    for (const route of routes) {
      const o = op(route.path, route.method.toLowerCase());
      if (route.access === 'public') {
        expect(o.security).toEqual([]);
        expect(o.responses).not.toHaveProperty('401');
      } else {
        expect(o.security).toBeUndefined();
        expect(o.responses).toHaveProperty('401');
      }
      if (Array.isArray(route.access)) expect(o.responses).toHaveProperty('403');
      else expect(o.responses).not.toHaveProperty('403');
      expect(o.responses).toHaveProperty('500');
    }
  });

  it('a route whose path parameter has no schema is refused, not documented as a bare string', () => {
    const bad = { ...routes[0], path: '/v1/things/{thingId}', operation: 'getThing' } as RouteDef;
    const mutable = ROUTES as unknown as RouteDef[];
    mutable.push(bad);
    try {
      expect(() => openApiDocument()).toThrow(/thingId/);
    } finally {
      mutable.pop();
    }
  });
});
