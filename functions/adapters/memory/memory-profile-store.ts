import type { ProfileStore } from '#ports/stores/profiles';
import { type MemoryTable, copy } from './memory-table.ts';

/** Profiles and their phone index, as dynamoProfileStore keeps them (a number has one owner). */
export function memoryProfileStore(t: MemoryTable): ProfileStore {
  return {
    async getProfile(userId) {
      const profile = t.profiles.get(userId);
      return profile ? copy(profile) : undefined;
    },

    async putProfile(profile) {
      const holder = t.phones.get(profile.phone);
      if (holder !== undefined && holder !== profile.userId) return 'phone_in_use';
      const old = t.profiles.get(profile.userId);
      const created = !old;
      if (old && old.phone !== profile.phone && t.phones.get(old.phone) === profile.userId) t.phones.delete(old.phone);
      t.phones.set(profile.phone, profile.userId);
      t.profiles.set(profile.userId, copy(profile));
      return { created };
    },

    async userByPhone(e164) {
      return t.phones.get(e164);
    },

    async changeProfilePhone(userId, phone, spent, at) {
      const profile = t.profiles.get(userId);
      const holder = t.phones.get(phone);
      if (holder !== undefined && holder !== userId) return 'phone_in_use';
      if (!profile || !t.usable(spent)) return 'code_used';
      t.useCode(spent);
      if (profile.phone !== phone && t.phones.get(profile.phone) === userId) t.phones.delete(profile.phone);
      t.phones.set(phone, userId);
      t.profiles.set(userId, { ...profile, phone, updatedAt: at });
      return 'changed';
    },
  };
}
