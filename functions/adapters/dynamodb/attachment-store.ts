import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '#core/attachments/model';
import type { AttachmentOutcome, AttachmentStore } from '#ports/stores/attachments';
import { SK_PREFIX, keys } from './keys.ts';
import { getRequestItem, timelinePut } from './request-items.ts';
import { type Table, getItem, queryAll } from './table-client.ts';
import { type Item, type TransactItem, failedCondition, strip } from './transact.ts';

/**
 * A request's attachments (`ATT#<id>` in the request's partition). The request counts those that
 * are not rejected itself (`attachmentCount`), so concurrent uploads can never pass the limit.
 */
export function dynamoAttachmentStore(table: Table): AttachmentStore {
  const { doc, name: tableName } = table;
  return {
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
        const request = await getRequestItem(table, attachment.requestId);
        if (!request) return 'not_found';
        return open.includes(request.status) ? 'too_many' : 'closed';
      }
    },

    async getAttachment(requestId, attachmentId) {
      const item = await getItem(table, keys.attachment(requestId, attachmentId));
      return item ? strip<Attachment & Item>(item) : undefined;
    },

    async listAttachments(requestId) {
      const items = await queryAll(table, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :att)',
        ExpressionAttributeValues: { ':pk': keys.requestPartition(requestId), ':att': SK_PREFIX.attachment },
        ConsistentRead: true,
      });
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
        timelinePut(table, requestId, event),
      ];
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (failedCondition(error, 0)) return false;
        throw error;
      }
    },
  };
}
