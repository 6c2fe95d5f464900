import { useState } from 'preact/hooks';
import { SelectField } from '../shared/fields.tsx';
import { STATUS_LABELS, TYPE_SHORT } from '../shared/labels.ts';
import { problemText } from '../shared/problems.ts';
import { queueLabel } from '../shared/queues.ts';
import { Link, PageTitle } from '../shared/router.tsx';
import type { Session } from '../shared/session.ts';
import { formatDateTime } from '../shared/time.ts';
import { useResource } from '../shared/use-resource.ts';
import { api } from './client.ts';
import { myQueues } from './my-queues.ts';

/**
 * "Входящие": the written requests of one of the operator's queues waiting for an answer, nearest
 * deadline first, overdue ones marked; refreshed every 10 seconds like the callback queue. Each
 * row opens the request. One page of 100 is shown (a queue holding more is a staffing problem the
 * list's count makes visible, not something to page through at a desk).
 */
const REFRESH_MS = 10_000;

export function InboxPage({ session }: { session: Session }) {
  const queues = myQueues(session);
  const [queue, setQueue] = useState(queues[0] ?? '');
  const list = useResource(async () => api.GET('/v1/ops/inbox/{queue}', { params: { path: { queue }, query: { limit: 100 } } }), queue, () => REFRESH_MS);
  const items = list.data?.items ?? [];
  return (
    <main id="main">
      <PageTitle>Входящие</PageTitle>
      <SelectField id="inbox-queue" label="Очередь" value={queue} options={queues.map((q) => ({ value: q, label: queueLabel(q) }))} onChange={setQueue} />
      <p class="hint" aria-live="polite">
        {list.loading && !list.data ? 'Загрузка…' : `Ждут ответа: ${items.length}${list.data?.nextCursor ? '+' : ''}. Список обновляется сам.`}
      </p>
      {list.problem ? <p role="alert">{problemText(list.problem).message}</p> : null}
      <ul class="queue">
        {items.map((item) => (
          <li key={item.id} class="card" aria-label={`Обращение № ${item.number}`}>
            <p>
              <Link href={`/ops/requests/${item.id}`}>Обращение № {item.number}</Link> · {TYPE_SHORT[item.type]} · {STATUS_LABELS[item.status]}
              {item.assignedTo ? ` (${item.assignedTo})` : ''}
            </p>
            <p>{item.topic}</p>
            <p class={item.overdue ? 'form-error' : 'hint'}>
              {item.overdue ? 'Срок ответа истёк: ' : 'Ответить до '}
              {formatDateTime(item.dueBy)}
              {item.attachmentsCount > 0 ? ` · файлов: ${item.attachmentsCount}` : ''}
              {item.lastCommentAt ? ` · последний комментарий ${item.lastCommentBy === 'citizen' ? 'гражданина' : 'оператора'} ${formatDateTime(item.lastCommentAt)}` : ''}
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}
