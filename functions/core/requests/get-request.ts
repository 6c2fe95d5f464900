import type { Deps } from '#ports/deps';
import { NotFoundError } from '../errors.ts';
import { callView } from '../callbacks/record-call.ts';
import { requestView } from './request-view.ts';

/** Another citizen's request is reported exactly like a missing one. */
export async function getOwnRequest(deps: Pick<Deps, 'store'>, userId: string, id: string) {
  const detail = await deps.store.getRequestDetail(id);
  if (!detail || detail.request.userId !== userId) throw new NotFoundError('request');
  const calls = await deps.store.listCallsOfRequest(id);
  return { ...requestView(detail), calls: calls.map(callView) };
}
