import { Link, PageTitle } from '../shared/router.tsx';
import { STATUS_LABELS, TYPE_SHORT } from '../shared/labels.ts';
import { formatDateTime } from '../shared/time.ts';
import { useResource } from '../shared/use-resource.ts';
import { api } from './client.ts';

/** "Мои обращения": the citizen's requests, newest first, with their statuses (GET /v1/requests). */
export function RequestsPage() {
  const list = useResource(async () => api.GET('/v1/requests', { params: { query: { limit: 50 } } }), 'requests', () => 15_000);
  const items = list.data?.items ?? [];
  return (
    <main id="main">
      <PageTitle>Мои обращения</PageTitle>
      {list.problem ? <p role="alert">Список не загрузился. Обновите страницу.</p> : null}
      {list.loading && !list.data ? <p aria-busy="true">Загрузка…</p> : null}
      {list.data && items.length === 0 ? (
        <p>
          Обращений пока нет. <Link href="/write">Написать обращение</Link>
        </p>
      ) : null}
      <ul class="request-list">
        {items.map((r) => (
          <li key={r.id} class="card">
            <Link href={`/requests/${r.id}`}>Обращение № {r.number}</Link>
            <span>
              {r.channel === 'written' ? 'Письменное' : 'Обратный звонок'} · {TYPE_SHORT[r.type]}
            </span>
            <span class={`status status--${r.status}`}>{STATUS_LABELS[r.status]}</span>
            <span class="hint">от {formatDateTime(r.createdAt)}</span>
          </li>
        ))}
      </ul>
    </main>
  );
}
