import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type OtpRecord, otpRetainUntil } from '#core/otp/otp';
import type { PhoneChangeOutcome, Profile, Store } from '#ports/store';
import { keys, ttlOf } from './keys.ts';
import { type Item, type TransactItem, failedCondition, strip, transact } from './transact.ts';

/**
 * The Store's profiles, their phone index, and one-time codes (part of dynamoStore, kept apart
 * for size). Two rules hold here:
 * - a phone number belongs to one profile: its index item `PHONE#<e164>` is claimed with
 *   `attribute_not_exists(PK) OR userId = :me` in the transaction that gives a profile that
 *   phone, and the profile's old number's item is released in the same transaction;
 * - a code's try is spent by one conditional UpdateItem (`attemptsLeft > 0`, unused, not expired)
 *   before any guess is compared, so parallel guesses cannot share a try.
 */
export type ProfileCodeMethods = Pick<
  Store,
  'getProfile' | 'putProfile' | 'userByPhone' | 'getOtp' | 'putOtp' | 'restoreOtp' | 'spendOtpAttempt' | 'confirmCall' | 'changeProfilePhone'
>;

/** How often a profile put is tried again when the profile changed between its read and its write. */
const PUT_ROUNDS = 3;

export function profileCodeMethods(doc: DynamoDBDocumentClient, tableName: string): ProfileCodeMethods {
  const otpItem = (record: OtpRecord): Item => ({ ...keys.otp(record.purpose, record.subject), kind: 'otp', ...record, ttl: ttlOf(otpRetainUntil(record)) });

  /** Marks the code used: only the very code the try was spent on, and only once. */
  const otpUse = (spent: OtpRecord): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: keys.otp(spent.purpose, spent.subject),
      UpdateExpression: 'SET #used = :true',
      ConditionExpression: 'codeHash = :hash AND #used = :false',
      ExpressionAttributeNames: { '#used': 'used' },
      ExpressionAttributeValues: { ':hash': spent.codeHash, ':true': true, ':false': false },
    },
  });

  /** Claims a number's index item for `userId`: refused when another profile holds it. */
  const phoneClaim = (phone: string, userId: string): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...keys.phoneIndex(phone), kind: 'phone', userId },
      ConditionExpression: 'attribute_not_exists(PK) OR userId = :me',
      ExpressionAttributeValues: { ':me': userId },
    },
  });

  /** Releases the old number's index item, if it is still this profile's (older data may say otherwise). */
  async function phoneRelease(oldPhone: string | undefined, newPhone: string, userId: string): Promise<TransactItem[]> {
    if (!oldPhone || oldPhone === newPhone) return [];
    const index = await doc.send(new GetCommand({ TableName: tableName, Key: keys.phoneIndex(oldPhone), ConsistentRead: true }));
    if (index.Item?.userId !== userId) return [];
    return [{ Delete: { TableName: tableName, Key: keys.phoneIndex(oldPhone), ConditionExpression: 'userId = :me', ExpressionAttributeValues: { ':me': userId } } }];
  }

  return {
    async getProfile(userId) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.profile(userId), ConsistentRead: true }));
      return out.Item ? strip<Profile & Item>(out.Item) : undefined;
    },

    async putProfile(profile) {
      for (let round = 1; ; round += 1) {
        const old = await doc.send(new GetCommand({ TableName: tableName, Key: keys.profile(profile.userId), ConsistentRead: true }));
        const oldPhone = old.Item ? String(old.Item.phone) : undefined;
        const items: TransactItem[] = [
          {
            Put: {
              TableName: tableName,
              Item: { ...keys.profile(profile.userId), kind: 'profile', ...profile },
              // As read, so the old number released below is really the one being replaced.
              ...(oldPhone === undefined
                ? { ConditionExpression: 'attribute_not_exists(PK)' }
                : { ConditionExpression: 'phone = :old', ExpressionAttributeValues: { ':old': oldPhone } }),
            },
          },
          // The phone index lets an inbound call find its citizen; a number has one owner.
          phoneClaim(profile.phone, profile.userId),
          ...(await phoneRelease(oldPhone, profile.phone, profile.userId)),
        ];
        try {
          await doc.send(new TransactWriteCommand({ TransactItems: items }));
          return { created: !old.Item };
        } catch (error) {
          if (failedCondition(error, 1)) return 'phone_in_use';
          // The profile (or its old number's item) changed since it was read: read again.
          if (!(failedCondition(error, 0) || failedCondition(error, 2)) || round >= PUT_ROUNDS) throw error;
        }
      }
    },

    async userByPhone(e164) {
      // Consistent: the phone-change pre-check must see a number claimed a moment ago.
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.phoneIndex(e164), ConsistentRead: true }));
      return out.Item ? String(out.Item.userId) : undefined;
    },

    async getOtp(purpose, subject) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.otp(purpose, subject), ConsistentRead: true }));
      return out.Item ? strip<OtpRecord & Item>(out.Item) : undefined;
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

    async confirmCall(callId, spent) {
      return transact(doc, [
        otpUse(spent),
        {
          Update: {
            TableName: tableName,
            Key: keys.call(callId),
            UpdateExpression: 'SET confirmed = :true',
            ConditionExpression: 'attribute_exists(PK) AND confirmed = :false',
            ExpressionAttributeValues: { ':true': true, ':false': false },
          },
        },
      ]);
    },

    async changeProfilePhone(userId, phone, spent, at): Promise<PhoneChangeOutcome> {
      const profile = await doc.send(new GetCommand({ TableName: tableName, Key: keys.profile(userId), ConsistentRead: true }));
      if (!profile.Item) return 'code_used';
      const oldPhone = String(profile.Item.phone);
      const items: TransactItem[] = [
        otpUse(spent),
        {
          Update: {
            TableName: tableName,
            Key: keys.profile(userId),
            UpdateExpression: 'SET phone = :phone, updatedAt = :at',
            ConditionExpression: 'phone = :old',
            ExpressionAttributeValues: { ':phone': phone, ':at': at, ':old': oldPhone },
          },
        },
        phoneClaim(phone, userId),
        ...(await phoneRelease(oldPhone, phone, userId)),
      ];
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return 'changed';
      } catch (error) {
        if (failedCondition(error, 2)) return 'phone_in_use';
        if (failedCondition(error, 0) || failedCondition(error, 1) || failedCondition(error, 3)) return 'code_used';
        throw error;
      }
    },
  };
}
