import type { CreateRequestInput } from '#core/requests/create-request';
import type { IdentityInput } from '#core/identity/identity';

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
