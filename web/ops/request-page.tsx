import { useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { FormMessage, TextArea } from '../shared/fields.tsx';
import { ATTACHMENT_STATUS_LABELS } from '../shared/labels.ts';
import { problemText } from '../shared/problems.ts';
import { Link, PageTitle } from '../shared/router.tsx';
import { useResource } from '../shared/use-resource.ts';
import { api } from './client.ts';

/**
 * A request in the workspace, with what the API offers an operator today: "Взять в работу", its
 * files opened in place, and "Ответить". The full view (GET /v1/ops/requests/{id}: the submitted
 * text, timeline, comments, the citizen), comments, "Вернуть в очередь", extend and forward join
 * here as those routes land (ops/sections.ts).
 */
export function RequestPage({ id }: { id: string }) {
  const files = useResource(async () => api.GET('/v1/ops/requests/{id}/attachments', { params: { path: { id } } }), id, (d) =>
    d?.items.some((a) => a.status === 'pending') ? 2_000 : undefined,
  );
  const [message, setMessage] = useState<string>();
  const [ok, setOk] = useState<string>();

  async function take() {
    const { data, error } = await api.POST('/v1/ops/requests/{id}/take', { params: { path: { id } } });
    if (data) {
      setMessage(undefined);
      setOk('Обращение в работе у вас.');
    } else setMessage(problemText(error).message);
  }

  return (
    <main id="main">
      <PageTitle>Обращение</PageTitle>
      <p class="hint">Идентификатор: {id}</p>
      {files.problem?.status === 404 ? <p role="alert">Обращение не найдено в ваших очередях.</p> : null}
      <div class="actions">
        <button type="button" onClick={take}>
          Взять в работу
        </button>
      </div>
      <FormMessage message={message} />
      <FormMessage message={ok} kind="ok" />
      <Files requestId={id} items={files.data?.items ?? []} />
      <Answer requestId={id} />
      <p>
        <Link href="/ops/">К очереди звонков</Link>
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

function Answer({ requestId }: { requestId: string }) {
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string>();
  const [ok, setOk] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/v1/ops/requests/{id}/answer', { params: { path: { id: requestId } }, body: { text } });
    setBusy(false);
    if (!data) return setMessage(problemText(error).message);
    setMessage(undefined);
    setOk(`Ответ по обращению № ${data.number} отправлен.`);
  }
  return (
    <section aria-labelledby="answer-title">
      <h2 id="answer-title">Ответить</h2>
      <form class="form" onSubmit={submit} aria-label="Ответ гражданину">
        <TextArea id="answer" label="Ответ" value={text} onInput={setText} rows={8} maxLength={10000} required error={message} />
        <button type="submit" disabled={busy}>
          Отправить ответ
        </button>
        <FormMessage message={ok} kind="ok" />
      </form>
    </section>
  );
}
