import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { FormMessage, TextArea, TextField } from '../shared/fields.tsx';
import { OUTCOME_LABELS } from '../shared/labels.ts';
import { problemText, retryAfter } from '../shared/problems.ts';
import { navigate } from '../shared/router.tsx';
import { formatDateTime, formatDuration } from '../shared/time.ts';
import { api } from './client.ts';

/**
 * One call on a request: "Подтвердить звонок" sends a code by SMS; the code field tells the
 * attempts left after a wrong code and counts down until a new code may be sent (the answer's
 * `resendAvailableAt`, or `Retry-After` of a 429); once confirmed, "Скачать PDF". A wait over ten
 * minutes (`claimEligible`) offers "Подать претензию".
 */
type Call = Schemas['RequestDetail']['calls'][number];

function useCountdown(until: number | undefined): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!until) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return until ? Math.max(0, Math.ceil((until - now) / 1000)) : 0;
}

async function downloadTranscript(call: Call): Promise<string | undefined> {
  const { data, error } = await api.GET('/v1/calls/{callId}/transcript', { params: { path: { callId: call.id } }, parseAs: 'blob' });
  if (!data) return problemText(error).message;
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = `zvonok-${call.at.slice(0, 10)}.pdf`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return undefined;
}

export function CallItem({ call, timeZone, onChanged }: { call: Call; timeZone: string; onChanged: () => void }) {
  const [stage, setStage] = useState<'idle' | 'code' | 'claim'>('idle');
  const [code, setCode] = useState('');
  const [claim, setClaim] = useState('');
  const [message, setMessage] = useState<string>();
  const [ok, setOk] = useState<string>();
  const [resendAt, setResendAt] = useState<number>();
  const [busy, setBusy] = useState(false);
  const left = useCountdown(resendAt);

  async function sendCode() {
    setBusy(true);
    setMessage(undefined);
    const { data, error, response } = await api.POST('/v1/calls/{callId}/confirmation', { params: { path: { callId: call.id } } });
    setBusy(false);
    if (data) {
      setStage('code');
      setResendAt(Date.parse(data.resendAvailableAt));
      setOk('Код отправлен по СМС на телефон из профиля.');
      return;
    }
    const wait = retryAfter(response);
    if (wait) setResendAt(Date.now() + wait * 1000);
    if (error?.code === 'already_confirmed') onChanged();
    setStage((s) => (s === 'idle' && response.status === 429 ? 'code' : s));
    setMessage(problemText(error).message);
  }

  async function verify(event: Event) {
    event.preventDefault();
    setBusy(true);
    setOk(undefined);
    const { data, error, response } = await api.POST('/v1/calls/{callId}/confirmation/verify', { params: { path: { callId: call.id } }, body: { code: code.trim() } });
    setBusy(false);
    if (data) {
      setStage('idle');
      setMessage(undefined);
      setOk('Звонок подтверждён. Запись разговора можно скачать.');
      onChanged();
      return;
    }
    const wait = retryAfter(response);
    if (wait && error?.code !== 'code_locked') setResendAt(Date.now() + wait * 1000);
    if (error?.code === 'code_locked' || error?.code === 'code_expired') setResendAt(undefined);
    setMessage(problemText(error).message);
  }

  async function fileClaim(event: Event) {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/v1/calls/{callId}/claim', { params: { path: { callId: call.id } }, body: { text: claim } });
    setBusy(false);
    if (data) {
      navigate(`/requests/${data.id}`);
      return;
    }
    setMessage(problemText(error).message);
  }

  const codeId = `code-${call.id}`;
  return (
    <li class="card call">
      <p>
        <strong>{call.direction === 'outbound' ? 'Звонок оператора' : 'Ваш звонок'}</strong> {formatDateTime(call.at, timeZone)}
      </p>
      <p>
        {OUTCOME_LABELS[call.outcome]}. Ожидание {formatDuration(call.waitSeconds)}, разговор {formatDuration(call.durationSeconds)}.
        {call.confirmed ? ' Подтверждён.' : ''}
      </p>
      <FormMessage message={ok} kind="ok" />
      {stage === 'code' ? (
        <form class="form" onSubmit={verify} aria-label="Подтверждение звонка">
          <TextField id={codeId} label="Код из СМС" value={code} onInput={setCode} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required error={message} />
          <button type="submit" disabled={busy}>
            Отправить
          </button>
          <p class="hint" aria-live="polite">
            {left > 0 ? `Новый код можно запросить через ${left} с` : 'Можно запросить новый код'}
          </p>
          <button type="button" class="button--secondary" disabled={busy || left > 0} onClick={sendCode}>
            Отправить код ещё раз
          </button>
        </form>
      ) : (
        <FormMessage message={stage === 'idle' ? message : undefined} />
      )}
      <div class="actions">
        {call.outcome === 'answered' && !call.confirmed && stage === 'idle' ? (
          <button type="button" onClick={sendCode} disabled={busy}>
            Подтвердить звонок
          </button>
        ) : null}
        {call.confirmed ? (
          <button type="button" onClick={async () => setMessage(await downloadTranscript(call))}>
            Скачать PDF
          </button>
        ) : null}
        {call.claimEligible && stage !== 'claim' ? (
          <button type="button" class="button--secondary" onClick={() => setStage('claim')}>
            Подать претензию
          </button>
        ) : null}
      </div>
      {stage === 'claim' ? (
        <form class="form" onSubmit={fileClaim} aria-label="Претензия о долгом ожидании">
          <TextArea id={`claim-${call.id}`} label="Текст претензии" value={claim} onInput={setClaim} maxLength={5000} required error={message} />
          <button type="submit" disabled={busy}>
            Отправить
          </button>
        </form>
      ) : null}
    </li>
  );
}
