import { useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { FormMessage } from '../shared/fields.tsx';
import { ATTACHMENT_STATUS_LABELS, STATUS_LABELS, TYPE_SHORT, eventLabel } from '../shared/labels.ts';
import { problemText } from '../shared/problems.ts';
import { queueLabel } from '../shared/queues.ts';
import { Link, PageTitle } from '../shared/router.tsx';
import { formatDateTime } from '../shared/time.ts';
import { useResource } from '../shared/use-resource.ts';
import { api } from './client.ts';
import { Answer, CommentForm, Extend, Forward, type OnDone } from './request-actions.tsx';

/**
 * A request in the workspace (GET /v1/ops/requests/{id}): the citizen with their full phone, what
 * they wrote, the deadline, timeline, comments and files; "Взять в работу" / "Вернуть в очередь",
 * a comment to the citizen, "Продлить срок", "Перенаправить" and "Ответить". Every action reloads
 * the view, refused ones too (a request someone took or gave back meanwhile), so what it shows is
 * the API's state, not the page's guess. A request another operator holds offers nothing: only its
 * assignee may act on it (each action would be 409 `taken`).
 */
const OPEN: Schemas['OperatorRequest']['status'][] = ['registered', 'scheduled', 'in_progress'];

export function RequestPage({ id, operatorId }: { id: string; operatorId: string }) {
  const request = useResource(async () => api.GET('/v1/ops/requests/{id}', { params: { path: { id } } }), id, (d) =>
    d?.attachments.some((a) => a.status === 'pending') ? 2_000 : 15_000,
  );
  const [message, setMessage] = useState<string>();
  const [ok, setOk] = useState<string>();
  const r = request.data;
  if (!r) {
    return (
      <main id="main">
        <PageTitle>Обращение</PageTitle>
        {request.problem ? (
          <p role="alert">{request.problem.status === 404 ? 'Обращение не найдено в ваших очередях.' : problemText(request.problem).message}</p>
        ) : (
          <p aria-busy="true">Загрузка…</p>
        )}
        <Link href="/ops/inbox">Ко входящим</Link>
      </main>
    );
  }

  const done: OnDone = async (text) => {
    setMessage(undefined);
    setOk(text);
    await request.reload();
  };
  async function act(path: '/v1/ops/requests/{id}/take' | '/v1/ops/requests/{id}/release', done: string) {
    const { data, error } = await api.POST(path, { params: { path: { id } } });
    if (data) {
      setMessage(undefined);
      setOk(done);
      await request.reload();
    } else {
      setOk(undefined);
      setMessage(problemText(error).message);
      await request.reload();
    }
  }
  const open = OPEN.includes(r.status);
  const heldByAnother = r.assignedTo !== undefined && r.assignedTo !== operatorId;
  const canAct = open && !heldByAnother;
  const written = r.channel === 'written' ? r.written : undefined;
  const callback = r.channel === 'callback' ? r.callback : undefined;
  return (
    <main id="main">
      <PageTitle>Обращение № {r.number}</PageTitle>
      <p class="status-line">
        Статус: <strong aria-live="polite">{STATUS_LABELS[r.status]}</strong>
        {r.assignedTo ? ` · в работе у ${r.assignedTo}` : ''}
      </p>
      <dl class="facts">
        <dt>Гражданин</dt>
        <dd>{r.citizen.fullName}</dd>
        <dt>Телефон</dt>
        <dd>
          <a href={`tel:${r.citizen.phone}`}>{r.citizen.phone}</a>
        </dd>
        <dt>Тип</dt>
        <dd>{TYPE_SHORT[r.type]}</dd>
        {r.route ? (
          <>
            <dt>Очередь</dt>
            <dd>{queueLabel(r.route.queue)}</dd>
          </>
        ) : null}
        <dt>Подано</dt>
        <dd>{formatDateTime(r.createdAt)}</dd>
        {r.dueBy ? (
          <>
            <dt>Ответить до</dt>
            <dd class={r.overdue ? 'form-error' : undefined}>
              {formatDateTime(r.dueBy)}
              {r.extendedTo ? ' (срок продлён)' : ''}
              {r.overdue ? ' — срок истёк' : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {written ? (
        <section aria-labelledby="text-title">
          <h2 id="text-title">{written.topic}</h2>
          <p class="pre">{written.text}</p>
          {written.desiredOutcome ? <p class="pre">Ожидаемый результат: {written.desiredOutcome}</p> : null}
          {written.attempts.length > 0 ? (
            <>
              <h3>Попытки обратиться в поддержку</h3>
              <ul>
                {written.attempts.map((a, i) => (
                  <li key={i}>
                    {formatDateTime(a.at)}
                    {a.phone ? ` · ${a.phone}` : ''}
                    {a.error ? ` · ${a.error}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {written.contactPhone ? <p>Контактный телефон: {written.contactPhone.phone}{written.contactPhone.extension ? `, доб. ${written.contactPhone.extension}` : ''}</p> : null}
        </section>
      ) : null}
      {callback ? (
        <section aria-labelledby="text-title">
          <h2 id="text-title">Обратный звонок</h2>
          <p>
            Позвонить: <a href={`tel:${callback.phone}`}>{callback.phone}</a>
            {callback.extension ? `, доб. ${callback.extension}` : ''}
          </p>
          <p class="pre">{callback.description}</p>
          {callback.note ? <p class="pre">Примечание: {callback.note}</p> : null}
        </section>
      ) : null}
      {r.answer ? (
        <section aria-labelledby="answer-given-title">
          <h2 id="answer-given-title">Ответ</h2>
          <p class="pre">{r.answer.text}</p>
        </section>
      ) : null}
      {heldByAnother && open ? <p>Обращение в работе у другого оператора: действовать по нему может только он.</p> : null}
      {canAct ? (
        <div class="actions">
          {r.assignedTo ? (
            <button type="button" onClick={() => act('/v1/ops/requests/{id}/release', 'Обращение возвращено в очередь.')}>
              Вернуть в очередь
            </button>
          ) : (
            <button type="button" onClick={() => act('/v1/ops/requests/{id}/take', 'Обращение в работе у вас.')}>
              Взять в работу
            </button>
          )}
        </div>
      ) : null}
      <FormMessage message={message} />
      <FormMessage message={ok} kind="ok" />
      <Files requestId={id} items={r.attachments} />
      <section aria-labelledby="comments-title">
        <h2 id="comments-title">Комментарии</h2>
        {r.comments.length === 0 ? <p>Комментариев нет.</p> : null}
        <ul class="comments">
          {r.comments.map((c) => (
            <li key={c.id}>
              <span class="hint">
                {c.author === 'citizen' ? 'Гражданин' : 'Оператор'}, {formatDateTime(c.at)}
              </span>
              <p class="pre">{c.text}</p>
            </li>
          ))}
        </ul>
        {canAct ? <CommentForm requestId={id} onDone={done} /> : null}
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">История</h2>
        <ol class="timeline">
          {r.timeline.map((t, i) => (
            <li key={i}>
              <span class="hint">{formatDateTime(t.at)}</span> {eventLabel(t.event)}
              {t.detail ? `: ${t.detail}` : ''}
            </li>
          ))}
        </ol>
      </section>
      {r.channel === 'written' && canAct ? (
        <>
          <Extend requestId={id} onDone={done} />
          <Forward requestId={id} onDone={done} />
          <Answer requestId={id} onDone={done} />
        </>
      ) : null}
      <p>
        <Link href="/ops/inbox">Ко входящим</Link>
      </p>
    </main>
  );
}

function Files({ requestId, items }: { requestId: string; items: Schemas['Attachment'][] }) {
  const [shown, setShown] = useState<{ id: string; url: string; contentType: string; fileName: string }>();
  const [message, setMessage] = useState<string>();
  async function show(a: Schemas['Attachment']) {
    const { data, error } = await api.GET('/v1/requests/{id}/attachments/{attachmentId}', { params: { path: { id: requestId, attachmentId: a.id } } });
    if (!data) return setMessage(problemText(error).message);
    setShown({ id: a.id, url: data.url, contentType: a.contentType, fileName: a.fileName });
  }
  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">Файлы</h2>
      {items.length === 0 ? <p>Файлов нет.</p> : null}
      <ul class="files">
        {items.map((a) => (
          <li key={a.id}>
            {a.fileName} — {ATTACHMENT_STATUS_LABELS[a.status]}{' '}
            {a.status === 'ready' ? (
              <button type="button" class="link-button" onClick={() => show(a)}>
                Показать {a.fileName}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <FormMessage message={message} />
      {shown ? (
        shown.contentType === 'application/pdf' ? (
          <iframe class="attachment-view" src={shown.url} title={shown.fileName} />
        ) : (
          <img class="attachment-view" src={shown.url} alt={shown.fileName} />
        )
      ) : null}
    </section>
  );
}
