import * as z from 'zod/mini';
import { PROBLEM_KINDS, type ProblemCode, aboutOf, problemSchema, statusOf } from './problem-schemas.ts';
import * as ResponseSchemas from './response-schemas.ts';
import { ROUTES, type RouteDef, type SuccessDoc } from './routes.ts';
import { IdempotencyKeySchema, PATH_PARAMS } from './schemas.ts';

/**
 * The OpenAPI 3.1 document, generated from the route table (routes.ts: what each route takes and
 * answers) and the same zod schemas that validate requests and describe answers. Nothing about a
 * route is written here: a new route is documented by its entry in the table.
 */

const COMPONENTS = '#/components/schemas/';
const JSON_SCHEMA = { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' } as const;

type Json = Record<string, unknown>;

interface ZodDef {
  type: string;
  discriminator?: string;
  options?: z.ZodMiniType[];
  shape?: Record<string, z.ZodMiniType>;
  values?: unknown[];
}

function defOf(schema: z.ZodMiniType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

function idOf(schema: z.ZodMiniType): string | undefined {
  return z.globalRegistry.get(schema)?.id;
}

/**
 * OpenAPI's `discriminator` for a zod discriminated union whose options are all named components:
 * zod writes the `oneOf`, this adds which value of the property selects which component.
 */
function discriminatorOf(schema: z.ZodMiniType): Json | undefined {
  const def = defOf(schema);
  if (def.type !== 'union' || !def.discriminator || !def.options) return undefined;
  const mapping: Record<string, string> = {};
  for (const option of def.options) {
    const id = idOf(option);
    const value = defOf(defOf(option).shape?.[def.discriminator] as z.ZodMiniType).values?.[0];
    if (!id || typeof value !== 'string') return undefined;
    mapping[value] = `${COMPONENTS}${id}`;
  }
  return { propertyName: def.discriminator, mapping };
}

/** A reference to the named component when the schema has an id (in `z.globalRegistry`), else the schema inline. */
function jsonSchema(schema: z.ZodMiniType): Json {
  const id = idOf(schema);
  if (id) return { $ref: `${COMPONENTS}${id}` };
  const { $schema: _dialect, ...inline } = z.toJSONSchema(schema, JSON_SCHEMA) as Json;
  const discriminator = discriminatorOf(schema);
  return discriminator ? { ...inline, discriminator } : inline;
}

/** Every schema with an id, once, under components.schemas; references between them point there. */
function componentSchemas(): Record<string, Json> {
  for (const code of Object.keys(PROBLEM_KINDS) as ProblemCode[]) problemSchema(code);
  const { schemas } = z.toJSONSchema(z.globalRegistry, { ...JSON_SCHEMA, uri: (id) => `${COMPONENTS}${id}` });
  const byId = new Map<string, z.ZodMiniType>();
  for (const schema of namedSchemas()) byId.set(idOf(schema) as string, schema);
  // The component's place in the document is its identity: no $schema or fragment-only $id inside.
  return Object.fromEntries(
    Object.entries(schemas)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, { $schema: _dialect, $id: _id, ...schema }]) => {
        const zod = byId.get(id);
        const discriminator = zod ? discriminatorOf(zod) : undefined;
        return [id, discriminator ? { ...schema, discriminator } : schema];
      }),
  );
}

function namedSchemas(): z.ZodMiniType[] {
  const found: z.ZodMiniType[] = [];
  const registry = z.globalRegistry as unknown as { _idmap: Map<string, z.ZodMiniType> };
  for (const schema of registry._idmap.values()) found.push(schema);
  return found;
}

/** The generic codes a route can return because of what it is (its access, its inputs, its method). */
export function problemCodesOf(route: RouteDef): ProblemCode[] {
  const hasParams = route.path.includes('{');
  const takesBody = route.method === 'POST' || route.method === 'PUT';
  const codes = new Set<ProblemCode>(route.errors ?? []);
  // A body that is not JSON, a malformed path parameter, query or header.
  if (takesBody || hasParams || route.query || route.idempotent) codes.add('validation_failed');
  if (route.access !== 'public') codes.add('unauthenticated');
  if (Array.isArray(route.access)) codes.add('forbidden');
  if (hasParams) codes.add('not_found');
  codes.add('payload_too_large');
  // In the cloud, the WebACL in front of every route answers one client over its per-address
  // limit with this very problem (infra/stacks/edge-waf-stack.ts).
  codes.add('rate_limited');
  if (takesBody) codes.add('unsupported_media_type');
  if (route.idempotent) codes.add('idempotency_key_reused');
  codes.add('internal');
  return [...codes];
}

const CORRELATION_ID = { $ref: '#/components/headers/X-Correlation-Id' };
/** A gateway that refuses a request before the function runs (a bad token, a missing scope) sends none. */
const CORRELATION_ID_IF_ANY = { description: 'The id this request is logged under, when a function answered', required: false, schema: { type: 'string' } };

function header(description: string, schema: Json = { type: 'string' }): Json {
  return { description, required: true, schema };
}

function success(doc: SuccessDoc): Json {
  const headers: Json = { 'X-Correlation-Id': CORRELATION_ID };
  for (const [name, description] of Object.entries(doc.headers ?? {})) headers[name] = header(description);
  const content = doc.schema
    ? { 'application/json': { schema: jsonSchema(ResponseSchemas[doc.schema]) } }
    : doc.binary
      ? { [doc.binary]: { schema: { type: 'string', format: 'binary', contentMediaType: doc.binary } } }
      : undefined;
  return { description: doc.description, headers, ...(content ? { content } : {}) };
}

/** One status's problems: the one code's component, or a union on `code` with its mapping. */
function problems(status: number, codes: readonly ProblemCode[]): Json {
  const refs = codes.map((code) => jsonSchema(problemSchema(code)));
  const schema =
    refs.length === 1
      ? refs[0]
      : { oneOf: refs, discriminator: { propertyName: 'code', mapping: Object.fromEntries(codes.map((c, i) => [c, (refs[i] as { $ref: string }).$ref])) } };
  const headers: Json = { 'X-Correlation-Id': CORRELATION_ID_IF_ANY };
  if (status === 429) headers['Retry-After'] = header('Seconds until a retry can succeed', { type: 'integer', minimum: 0 });
  return {
    description: codes.map((code) => `\`${code}\`: ${aboutOf(code)}`).join('; '),
    headers,
    content: { 'application/problem+json': { schema } },
  };
}

function parameters(route: RouteDef): Json[] {
  const params: Json[] = [];
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
    const schema = PATH_PARAMS()[name as string];
    if (!schema) throw new Error(`${route.method} ${route.path}: no schema for path parameter {${name}} in PATH_PARAMS (schemas.ts)`);
    params.push({ name, in: 'path', required: true, schema: jsonSchema(schema) });
  }
  for (const [name, schema] of Object.entries(route.query?.().def.shape ?? {})) {
    const property = schema as z.ZodMiniType;
    const required = !property.safeParse(undefined).success;
    params.push({ name, in: 'query', required, schema: jsonSchema(property) });
  }
  if (route.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'The same key and body within 24 hours return the first answer again and create nothing',
      schema: jsonSchema(IdempotencyKeySchema()),
    });
  }
  return params;
}

function operation(route: RouteDef): Json {
  const responses: Json = {};
  for (const [status, doc] of Object.entries(route.responses)) responses[status] = success(doc as SuccessDoc);
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemCodesOf(route)) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) responses[String(status)] = problems(status, codes);
  const params = parameters(route);
  return {
    operationId: route.operation,
    summary: route.summary,
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body()) } } } } : {}),
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
    openapi: '3.1.0' as const,
    info: {
      title: 'Support Center API',
      version: '1.0.0',
      description:
        'Help and support of the government services portal. Every object lists all its properties and allows no others; ' +
        'every error is application/problem+json with the `code` values listed for its route and status.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: componentSchemas(),
      headers: { 'X-Correlation-Id': { description: 'The id this request is logged under (yours, when you sent a UUID)', required: true, schema: { type: 'string' } } },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
