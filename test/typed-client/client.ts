/**
 * A small portal client written only from the generated types (openapi-typescript) with
 * openapi-fetch: test/unit/api-types.test.ts generates the types from the document, then
 * typechecks this file against them. It uses what a portal needs to be typed exactly: the
 * channel union, the submitted sections, `attemptsLeft`, the PDF and each route's error codes,
 * with no cast and no escape type. Each `@ts-expect-error` is a mistake the types must refuse;
 * a looser document (an open object, a plain string code) makes that line an error itself.
 * Not part of the root typecheck: `api-schema` exists only in the test's temporary project.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from 'api-schema';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

type Schemas = components['schemas'];
const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000' });
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

const identity: Schemas['CreateRequest']['identity'] = {
  fullName: 'Иванов Иван Иванович',
  snils: '112-233-445 95',
  passport: { series: '4510', number: '123456', issuedOn: '2015-03-20' },
  phone: '+7 912 345-67-89',
};

export async function fileCallback(token: string): Promise<string | undefined> {
  const created = await client.POST('/v1/requests', {
    headers: { ...auth(token), 'Idempotency-Key': 'portal-1' },
    body: { channel: 'callback', type: 'technical', identity, callback: { phone: '+7 495 123-45-67 доб. 12', description: 'Не приходит код' } },
  });
  if (created.error) {
    // The codes of POST /v1/requests, and only those.
    switch (created.error.code) {
      case 'validation_failed':
        return created.error.errors.map((e) => `${e.path}: ${e.code}`).join('; ');
      case 'too_many_open_callbacks':
      case 'rate_limited':
      case 'idempotency_key_reused':
      case 'unauthenticated':
      case 'payload_too_large':
      case 'unsupported_media_type':
      case 'internal':
        return created.error.detail;
      default:
        assertType<Equal<typeof created.error, never>>();
        return undefined;
    }
  }
  assertType<Equal<typeof created.data.status, 'received'>>();
  assertType<Equal<typeof created.data.channel, 'written' | 'callback'>>();
  return created.data.id;
}

type CreateConflict = paths['/v1/requests']['post']['responses'][409]['content']['application/problem+json'];
// @ts-expect-error the only 409 of POST /v1/requests is too_many_open_callbacks
export const notACreateConflict: CreateConflict['code'] = 'request_closed';

export async function refusedBodies(token: string): Promise<void> {
  await client.POST('/v1/requests', {
    headers: auth(token),
    // @ts-expect-error a written request carries the written section, not the callback one
    body: { channel: 'written', type: 'technical', identity, callback: { phone: '+7 495 123-45-67', description: 'x' } },
  });
  await client.POST('/v1/requests', {
    headers: auth(token),
    // @ts-expect-error `fax` is not a channel
    body: { channel: 'fax', type: 'technical', identity, written: { topic: 't', text: 'x' } },
  });
  // @ts-expect-error `type` is required
  await client.GET('/v1/callback-slots', { params: { query: {} } });
  // @ts-expect-error `limit` is a number
  await client.GET('/v1/requests', { headers: auth(token), params: { query: { limit: 'ten' } } });
}

export async function readRequest(token: string, id: string): Promise<string> {
  const { data, error } = await client.GET('/v1/requests/{id}', { headers: auth(token), params: { path: { id } } });
  if (error) {
    assertType<Equal<typeof error.code, 'validation_failed' | 'unauthenticated' | 'not_found' | 'payload_too_large' | 'rate_limited' | 'internal'>>();
    return error.title;
  }
  // @ts-expect-error the objects are closed: no property the document does not list
  void data.assignedTo;
  const last = data.timeline.at(-1)?.event ?? '';
  const calls = data.calls.filter((c) => c.claimEligible).map((c) => c.waitSeconds);
  if (data.channel === 'written') {
    // The submitted written section, phones masked.
    const attempt = data.written.attempts[0];
    return `${data.written.topic} ${attempt?.phone ?? ''} ${data.written.contactPhone?.extension ?? ''} ${data.dueBy ?? ''} ${last} ${calls.length}`;
  }
  assertType<Equal<typeof data.channel, 'callback'>>();
  // @ts-expect-error a callback request has no written section
  void data.written;
  return `${data.callback.description} ${data.callback.preferredWindow?.from ?? ''} ${data.scheduledAt ?? ''}`;
}

export async function confirmCall(token: string, callId: string, code: string): Promise<string> {
  const sent = await client.POST('/v1/calls/{callId}/confirmation', { headers: auth(token), params: { path: { callId } } });
  if (sent.error?.code === 'code_resend_too_soon') return `retry in ${sent.response.headers.get('Retry-After') ?? '?'} s`;
  const verified = await client.POST('/v1/calls/{callId}/confirmation/verify', { headers: auth(token), params: { path: { callId } }, body: { code } });
  if (verified.error) {
    if (verified.error.code === 'code_invalid') {
      assertType<Equal<typeof verified.error.attemptsLeft, number>>();
      return `wrong code, ${verified.error.attemptsLeft} tries left`;
    }
    if (verified.error.code === 'code_locked' || verified.error.code === 'code_expired') return 'send a new code';
    // @ts-expect-error only code_invalid carries attemptsLeft
    return String(verified.error.attemptsLeft);
  }
  assertType<Equal<typeof verified.data.confirmed, true>>();
  return verified.data.transcriptUrl;
}

export async function downloadTranscript(token: string, callId: string): Promise<Blob | string> {
  const pdf = await client.GET('/v1/calls/{callId}/transcript', { headers: auth(token), params: { path: { callId } }, parseAs: 'blob' });
  if (pdf.error) return pdf.error.code === 'not_confirmed' ? 'confirm the call first' : pdf.error.title;
  assertType<Equal<typeof pdf.data, Blob>>();
  return pdf.data;
}

export async function claim(token: string, callId: string): Promise<string> {
  const filed = await client.POST('/v1/calls/{callId}/claim', { headers: auth(token), params: { path: { callId } }, body: { text: 'Ждал больше 10 минут' } });
  if (filed.error) return filed.error.code;
  // The same shape as GET /v1/requests/{id}: a written complaint naming the call.
  return filed.data.channel === 'written' ? `${filed.data.written.topic} ${filed.data.claimOf?.waitSeconds ?? 0}` : filed.data.callback.description;
}
