import type * as z from 'zod/mini';
import { problemCodesOf } from '#http/openapi';
import { type ProblemCode, problemUnion, statusOf } from '#http/problem-schemas';
import * as ResponseSchemas from '#http/response-schemas';
import type { RouteDef, SuccessDoc } from '#http/routes';
import { headerOf } from './problem-checks.ts';

/**
 * Checks one real answer against what the route table declares for it (the same declarations the
 * OpenAPI document is generated from): a status the route declares, its content type, its headers,
 * and a body that the declared schema accepts. The schemas are closed, so a property the handler
 * sends without declaring it is a violation, and so is a required one it leaves out. Returns what
 * is wrong (empty when the answer is exactly as documented).
 */
export interface Answer {
  status: number;
  headers: Record<string, unknown> | Headers | undefined;
  /** The body as sent: text, or the bytes of a binary body. */
  body: string | Buffer | undefined;
}

function issuesOf(schema: z.ZodMiniType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const at = issue.path.map(String).join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') return `undeclared ${issue.keys.map((k) => `${at === '(body)' ? '' : `${at}.`}${k}`).join(', ')}`;
    return `${at}: ${issue.code}${issue.code === 'invalid_type' && issue.input === undefined ? ' (missing)' : ''} ${issue.message}`;
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function problemCodesFor(route: RouteDef, status: number): ProblemCode[] {
  return problemCodesOf(route).filter((code) => statusOf(code) === status);
}

export function responseViolations(route: RouteDef, answer: Answer): string[] {
  const out: string[] = [];
  const contentType = (headerOf(answer.headers, 'content-type') ?? '').split(';')[0]?.trim();
  const text = Buffer.isBuffer(answer.body) ? answer.body.toString('utf8') : (answer.body ?? '');
  const success = (route.responses as Record<number, SuccessDoc | undefined>)[answer.status];
  if (success) {
    if (!headerOf(answer.headers, 'x-correlation-id')) out.push('no X-Correlation-Id header');
    for (const name of Object.keys(success.headers ?? {})) if (!headerOf(answer.headers, name)) out.push(`no ${name} header`);
    if (success.binary) {
      if (contentType !== success.binary) out.push(`content-type ${String(contentType)}, declared ${success.binary}`);
      const bytes = Buffer.isBuffer(answer.body) ? answer.body : Buffer.from(text, 'utf8');
      if (success.binary === 'application/pdf' && bytes.subarray(0, 5).toString('latin1') !== '%PDF-') out.push('body is not a PDF');
    } else if (success.schema) {
      if (contentType !== 'application/json') out.push(`content-type ${String(contentType)}, declared application/json`);
      const parsed = parseJson(text);
      if (!parsed.ok) out.push(`body is not JSON: ${text.slice(0, 80)}`);
      else out.push(...issuesOf(ResponseSchemas[success.schema], parsed.value));
    } else if (text !== '') out.push('a body where none is declared');
    return out;
  }
  const codes = problemCodesFor(route, answer.status);
  if (codes.length === 0) return [...out, `status ${answer.status} is not declared`];
  if (contentType !== 'application/problem+json') out.push(`content-type ${String(contentType)}, declared application/problem+json`);
  if (answer.status === 429 && !/^\d+$/.test(headerOf(answer.headers, 'retry-after') ?? '')) out.push('429 without a Retry-After in seconds');
  const parsed = parseJson(text);
  if (!parsed.ok) return [...out, `body is not JSON: ${text.slice(0, 80)}`];
  const code = (parsed.value as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(codes as string[]).includes(code)) return [...out, `code ${String(code)} is not declared for ${answer.status} (declared: ${codes.join(', ')})`];
  out.push(...issuesOf(problemUnion(codes), parsed.value));
  return out;
}
