import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi';
import { ROUTES } from '#http/routes';
import { CreateRequestSchema, ProfileSchema } from '#http/schemas';

type Json = Record<string, unknown>;
const doc = openApiDocument() as unknown as Json & { paths: Record<string, Record<string, Json>> };

/** Resolves a local `#/…` pointer from the document root, as OpenAPI tools do. */
function resolveWithin(schema: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part];
  return node as Json;
}

function bodySchema(path: string, method: string): Json {
  const op = doc.paths[path]?.[method] as { requestBody?: { content: Record<string, { schema: Json }> } } | undefined;
  const schema = op?.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`no JSON body for ${method} ${path}`);
  return schema;
}

describe('OpenAPI document', () => {
  it('is JSON-serializable and declares OpenAPI 3.1.0', () => {
    const text = JSON.stringify(doc);
    expect(JSON.parse(text)).toEqual(doc);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it('lists every route of the route table under its path and method, and nothing else', () => {
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op?.operationId).toBe(route.operation);
    }
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('declares each path parameter and no auth on public routes', () => {
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as { parameters?: { name: string; in: string }[]; security?: unknown[]; responses: Json };
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(names);
      if (route.access === 'public') {
        expect(op.security).toEqual([]);
        expect(op.responses).not.toHaveProperty('401');
      } else {
        expect(op.security).toBeUndefined();
        expect(op.responses).toHaveProperty('401');
        expect(op.responses).toHaveProperty('403');
      }
    }
  });

  it('the createRequest body is the schema generated from CreateRequestSchema', () => {
    const schema = bodySchema('/v1/requests', 'post');
    expect(schema).toEqual({ $ref: '#/components/schemas/CreateRequest' });
    const generated = z.toJSONSchema(CreateRequestSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json;
    const root = resolveWithin(schema);
    expect(root).toEqual((generated.$defs as Json).CreateRequest);
    const shape = CreateRequestSchema.shape;
    const required = Object.entries(shape)
      .filter(([, s]) => !(s as z.ZodMiniType).safeParse(undefined).success)
      .map(([k]) => k);
    expect(root.required).toEqual(required);
    expect(required).toEqual(['channel', 'type', 'identity']);
    expect(Object.keys(root.properties as Json).sort()).toEqual(Object.keys(shape).sort());
    expect(root.additionalProperties).toBe(false);
    expect(((root.properties as Json).identity as Json).required).toEqual(['fullName', 'snils', 'passport', 'phone']);
    expect(doc.paths['/v1/requests']?.post?.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
  });

  it('the putProfile body is the schema generated from ProfileSchema', () => {
    const root = resolveWithin(bodySchema('/v1/admin/profiles/{userId}', 'put'));
    expect(root.required).toEqual(['fullName', 'snils', 'passport', 'phone']);
  });

  it('every error response is problem+json', () => {
    const op = doc.paths['/v1/requests']?.post as { responses: Record<string, { content?: Json }> };
    for (const status of ['400', '401', '403', '404', '409', '413', '415', '429', '500']) {
      expect(op.responses[status]?.content, status).toHaveProperty(['application/problem+json']);
    }
    expect(op.responses['202']?.content).toHaveProperty(['application/json']);
  });
});
