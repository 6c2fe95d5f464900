/**
 * Times as a person in Russia reads them: in a given zone (the citizen's own, else Moscow), with
 * the zone named the way the centre's SMS name it (`МСК`, `МСК+7`).
 */
export const MOSCOW = 'Europe/Moscow';

function offsetMinutes(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(date);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** `(МСК)`, `(МСК+7)`, `(МСК−1)`. */
export function mskLabel(date: Date, timeZone: string): string {
  const diff = (offsetMinutes(date, timeZone) - offsetMinutes(date, MOSCOW)) / 60;
  return diff === 0 ? 'МСК' : `МСК${diff > 0 ? '+' : '−'}${Math.abs(diff)}`;
}

export function formatDateTime(iso: string, timeZone = MOSCOW): string {
  const date = new Date(iso);
  const text = new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
  return `${text.replace(',', '')} (${mskLabel(date, timeZone)})`;
}

export function formatDate(iso: string, timeZone = MOSCOW): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}

/** `HH:MM` of a time in a zone. */
export function formatClock(iso: string, timeZone = MOSCOW): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** `YYYY-MM-DD` of a time in a zone (grouping slots by the citizen's day). */
export function dayKey(iso: string, timeZone = MOSCOW): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

export function formatDay(key: string): string {
  const date = new Date(`${key}T12:00:00Z`);
  return new Intl.DateTimeFormat('ru-RU', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(date);
}

export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} мин ${s} с` : `${s} с`;
}
