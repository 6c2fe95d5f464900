/**
 * The contract's error shape, checked on any response: every 4xx is application/problem+json
 * with `type, title, status, code`, `status` equal to the HTTP status, and `validation_failed`
 * lists its field problems as `{ path, code, message }`. Returns what is wrong (empty when fine).
 */
export interface ParsedProblem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: { path: string; code: string; message: string }[];
  [extra: string]: unknown;
}

export function headerOf(headers: Record<string, unknown> | Headers | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return found === undefined ? undefined : String(found[1]);
}

export function problemViolations(status: number, contentType: string | undefined, bodyText: string | undefined): string[] {
  const out: string[] = [];
  if (status >= 500) out.push(`status ${status}`);
  if (status < 400 || status >= 500) return out;
  if (!(contentType ?? '').toLowerCase().startsWith('application/problem+json')) out.push(`content-type ${String(contentType)}`);
  let body: unknown;
  try {
    body = JSON.parse(bodyText ?? '');
  } catch {
    out.push(`body is not JSON: ${String(bodyText).slice(0, 80)}`);
    return out;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    out.push('body is not an object');
    return out;
  }
  const p = body as Record<string, unknown>;
  for (const field of ['type', 'title', 'code'] as const) if (typeof p[field] !== 'string' || p[field] === '') out.push(`problem.${field} missing`);
  if (p.status !== status) out.push(`problem.status ${String(p.status)} != HTTP ${status}`);
  if (p.code === 'validation_failed') {
    const errors = p.errors;
    if (!Array.isArray(errors) || errors.length === 0) out.push('validation_failed without errors');
    else
      for (const e of errors as unknown[]) {
        const ok =
          e !== null &&
          typeof e === 'object' &&
          typeof (e as Record<string, unknown>).path === 'string' &&
          typeof (e as Record<string, unknown>).code === 'string' &&
          (e as Record<string, unknown>).code !== '' &&
          typeof (e as Record<string, unknown>).message === 'string';
        if (!ok) out.push(`malformed error entry ${JSON.stringify(e).slice(0, 80)}`);
      }
  }
  return out;
}

export function parseProblem(bodyText: string | undefined): ParsedProblem | undefined {
  try {
    return JSON.parse(bodyText ?? '') as ParsedProblem;
  } catch {
    return undefined;
  }
}
