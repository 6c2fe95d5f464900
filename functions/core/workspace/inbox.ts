import type { Clock } from '#ports/clock';
import type { WorkspaceStore } from '#ports/stores/workspace';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { AWAITING_ANSWER, deadlineInForce, isOverdue } from '../requests/deadlines.ts';
import type { SupportRequest } from '../requests/model.ts';
import { type Operator, assertWorksQueue } from '../requests/operator-access.ts';

/**
 * The inbox of a queue: its written requests that wait for an answer (`registered`,
 * `in_progress`), nearest deadline first, with `overdue` from the clock. Only a queue of the
 * operator's claim (403 otherwise, as for the callback queue). The cursor is the last position
 * (deadline, id), applied inside the path's queue.
 */
export interface InboxDeps {
  workspace: WorkspaceStore;
  clock: Clock;
}

export function inboxItem(r: SupportRequest, now: Date) {
  return {
    id: r.id,
    number: r.number,
    type: r.type,
    status: r.status as 'registered' | 'in_progress',
    topic: r.written?.topic ?? '',
    createdAt: r.createdAt,
    dueBy: deadlineInForce(r) as string,
    overdue: isOverdue(r, now),
    ...(r.assignedTo !== undefined ? { assignedTo: r.assignedTo } : {}),
    attachmentsCount: r.attachmentCount ?? 0,
    ...(r.lastCommentAt !== undefined ? { lastCommentAt: r.lastCommentAt } : {}),
    ...(r.lastCommentBy !== undefined ? { lastCommentBy: r.lastCommentBy } : {}),
  };
}

export async function listInbox(deps: InboxDeps, operator: Operator, queue: string, limit = 20, cursor?: string) {
  // The query is parsed before the queue is checked, as for the callback queue's `limit`: a bad
  // cursor is 400 whatever the queue.
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  assertWorksQueue(operator, queue);
  const page = await deps.workspace.listInbox(queue, limit, after && { dueAt: after.at, id: after.id });
  const now = deps.clock.now();
  // The index is eventually consistent with the items it points to: the items are read fresh, and
  // one that has just left the waiting statuses (answered a moment ago) is not shown.
  const items = page.items.filter((r) => r.channel === 'written' && AWAITING_ANSWER.includes(r.status) && r.route?.queue === queue && deadlineInForce(r) !== undefined);
  return { items: items.map((r) => inboxItem(r, now)), ...(page.next ? { nextCursor: encodeCursor(page.next.dueAt, page.next.id) } : {}) };
}
