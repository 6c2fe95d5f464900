/**
 * The e2e tests' client of a running system: `call(path, { method, token, body, headers })` sends
 * JSON (or a raw string) and returns the status, headers, raw bytes, content type and parsed JSON
 * body (`{}` when there is none).
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
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') && bytes.length > 0 ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>) : {};
    return { status: res.status, headers: res.headers, type, bytes, body };
  };
}
