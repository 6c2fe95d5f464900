import type { Deps } from '#ports/deps';
import { ValidationError } from '../errors.ts';
import { requestSummary } from './request-view.ts';

/**
 * A citizen's own requests, newest first. The cursor is opaque to clients; it holds only the
 * position (creation time and id) and is applied inside the caller's own partition, so a cursor
 * made by one citizen can never page through another's requests.
 */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

function encodeCursor(position: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const invalid = () => new ValidationError([{ path: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API issued.' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw invalid();
  if (Number.isNaN(Date.parse(parsed[0])) || !/^[0-9A-Z]{26}$/.test(parsed[1])) throw invalid();
  return { createdAt: parsed[0], id: parsed[1] };
}

export async function listOwnRequests(deps: Pick<Deps, 'requests'>, userId: string, limit = DEFAULT_PAGE, cursor?: string) {
  const page = await deps.requests.listRequestsByOwner(userId, limit, cursor === undefined ? undefined : decodeCursor(cursor));
  return { items: page.items.map(requestSummary), ...(page.next ? { nextCursor: encodeCursor(page.next) } : {}) };
}
