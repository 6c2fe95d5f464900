import { useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { FormMessage, SelectField, TextArea, TextField } from '../shared/fields.tsx';
import { type CallOutcome, OUTCOME_LABELS } from '../shared/labels.ts';
import { problemText } from '../shared/problems.ts';
import { api } from './client.ts';
import { fromLocalInput, toLocalInput } from './local-time.ts';

/**
 * "Записать звонок": the outcome, the times (queued, answered, ended: the wait the citizen may
 * claim for is measured from them) and the dialog, line by line (it becomes the citizen's PDF).
 */
type QueueItem = Schemas['OperatorQueue']['items'][number];
type Line = { speaker: 'operator' | 'citizen'; text: string };

export function RecordCall({ item, onRecorded }: { item: QueueItem; onRecorded: (text: string) => void }) {
  const now = Date.now();
  const due = Date.parse(item.dueAt);
  const [outcome, setOutcome] = useState<CallOutcome>('answered');
  const [queuedAt, setQueuedAt] = useState(() => toLocalInput(new Date(due < now && now - due < 3_600_000 ? due : now - 120_000)));
  const [answeredAt, setAnsweredAt] = useState(() => toLocalInput(new Date(now - 60_000)));
  const [endedAt, setEndedAt] = useState(() => toLocalInput(new Date(now)));
  const [lines, setLines] = useState<Line[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const answered = outcome === 'answered';
  const id = (name: string) => `${item.requestId}-${name}`;

  async function submit(event: Event) {
    event.preventDefault();
    const queued = fromLocalInput(queuedAt);
    const ended = fromLocalInput(endedAt);
    const answer = answered ? fromLocalInput(answeredAt) : undefined;
    if (!queued || !ended || (answered && !answer)) {
      setMessage('Укажите время звонка.');
      return;
    }
    setBusy(true);
    const transcript = answered
      ? // Line times are not asked for: the lines follow each other a second apart from the answer, within the call.
        lines
          .filter((l) => l.text.trim())
          .map((l, i) => ({ speaker: l.speaker, at: new Date(Math.min(Date.parse(answer as string) + i * 1000, Date.parse(ended))).toISOString(), text: l.text }))
      : [];
    const body: Schemas['NewCall'] = {
      requestId: item.requestId,
      direction: 'outbound',
      phone: item.phone,
      queuedAt: queued,
      ...(answer ? { answeredAt: answer } : {}),
      endedAt: ended,
      outcome,
      ...(transcript.length > 0 ? { transcript } : {}),
    };
    const { data, error } = await api.POST('/v1/ops/calls', { body });
    setBusy(false);
    if (!data) {
      const text = problemText(error);
      setErrors(text.fields);
      setMessage(text.message);
      return;
    }
    onRecorded(`Звонок по обращению № ${item.number} записан: ожидание ${data.waitSeconds} с, разговор ${data.durationSeconds} с.`);
  }

  const setLine = (i: number, patch: Partial<Line>) => setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <form class="form" onSubmit={submit} aria-label={`Звонок по обращению № ${item.number}`}>
      <SelectField
        id={id('outcome')}
        label="Исход звонка"
        value={outcome}
        options={(Object.keys(OUTCOME_LABELS) as CallOutcome[]).map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
        onChange={setOutcome}
      />
      <div class="row">
        <TextField id={id('queuedAt')} label="В очереди с" type="datetime-local" step={1} value={queuedAt} onInput={setQueuedAt} error={errors.queuedAt} required />
        {answered ? <TextField id={id('answeredAt')} label="Ответ в" type="datetime-local" step={1} value={answeredAt} onInput={setAnsweredAt} error={errors.answeredAt} required /> : null}
        <TextField id={id('endedAt')} label="Завершён в" type="datetime-local" step={1} value={endedAt} onInput={setEndedAt} error={errors.endedAt} required />
      </div>
      {answered ? (
        <fieldset>
          <legend>Запись разговора</legend>
          {lines.map((l, i) => (
            <div class="transcript-line" key={i}>
              <SelectField
                id={id(`line-${i}-speaker`)}
                label={`Кто говорит (реплика ${i + 1})`}
                value={l.speaker}
                options={[
                  { value: 'operator', label: 'Оператор' },
                  { value: 'citizen', label: 'Гражданин' },
                ]}
                onChange={(speaker) => setLine(i, { speaker })}
              />
              <TextArea id={id(`line-${i}-text`)} label={`Текст (реплика ${i + 1})`} value={l.text} onInput={(text) => setLine(i, { text })} rows={2} maxLength={4000} error={errors[`transcript.${i}.text`]} />
            </div>
          ))}
          <button type="button" class="button--secondary" onClick={() => setLines([...lines, { speaker: lines.length % 2 === 0 ? 'operator' : 'citizen', text: '' }])}>
            Добавить реплику
          </button>
        </fieldset>
      ) : null}
      <FormMessage message={message} />
      <button type="submit" disabled={busy}>
        Записать звонок
      </button>
    </form>
  );
}
