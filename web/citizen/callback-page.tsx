import { useState } from 'preact/hooks';
import { FormMessage, TextArea, TextField } from '../shared/fields.tsx';
import type { RequestType } from '../shared/labels.ts';
import { PageTitle, navigate } from '../shared/router.tsx';
import type { Session } from '../shared/session.ts';
import { MOSCOW } from '../shared/time.ts';
import { RequestTypeField } from './request-type-field.tsx';
import { IdentityFields, identityBody, identityFrom } from './identity-fields.tsx';
import { type Slot, SlotPicker } from './slot-picker.tsx';
import { useRequestForm } from './submit-request.ts';

/** "Заказать обратный звонок": type, the phone to call, the problem, a note, a free slot, the identity block. */
export function CallbackPage({ session }: { session: Session }) {
  const [type, setType] = useState<RequestType | ''>('');
  const [phone, setPhone] = useState(session.identity?.phone ?? '');
  const [description, setDescription] = useState('');
  const [note, setNote] = useState('');
  const [slot, setSlot] = useState<Slot>();
  const [identity, setIdentity] = useState(() => identityFrom(session.identity));
  const { errors, message, busy, typeChosen, submit: send } = useRequestForm();
  const timeZone = session.identity?.timeZone ?? MOSCOW;

  async function submit(event: Event) {
    event.preventDefault();
    if (!typeChosen(type)) return;
    const id = await send({
      channel: 'callback',
      type,
      identity: identityBody(identity),
      callback: {
        phone: phone.trim(),
        description,
        ...(note.trim() ? { note } : {}),
        ...(slot ? { preferredWindow: { from: slot.start, to: slot.end } } : {}),
      },
    });
    if (id) navigate(`/requests/${id}`);
  }

  return (
    <main id="main">
      <PageTitle>Заказать обратный звонок</PageTitle>
      <p>Оператор позвонит в выбранное время. После звонка его можно подтвердить кодом из СМС и скачать запись разговора.</p>
      <form class="form" onSubmit={submit} noValidate>
        <RequestTypeField value={type} onChange={setType} error={errors.type} />
        <TextField id="callback-phone" label="Телефон для звонка" hint="Можно городской, с добавочным: доб. 12" type="tel" value={phone} onInput={setPhone} error={errors['callback.phone']} required />
        <TextArea id="description" label="Описание проблемы" value={description} onInput={setDescription} error={errors['callback.description']} maxLength={1000} required />
        <TextArea id="note" label="Примечание" value={note} onInput={setNote} error={errors['callback.note']} maxLength={1000} rows={2} />
        {type ? <SlotPicker type={type} timeZone={timeZone} value={slot} onChange={setSlot} /> : <p class="hint">Выберите тип обращения, чтобы увидеть свободное время.</p>}
        {errors['callback.preferredWindow'] ? <p class="field-error">{errors['callback.preferredWindow']}</p> : null}
        <IdentityFields value={identity} onChange={setIdentity} errors={errors} />
        <FormMessage message={message} />
        <button type="submit" disabled={busy}>
          Отправить
        </button>
      </form>
    </main>
  );
}
