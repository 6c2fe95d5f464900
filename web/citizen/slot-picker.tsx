import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Zone } from '../shared/session.ts';
import type { Schemas } from '../shared/api.ts';
import type { RequestType } from '../shared/labels.ts';
import { dayKey, formatClock, formatDay, mskLabel } from '../shared/time.ts';
import { useResource } from '../shared/use-resource.ts';
import { api } from './client.ts';

/**
 * The free callback slots of the queue that serves `type`, in the citizen's own time zone (GET
 * /v1/callback-slots?timeZone=: only slots inside their 08:00–21:00): first a day, then a time.
 * "Как можно раньше" sends no window (the earliest free slot).
 */
export type Slot = Schemas['CallbackSlots']['items'][number];

export function SlotPicker({ type, timeZone, value, onChange }: { type: RequestType; timeZone: Zone; value: Slot | undefined; onChange: (slot: Slot | undefined) => void }) {
  const slots = useResource(
    async () => api.GET('/v1/callback-slots', { params: { query: { type, timeZone } } }),
    `${type}:${timeZone}`,
    () => 60_000,
  );
  const free = (slots.data?.items ?? []).filter((s) => s.remaining > 0);
  const days = useMemo(() => [...new Set(free.map((s) => dayKey(s.start, timeZone)))], [slots.data, timeZone]);
  const [day, setDay] = useState('');
  useEffect(() => {
    if (day && !days.includes(day)) setDay('');
  }, [days.join()]);
  const times = free.filter((s) => dayKey(s.start, timeZone) === day);
  const zone = free[0] ? mskLabel(new Date(free[0].start), timeZone) : '';

  return (
    <fieldset>
      <legend>Когда вам позвонить</legend>
      <p class="hint">Время указано по вашему часовому поясу{zone ? ` (${zone})` : ''}.</p>
      {slots.problem ? <p role="alert">Свободное время сейчас не загрузилось. Можно выбрать «Как можно раньше».</p> : null}
      <div class="field">
        <label for="slot-day">День</label>
        <select
          id="slot-day"
          value={day}
          onChange={(e) => {
            setDay(e.currentTarget.value);
            onChange(undefined);
          }}
        >
          <option value="">Как можно раньше</option>
          {days.map((d) => (
            <option key={d} value={d}>
              {formatDay(d)}
            </option>
          ))}
        </select>
      </div>
      {day ? (
        <fieldset class="slots">
          <legend>Время звонка</legend>
          {times.map((s) => (
            <label key={s.start} class="slot">
              <input type="radio" name="slot" value={s.start} checked={value?.start === s.start} onChange={() => onChange(s)} />
              {formatClock(s.start, timeZone)}–{formatClock(s.end, timeZone)}
            </label>
          ))}
        </fieldset>
      ) : null}
      {slots.loading ? <p aria-busy="true">Загрузка свободного времени…</p> : null}
      {!slots.loading && free.length === 0 && !slots.problem ? <p>В ближайшие 7 дней свободного времени нет: мы позвоним, как только освободится оператор.</p> : null}
    </fieldset>
  );
}
