import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The origin secret: CloudFront adds this header, with the stack's generated secret as its value,
 * to every request it sends to the API (infra/constructs/edge.ts). A request that reaches a
 * function straight through the execute-api URL lacks it, and is refused before anything runs:
 * an HTTP API can carry neither a WebACL nor a resource policy, so this is what keeps the WAF's
 * per-client limits and managed rules from being skipped. Sending the header through the
 * distribution gains a client nothing: CloudFront sets it itself, and a second copy makes the value
 * one that matches nothing (below).
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/** What a refused caller is told: nothing about the header or its value. */
export const ORIGIN_REFUSAL = 'This address does not serve the API; call it through its public address.';

type Headers = Readonly<Record<string, unknown>> | undefined;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The value sent, when there is exactly one `x-origin-verify` (any case) and it is a string. API
 * Gateway (payload 2.0) lower-cases names and joins a repeated header with commas, so a duplicate
 * arrives as one value that matches nothing; two spellings of the name, or an array, are refused too.
 */
function presented(headers: Headers): string | undefined {
  let value: unknown;
  let count = 0;
  for (const [name, v] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== ORIGIN_VERIFY_HEADER) continue;
    count += 1;
    value = v;
  }
  return count === 1 && typeof value === 'string' ? value : undefined;
}

/**
 * The check, for the accepted values (the current one, and the previous one during a rotation);
 * `undefined` when none is configured (local runtime, tests): then there is no check. Compared in
 * constant time: both sides are SHA-256 digests, so the buffers always have the same length (a value
 * of another length is simply a mismatch, and its length is not timed either), and every accepted
 * value is compared, with no early exit.
 */
export function originCheck(accepted: readonly (string | undefined)[]): ((headers: Headers) => boolean) | undefined {
  const digests = accepted.filter((v): v is string => v !== undefined && v !== '').map(digest);
  if (digests.length === 0) return undefined;
  return (headers) => {
    const value = presented(headers);
    const sent = digest(value ?? '');
    let matched = false;
    for (const expected of digests) matched = timingSafeEqual(sent, expected) || matched;
    return value !== undefined && value !== '' && matched;
  };
}
