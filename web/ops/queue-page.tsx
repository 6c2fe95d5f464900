import { useState } from 'preact/hooks';
import { FormMessage, SelectField } from '../shared/fields.tsx';
import { TYPE_SHORT } from '../shared/labels.ts';
import { problemText } from '../shared/problems.ts';
import { queueLabel } from '../shared/queues.ts';
import { Link, PageTitle } from '../shared/router.tsx';
import type { Session } from '../shared/session.ts';
import { formatDateTime } from '../shared/time.ts';
import { useResource } from '../shared/use-resource.ts';
import { api } from './client.ts';
import { myQueues } from './my-queues.ts';
import { RecordCall } from './record-call.tsx';

/**
 * "Очередь звонков": the callbacks due in one of the operator's queues, in queue order, refreshed
 * every 5 seconds. "Взять в работу" takes one (409 `taken` when another operator was quicker), then
 * the call is recorded right there; the entry leaves the queue once its outcome is recorded.
 */
const REFRESH_MS = 5_000;

export function QueuePage({ session }: { session: Session }) {
  const queues = myQueues(session);
  const [queue, setQueue] = useState(queues[0] ?? '');
  const [taken, setTaken] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<string>();
  const [done, setDone] = useState<string>();
  const list = useResource(async () => api.GET('/v1/ops/queues/{queue}', { params: { path: { queue }, query: { limit: 50 } } }), queue, () => REFRESH_MS);
  const items = list.data?.items ?? [];

  async function take(requestId: string) {
    setMessage(undefined);
    const { data, error } = await api.POST('/v1/ops/requests/{id}/take', { params: { path: { id: requestId } } });
    if (!data) return setMessage(problemText(error).message);
    setTaken(new Set([...taken, requestId]));
  }

  return (
    <main id="main">
      <PageTitle>Очередь звонков</PageTitle>
      <SelectField id="queue" label="Очередь" value={queue} options={queues.map((q) => ({ value: q, label: queueLabel(q) }))} onChange={setQueue} />
      <p class="hint" aria-live="polite">
        {list.loading && !list.data ? 'Загрузка…' : `Ждут звонка: ${items.length}. Список обновляется сам.`}
      </p>
      <FormMessage message={message} />
      <FormMessage message={done} kind="ok" />
      <ul class="queue">
        {items.map((item) => (
          <li key={`${item.requestId}-${item.attempt}`} class="card" aria-label={`Обращение № ${item.number}`}>
            <p>
              <strong>Обращение № {item.number}</strong> · {TYPE_SHORT[item.type]} · попытка {item.attempt}
            </p>
            <p>
              Позвонить: <a href={`tel:${item.phone}`}>{item.phone}</a>
              {item.extension ? `, доб. ${item.extension}` : ''} · к {formatDateTime(item.dueAt)}
            </p>
            <p class="pre">{item.description}</p>
            {item.note ? <p class="pre">Примечание: {item.note}</p> : null}
            {item.questions.length > 0 ? (
              <details>
                <summary>Уточняющие вопросы</summary>
                <ul>
                  {item.questions.map((q) => (
                    <li key={q}>{q}</li>
                  ))}
                </ul>
              </details>
            ) : null}
            {taken.has(item.requestId) ? (
              <RecordCall
                item={item}
                onRecorded={(text) => {
                  setDone(text);
                  void list.reload();
                }}
              />
            ) : (
              <div class="actions">
                <button type="button" onClick={() => take(item.requestId)}>
                  Взять в работу
                </button>
                <Link href={`/ops/requests/${item.requestId}`}>Открыть обращение № {item.number}</Link>
              </div>
            )}
          </li>
        ))}
      </ul>
    </main>
  );
}
