/**
 * A small HTTP client for tests against `npm start`: sends JSON (or a raw string) with an optional
 * bearer token or raw Authorization header, and returns status, headers, text and parsed JSON.
 */
export interface SendOptions {
  token?: string;
  /** A raw Authorization header (wins over `token`). */
  authorization?: string;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | undefined;
}

export async function send(baseUrl: string, method: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (options.token !== undefined) headers.authorization = `Bearer ${options.token.trim()}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const query = options.query && Object.keys(options.query).length > 0 ? `?${new URLSearchParams(options.query).toString()}` : '';
  const res = await fetch(`${baseUrl}${path}${query}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
