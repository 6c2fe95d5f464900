import { useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { FormMessage, TextField } from '../shared/fields.tsx';
import { OUTCOME_LABELS, STATUS_LABELS, TYPE_SHORT } from '../shared/labels.ts';
import { problemText } from '../shared/problems.ts';
import { queueLabel } from '../shared/queues.ts';
import { Link, PageTitle } from '../shared/router.tsx';
import { formatDateTime } from '../shared/time.ts';
import { api } from './client.ts';
import { fromLocalInput } from './local-time.ts';

/**
 * "Поиск" (GET /v1/ops/search): by request number, or by phone, or by the time of a call (with a
 * phone, only that phone's calls). The API takes exactly one of them (a number goes alone), so a
 * filled number wins and the other fields are not sent; the results are requests and calls of the
 * operator's queues, each request opening its page.
 */
export function SearchPage() {
  const [number, setNumber] = useState('');
  const [phone, setPhone] = useState('');
  const [callAt, setCallAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [found, setFound] = useState<Schemas['SearchResults']>();

  async function submit(event: Event) {
    event.preventDefault();
    const at = fromLocalInput(callAt);
    const query = number.trim() ? { number: number.trim() } : { ...(phone.trim() ? { phone: phone.trim() } : {}), ...(at ? { callAt: at } : {}) };
    if (Object.keys(query).length === 0) {
      setFound(undefined);
      setFields({});
      return setMessage('Укажите номер обращения, телефон или время звонка.');
    }
    setBusy(true);
    const { data, error } = await api.GET('/v1/ops/search', { params: { query } });
    setBusy(false);
    if (data) {
      setMessage(undefined);
      setFields({});
      setFound(data);
    } else {
      const text = problemText(error);
      setFound(undefined);
      setMessage(text.message);
      setFields(text.fields);
    }
  }

  return (
    <main id="main">
      <PageTitle>Поиск</PageTitle>
      <form class="form" aria-label="Поиск обращений и звонков" onSubmit={submit}>
        <TextField id="search-number" label="Номер обращения" value={number} onInput={setNumber} hint="Например, 20261126-7KQ3ZD. Если номер указан, остальные поля не учитываются." error={fields.number} />
        <TextField id="search-phone" label="Телефон" type="tel" value={phone} onInput={setPhone} error={fields.phone} />
        <TextField id="search-call-at" label="Время звонка" type="datetime-local" step={1} value={callAt} onInput={setCallAt} hint="Звонки в пределах 15 минут от этого времени." error={fields.callAt} />
        <button type="submit" disabled={busy}>
          Найти
        </button>
        <FormMessage message={message} />
      </form>
      {found ? <Results found={found} /> : null}
    </main>
  );
}

function Results({ found }: { found: Schemas['SearchResults'] }) {
  return (
    <>
      <section aria-labelledby="found-requests-title">
        <h2 id="found-requests-title">Обращения: {found.requests.length}</h2>
        <ul class="queue">
          {found.requests.map((r) => (
            <li key={r.id} class="card">
              <Link href={`/ops/requests/${r.id}`}>Обращение № {r.number}</Link> · {TYPE_SHORT[r.type]} · {STATUS_LABELS[r.status]} · {queueLabel(r.queue)} · подано {formatDateTime(r.createdAt)}
              {r.dueBy ? ` · ответить до ${formatDateTime(r.dueBy)}` : ''}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="found-calls-title">
        <h2 id="found-calls-title">Звонки: {found.calls.length}</h2>
        <ul class="queue">
          {found.calls.map((c) => (
            <li key={c.id} class="card">
              {c.direction === 'outbound' ? 'Исходящий' : 'Входящий'} · {c.phone} · {formatDateTime(c.queuedAt)} · {OUTCOME_LABELS[c.outcome]} · оператор {c.operatorId}
              {c.requestId ? (
                <>
                  {' · '}
                  <Link href={`/ops/requests/${c.requestId}`}>Открыть обращение звонка {c.id}</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
