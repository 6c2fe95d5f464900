import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { FormMessage, TextArea, TextField } from '../shared/fields.tsx';
import type { Problem } from '../shared/api.ts';
import { problemText } from '../shared/problems.ts';
import { formatDateTime } from '../shared/time.ts';
import { api } from './client.ts';

/**
 * What an operator writes on a request: a comment to the citizen, "Продлить срок", "Перенаправить"
 * and "Ответить". Each form sends once and shows the API's problem as a sentence (field problems
 * beside their field); done, it hands its sentence to the page (`onDone`), which shows it and
 * reloads the request (a form may then be gone: an answered request takes no more).
 */
type Sent = { ok: string } | { problem: Problem | undefined };

export type OnDone = (ok: string) => Promise<void>;

function useSend(onDone: OnDone) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  async function send(run: () => Promise<Sent>) {
    setBusy(true);
    const result = await run();
    setBusy(false);
    if ('ok' in result) {
      setMessage(undefined);
      setFields({});
      await onDone(result.ok);
    } else {
      const text = problemText(result.problem);
      setMessage(text.message);
      setFields(text.fields);
    }
  }
  return { busy, message, fields, send };
}

function Form(props: { title: string; id: string; label: string; busy: boolean; submit: string; message?: string | undefined; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <form
        class="form"
        aria-label={props.label}
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        {props.children}
        <button type="submit" disabled={props.busy}>
          {props.submit}
        </button>
        <FormMessage message={props.message} />
      </form>
    </section>
  );
}

export function CommentForm({ requestId, onDone }: { requestId: string; onDone: OnDone }) {
  const [text, setText] = useState('');
  const s = useSend(onDone);
  const submit = () =>
    s.send(async () => {
      const { data, error } = await api.POST('/v1/ops/requests/{id}/comments', { params: { path: { id: requestId } }, body: { text } });
      if (!data) return { problem: error };
      setText('');
      return { ok: 'Комментарий отправлен гражданину.' };
    });
  return (
    <form
      class="form"
      aria-label="Новый комментарий"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextArea id="ops-comment" label="Комментарий гражданину" value={text} onInput={setText} rows={3} maxLength={5000} required error={s.fields.text} />
      <button type="submit" disabled={s.busy}>
        Отправить комментарий
      </button>
      <FormMessage message={s.message} />
    </form>
  );
}

export function Extend({ requestId, onDone }: { requestId: string; onDone: OnDone }) {
  const [days, setDays] = useState('30');
  const [reason, setReason] = useState('');
  const s = useSend(onDone);
  const submit = () =>
    s.send(async () => {
      const { data, error } = await api.POST('/v1/ops/requests/{id}/extend', { params: { path: { id: requestId } }, body: { days: Number(days), reason } });
      if (!data) return { problem: error };
      return { ok: `Срок ответа продлён до ${formatDateTime(data.dueBy)}.` };
    });
  return (
    <Form title="Продлить срок" id="extend" label="Продление срока ответа" busy={s.busy} submit="Продлить срок" message={s.message} onSubmit={() => void submit()}>
      <TextField id="extend-days" label="На сколько дней" type="number" min={1} max={30} value={days} onInput={setDays} required error={s.fields.days} hint="От 1 до 30 дней; продлить можно один раз." />
      <TextArea id="extend-reason" label="Причина продления" value={reason} onInput={setReason} rows={3} maxLength={1000} required error={s.fields.reason} />
    </Form>
  );
}

export function Forward({ requestId, onDone }: { requestId: string; onDone: OnDone }) {
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const s = useSend(onDone);
  const submit = () =>
    s.send(async () => {
      const { data, error } = await api.POST('/v1/ops/requests/{id}/forward', { params: { path: { id: requestId } }, body: { to, reason } });
      if (!data) return { problem: error };
      return { ok: `Обращение перенаправлено: ${to}.` };
    });
  return (
    <Form title="Перенаправить" id="forward" label="Перенаправление обращения" busy={s.busy} submit="Перенаправить" message={s.message} onSubmit={() => void submit()}>
      <TextField id="forward-to" label="Куда (орган, организация)" value={to} onInput={setTo} maxLength={300} required error={s.fields.to} hint="Перенаправить можно в течение 7 дней после регистрации." />
      <TextArea id="forward-reason" label="Причина перенаправления" value={reason} onInput={setReason} rows={3} maxLength={1000} required error={s.fields.reason} />
    </Form>
  );
}

export function Answer({ requestId, onDone }: { requestId: string; onDone: OnDone }) {
  const [text, setText] = useState('');
  const s = useSend(onDone);
  const submit = () =>
    s.send(async () => {
      const { data, error } = await api.POST('/v1/ops/requests/{id}/answer', { params: { path: { id: requestId } }, body: { text } });
      if (!data) return { problem: error };
      return { ok: `Ответ по обращению № ${data.number} отправлен.` };
    });
  return (
    <Form title="Ответить" id="answer" label="Ответ гражданину" busy={s.busy} submit="Отправить ответ" message={s.message} onSubmit={() => void submit()}>
      <TextArea id="answer" label="Ответ" value={text} onInput={setText} rows={8} maxLength={10000} required error={s.fields.text} />
    </Form>
  );
}
