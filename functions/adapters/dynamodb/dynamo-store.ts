import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '#core/attachments/model';
import { StaleTransitionError } from '#core/errors';
import { type CallRecord, MAX_CALLS_SHOWN, type QueueEntry } from '#core/callbacks/model';
import { leavesOpenCallbacks } from '#core/limits/limits';
import type { RequestComment, RequestDetail, SupportRequest, TimelineEvent } from '#core/requests/model';
import { TABLE } from './table-definition.ts';
import type { AttachmentOutcome, CommentOutcome, CreateOutcome, IdempotencyRecord, RequestExpectation, RequestPatch, Store } from '#ports/store';
import { SK_PREFIX, keys, ttlOf } from './keys.ts';
import { openCallbackRelease, openCallbackTake, readWindow, windowPut } from './limit-items.ts';
import { profileCodeMethods } from './profile-code-store.ts';
import { withRetention } from './retention.ts';
import { type Item, type TransactItem, conflictedOnly, failedCondition, strip } from './transact.ts';

/**
 * A request item as the domain knows it. `checkAt` is kept only as GSI2's sort key (not twice):
 * the creating write of a written request then stays under 1 KB, which halves its write units.
 */
function requestOf(item: Item): SupportRequest {
  const request = strip<SupportRequest & Item>(item);
  if (typeof item.GSI2SK === 'string') request.checkAt = item.GSI2SK;
  return request;
}

let sequence = 0;
/** Orders events written in the same millisecond by one process; the random tail keeps keys unique across processes. */
function eventSeq(): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${String(sequence).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;
}

function timelineItem(requestId: string, event: TimelineEvent): Item {
  return { ...keys.timelineEvent(requestId, event.at, eventSeq()), kind: 'event', ...event };
}

/** The Put of an idempotency record: only when none is live (an expired one may be replaced). */
function idempotencyPut(tableName: string, record: IdempotencyRecord, now: string) {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.idempotency(record.scope), kind: 'idempotency', ...record, ttl: ttlOf(record.expiresAt) },
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': now },
    },
  };
}

/** A request's place in the reconciler's index follows its `checkAt`: set, moved or removed with it. */
function withCheckKeys(patch: RequestPatch): Record<string, unknown> {
  const { checkAt, ...rest } = patch;
  if (checkAt === undefined) return rest;
  if (checkAt === null) return { ...rest, GSI2PK: null, GSI2SK: null };
  return { ...rest, ...keys.requestCheck(checkAt) };
}

/**
 * The conditional Update of a request: the patch (null removes), `updatedAt`, only from `from`
 * (and only while what `expect` names is still as it was read).
 */
function requestUpdate(tableName: string, id: string, from: readonly string[], patch: RequestPatch, at: string, expect: RequestExpectation = {}): TransactItem {
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
  if (expect.taskToken !== undefined) {
    names['#taskToken'] = 'taskToken';
    if (expect.taskToken === null) condition += ' AND attribute_not_exists(#taskToken)';
    else {
      values[':seenToken'] = expect.taskToken;
      condition += ' AND #taskToken = :seenToken';
    }
  }
  Object.entries(withCheckKeys(patch)).forEach(([field, value], i) => {
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
      TableName: tableName,
      Key: keys.request(id),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Attempts of a booking transaction that only conflicted (docs/operations.md, "Scale"). */
const BOOKING_ATTEMPTS = 6;

export function dynamoStore(client: DynamoDBClient, tableName: string): Store {
  // Every item put gets its retention TTL (retention.ts).
  const doc = withRetention(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }));

  /** The record that won a race for an idempotency scope. */
  async function storedRecord(scope: string, cause: unknown): Promise<IdempotencyRecord> {
    const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.idempotency(scope), ConsistentRead: true }));
    // Expired and deleted in between: surface the original failure; a client retry creates afresh.
    if (!out.Item) throw cause;
    return strip<IdempotencyRecord & Item>(out.Item);
  }

  /** A new request: its number claim (unique), the request itself and its first timeline event. */
  function creationItems(request: SupportRequest, event: TimelineEvent): TransactItem[] {
    return [
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.requestNumber(request.number), kind: 'number', requestId: request.id },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: (({ checkAt, ...rest }) => ({
            ...keys.request(request.id),
            ...keys.requestByOwner(request.userId, request.createdAt, request.id),
            ...(checkAt ? keys.requestCheck(checkAt) : {}),
            kind: 'request',
            ...rest,
          }))(request),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { TableName: tableName, Item: timelineItem(request.id, event) } },
    ];
  }

  /** One page of GSI1 for a partition (`forward` false: newest first). */
  async function queryIndex(partition: string, options: { limit?: number; forward?: boolean; count?: boolean; start?: Item } = {}) {
    const index = TABLE.indexes[0];
    return doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
        ...(options.forward === false ? { ScanIndexForward: false } : {}),
        ...(options.limit !== undefined ? { Limit: options.limit } : {}),
        ...(options.count ? { Select: 'COUNT' as const } : {}),
        ...(options.start ? { ExclusiveStartKey: options.start } : {}),
      }),
    );
  }

  async function getRequest(id: string): Promise<SupportRequest | undefined> {
    const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.request(id), ConsistentRead: true }));
    return out.Item ? requestOf(out.Item) : undefined;
  }

  /**
   * A callback leaving the open statuses gives its citizen's open-callback place back, in the
   * transaction of the status change (which is conditional, so the release happens once).
   */
  async function openPlaceRelease(requestId: string | undefined, patch: RequestPatch, at: string): Promise<TransactItem[]> {
    if (!requestId || patch.status === undefined || !leavesOpenCallbacks('callback', patch.status)) return [];
    const out = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.request(requestId), ProjectionExpression: 'userId, channel', ConsistentRead: true }),
    );
    if (!out.Item || !leavesOpenCallbacks(String(out.Item.channel), patch.status)) return [];
    return [openCallbackRelease(tableName, String(out.Item.userId), requestId, at)];
  }

  return {
    ...profileCodeMethods(doc, tableName),

    getLimitWindow: (window, userId) => readWindow(doc, tableName, window, userId),

    async createRequest(request, event, idempotency, now, limits): Promise<CreateOutcome> {
      const items: TransactItem[] = [];
      if (idempotency) items.push(idempotencyPut(tableName, idempotency, now));
      const numberAt = items.length;
      items.push(...creationItems(request, event));
      // The limits are counted by the creating transaction itself: a failed create spends no place.
      const windowAt = limits ? items.push(windowPut(tableName, 'requests', limits.window)) - 1 : -1;
      const openAt = limits?.openCallbacks !== undefined ? items.push(openCallbackTake(tableName, request.userId, request.id, limits.openCallbacks, now)) - 1 : -1;
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { kind: 'created' };
      } catch (error) {
        if (idempotency && failedCondition(error, 0)) return { kind: 'replay', record: await storedRecord(idempotency.scope, error) };
        if (failedCondition(error, numberAt)) return { kind: 'number_taken' };
        if (windowAt >= 0 && failedCondition(error, windowAt)) return { kind: 'window_changed' };
        if (openAt >= 0 && failedCondition(error, openAt)) return { kind: 'too_many_open' };
        throw error;
      }
    },

    async getIdempotencyRecord(scope, now) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.idempotency(scope), ConsistentRead: true }));
      const record = out.Item ? strip<IdempotencyRecord & Item>(out.Item) : undefined;
      // TTL deletes late: an expired record is absent whatever DynamoDB still holds.
      return record && record.expiresAt > now ? record : undefined;
    },

    getRequest,

    async slotCounts(queue, days) {
      const counts = new Map<string, number>();
      await Promise.all(
        days.map(async (day) => {
          let start: Item | undefined;
          do {
            const out = await doc.send(
              new QueryCommand({
                TableName: tableName,
                KeyConditionExpression: 'PK = :pk',
                ExpressionAttributeValues: { ':pk': keys.slotDay(queue, day) },
                ConsistentRead: true,
                ExclusiveStartKey: start,
              }),
            );
            for (const item of out.Items ?? []) counts.set(String(item.SK), Number(item.booked ?? 0));
            start = out.LastEvaluatedKey;
          } while (start);
        }),
      );
      return counts;
    },

    async bookSlot(requestId, from, slot, patch, event, at) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: tableName,
                    Key: keys.slotCounter(slot.queue, slot.day, slot.start),
                    UpdateExpression: 'ADD booked :one SET kind = :kind',
                    ConditionExpression: 'attribute_not_exists(booked) OR booked < :capacity',
                    ExpressionAttributeValues: { ':one': 1, ':capacity': slot.capacity, ':kind': 'slot' },
                  },
                },
                requestUpdate(tableName, requestId, from, patch, at),
                { Put: { TableName: tableName, Item: timelineItem(requestId, event) } },
              ],
            }),
          );
          return 'booked';
        } catch (error) {
          if (failedCondition(error, 0)) return 'full';
          if (failedCondition(error, 1)) throw new StaleTransitionError(`request is no longer in ${from.join('|')}`);
          if (!conflictedOnly(error) || attempt >= BOOKING_ATTEMPTS) throw error;
          // Jittered, growing pause (10–20 ms, doubling) so the transactions of a burst spread out.
          await new Promise((r) => setTimeout(r, 10 * 2 ** (attempt - 1) * (1 + Math.random())));
        }
      }
    },

    async enqueue(entry, taskToken, expect) {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.queueEntry(entry.requestId), ...keys.queueIndex(entry.queue, entry.dueAt, entry.createdAt, entry.requestId), kind: 'queue', ...entry },
                },
              },
              requestUpdate(tableName, entry.requestId, ['scheduled', 'in_progress'], { taskToken }, new Date().toISOString(), expect),
            ],
          }),
        );
      } catch (error) {
        if (failedCondition(error, 1)) throw new StaleTransitionError('callback no longer awaits a call');
        throw error;
      }
    },

    async listQueue(queue, limit) {
      const out = await queryIndex(keys.queuePartition(queue), { limit });
      return (out.Items ?? []).map((i) => strip<QueueEntry & Item>(i));
    },

    async countQueue(queue) {
      let count = 0;
      let start: Item | undefined;
      do {
        const out = await queryIndex(keys.queuePartition(queue), { count: true, ...(start ? { start } : {}) });
        count += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return count;
    },

    async putCall(call, request) {
      const items: TransactItem[] = [
        { Put: { TableName: tableName, Item: { ...keys.call(call.id), ...(call.userId ? keys.callByOwner(call.userId, call.queuedAt, call.id) : {}), kind: 'call', ...call } } },
      ];
      if (call.queue) {
        items.push({ Put: { TableName: tableName, Item: { ...keys.queueWait(call.queue, call.queuedAt, call.id), kind: 'wait', waitSeconds: call.waitSeconds, ttl: ttlOf(call.endedAt) + 86_400 } } });
      }
      if (call.requestId) items.push({ Put: { TableName: tableName, Item: { ...keys.requestCall(call.requestId, call.queuedAt, call.id), kind: 'request-call', callId: call.id } } });
      if (call.requestId && request) {
        items.push({ Delete: { TableName: tableName, Key: keys.queueEntry(call.requestId) } });
        items.push(requestUpdate(tableName, call.requestId, request.from, request.patch, request.at, request.expect));
        items.push({ Put: { TableName: tableName, Item: timelineItem(call.requestId, request.event) } });
        items.push(...(await openPlaceRelease(call.requestId, request.patch, request.at)));
      }
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        const updateIndex = items.findIndex((i) => i.Update);
        if (updateIndex >= 0 && failedCondition(error, updateIndex)) throw new StaleTransitionError('request no longer awaits a call');
        throw error;
      }
    },

    async getCall(id) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.call(id), ConsistentRead: true }));
      return out.Item ? strip<CallRecord & Item>(out.Item) : undefined;
    },

    async listCallsByOwner(userId, limit) {
      const out = await queryIndex(keys.ownerCallsPartition(userId), { forward: false, limit });
      return (out.Items ?? []).map((i) => strip<CallRecord & Item>(i));
    },

    async listCallsOfRequest(requestId) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :call)',
          ExpressionAttributeValues: { ':pk': keys.requestPartition(requestId), ':call': SK_PREFIX.call },
          ConsistentRead: true,
          Limit: MAX_CALLS_SHOWN,
        }),
      );
      const ids = (out.Items ?? []).map((i) => String(i.callId));
      if (ids.length === 0) return [];
      const got = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: ids.map((id) => keys.call(id)), ConsistentRead: true } } }));
      const byId = new Map((got.Responses?.[tableName] ?? []).map((i) => [String(i.id), strip<CallRecord & Item>(i)]));
      return ids.flatMap((id) => (byId.has(id) ? [byId.get(id) as CallRecord] : []));
    },

    async recentWaits(queue, since) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND SK >= :since',
          ExpressionAttributeValues: { ':pk': keys.queueWaitsPartition(queue), ':since': since },
          ScanIndexForward: false,
          Limit: 50,
        }),
      );
      return (out.Items ?? []).map((i) => Number(i.waitSeconds));
    },

    async createClaim(request, event, callId, window) {
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tableName,
            Key: keys.call(callId),
            UpdateExpression: 'SET claimRequestId = :request',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(claimRequestId)',
            ExpressionAttributeValues: { ':request': request.id },
          },
        },
        ...creationItems(request, event),
        ...(window ? [windowPut(tableName, 'requests', window)] : []),
      ];
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { kind: 'created' as const };
      } catch (error) {
        if (failedCondition(error, 0)) return { kind: 'already_claimed' as const };
        if (failedCondition(error, 1)) return { kind: 'number_taken' as const };
        if (window && failedCondition(error, items.length - 1)) return { kind: 'window_changed' as const };
        throw error;
      }
    },

    async listRequestsByOwner(userId, limit, after) {
      const out = await queryIndex(keys.ownerRequestsPartition(userId), {
        forward: false,
        limit,
        ...(after ? { start: { ...keys.request(after.id), ...keys.requestByOwner(userId, after.createdAt, after.id) } } : {}),
      });
      const items = (out.Items ?? []).map(requestOf);
      const last = items.at(-1);
      return out.LastEvaluatedKey && last ? { items, next: { createdAt: last.createdAt, id: last.id } } : { items };
    },

    async appendComment(requestId, comment, open, idempotency, now, limits): Promise<CommentOutcome> {
      const values: Record<string, unknown> = { ':now': now };
      open.forEach((status, i) => {
        values[`:open${i}`] = status;
      });
      let update = 'SET updatedAt = :now';
      let condition = `attribute_exists(PK) AND #status IN (${open.map((_, i) => `:open${i}`).join(', ')})`;
      if (limits) {
        // The request counts its comments itself, so concurrent comments never pass the cap.
        update += ', commentCount = if_not_exists(commentCount, :zero) + :one';
        condition += ' AND (attribute_not_exists(commentCount) OR commentCount < :max)';
        Object.assign(values, { ':zero': 0, ':one': 1, ':max': limits.perRequest });
      }
      const items: TransactItem[] = [];
      if (idempotency) items.push(idempotencyPut(tableName, idempotency, now));
      const requestAt = items.length;
      items.push(
        {
          Update: {
            TableName: tableName,
            Key: keys.request(requestId),
            UpdateExpression: update,
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: values,
          },
        },
        { Put: { TableName: tableName, Item: { ...keys.comment(requestId, comment.at, comment.id), kind: 'comment', ...comment } } },
      );
      const windowAt = limits ? items.push(windowPut(tableName, 'comments', limits.window)) - 1 : -1;
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { kind: 'created' };
      } catch (error) {
        if (idempotency && failedCondition(error, 0)) return { kind: 'replay', record: await storedRecord(idempotency.scope, error) };
        if (failedCondition(error, requestAt)) {
          const request = await getRequest(requestId);
          if (!request) return { kind: 'not_found' };
          return open.includes(request.status) ? { kind: 'too_many' } : { kind: 'closed' };
        }
        if (windowAt >= 0 && failedCondition(error, windowAt)) return { kind: 'window_changed' };
        throw error;
      }
    },

    async noticeSent(requestId, notice) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.notice(requestId, notice), ConsistentRead: true }));
      return out.Item !== undefined;
    },

    async recordNotice(requestId, notice, at) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.notice(requestId, notice), kind: 'notice', notice, at } }));
    },

    async getRequestDetail(id): Promise<RequestDetail | undefined> {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': keys.requestPartition(id) },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      const meta = items.find((i) => i.SK === SK_PREFIX.meta);
      if (!meta) return undefined;
      const timeline = items
        .filter((i) => String(i.SK).startsWith(SK_PREFIX.event))
        .map((i) => strip<TimelineEvent & Item>(i));
      const comments = items
        .filter((i) => String(i.SK).startsWith(SK_PREFIX.comment))
        .map((i) => strip<RequestComment & Item>(i));
      const attachments = items
        .filter((i) => String(i.SK).startsWith(SK_PREFIX.attachment))
        .map((i) => strip<Attachment & Item>(i));
      return { request: requestOf(meta), timeline, comments, attachments };
    },

    async createAttachment(attachment, open, max, at): Promise<AttachmentOutcome> {
      const values: Record<string, unknown> = { ':at': at, ':zero': 0, ':one': 1, ':max': max.live, ':maxTotal': max.total };
      open.forEach((status, i) => {
        values[`:open${i}`] = status;
      });
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                // The count of attachments that are not rejected is the request's own attribute, so
                // concurrent uploads can never pass the limit together.
                Update: {
                  TableName: tableName,
                  Key: keys.request(attachment.requestId),
                  UpdateExpression:
                    'SET updatedAt = :at, attachmentCount = if_not_exists(attachmentCount, :zero) + :one, attachmentTotal = if_not_exists(attachmentTotal, :zero) + :one',
                  ConditionExpression:
                    `attribute_exists(PK) AND #status IN (${open.map((_, i) => `:open${i}`).join(', ')}) ` +
                    'AND (attribute_not_exists(attachmentCount) OR attachmentCount < :max) ' +
                    'AND (attribute_not_exists(attachmentTotal) OR attachmentTotal < :maxTotal)',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: values,
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.attachment(attachment.requestId, attachment.id), kind: 'attachment', ...attachment },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return 'created';
      } catch (error) {
        if (!failedCondition(error, 0)) throw error;
        const request = await getRequest(attachment.requestId);
        if (!request) return 'not_found';
        return open.includes(request.status) ? 'too_many' : 'closed';
      }
    },

    async getAttachment(requestId, attachmentId) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.attachment(requestId, attachmentId), ConsistentRead: true }));
      return out.Item ? strip<Attachment & Item>(out.Item) : undefined;
    },

    async listAttachments(requestId) {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :att)',
            ExpressionAttributeValues: { ':pk': keys.requestPartition(requestId), ':att': SK_PREFIX.attachment },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      return items.map((i) => strip<Attachment & Item>(i));
    },

    async settleAttachment(requestId, attachmentId, from, to, event, at) {
      if (from === 'rejected') throw new Error('a rejected attachment stays rejected');
      const rejected = to.status === 'rejected';
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tableName,
            Key: keys.attachment(requestId, attachmentId),
            UpdateExpression: `SET #status = :to, settledAt = :at${rejected ? ', #reason = :reason' : ''}`,
            ConditionExpression: 'attribute_exists(PK) AND #status = :from',
            ExpressionAttributeNames: { '#status': 'status', ...(rejected ? { '#reason': 'reason' } : {}) },
            ExpressionAttributeValues: { ':to': to.status, ':from': from, ':at': at, ...(to.status === 'rejected' ? { ':reason': to.reason } : {}) },
          },
        },
        {
          // A rejected file gives its place back.
          Update: {
            TableName: tableName,
            Key: keys.request(requestId),
            UpdateExpression: rejected ? 'SET updatedAt = :at ADD attachmentCount :minus' : 'SET updatedAt = :at',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':at': at, ...(rejected ? { ':minus': -1 } : {}) },
          },
        },
        { Put: { TableName: tableName, Item: timelineItem(requestId, event) } },
      ];
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (failedCondition(error, 0)) return false;
        throw error;
      }
    },

    async transition(id, from, patch: RequestPatch, event, at, effects) {
      const items: TransactItem[] = [requestUpdate(tableName, id, from, patch, at, effects?.expect), { Put: { TableName: tableName, Item: timelineItem(id, event) } }];
      const release = effects?.releaseSlot;
      if (release) {
        // Freed with the status change itself: two cancels at once free the place once.
        items.push({
          Update: {
            TableName: tableName,
            Key: keys.slotCounter(release.queue, release.day, release.start),
            UpdateExpression: 'ADD booked :minus',
            ConditionExpression: 'booked > :zero',
            ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
          },
        });
      }
      if (release || effects?.dequeue) items.push({ Delete: { TableName: tableName, Key: keys.queueEntry(id) } });
      items.push(...(await openPlaceRelease(id, patch, at)));
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        if (failedCondition(error, 0)) throw new StaleTransitionError(`request is no longer in ${from.join('|')}`);
        if (error instanceof ConditionalCheckFailedException) throw new StaleTransitionError('request moved on');
        throw error;
      }
      const updated = await getRequest(id);
      if (!updated) throw new StaleTransitionError('request vanished');
      return updated;
    },

    async listDueChecks(until, limit, after) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK <= :until',
          ExpressionAttributeValues: { ':pk': keys.checkPartition, ':until': until },
          Limit: limit,
          ...(after ? { ExclusiveStartKey: { ...keys.request(after.id), ...keys.requestCheck(after.checkAt) } } : {}),
        }),
      );
      return (out.Items ?? []).map((item) => ({ id: keys.requestIdOf(String(item.PK)), checkAt: String(item.GSI2SK) }));
    },
  };
}
