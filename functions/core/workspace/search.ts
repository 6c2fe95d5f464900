import type { Clock } from '#ports/clock';
import type { CallTimeRef, WorkspaceStore } from '#ports/stores/workspace';
import type { CallRecord } from '../callbacks/model.ts';
import { ValidationError } from '../errors.ts';
import { parsePhone } from '../phone/phone.ts';
import { deadlineInForce } from '../requests/deadlines.ts';
import type { SupportRequest } from '../requests/model.ts';
import { type Operator, inOperatorQueues, worksQueue } from '../requests/operator-access.ts';
import type { SearchLookups } from './lookups.ts';

/**
 * Search within the operator's queues: by request number (exact), by phone (the profile phone, a
 * callback or contact phone, a call's phone: any accepted input form) or by the time of a call
 * (calls going on within ±15 minutes, optionally of one phone). Every read is a GetItem or a Query
 * on a key made for it (docs/DESIGN.md); the results are filtered to the operator's queues.
 */
export const CALL_WINDOW_MS = 15 * 60_000;
export const MAX_RESULTS = 50;
const NUMBER = /^\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/;

export type SearchDeps = SearchLookups & { workspace: WorkspaceStore; clock: Clock };

export interface SearchQuery {
  number?: string;
  phone?: string;
  callAt?: string;
}

type Mode = { kind: 'number'; number: string } | { kind: 'phone'; phone: string } | { kind: 'time'; at: Date; phone?: string };

function phoneOf(input: string): string {
  const parsed = parsePhone(input);
  if (!parsed.ok) throw new ValidationError([{ path: 'phone', code: parsed.code, message: 'Not a Russian phone number.' }]);
  return parsed.phone.e164;
}

/** Exactly one way to search: a number alone, a phone alone, or a time with an optional phone. */
export function searchMode(query: SearchQuery): Mode {
  const { number, phone, callAt } = query;
  if (number !== undefined) {
    const extra = (['phone', 'callAt'] as const).filter((k) => query[k] !== undefined);
    if (extra.length > 0) throw new ValidationError(extra.map((path) => ({ path, code: 'unexpected', message: 'Search by number alone.' })));
    const normal = number.trim().toUpperCase();
    if (!NUMBER.test(normal)) throw new ValidationError([{ path: 'number', code: 'invalid_format', message: 'A request number looks like 20261126-7KQ3ZD.' }]);
    return { kind: 'number', number: normal };
  }
  if (callAt !== undefined) return phone === undefined ? { kind: 'time', at: new Date(callAt) } : { kind: 'time', at: new Date(callAt), phone: phoneOf(phone) };
  if (phone !== undefined) return { kind: 'phone', phone: phoneOf(phone) };
  throw new ValidationError([{ path: '', code: 'required', message: 'Give number, phone or callAt.' }]);
}

export function searchRequestView(r: SupportRequest) {
  const due = deadlineInForce(r);
  return {
    id: r.id,
    number: r.number,
    channel: r.channel,
    type: r.type,
    status: r.status,
    queue: r.route?.queue ?? '',
    createdAt: r.createdAt,
    ...(due !== undefined ? { dueBy: due } : {}),
    ...(r.assignedTo !== undefined ? { assignedTo: r.assignedTo } : {}),
  };
}

export function searchCallView(c: CallRecord) {
  return {
    id: c.id,
    ...(c.requestId !== undefined ? { requestId: c.requestId } : {}),
    ...(c.queue !== undefined ? { queue: c.queue } : {}),
    direction: c.direction,
    phone: c.phone,
    operatorId: c.operatorId,
    queuedAt: c.queuedAt,
    ...(c.answeredAt !== undefined ? { answeredAt: c.answeredAt } : {}),
    endedAt: c.endedAt,
    outcome: c.outcome,
  };
}

/** A call of the operator's queues; one linked to no request is in no queue, and only its recorder sees it. */
function callVisible(call: Pick<CallRecord | CallTimeRef, 'queue' | 'operatorId'>, operator: Operator): boolean {
  return call.queue !== undefined ? worksQueue(operator, call.queue) : call.operatorId === operator.id;
}

async function requestsByIds(deps: SearchDeps, ids: Iterable<string>): Promise<SupportRequest[]> {
  const found = await Promise.all([...new Set(ids)].map((id) => deps.requests.getRequest(id)));
  return found.filter((r): r is SupportRequest => r !== undefined);
}

async function callsByIds(deps: SearchDeps, ids: Iterable<string>): Promise<CallRecord[]> {
  const found = await Promise.all([...new Set(ids)].map((id) => deps.calls.getCall(id)));
  return found.filter((c): c is CallRecord => c !== undefined);
}

function newestFirst<T extends { createdAt?: string; queuedAt?: string; id: string }>(items: T[]): T[] {
  const key = (i: T) => `${i.createdAt ?? i.queuedAt ?? ''}#${i.id}`;
  return [...items].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}

function unique<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.id, i])).values()];
}

export async function search(deps: SearchDeps, operator: Operator, query: SearchQuery) {
  const mode = searchMode(query);
  let requests: SupportRequest[] = [];
  let calls: CallRecord[] = [];
  if (mode.kind === 'number') {
    const id = await deps.workspace.requestIdByNumber(mode.number);
    requests = id ? await requestsByIds(deps, [id]) : [];
    requests = requests.filter((r) => inOperatorQueues(r, operator));
    calls = requests.length > 0 ? await deps.calls.listCallsOfRequest(requests[0]!.id) : [];
  } else if (mode.kind === 'phone') {
    const [userId, refs] = await Promise.all([deps.profiles.userByPhone(mode.phone), deps.workspace.phoneRefs(mode.phone, 2 * MAX_RESULTS)]);
    const [own, ownCalls, referred, referredCalls] = await Promise.all([
      userId ? deps.requests.listRequestsByOwner(userId, MAX_RESULTS).then((p) => p.items) : Promise.resolve([]),
      userId ? deps.calls.listCallsByOwner(userId, MAX_RESULTS) : Promise.resolve([]),
      requestsByIds(deps, refs.filter((r) => r.kind === 'request' && worksQueue(operator, r.queue)).map((r) => (r.kind === 'request' ? r.requestId : ''))),
      callsByIds(deps, refs.filter((r) => r.kind === 'call' && callVisible({ queue: r.queue, operatorId: operator.id }, operator)).map((r) => (r.kind === 'call' ? r.callId : ''))),
    ]);
    requests = unique([...own, ...referred]).filter((r) => inOperatorQueues(r, operator));
    calls = unique([...ownCalls, ...referredCalls]);
  } else {
    const from = new Date(mode.at.getTime() - CALL_WINDOW_MS).toISOString();
    const to = new Date(mode.at.getTime() + CALL_WINDOW_MS).toISOString();
    const refs = (await deps.workspace.callsAround(from, to, 4 * MAX_RESULTS)).filter((r) => callVisible(r, operator));
    calls = (await callsByIds(deps, refs.map((r) => r.callId))).filter((c) => mode.phone === undefined || c.phone === mode.phone);
    requests = (await requestsByIds(deps, calls.flatMap((c) => (c.requestId ? [c.requestId] : []))))
      .filter((r) => inOperatorQueues(r, operator));
    calls = calls.slice(0, MAX_RESULTS);
    return { requests: requests.map(searchRequestView), calls: calls.filter((c) => callVisible(c, operator)).map(searchCallView) };
  }
  return {
    requests: newestFirst(requests).slice(0, MAX_RESULTS).map(searchRequestView),
    calls: newestFirst(calls.filter((c) => callVisible(c, operator))).slice(0, MAX_RESULTS).map(searchCallView),
  };
}
