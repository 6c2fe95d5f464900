import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type OtpRecord, otpRetainUntil } from '#core/otp/otp';
import type { CodeStore } from '#ports/stores/codes';
import { keys, ttlOf } from './keys.ts';
import { type Table, getItem } from './table-client.ts';
import { type Item, type TransactItem, strip, transact } from './transact.ts';

/** Marks the code used: only the very code the try was spent on, and only once (confirmCall, changeProfilePhone). */
export function otpUse(table: Table, spent: OtpRecord): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: keys.otp(spent.purpose, spent.subject),
      UpdateExpression: 'SET #used = :true',
      ConditionExpression: 'codeHash = :hash AND #used = :false',
      ExpressionAttributeNames: { '#used': 'used' },
      ExpressionAttributeValues: { ':hash': spent.codeHash, ':true': true, ':false': false },
    },
  };
}

/**
 * One-time codes `OTP#<purpose>#<subject>`. A code's try is spent by one conditional UpdateItem
 * (`attemptsLeft > 0`, unused, not expired) before any guess is compared, so parallel guesses
 * cannot share a try.
 */
export function dynamoCodeStore(table: Table): CodeStore {
  const { doc, name: tableName } = table;
  const otpItem = (record: OtpRecord): Item => ({ ...keys.otp(record.purpose, record.subject), kind: 'otp', ...record, ttl: ttlOf(otpRetainUntil(record)) });
  return {
    async getOtp(purpose, subject) {
      const item = await getItem(table, keys.otp(purpose, subject));
      return item ? strip<OtpRecord & Item>(item) : undefined;
    },

    async putOtp(record, prevIssuedAt) {
      return transact(doc, [
        {
          Put: {
            TableName: tableName,
            Item: otpItem(record),
            ...(prevIssuedAt === undefined
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : { ConditionExpression: 'issuedAt = :prev', ExpressionAttributeValues: { ':prev': prevIssuedAt } }),
          },
        },
      ]);
    },

    async restoreOtp(ours, prev) {
      const stillOurs = { ConditionExpression: 'issuedAt = :ours', ExpressionAttributeValues: { ':ours': ours.issuedAt } };
      return transact(doc, [
        prev
          ? { Put: { TableName: tableName, Item: otpItem(prev), ...stillOurs } }
          : { Delete: { TableName: tableName, Key: keys.otp(ours.purpose, ours.subject), ...stillOurs } },
      ]);
    },

    async spendOtpAttempt(purpose, subject, now) {
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.otp(purpose, subject),
            // The try is gone whatever the guess turns out to be; the guess is compared afterwards.
            UpdateExpression: 'SET attemptsLeft = attemptsLeft - :one',
            // ISO times compare as text. Mirrors refusal() in #core/otp/otp.
            ConditionExpression: 'attribute_exists(PK) AND #used = :false AND attemptsLeft > :zero AND expiresAt >= :now',
            ExpressionAttributeNames: { '#used': 'used' },
            ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':false': false, ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes ? strip<OtpRecord & Item>(out.Attributes) : undefined;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },
  };
}
