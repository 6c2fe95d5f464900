import type { CreateRequestInput } from '#core/requests/create-request';
import type { IdentityInput } from '#core/identity/identity';
import type { SupportRequest } from '#core/requests/model';
import { QUEUE_NAMES } from '#core/routing/routing-table';

/** The contract's example citizen: valid SNILS, passport and mobile phone. */
export function identity(overrides: Partial<IdentityInput> = {}): IdentityInput {
  return {
    fullName: 'Иванов Иван Иванович',
    snils: '112-233-445 95',
    passport: { series: '4510', number: '123456', issuedOn: '2015-03-20' },
    registrationAddress: 'г. Москва, ул. Тверская, д. 1',
    phone: '+7 912 345-67-89',
    ...overrides,
  };
}

export function writtenRequest(overrides: Partial<CreateRequestInput> = {}): CreateRequestInput {
  return {
    channel: 'written',
    type: 'technical',
    identity: identity(),
    written: {
      topic: 'Не приходит СМС-код',
      text: 'При входе в личный кабинет код из СМС не приходит уже второй день.',
      attempts: [{ at: '2026-11-20T09:15:00Z', phone: '8 800 100-70-10', error: 'Линия занята' }],
      desiredOutcome: 'Восстановить вход',
    },
    ...overrides,
  };
}

export const PROFILE_PHONE_E164 = '+79123456789';

/**
 * A mobile number of its own for another citizen (a phone belongs to one profile), stable per user
 * id and never the example citizen's: `+7 900 …` with seven digits from the id.
 */
export function citizenPhone(userId: string): string {
  let n = 0;
  for (const ch of userId) n = (n * 31 + ch.charCodeAt(0)) % 10_000_000;
  return `+7900${String(n).padStart(7, '0')}`;
}

/** A written request as the store keeps it, for tests that write to a store directly. */
export function storedWrittenRequest(id: string, number: string, createdAt = new Date().toISOString()): SupportRequest {
  return {
    id,
    number,
    userId: 'user-1',
    channel: 'written',
    type: 'technical',
    status: 'received',
    createdAt,
    updatedAt: createdAt,
    identity: { fullNameFolded: 'иванов иван', snilsHash: 'h1', snilsLast2: '95', passportHash: 'h2', passportLast2: '56', phone: PROFILE_PHONE_E164 },
    written: { topic: 't', text: 'x', attempts: [] },
  };
}

/** A routed callback request as stored, `received` (not yet booked) unless `over` says otherwise. */
export function storedCallbackRequest(id: string, number: string, createdAt = new Date().toISOString(), over: Partial<SupportRequest> = {}): SupportRequest {
  return {
    id,
    number,
    userId: 'user-1',
    channel: 'callback',
    type: 'technical',
    status: 'received',
    createdAt,
    updatedAt: createdAt,
    identity: { fullNameFolded: 'x', snilsHash: 'x', snilsLast2: '00', passportHash: 'x', passportLast2: '00', phone: PROFILE_PHONE_E164 },
    callback: { phone: { e164: '+74951234567' }, description: 'Не приходит код' },
    route: { queue: 'tech-support', line: '88001001001' },
    ...over,
  };
}

/** `POST /v1/ops/calls` for an answered callback that ended `now`: 30 s of waiting, 60 s of talk. */
export function answeredCallBody(requestId: string, now = Date.now()) {
  return {
    requestId,
    direction: 'outbound' as const,
    phone: '+74951234567',
    queuedAt: new Date(now - 90_000).toISOString(),
    answeredAt: new Date(now - 60_000).toISOString(),
    endedAt: new Date(now).toISOString(),
    outcome: 'answered' as const,
  };
}

/** An operator who works every queue (a token with `queues: ["*"]`). */
export function everyQueue(id: string): { id: string; queues: readonly string[] } {
  return { id, queues: QUEUE_NAMES };
}
