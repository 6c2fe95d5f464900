import type { Schemas } from '../shared/api.ts';
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
