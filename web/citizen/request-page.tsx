import { useEffect, useRef, useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { FormMessage, TextArea } from '../shared/fields.tsx';
import { PROBLEM_FIELD_LABELS, STATUS_LABELS, type Status, TYPE_SHORT, citizenEventText } from '../shared/labels.ts';
import { problemText } from '../shared/problems.ts';
import { Link, PageTitle } from '../shared/router.tsx';
import type { Session } from '../shared/session.ts';
import { MOSCOW, formatDate, formatDateTime } from '../shared/time.ts';
import { useResource } from '../shared/use-resource.ts';
import { AttachmentsSection } from './attachments-section.tsx';
import { CallItem } from './call-item.tsx';
import { api } from './client.ts';

/**
 * One request: its status and timeline, the answer, files, comments (add one), calls, cancel. It
 * refreshes by itself: often while it is still being checked or a file is, then now and then.
 */
type Detail = Schemas['RequestDetail'];
const CLOSED: Status[] = ['cancelled', 'answered', 'completed', 'missed', 'forwarded'];
const NOT_CANCELLABLE: Status[] = CLOSED;

export function RequestPage({ id, session }: { id: string; session: Session }) {
  const request = useResource(async () => api.GET('/v1/requests/{id}', { params: { path: { id } } }), id, (d) =>
    d && d.status !== 'received' && !d.attachments.some((a) => a.status === 'pending') ? 10_000 : 1_000,
  );
  const timeZone = session.identity?.timeZone ?? MOSCOW;
  const r = request.data;
  if (!r) {
    return (
      <main id="main">
        <PageTitle>Обращение</PageTitle>
        {request.problem ? <p role="alert">{request.problem.status === 404 ? 'Обращение не найдено.' : problemText(request.problem).message}</p> : <p aria-busy="true">Загрузка…</p>}
        <Link href="/requests">Все обращения</Link>
      </main>
    );
  }
  const open = !CLOSED.includes(r.status);
  return (
    <main id="main">
      <PageTitle>Обращение № {r.number}</PageTitle>
      <p class="status-line">
        Статус: <strong class={`status status--${r.status}`} aria-live="polite">{STATUS_LABELS[r.status]}</strong>
      </p>
      <dl class="facts">
        <dt>Вид</dt>
        <dd>{r.channel === 'written' ? 'Письменное обращение' : 'Обратный звонок'}</dd>
        <dt>Тип</dt>
        <dd>{TYPE_SHORT[r.type]}</dd>
        <dt>Подано</dt>
        <dd>{formatDateTime(r.createdAt, timeZone)}</dd>
        {r.scheduledAt ? (
          <>
            <dt>Звонок</dt>
            <dd>{formatDateTime(r.scheduledAt, timeZone)}</dd>
          </>
        ) : null}
        {r.dueBy ? (
          <>
            <dt>Ответ до</dt>
            <dd>{formatDate(r.dueBy, timeZone)}</dd>
          </>
        ) : null}
      </dl>
      {r.problems.length > 0 ? (
        <section aria-labelledby="problems-title" class="notice">
          <h2 id="problems-title">Что нужно уточнить</h2>
          <ul>
            {r.problems.map((p) => (
              <li key={p.field}>
                {p.code === 'not_found' ? `Не найден ${PROBLEM_FIELD_LABELS[p.field] ?? p.field}` : `Не совпадает с профилем: ${PROBLEM_FIELD_LABELS[p.field] ?? p.field}`}
              </li>
            ))}
          </ul>
          <p>
            Проверьте данные и <Link href={r.channel === 'written' ? '/write' : '/callback'}>подайте обращение заново</Link>.
          </p>
        </section>
      ) : null}
      {r.answer ? (
        <section aria-labelledby="answer-title" class="answer">
          <h2 id="answer-title">Ответ</h2>
          <p class="pre">{r.answer.text}</p>
          <p class="hint">{formatDateTime(r.answer.at, timeZone)}</p>
        </section>
      ) : null}
      {r.calls.length > 0 ? (
        <section aria-labelledby="calls-title">
          <h2 id="calls-title">Звонки</h2>
          <ul class="calls">
            {r.calls.map((c) => (
              <CallItem key={c.id} call={c} timeZone={timeZone} onChanged={request.reload} />
            ))}
          </ul>
        </section>
      ) : null}
      <AttachmentsSection requestId={r.id} attachments={r.attachments} open={open} onUploaded={request.reload} />
      <Comments request={r} open={open} onAdded={request.reload} timeZone={timeZone} />
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">История</h2>
        <ol class="timeline">
          {r.timeline.map((t, i) => (
            <li key={i}>
              <span class="hint">{formatDateTime(t.at, timeZone)}</span> {citizenEventText(t)}
            </li>
          ))}
        </ol>
      </section>
      {!NOT_CANCELLABLE.includes(r.status) ? <Cancel request={r} onCancelled={request.reload} /> : null}
      <p>
        <Link href="/requests">Все обращения</Link>
      </p>
    </main>
  );
}

function Comments({ request, open, onAdded, timeZone }: { request: Detail; open: boolean; onAdded: () => void; timeZone: string }) {
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/v1/requests/{id}/comments', { params: { path: { id: request.id }, header: { 'Idempotency-Key': key } }, body: { text } });
    setBusy(false);
    setKey(crypto.randomUUID());
    if (!data) return setMessage(problemText(error).message);
    setText('');
    setMessage(undefined);
    onAdded();
  }
  return (
    <section aria-labelledby="comments-title">
      <h2 id="comments-title">Комментарии</h2>
      {request.comments.length === 0 ? <p>Комментариев нет.</p> : null}
      <ul class="comments">
        {request.comments.map((c) => (
          <li key={c.id} class="card">
            <strong>{c.author === 'operator' ? 'Оператор' : 'Вы'}</strong> <span class="hint">{formatDateTime(c.at, timeZone)}</span>
            <p class="pre">{c.text}</p>
          </li>
        ))}
      </ul>
      {open ? (
        <form class="form" onSubmit={submit} aria-label="Новый комментарий">
          <TextArea id="comment" label="Комментарий" value={text} onInput={setText} maxLength={5000} rows={3} required error={message} />
          <button type="submit" disabled={busy}>
            Отправить
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Cancel({ request, onCancelled }: { request: Detail; onCancelled: () => void }) {
  const [asking, setAsking] = useState(false);
  const [message, setMessage] = useState<string>();
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  async function cancel() {
    const { data, error } = await api.POST('/v1/requests/{id}/cancel', { params: { path: { id: request.id } } });
    setAsking(false);
    if (!data) return setMessage(problemText(error).message);
    onCancelled();
  }
  return (
    <section aria-labelledby="cancel-title">
      <h2 id="cancel-title" class="visually-hidden">
        Отмена
      </h2>
      {asking ? (
        <div role="group" aria-label="Подтверждение отмены" class="actions">
          <p>Отменить обращение № {request.number}?</p>
          <button type="button" class="button--danger" onClick={cancel} ref={yes}>
            Да, отменить
          </button>
          <button type="button" class="button--secondary" onClick={() => setAsking(false)}>
            Нет
          </button>
        </div>
      ) : (
        <button type="button" class="button--secondary" onClick={() => setAsking(true)}>
          Отменить обращение
        </button>
      )}
      <FormMessage message={message} />
    </section>
  );
}
