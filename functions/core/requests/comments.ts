import type { Deps } from '#ports/deps';
import { canonicalJson } from '../canonical-json.ts';
import { NotFoundError, StateConflictError } from '../errors.ts';
import { type HttpOutcome, idempotencyRecord, idempotencyScope, replayOf } from '../idempotency.ts';
import { CITIZEN_LIMITS, commentsLimited, tooManyComments, underWindow } from '../limits/limits.ts';
import { CLOSED_STATUSES, type RequestComment, STATUSES } from './model.ts';

/** Comments a citizen adds to their own request while it is still open. */
const OPEN = STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));

export async function addCitizenComment(
  deps: Pick<Deps, 'requests' | 'clock' | 'ids' | 'hasher'>,
  userId: string,
  requestId: string,
  input: { text: string },
  idempotencyKey?: string,
): Promise<HttpOutcome> {
  const request = await deps.requests.getRequest(requestId);
  if (!request || request.userId !== userId) throw new NotFoundError('request');
  const now = deps.clock.now();
  const bodyHash = deps.hasher.digest(canonicalJson({ requestId, ...input }));
  const scope = idempotencyScope(deps.hasher, userId, 'add-comment', idempotencyKey);
  const earlier = scope ? await deps.requests.getIdempotencyRecord(scope, now.toISOString()) : undefined;
  if (earlier) return replayOf(earlier, bodyHash);

  const comment: RequestComment = { id: deps.ids.newId(), at: now.toISOString(), author: 'citizen', text: input.text };
  const created: HttpOutcome = { statusCode: 201, body: comment, headers: {} };
  const record = scope ? idempotencyRecord(scope, bodyHash, created, now) : undefined;
  // Counted in the citizen's hourly window and on the request, in the comment's own transaction.
  const outcome = await underWindow(
    () => deps.requests.getLimitWindow('comments', userId),
    userId,
    now,
    CITIZEN_LIMITS.comments,
    commentsLimited,
    async (window) => {
      const stored = await deps.requests.appendComment(requestId, comment, OPEN, record, now.toISOString(), { window, perRequest: CITIZEN_LIMITS.commentsPerRequest });
      return stored.kind === 'window_changed' ? stored.kind : stored;
    },
  );
  switch (outcome.kind) {
    case 'created':
      return created;
    case 'replay':
      return replayOf(outcome.record, bodyHash);
    case 'not_found':
      throw new NotFoundError('request');
    case 'closed':
      throw new StateConflictError('request_closed', 'The request is closed: comments are no longer accepted.');
    case 'too_many':
      throw tooManyComments();
    case 'not_held':
      throw new Error('a citizen comment has no holder condition');
  }
}
