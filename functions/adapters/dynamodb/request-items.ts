import { leavesOpenCallbacks } from '#core/limits/limits';
import type { SupportRequest, TimelineEvent } from '#core/requests/model';
import type { IdempotencyRecord, RequestExpectation, RequestOwner, RequestPatch } from '#ports/stores/requests';
import { keys, ttlOf } from './keys.ts';
import { openCallbackRelease } from './limit-items.ts';
import { type Table, getItem } from './table-client.ts';
import { type Item, type TransactItem, strip } from './transact.ts';

/**
 * The writes of a request item that several parts put in their transactions (requests, slots,
 * calls, attachments): its conditional update, its timeline events, its creation, and the
 * release of the citizen's open-callback place.
 */

/**
 * A request item as the domain knows it. `checkAt` is kept only as GSI2's sort key (not twice):
 * the creating write of a written request then stays under 1 KB, which halves its write units.
 */
export function requestOf(item: Item): SupportRequest {
  const request = strip<SupportRequest & Item>(item);
  if (typeof item.GSI2SK === 'string') request.checkAt = item.GSI2SK;
  return request;
}

export async function getRequestItem(table: Table, id: string): Promise<SupportRequest | undefined> {
  const item = await getItem(table, keys.request(id));
  return item ? requestOf(item) : undefined;
}

let sequence = 0;
/** Orders events written in the same millisecond by one process; the random tail keeps keys unique across processes. */
function eventSeq(): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${String(sequence).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;
}

/** The Put of a timeline event of a request. */
export function timelinePut(table: Table, requestId: string, event: TimelineEvent): TransactItem {
  return { Put: { TableName: table.name, Item: { ...keys.timelineEvent(requestId, event.at, eventSeq()), kind: 'event', ...event } } };
}

/** The Put of an idempotency record: only when none is live (an expired one may be replaced). */
export function idempotencyPut(table: Table, record: IdempotencyRecord, now: string): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: { ...keys.idempotency(record.scope), kind: 'idempotency', ...record, ttl: ttlOf(record.expiresAt) },
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': now },
    },
  };
}

/**
 * A request's place in the reconciler's index follows its `checkAt`, and its place in its queue's
 * inbox follows `inbox`: set, moved or removed with them, in the same update.
 */
function withIndexKeys(patch: RequestPatch): Record<string, unknown> {
  const { checkAt, inbox, forgetIdentityHashes: _forget, ...rest } = patch;
  const check = checkAt === undefined ? {} : checkAt === null ? { GSI2PK: null, GSI2SK: null } : keys.requestCheck(checkAt);
  const box = inbox === undefined ? {} : inbox === null ? { GSI3PK: null, GSI3SK: null } : keys.inboxIndex(inbox.queue, inbox.dueAt);
  return { ...rest, ...check, ...box };
}

/**
 * The conditional Update of a request: the patch (null removes), `updatedAt`, only from `from`
 * (and only while what `expect` names is still as it was read).
 */
export function requestUpdate(table: Table, id: string, from: readonly string[], patch: RequestPatch, at: string, expect: RequestExpectation = {}): TransactItem {
  const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':updatedAt': at };
  const sets = ['#updatedAt = :updatedAt'];
  const removes: string[] = [];
  let condition = `attribute_exists(PK) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`;
  if (expect.resumes !== undefined) {
    names['#resumes'] = 'resumes';
    values[':seenResumes'] = expect.resumes;
    condition += expect.resumes === 0 ? ' AND (attribute_not_exists(#resumes) OR #resumes = :seenResumes)' : ' AND #resumes = :seenResumes';
  }
  if (expect.attempts !== undefined) {
    names['#attempts'] = 'attempts';
    values[':seenAttempts'] = expect.attempts;
    condition += expect.attempts === 0 ? ' AND (attribute_not_exists(#attempts) OR #attempts = :seenAttempts)' : ' AND #attempts = :seenAttempts';
  }
  if (expect.assignee !== undefined) {
    names['#assignedTo'] = 'assignedTo';
    values[':assignee'] = expect.assignee;
    condition += ' AND (attribute_not_exists(#assignedTo) OR #assignedTo = :assignee)';
  }
  if (expect.holder !== undefined) {
    names['#assignedTo'] = 'assignedTo';
    values[':holder'] = expect.holder;
    condition += ' AND #assignedTo = :holder';
  }
  if (expect.extendableAt !== undefined) {
    names['#extendedTo'] = 'extendedTo';
    names['#dueBy'] = 'dueBy';
    values[':extendableAt'] = expect.extendableAt;
    condition += ' AND attribute_not_exists(#extendedTo) AND #dueBy >= :extendableAt';
  }
  if (expect.taskToken !== undefined) {
    names['#taskToken'] = 'taskToken';
    if (expect.taskToken === null) condition += ' AND attribute_not_exists(#taskToken)';
    else {
      values[':seenToken'] = expect.taskToken;
      condition += ' AND #taskToken = :seenToken';
    }
  }
  if (patch.forgetIdentityHashes) {
    names['#identity'] = 'identity';
    names['#snilsHash'] = 'snilsHash';
    names['#passportHash'] = 'passportHash';
    removes.push('#identity.#snilsHash', '#identity.#passportHash');
  }
  Object.entries(withIndexKeys(patch)).forEach(([field, value], i) => {
    if (value === undefined) return;
    names[`#f${i}`] = field;
    if (value === null) {
      removes.push(`#f${i}`);
      return;
    }
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  from.forEach((status, i) => {
    values[`:from${i}`] = status;
  });
  return {
    Update: {
      TableName: table.name,
      Key: keys.request(id),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** A new request: its number claim (unique), the request itself and its first timeline event. */
export function creationItems(table: Table, request: SupportRequest, event: TimelineEvent): TransactItem[] {
  const { checkAt, ...rest } = request;
  return [
    {
      Put: {
        TableName: table.name,
        Item: { ...keys.requestNumber(request.number), kind: 'number', requestId: request.id },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    {
      Put: {
        TableName: table.name,
        Item: {
          ...keys.request(request.id),
          ...keys.requestByOwner(request.userId, request.createdAt, request.id),
          ...(checkAt ? keys.requestCheck(checkAt) : {}),
          kind: 'request',
          ...rest,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    timelinePut(table, request.id, event),
  ];
}

/**
 * A callback leaving the open statuses gives its citizen's open-callback place back, in the
 * transaction of the status change (which is conditional, so the release happens once). Whose
 * place it is comes from `owner` when the caller read the request, else from a read of it.
 */
export async function openPlaceRelease(table: Table, requestId: string | undefined, patch: RequestPatch, at: string, owner?: RequestOwner): Promise<TransactItem[]> {
  if (!requestId || patch.status === undefined || !leavesOpenCallbacks('callback', patch.status)) return [];
  const item = owner ?? (await getItem(table, keys.request(requestId), 'userId, channel'));
  if (!item || !leavesOpenCallbacks(String(item.channel), patch.status)) return [];
  return [openCallbackRelease(table.name, String(item.userId), requestId, at)];
}
