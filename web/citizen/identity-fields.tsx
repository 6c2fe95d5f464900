import { TextField } from '../shared/fields.tsx';
import type { Identity } from '../shared/session.ts';

/**
 * "Ваши данные": the identity the request is checked against (the citizen's profile). Prefilled
 * from what the identity provider said; the citizen may correct it, and a difference from the
 * profile makes the request "Нужны уточнения".
 */
export interface IdentityValue {
  fullName: string;
  snils: string;
  series: string;
  number: string;
  issuedOn: string;
  phone: string;
}

export function identityFrom(identity: Identity | undefined): IdentityValue {
  return {
    fullName: identity?.fullName ?? '',
    snils: identity?.snils ?? '',
    series: identity?.passport.series ?? '',
    number: identity?.passport.number ?? '',
    issuedOn: identity?.passport.issuedOn ?? '',
    phone: identity?.phone ?? '',
  };
}

export function identityBody(v: IdentityValue) {
  return { fullName: v.fullName.trim(), snils: v.snils.trim(), passport: { series: v.series.trim(), number: v.number.trim(), issuedOn: v.issuedOn }, phone: v.phone.trim() };
}

export function IdentityFields({ value, onChange, errors }: { value: IdentityValue; onChange: (v: IdentityValue) => void; errors: Record<string, string> }) {
  const set = (key: keyof IdentityValue) => (text: string) => onChange({ ...value, [key]: text });
  const passportError = errors['identity.passport'];
  return (
    <fieldset>
      <legend>Ваши данные</legend>
      <p class="hint">Заполнены из профиля портала. По ним мы проверяем, что обращение подали вы.</p>
      <TextField id="identity-fullName" label="ФИО" value={value.fullName} onInput={set('fullName')} error={errors['identity.fullName']} autoComplete="name" required />
      <TextField id="identity-snils" label="СНИЛС" value={value.snils} onInput={set('snils')} error={errors['identity.snils']} inputMode="numeric" required />
      <div class="row">
        <TextField id="identity-series" label="Серия паспорта" value={value.series} onInput={set('series')} error={errors['identity.passport.series'] ?? passportError} inputMode="numeric" required />
        <TextField id="identity-number" label="Номер паспорта" value={value.number} onInput={set('number')} error={errors['identity.passport.number']} inputMode="numeric" required />
        <TextField id="identity-issuedOn" label="Дата выдачи паспорта" type="date" value={value.issuedOn} onInput={set('issuedOn')} error={errors['identity.passport.issuedOn']} required />
      </div>
      <TextField id="identity-phone" label="Мобильный телефон" type="tel" value={value.phone} onInput={set('phone')} error={errors['identity.phone']} autoComplete="tel" required />
    </fieldset>
  );
}
