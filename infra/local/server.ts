import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type CryptoKey, jwtVerify } from 'jose';
import { ROUTES, type RouteDef, routeKey, routeScopes } from '#http/routes';
import { LOCAL_ALG, LOCAL_AUDIENCE, LOCAL_ISSUER } from './jwt-keys.ts';

/**
 * The local API Gateway: matches a request against the route table, checks the bearer JWT as the
 * HTTP API JWT authorizer does (signature, iss, aud, exp; no `alg: none`), and hands the very
 * Lambda handler an HTTP API payload 2.0 event with the claims where API Gateway puts them.
 */
export type HttpHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalServerOptions {
  handlers: Record<RouteDef['fn'], HttpHandler>;
  verifyKey: CryptoKey;
  /** Allowed CORS origins; undefined allows every origin. */
  corsOrigins?: string[];
  /** Extra local-only routes (`/health`, `/_local/*`), answered before the route table; `body` reads the JSON body. */
  extra: (method: string, url: URL, body: () => Promise<unknown>) => Promise<{ status: number; body: unknown } | undefined>;
  /** The web app's files, for any path outside `/v1/` (infra/local/web-app.ts). */
  staticFiles?: (method: string, pathname: string) => Promise<{ status: number; headers: Record<string, string>; body: Buffer } | undefined>;
}

/** API Gateway rejects bigger payloads before any Lambda runs. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';

const compiled = (ROUTES as readonly RouteDef[]).map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, names, regex: new RegExp(`^${pattern}$`) };
});

/** A path parameter that is not valid percent-encoded UTF-8 (`%zz`, `%`, `%E0%A4%A`). */
interface BadParam {
  bad: string;
}

function match(method: string, path: string) {
  let pathMatched = false;
  for (const c of compiled) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.route.method !== method) continue;
    const params: Record<string, string> = {};
    for (const [i, name] of c.names.entries()) {
      try {
        params[name] = decodeURIComponent(m[i + 1] as string);
      } catch {
        return { route: c.route, params, badParam: { bad: name } as BadParam };
      }
    }
    return { route: c.route, params };
  }
  return pathMatched ? 'method' : undefined;
}

/**
 * A claim value as API Gateway's HTTP API hands it to the Lambda: strings as they are, anything else
 * in Go's `%v` form (arrays "[a b]", nested arrays "[[a] b]", objects "map[k:v]"), which is how the
 * gateway flattens them.
 */
function goFormat(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (value === null) return '<nil>';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(' ')}]`;
  }
  return String(value);
}

function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) out[k] = goFormat(v);
  return out;
}

/**
 * The JWT authorizer's authorization scopes (routeScopes): a staff route needs a token whose `scope`
 * claim (space-separated) names at least one of them, else 403, before any function runs.
 */
function scopesAllow(route: RouteDef, claims: Record<string, string>): boolean {
  const required = routeScopes(route);
  if (required.length === 0) return true;
  const granted = (claims.scope ?? '').split(' ');
  return required.some((scope) => granted.includes(scope));
}

function validationProblem(res: ServerResponse, path: string, code: string, message: string): void {
  res.writeHead(400, { 'content-type': 'application/problem+json' });
  res.end(
    JSON.stringify({
      type: 'https://support-center.example/problems/validation_failed',
      title: 'Invalid input',
      status: 400,
      code: 'validation_failed',
      errors: [{ path, code, message }],
    }),
  );
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function problem(res: ServerResponse, status: number, code: string, title: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/problem+json', ...extra });
  res.end(JSON.stringify({ type: `https://support-center.example/problems/${code}`, title, status, code }));
}

function lambdaContext(fn: string): Context {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `support-center-local-${fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:000000000000:function:support-center-local-${fn}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/support-center-local-${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Tokens already verified, by their exact text, until they expire: a portal session sends the same
 * token with every call, and an ES256 check is most of the local gateway's own work per request.
 * Same bytes, same signature; only time can change the verdict, so `exp` is checked on every use.
 */
const VERIFIED_MAX = 10_000;
type Verified = Map<string, { claims: Record<string, string>; exp: number }>;

async function authorize(req: IncomingMessage, key: CryptoKey, verified: Verified): Promise<Record<string, string> | undefined> {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(header);
  if (!m) return undefined;
  const token = m[1] as string;
  const known = verified.get(token);
  if (known && known.exp > Date.now() / 1000) return known.claims;
  verified.delete(token);
  try {
    const { payload } = await jwtVerify(token, key, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [LOCAL_ALG], requiredClaims: ['exp', 'sub'] });
    const claims = gatewayClaims(payload as Record<string, unknown>);
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(token, { claims, exp: payload.exp as number });
    return claims;
  } catch {
    return undefined;
  }
}

export function createLocalServer(options: LocalServerOptions) {
  // Per server: a server with another key verifies afresh.
  const verified: Verified = new Map();
  const originAllowed = (origin: string | undefined) => origin !== undefined && (options.corsOrigins === undefined || options.corsOrigins.includes(origin));

  return createServer((req, res) => {
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://127.0.0.1');
      } catch {
        return validationProblem(res, '', 'invalid_format', 'The request target is not a valid URL.');
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const origin = req.headers.origin;
      if (originAllowed(origin)) {
        res.setHeader('access-control-allow-origin', origin as string);
        res.setHeader('vary', 'Origin');
      }
      if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
        if (!originAllowed(origin)) return problem(res, 403, 'cors_origin_denied', 'Origin not allowed');
        res.writeHead(204, { 'access-control-allow-methods': ALLOWED_METHODS, 'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': '600' });
        return res.end();
      }
      const jsonBody = async (): Promise<unknown> => {
        const raw = await readBody(req);
        if (raw === 'too_large' || raw.length === 0) return undefined;
        try {
          return JSON.parse(raw.toString('utf8'));
        } catch {
          return undefined;
        }
      };
      const extra = await options.extra(method, url, jsonBody);
      if (extra) {
        res.writeHead(extra.status, { 'content-type': extra.status >= 400 ? 'application/problem+json' : 'application/json' });
        return res.end(JSON.stringify(extra.body));
      }
      if (options.staticFiles && !url.pathname.startsWith('/v1/')) {
        const file = await options.staticFiles(method, url.pathname);
        if (file) {
          res.writeHead(file.status, file.headers);
          return res.end(method === 'HEAD' ? undefined : file.body);
        }
      }
      const found = match(method, url.pathname);
      if (found === undefined) return problem(res, 404, 'not_found', 'Not found');
      if (found === 'method') return problem(res, 405, 'method_not_allowed', 'Method not allowed');
      const { route, params } = found;
      let claims: Record<string, string> | undefined;
      if (route.access !== 'public') {
        claims = await authorize(req, options.verifyKey, verified);
        if (!claims) return problem(res, 401, 'unauthenticated', 'Unauthenticated', { 'www-authenticate': 'Bearer' });
        // API Gateway answers a token without the route's scopes 403 (its own body there).
        if (!scopesAllow(route, claims)) return problem(res, 403, 'forbidden', 'Forbidden');
      }
      // After the token, as everywhere: authorization comes before any input is judged.
      if ('badParam' in found && found.badParam) {
        return validationProblem(res, found.badParam.bad, 'invalid_encoding', 'The path parameter is not valid percent-encoded UTF-8.');
      }
      const body = await readBody(req);
      if (body === 'too_large') return problem(res, 413, 'payload_too_large', 'Payload too large');
      const isText = body.length === 0 || (() => {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(body);
          return true;
        } catch {
          return false;
        }
      })();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
      const event = {
        version: '2.0',
        routeKey: routeKey(route),
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
        ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: '127.0.0.1',
          domainPrefix: 'local',
          http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
          requestId: randomUUID(),
          routeKey: routeKey(route),
          stage: '$default',
          time: new Date().toUTCString(),
          timeEpoch: Date.now(),
          ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: null } } } : {}),
        },
        ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !isText } : { isBase64Encoded: false }),
      } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
      const handler = options.handlers[route.fn];
      const result = await handler(event, lambdaContext(route.fn));
      const out = result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : result.body ?? '';
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      res.end(out);
    })().catch((error: unknown) => {
      // The gateway's own failure: the handler already answers its errors as problems.
      process.stderr.write(`local gateway error: ${(error as Error).name}\n`);
      if (!res.headersSent) problem(res, 500, 'internal', 'Internal error');
      else res.end();
    });
  });
}
