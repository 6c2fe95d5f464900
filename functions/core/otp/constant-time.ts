/**
 * Equality of two strings in time that depends only on their length, not on where they differ:
 * for comparing a stored code hash with the hash of a guess. The core may not import node:crypto,
 * so this is plain TypeScript: no early exit, every character folded into one accumulator.
 *
 * Lengths are not secret here (both sides are hex HMAC-SHA256 digests, 64 characters), so a length
 * mismatch returns false at once.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
