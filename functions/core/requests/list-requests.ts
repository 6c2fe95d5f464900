import type { Deps } from '#ports/deps';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { requestSummary } from './request-view.ts';

/**
 * A citizen's own requests, newest first. The cursor is opaque to clients; it holds only the
 * position (creation time and id) and is applied inside the caller's own partition, so a cursor
 * made by one citizen can never page through another's requests.
 */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export async function listOwnRequests(deps: Pick<Deps, 'requests'>, userId: string, limit = DEFAULT_PAGE, cursor?: string) {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const page = await deps.requests.listRequestsByOwner(userId, limit, after && { createdAt: after.at, id: after.id });
  return { items: page.items.map(requestSummary), ...(page.next ? { nextCursor: encodeCursor(page.next.createdAt, page.next.id) } : {}) };
}
