import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '#core/attachments/model';
import { MAX_CALLS_SHOWN } from '#core/callbacks/model';
import { StaleTransitionError } from '#core/errors';
import type { RequestComment, RequestDetail, TimelineEvent } from '#core/requests/model';
import type { CommentOutcome, CreateOutcome, IdempotencyRecord, RequestStore } from '#ports/stores/requests';
import { SK_PREFIX, keys } from './keys.ts';
import { openCallbackTake, readWindow, windowFound, windowPut } from './limit-items.ts';
import { creationItems, getRequestItem, idempotencyPut, openPlaceRelease, requestOf, requestUpdate, timelinePut } from './request-items.ts';
import { type Table, getItem, getItems, queryAll, queryIndex } from './table-client.ts';
import { type Item, type TransactItem, failedCondition, strip } from './transact.ts';

/**
 * Requests in their partition `REQ#<id>` (the request, its timeline, comments and notices), their
 * number claims, idempotency records and the citizen's limit windows: each write of a request
 * counts its limits in its own transaction, so a failed write spends no place.
 */
export function dynamoRequestStore(table: Table): RequestStore {
  const { doc, name: tableName } = table;

  /** The record that won a race for an idempotency scope. */
  async function storedRecord(scope: string, cause: unknown): Promise<IdempotencyRecord> {
    const item = await getItem(table, keys.idempotency(scope));
    // Expired and deleted in between: surface the original failure; a client retry creates afresh.
    if (!item) throw cause;
    return strip<IdempotencyRecord & Item>(item);
  }

  return {
    getLimitWindow: (window, userId) => readWindow(doc, tableName, window, userId),

    async createRequest(request, event, idempotency, now, limits): Promise<CreateOutcome> {
      const items: TransactItem[] = [];
      if (idempotency) items.push(idempotencyPut(table, idempotency, now));
      const numberAt = items.length;
      items.push(...creationItems(table, request, event));
      // The limits are counted by the creating transaction itself: a failed create spends no place.
      const windowAt = limits ? items.push(windowPut(tableName, 'requests', limits.window)) - 1 : -1;
      const openAt = limits?.openCallbacks !== undefined ? items.push(openCallbackTake(tableName, request.userId, request.id, limits.openCallbacks, now)) - 1 : -1;
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { kind: 'created' };
      } catch (error) {
        if (idempotency && failedCondition(error, 0)) return { kind: 'replay', record: await storedRecord(idempotency.scope, error) };
        if (failedCondition(error, numberAt)) return { kind: 'number_taken' };
        if (windowAt >= 0 && failedCondition(error, windowAt)) {
          const current = windowFound(error, windowAt);
          return current ? { kind: 'window_changed', current } : { kind: 'window_changed' };
        }
        if (openAt >= 0 && failedCondition(error, openAt)) return { kind: 'too_many_open' };
        throw error;
      }
    },

    async getIdempotencyRecord(scope, now) {
      const item = await getItem(table, keys.idempotency(scope));
      const record = item ? strip<IdempotencyRecord & Item>(item) : undefined;
      // TTL deletes late: an expired record is absent whatever DynamoDB still holds.
      return record && record.expiresAt > now ? record : undefined;
    },

    getRequest: (id) => getRequestItem(table, id),

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
        ...creationItems(table, request, event),
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
      const out = await queryIndex(table, keys.ownerRequestsPartition(userId), {
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
      const names: Record<string, string> = { '#status': 'status' };
      if (limits?.holder !== undefined) {
        // An operator's comment: written only while that operator holds the request.
        names['#assignedTo'] = 'assignedTo';
        values[':holder'] = limits.holder;
        condition += ' AND #assignedTo = :holder';
      }
      const items: TransactItem[] = [];
      if (idempotency) items.push(idempotencyPut(table, idempotency, now));
      const requestAt = items.length;
      items.push(
        {
          Update: {
            TableName: tableName,
            Key: keys.request(requestId),
            UpdateExpression: update,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        { Put: { TableName: tableName, Item: { ...keys.comment(requestId, comment.at, comment.id), kind: 'comment', ...comment } } },
      );
      const windowAt = limits?.window ? items.push(windowPut(tableName, 'comments', limits.window)) - 1 : -1;
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { kind: 'created' };
      } catch (error) {
        if (idempotency && failedCondition(error, 0)) return { kind: 'replay', record: await storedRecord(idempotency.scope, error) };
        if (failedCondition(error, requestAt)) {
          const request = await getRequestItem(table, requestId);
          if (!request) return { kind: 'not_found' };
          if (!open.includes(request.status)) return { kind: 'closed' };
          return limits?.holder !== undefined && request.assignedTo !== limits.holder ? { kind: 'not_held' } : { kind: 'too_many' };
        }
        if (windowAt >= 0 && failedCondition(error, windowAt)) return { kind: 'window_changed' };
        throw error;
      }
    },

    async noticeSent(requestId, notice) {
      return (await getItem(table, keys.notice(requestId, notice))) !== undefined;
    },

    async getRequestForNotice(requestId, notice) {
      const [request, mark] = await getItems(table, [keys.request(requestId), keys.notice(requestId, notice)]);
      return { request: request ? requestOf(request) : undefined, noticeSent: mark !== undefined };
    },

    async recordNotice(requestId, notice, at) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.notice(requestId, notice), kind: 'notice', notice, at } }));
    },

    async getRequestDetail(id): Promise<RequestDetail | undefined> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.requestPartition(id) },
        ConsistentRead: true,
      });
      const meta = items.find((i) => i.SK === SK_PREFIX.meta);
      if (!meta) return undefined;
      const of = <T>(prefix: string) => items.filter((i) => String(i.SK).startsWith(prefix)).map((i) => strip<T & Item>(i));
      // The call links (`CALL#<queuedAt>#<id>`) come in key order, oldest first: the same partition read serves them.
      const callIds = items.filter((i) => String(i.SK).startsWith(SK_PREFIX.call)).slice(0, MAX_CALLS_SHOWN).map((i) => String(i.callId));
      return {
        request: requestOf(meta),
        timeline: of<TimelineEvent>(SK_PREFIX.event),
        comments: of<RequestComment>(SK_PREFIX.comment),
        attachments: of<Attachment>(SK_PREFIX.attachment),
        callIds,
      };
    },

    async transition(id, from, patch, event, at, effects) {
      const items: TransactItem[] = [requestUpdate(table, id, from, patch, at, effects?.expect), timelinePut(table, id, event)];
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
      items.push(...(await openPlaceRelease(table, id, patch, at, effects?.owner)));
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        if (failedCondition(error, 0)) throw new StaleTransitionError(`request is no longer in ${from.join('|')}`);
        if (error instanceof ConditionalCheckFailedException) throw new StaleTransitionError('request moved on');
        throw error;
      }
    },
  };
}
