import type { Deps } from '#ports/deps';
import { NotFoundError } from '../errors.ts';
import { callView } from '../callbacks/record-call.ts';
import { requestView } from './request-view.ts';

/**
 * Another citizen's request is reported exactly like a missing one, and costs as little: the
 * request item alone is read and its owner checked before its history (timeline, comments,
 * attachments, call links: one read of its partition) and its calls are read at all.
 */
export async function getOwnRequest(deps: Pick<Deps, 'calls' | 'requests'>, userId: string, id: string) {
  const request = await deps.requests.getRequest(id);
  if (!request || request.userId !== userId) throw new NotFoundError('request');
  const detail = await deps.requests.getRequestDetail(id);
  if (!detail) throw new NotFoundError('request');
  const calls = await deps.calls.getCalls(detail.callIds);
  return { ...requestView(detail), calls: calls.map(callView) };
}
