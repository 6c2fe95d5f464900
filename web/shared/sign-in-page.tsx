import { useState } from 'preact/hooks';
import { FormMessage, TextField } from './fields.tsx';
import { PageTitle } from './router.tsx';
import { type Face, type Session, saveSession } from './session.ts';

/**
 * The local-only sign-in (POST /_local/sign-in on `npm start`): pick a test user by name, and for an
 * operator the queues they work. Never in the cloud build: callers reach it only behind
 * `__LOCAL_SIGN_IN__`, which the cloud mode sets to false.
 */
export function LocalSignIn({ face, onSignedIn }: { face: Face; onSignedIn: (session: Session) => void }) {
  const [user, setUser] = useState(face === 'citizen' ? 'citizen-1' : 'operator-1');
  const [queues, setQueues] = useState('*');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/_local/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: user.trim(), role: face, ...(face === 'operator' ? { queues } : {}) }),
      });
      const body = (await res.json()) as Session & { detail?: string };
      if (!res.ok) {
        setError(body.detail ? `Не получилось войти: ${body.detail}` : 'Не получилось войти.');
        return;
      }
      saveSession(body);
      onSignedIn(body);
    } catch {
      setError('Сервер недоступен. Запущен ли npm start?');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main">
      <PageTitle>Вход</PageTitle>
      <p>Локальный вход для разработки: выберите тестового {face === 'citizen' ? 'пользователя' : 'оператора'}. В облаке входят через портал.</p>
      <form onSubmit={submit} class="form">
        <TextField id="user" label="Пользователь" value={user} onInput={setUser} required autoComplete="username" />
        {face === 'operator' ? <TextField id="queues" label="Очереди" hint="Через запятую, или * — все очереди" value={queues} onInput={setQueues} /> : null}
        <FormMessage message={error} />
        <button type="submit" disabled={busy}>
          Войти
        </button>
      </form>
    </main>
  );
}
