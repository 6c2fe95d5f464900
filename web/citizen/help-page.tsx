import { Link, PageTitle } from '../shared/router.tsx';
import { CHANNEL_LABELS, TYPE_SHORT } from '../shared/labels.ts';
import { queueLabel } from '../shared/queues.ts';
import { formatClock } from '../shared/time.ts';
import { useResource } from '../shared/use-resource.ts';
import { api } from './client.ts';

/** "Помощь и поддержка": the ways to reach support, a line per request type, each queue's live wait (GET /v1/contacts). */
export function HelpPage({ signedIn }: { signedIn: boolean }) {
  const contacts = useResource(async () => api.GET('/v1/contacts'), 'contacts', () => 60_000);
  const data = contacts.data;
  return (
    <main id="main">
      <PageTitle>Помощь и поддержка</PageTitle>
      <p>Задайте вопрос письменно или закажите звонок оператора в удобное время.</p>
      <ul class="actions">
        <li>
          <Link href="/write" class="button">
            Написать обращение
          </Link>
        </li>
        <li>
          <Link href="/callback" class="button button--secondary">
            Заказать обратный звонок
          </Link>
        </li>
      </ul>
      {signedIn ? null : <p class="hint">Для обращения понадобится вход на портал.</p>}
      {contacts.problem ? <p role="alert">Сведения о линиях сейчас недоступны. Обновите страницу позже.</p> : null}
      {data ? (
        <>
          <section aria-labelledby="channels">
            <h2 id="channels">Как связаться</h2>
            <ul class="cards">
              {data.channels.map((c) => (
                <li key={c.channel} class="card">
                  <strong>{CHANNEL_LABELS[c.channel] ?? c.channel}</strong>
                  <span>{c.hours}</span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="lines">
            <h2 id="lines">Телефоны по темам</h2>
            <table>
              <caption class="visually-hidden">Линия поддержки для каждого типа обращения</caption>
              <thead>
                <tr>
                  <th scope="col">Тема</th>
                  <th scope="col">Телефон</th>
                  <th scope="col">Часы работы</th>
                </tr>
              </thead>
              <tbody>
                {data.lines.map((l) => (
                  <tr key={l.type}>
                    <th scope="row">{TYPE_SHORT[l.type]}</th>
                    <td>
                      <a href={`tel:${l.phone}`}>{l.display}</a>
                    </td>
                    <td>{l.hours}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="queues">
            <h2 id="queues">Ожидание сейчас</h2>
            <ul class="cards">
              {data.queues.map((q) => (
                <li key={q.queue} class="card">
                  <strong>{queueLabel(q.queue)}</strong>
                  <span>
                    В очереди: {q.waiting}, ожидание около {Math.round(q.estimatedWaitMinutes)} мин{q.peakNow ? ' — сейчас час пик' : ''}
                  </span>
                  {q.recommendedWindows.length > 0 ? (
                    <span>
                      Лучше звонить:{' '}
                      {q.recommendedWindows.map((w) => `${formatClock(w.from)}–${formatClock(w.to)}`).join(', ')} (МСК)
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : contacts.loading ? (
        <p aria-busy="true">Загрузка…</p>
      ) : null}
    </main>
  );
}
