import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PhoneChangeOutcome, Profile, ProfileStore } from '#ports/stores/profiles';
import { otpUse } from './code-store.ts';
import { keys } from './keys.ts';
import { type Table, getItem } from './table-client.ts';
import { type Item, type TransactItem, failedCondition, strip } from './transact.ts';

/** How often a profile put is tried again when the profile changed between its read and its write. */
const PUT_ROUNDS = 3;

/**
 * Profiles `USER#<id>` PROFILE and their phone index. A phone number belongs to one profile: its
 * index item `PHONE#<e164>` is claimed with `attribute_not_exists(PK) OR userId = :me` in the
 * transaction that gives a profile that phone, and the profile's old number's item is released in
 * the same transaction.
 */
export function dynamoProfileStore(table: Table): ProfileStore {
  const { doc, name: tableName } = table;

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
    const index = await getItem(table, keys.phoneIndex(oldPhone));
    if (index?.userId !== userId) return [];
    return [{ Delete: { TableName: tableName, Key: keys.phoneIndex(oldPhone), ConditionExpression: 'userId = :me', ExpressionAttributeValues: { ':me': userId } } }];
  }

  return {
    async getProfile(userId) {
      const item = await getItem(table, keys.profile(userId));
      return item ? strip<Profile & Item>(item) : undefined;
    },

    async putProfile(profile) {
      for (let round = 1; ; round += 1) {
        const old = await getItem(table, keys.profile(profile.userId));
        const oldPhone = old ? String(old.phone) : undefined;
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
          return { created: !old };
        } catch (error) {
          if (failedCondition(error, 1)) return 'phone_in_use';
          // The profile (or its old number's item) changed since it was read: read again.
          if (!(failedCondition(error, 0) || failedCondition(error, 2)) || round >= PUT_ROUNDS) throw error;
        }
      }
    },

    async userByPhone(e164) {
      // Consistent: the phone-change pre-check must see a number claimed a moment ago.
      const item = await getItem(table, keys.phoneIndex(e164));
      return item ? String(item.userId) : undefined;
    },

    async changeProfilePhone(userId, phone, spent, at): Promise<PhoneChangeOutcome> {
      const profile = await getItem(table, keys.profile(userId));
      if (!profile) return 'code_used';
      const oldPhone = String(profile.phone);
      const items: TransactItem[] = [
        otpUse(table, spent),
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
