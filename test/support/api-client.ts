import { ROUTES, type RouteDef } from '#http/routes';
import { responseViolations } from './response-contract.ts';

/**
 * The e2e tests' client of a running system: `call(path, { method, token, body, headers })` sends
 * JSON (or a raw string) and returns the status, headers, raw bytes, content type and parsed JSON
 * body (`{}` when there is none).
 *
 * Every answer of a route in the table is also checked against what the table declares for it
 * (response-contract.ts): an undeclared status, code, header or property throws, so every e2e test
 * is also a test of the OpenAPI document. Paths outside the table (`/health`, `/_local/…`, unknown
 * ones) are not checked.
 */
export interface CallInit {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallReply {
  status: number;
  headers: Headers;
  type: string;
  bytes: Buffer;
  body: Record<string, unknown>;
}

const TEMPLATES = (ROUTES as readonly RouteDef[]).map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`),
}));

export function routeOfRequest(method: string, path: string): RouteDef | undefined {
  const pathname = path.split('?')[0] ?? path;
  return TEMPLATES.find((t) => t.route.method === method && t.pattern.test(pathname))?.route;
}

export function apiClient(baseUrl: () => string) {
  return async function call(path: string, init: CallInit = {}): Promise<CallReply> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token.trim()}`;
    if (init.body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${baseUrl()}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const method = init.method ?? 'GET';
    const route = routeOfRequest(method, path);
    if (route) {
      const violations = responseViolations(route, { status: res.status, headers: res.headers, body: bytes });
      if (violations.length > 0) throw new Error(`${method} ${path} → ${res.status}, not as the route table declares: ${violations.join('; ')}`);
    }
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') && bytes.length > 0 ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>) : {};
    return { status: res.status, headers: res.headers, type, bytes, body };
  };
}
