import { useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { FormMessage, TextArea, TextField } from '../shared/fields.tsx';
import type { RequestType } from '../shared/labels.ts';
import { PageTitle, navigate } from '../shared/router.tsx';
import type { Session } from '../shared/session.ts';
import { RequestTypeField } from './request-type-field.tsx';
import { IdentityFields, identityBody, identityFrom } from './identity-fields.tsx';
import { useRequestForm } from './submit-request.ts';
import { MAX_FILES, fileProblem, pendingFiles } from './uploads.ts';

/** "Написать обращение": a written request, its attempts to reach support, files, and the identity block. */
interface Attempt {
  at: string;
  phone: string;
  error: string;
}

export function WritePage({ session }: { session: Session }) {
  const [type, setType] = useState<RequestType | ''>('');
  const [topic, setTopic] = useState('');
  const [text, setText] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [desiredOutcome, setDesiredOutcome] = useState('');
  const [attempts, setAttempts] = useState<Attempt[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [identity, setIdentity] = useState(() => identityFrom(session.identity));
  const { errors, message, setMessage, busy, typeChosen, submit: send } = useRequestForm();
  const fileErrors = files.map(fileProblem).filter((p): p is string => p !== undefined);

  async function submit(event: Event) {
    event.preventDefault();
    if (!typeChosen(type)) return;
    if (fileErrors.length > 0 || files.length > MAX_FILES) {
      setMessage(files.length > MAX_FILES ? 'Можно прикрепить не больше 5 файлов.' : fileErrors.join(' '));
      return;
    }
    const written: Schemas['WrittenSection'] = {
      topic,
      text,
      ...(contactPhone.trim() ? { contactPhone: contactPhone.trim() } : {}),
      ...(desiredOutcome.trim() ? { desiredOutcome } : {}),
      ...(attempts.length > 0
        ? { attempts: attempts.map((a) => ({ at: new Date(a.at).toISOString(), ...(a.phone.trim() ? { phone: a.phone.trim() } : {}), ...(a.error.trim() ? { error: a.error } : {}) })) }
        : {}),
    };
    const id = await send({ channel: 'written', type, identity: identityBody(identity), written });
    if (!id) return;
    if (files.length > 0) pendingFiles.set(id, files);
    navigate(`/requests/${id}`);
  }

  const setAttempt = (i: number, patch: Partial<Attempt>) => setAttempts(attempts.map((a, j) => (j === i ? { ...a, ...patch } : a)));

  return (
    <main id="main">
      <PageTitle>Написать обращение</PageTitle>
      <p>Ответ придёт в «Мои обращения» и по СМС. Срок ответа — 30 дней.</p>
      <form class="form" onSubmit={submit} noValidate>
        <RequestTypeField value={type} onChange={setType} error={errors.type} />
        <TextField id="topic" label="Тема" value={topic} onInput={setTopic} error={errors['written.topic']} maxLength={200} required />
        <TextArea id="text" label="Текст обращения" value={text} onInput={setText} error={errors['written.text']} maxLength={10000} rows={8} required />
        <TextField id="contactPhone" label="Телефон для связи" hint="Если отличается от мобильного в профиле" type="tel" value={contactPhone} onInput={setContactPhone} error={errors['written.contactPhone']} />
        <fieldset>
          <legend>Попытки обратиться в поддержку</legend>
          {attempts.map((a, i) => (
            <div class="attempt" key={i}>
              <TextField id={`attempt-${i}-at`} label={`Когда (попытка ${i + 1})`} type="datetime-local" value={a.at} onInput={(at) => setAttempt(i, { at })} error={errors[`written.attempts.${i}.at`]} required />
              <TextField id={`attempt-${i}-phone`} label={`Куда звонили (попытка ${i + 1})`} type="tel" value={a.phone} onInput={(phone) => setAttempt(i, { phone })} error={errors[`written.attempts.${i}.phone`]} />
              <TextField id={`attempt-${i}-error`} label={`Что случилось (попытка ${i + 1})`} value={a.error} onInput={(error) => setAttempt(i, { error })} error={errors[`written.attempts.${i}.error`]} />
              <button type="button" class="button--secondary" onClick={() => setAttempts(attempts.filter((_, j) => j !== i))}>
                Убрать попытку {i + 1}
              </button>
            </div>
          ))}
          {attempts.length < 20 ? (
            <button type="button" class="button--secondary" onClick={() => setAttempts([...attempts, { at: '', phone: '', error: '' }])}>
              Добавить попытку
            </button>
          ) : null}
        </fieldset>
        <TextArea id="desiredOutcome" label="Какой результат вы ждёте" value={desiredOutcome} onInput={setDesiredOutcome} error={errors['written.desiredOutcome']} maxLength={2000} rows={3} />
        <div class="field">
          <label for="files">Файлы</label>
          <p class="hint" id="files-hint">
            PNG, JPEG или PDF, до 10 МБ, не больше 5 файлов
          </p>
          <input
            id="files"
            type="file"
            multiple
            accept="image/png,image/jpeg,application/pdf"
            aria-describedby="files-hint"
            onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))}
          />
          {fileErrors.map((p) => (
            <p class="field-error" key={p}>
              {p}
            </p>
          ))}
        </div>
        <IdentityFields value={identity} onChange={setIdentity} errors={errors} />
        <FormMessage message={message} />
        <button type="submit" disabled={busy}>
          Отправить
        </button>
      </form>
    </main>
  );
}
