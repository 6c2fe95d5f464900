import { useMemo, useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import type { RequestType } from '../shared/labels.ts';
import { type ProblemText, problemText } from '../shared/problems.ts';
import { api } from './client.ts';

/**
 * POST /v1/requests with an Idempotency-Key: the same key while the same form is sent again after a
 * network failure (no second request), a new one once the API has answered.
 */
export function requestSender() {
  let key: string | undefined;
  return async (body: Schemas['CreateRequest']): Promise<{ id: string } | { problem: ProblemText }> => {
    key ??= crypto.randomUUID();
    try {
      const { data, error } = await api.POST('/v1/requests', { body, params: { header: { 'Idempotency-Key': key } } });
      key = undefined;
      if (data) return { id: data.id };
      return { problem: problemText(error) };
    } catch {
      return { problem: { message: 'Нет связи с сервером. Проверьте подключение и отправьте ещё раз.', fields: {}, code: 'network' } };
    }
  };
}

/**
 * What both citizen forms keep while they send a request: the field errors and the form's message
 * from the last answer, whether a send is under way, and the sender with its Idempotency-Key.
 */
export function useRequestForm() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const send = useMemo(requestSender, []);

  /** A type is chosen: else the field says so, and nothing is sent. */
  function typeChosen(type: RequestType | ''): type is RequestType {
    if (type) return true;
    setErrors({ type: 'Выберите тип обращения.' });
    setMessage('Проверьте выделенные поля.');
    return false;
  }

  /** Sends the request: the new request's id, or undefined when it was refused (its sentences shown). */
  async function submit(body: Schemas['CreateRequest']): Promise<string | undefined> {
    setBusy(true);
    const result = await send(body);
    setBusy(false);
    if ('id' in result) return result.id;
    setErrors(result.problem.fields);
    setMessage(result.problem.message);
    return undefined;
  }

  return { errors, message, setMessage, busy, typeChosen, submit };
}
