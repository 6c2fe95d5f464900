import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { FormMessage } from '../shared/fields.tsx';
import { problemText } from '../shared/problems.ts';
import { Link, PageTitle } from '../shared/router.tsx';
import type { Session } from '../shared/session.ts';
import { MOSCOW, formatDateTime } from '../shared/time.ts';
import { useResource } from '../shared/use-resource.ts';
import { api } from './client.ts';
import { announceUnread } from './notifications.ts';

/**
 * "Уведомления": what the centre told the citizen (the SMS notices, operators' comments, an
 * extended deadline, a forwarding), newest first, unread ones marked; each can be marked read, or
 * all at once. A notice about a request links to it.
 */
const REFRESH_MS = 15_000;

export function NotificationsPage({ session }: { session: Session }) {
  const timeZone = session.identity?.timeZone ?? MOSCOW;
  const list = useResource(async () => api.GET('/v1/notifications', { params: { query: { limit: 100 } } }), 'notifications', () => REFRESH_MS);
  const [message, setMessage] = useState<string>();
  const unread = list.data?.unread;
  useEffect(() => {
    if (unread !== undefined) announceUnread(unread);
  }, [unread]);

  async function readOne(n: Schemas['Notification']) {
    const { data, error } = await api.POST('/v1/notifications/{id}/read', { params: { path: { id: n.id } } });
    if (!data) return setMessage(problemText(error).message);
    setMessage(undefined);
    await list.reload();
  }
  async function readAll() {
    const { data, error } = await api.POST('/v1/notifications/read-all');
    if (!data) return setMessage(problemText(error).message);
    setMessage(undefined);
    await list.reload();
  }

  const items = list.data?.items ?? [];
  return (
    <main id="main">
      <PageTitle>Уведомления</PageTitle>
      {list.data ? <p aria-live="polite">Непрочитанных: {list.data.unread}</p> : list.problem ? null : <p aria-busy="true">Загрузка…</p>}
      {list.problem ? <p role="alert">{problemText(list.problem).message}</p> : null}
      <FormMessage message={message} />
      {unread ? (
        <div class="actions">
          <button type="button" onClick={readAll}>
            Отметить все прочитанными
          </button>
        </div>
      ) : null}
      {list.data && items.length === 0 ? <p>Уведомлений нет.</p> : null}
      <ul class="queue">
        {items.map((n) => (
          <li key={n.id} class={`card${n.read ? '' : ' card--unread'}`} aria-label={`${n.read ? 'Прочитано' : 'Новое'}: ${formatDateTime(n.at, timeZone)}`}>
            <p class="hint">
              {n.read ? '' : <strong>Новое · </strong>}
              {formatDateTime(n.at, timeZone)}
            </p>
            <p class="pre">{n.text}</p>
            <div class="actions">
              {n.requestId ? <Link href={`/requests/${n.requestId}`}>К обращению</Link> : null}
              {n.read ? null : (
                <button type="button" class="link-button" onClick={() => readOne(n)}>
                  Отметить прочитанным
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
