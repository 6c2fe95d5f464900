import type { Deps } from '#ports/deps';
import { ForbiddenError, NotFoundError, StateConflictError } from '../errors.ts';
import { QUEUE_NAMES } from '../routing/routing-table.ts';
import { CLOSED_STATUSES, type SupportRequest } from './model.ts';

/**
 * Which requests an operator may act on: those routed to a queue the token's `queues` claim names,
 * and, once a request is taken, only its assignee. One module, so every operator route asks the
 * same questions the same way.
 */
export interface Operator {
  id: string;
  /** The queues the operator works (`["*"]` in the token is every queue of the routing table). */
  queues: readonly string[];
}

const NAME_LIST = /^\[([^\s[\],]+(?: [^\s[\],]+)*)?\]$/;

/**
 * The names of a list claim, strictly: a JSON array of plain names, or the string API Gateway makes
 * of such an array ("[a b]"). Any other form (a bare string, an element with a space, a comma or a
 * bracket, a nested array, a non-string) is undefined: it names nothing.
 */
export function claimNames(claim: unknown): string[] | undefined {
  if (Array.isArray(claim)) {
    const ok = claim.every((n) => typeof n === 'string' && /^[^\s[\],]+$/.test(n));
    return ok ? (claim as string[]) : undefined;
  }
  if (typeof claim !== 'string') return undefined;
  const m = NAME_LIST.exec(claim);
  if (!m) return undefined;
  return m[1] === undefined ? [] : m[1].split(' ');
}

/**
 * The `queues` claim: exact queue names of the routing table, or `*` for all of them. A claim
 * that is malformed, or names anything that is not a queue, grants no queue at all.
 */
export function parseQueuesClaim(claim: unknown): string[] {
  const names = claimNames(claim);
  if (!names || !names.every((n) => n === '*' || QUEUE_NAMES.includes(n))) return [];
  return names.includes('*') ? [...QUEUE_NAMES] : [...new Set(names)];
}

export function worksQueue(operator: Operator, queue: string): boolean {
  return operator.queues.includes(queue);
}

/** A queue the operator does not work: 403 (queue names are public, so hiding them gains nothing). */
export function assertWorksQueue(operator: Operator, queue: string): void {
  if (!worksQueue(operator, queue)) throw new ForbiddenError('Your token does not name this queue.');
}

export function inOperatorQueues(request: SupportRequest, operator: Operator): boolean {
  return request.route !== undefined && worksQueue(operator, request.route.queue);
}

/**
 * Another operator holds the open request (took it, or recorded its call; a booked retry frees
 * it). A closed request is nobody's to act on: its own status code says so.
 */
export function heldByAnother(request: SupportRequest, operatorId: string): boolean {
  return !CLOSED_STATUSES.includes(request.status) && request.assignedTo !== undefined && request.assignedTo !== operatorId;
}

export function assertNotHeldByAnother(request: SupportRequest, operatorId: string): void {
  if (heldByAnother(request, operatorId)) throw new StateConflictError('taken', 'Another operator holds this request.');
}

/** The request, when it is routed to one of the operator's queues; 404 otherwise (as if missing). */
export async function operatorRequest(deps: Pick<Deps, 'requests'>, operator: Operator, requestId: string): Promise<SupportRequest> {
  const request = await deps.requests.getRequest(requestId);
  if (!request || !inOperatorQueues(request, operator)) throw new NotFoundError('request');
  return request;
}
