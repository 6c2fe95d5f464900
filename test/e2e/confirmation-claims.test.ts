import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '#infra/local/dynamodb-local';
import { LOCAL_TABLE_NAME } from '#infra/local/runtime';
import { PROFILE_PHONE_E164, identity } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, cliToken, startSystem } from '../support/local-process.ts';
import { apiClient } from '../support/api-client.ts';

/**
 * After a call: the citizen confirms it with the code from the SMS (read from the local outbox),
 * downloads the PDF of the dialog, and files a claim for a 12-minute wait (a 9-minute one is refused).
 */
let system: StartedSystem;
let citizen: string;
let operator: string;

const call = apiClient(() => system.url);

/** An inbound call from the citizen's profile phone, matched to them by that phone. */
async function inboundCall(waitMinutes: number, transcript = true) {
  const queuedAt = new Date(Date.now() - 3_600_000);
  const answeredAt = new Date(queuedAt.getTime() + waitMinutes * 60_000);
  const endedAt = new Date(answeredAt.getTime() + 95_000);
  const body = {
    direction: 'inbound',
    phone: '8 912 345 67 89',
    queuedAt: queuedAt.toISOString(),
    answeredAt: answeredAt.toISOString(),
    endedAt: endedAt.toISOString(),
    outcome: 'answered',
    ...(transcript
      ? {
          transcript: [
            { at: answeredAt.toISOString(), speaker: 'operator', text: 'Здравствуйте! Служба поддержки Госуслуг, оператор слушает.' },
            { at: new Date(answeredAt.getTime() + 8000).toISOString(), speaker: 'citizen', text: 'Не приходит код подтверждения из СМС.' },
            { at: new Date(answeredAt.getTime() + 20000).toISOString(), speaker: 'operator', text: 'Отправили код повторно, проверьте телефон.' },
          ],
        }
      : {}),
  };
  const recorded = await call('/v1/ops/calls', { method: 'POST', token: operator, body });
  expect(recorded.status).toBe(201);
  return recorded.body.id as string;
}

/** The PDF's text as pdftotext (Debian poppler-utils) reads it, laid out. */
function pdfText(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'transcript-'));
  const file = join(dir, 'call.pdf');
  writeFileSync(file, bytes);
  const out = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  expect(out.status, 'pdftotext (Debian poppler-utils) must be installed').toBe(0);
  return out.stdout;
}

/** The newest code SMS (other notices, such as a claim's `registered`, may arrive after it). */
async function latestCode(): Promise<string> {
  const outbox = await call(`/_local/outbox?to=${encodeURIComponent(PROFILE_PHONE_E164)}`);
  const codes = (outbox.body.items as { text: string }[]).filter((m) => m.text.startsWith('Код подтверждения'));
  return /(\d{6})/.exec(codes.at(-1)?.text ?? '')?.[1] ?? '';
}

beforeAll(async () => {
  system = await startSystem();
  citizen = cliToken('citizen-confirm');
  operator = cliToken('operator-confirm', 'operator');
  await call('/v1/admin/profiles/citizen-confirm', { method: 'PUT', token: cliToken('admin-1', 'admin'), body: identity() });
});

afterAll(async () => {
  await system?.stop();
});

describe('confirmation, transcript and claims through npm start', () => {
  it('confirms a call with the SMS code and downloads its dialog as a PDF', async () => {
    const callId = await inboundCall(12);
    const calls = await call('/v1/calls', { token: citizen });
    expect((calls.body.items as { id: string }[]).map((c) => c.id)).toContain(callId);
    expect((await call(`/v1/calls/${callId}/transcript`, { token: citizen })).body.code).toBe('not_confirmed');

    const before = await latestCode();
    const sent = await call(`/v1/calls/${callId}/confirmation`, { method: 'POST', token: citizen });
    expect(sent.status).toBe(202);
    expect(Object.keys(sent.body).sort()).toEqual(['expiresAt', 'resendAvailableAt']);
    const code = await eventually(async () => {
      const latest = await latestCode();
      return latest && latest !== before ? latest : undefined;
    }, 'the code SMS');
    expect((await call(`/v1/calls/${callId}/confirmation`, { method: 'POST', token: citizen })).status).toBe(429);

    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await call(`/v1/calls/${callId}/confirmation/verify`, { method: 'POST', token: citizen, body: { code: wrong } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'code_invalid', attemptsLeft: 4 } });
    const other = cliToken('someone-else');
    expect((await call(`/v1/calls/${callId}/confirmation/verify`, { method: 'POST', token: other, body: { code } })).status).toBe(404);

    const ok = await call(`/v1/calls/${callId}/confirmation/verify`, { method: 'POST', token: citizen, body: { code } });
    expect(ok).toMatchObject({ status: 200, body: { confirmed: true, transcriptUrl: `/v1/calls/${callId}/transcript` } });
    expect((await call(`/v1/calls/${callId}/confirmation/verify`, { method: 'POST', token: citizen, body: { code } })).status).toBe(409);

    const pdf = await call(`/v1/calls/${callId}/transcript`, { token: citizen });
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf.bytes);
    expect(text).toContain('Не приходит код подтверждения из СМС.');
    expect(text).toContain('Отправили код повторно, проверьте телефон.');
    expect(text).toContain('operator-confirm');
    expect((await call(`/v1/calls/${callId}/transcript`, { token: other })).status).toBe(404);
  });

  it('files a claim for a 12-minute wait, once, and refuses a 9-minute one', async () => {
    const longWait = await inboundCall(12, false);
    const shortWait = await inboundCall(9, false);
    const refused = await call(`/v1/calls/${shortWait}/claim`, { method: 'POST', token: citizen, body: { text: 'Долго ждал' } });
    expect(refused).toMatchObject({ status: 409, body: { code: 'claim_not_eligible' } });

    const claim = await call(`/v1/calls/${longWait}/claim`, { method: 'POST', token: citizen, body: { text: 'Ждал ответа оператора 12 минут.' } });
    expect(claim.status).toBe(201);
    expect(claim.body).toMatchObject({ channel: 'written', type: 'complaint', claimOf: { callId: longWait, waitSeconds: 720 } });
    expect((claim.body.written as { text: string }).text).toContain('ожидание 12 мин 0 с');
    const again = await call(`/v1/calls/${longWait}/claim`, { method: 'POST', token: citizen, body: { text: 'ещё раз' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'already_claimed' } });
    const calls = await call('/v1/calls', { token: citizen });
    expect((calls.body.items as { id: string; claimEligible: boolean }[]).find((c) => c.id === longWait)?.claimEligible).toBe(false);
    await eventually(async () => ((await call(`/v1/requests/${claim.body.id as string}`, { token: citizen })).body.status === 'registered' ? true : undefined), 'the claim registered');
  });

  it('masks a SNILS and a passport typed into free text before storage: responses, the table and the PDF', async () => {
    const LEAK = 'паспорт 4512 777777, СНИЛС 111-222-333 72';
    const MASKED = 'паспорт ** ** ******, СНИЛС ***-***-*** 72';
    // A written request, a comment, a claim and a transcript line, each with the numbers typed in.
    const created = await call('/v1/requests', {
      method: 'POST',
      token: citizen,
      body: { channel: 'written', type: 'technical', identity: identity(), relatedNumber: '11122233372', relatedKind: 'application', written: { topic: `Мой ${LEAK}`, text: LEAK, desiredOutcome: LEAK } },
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    const comment = await call(`/v1/requests/${id}/comments`, { method: 'POST', token: citizen, body: { text: `Дополняю: ${LEAK}` } });
    expect(comment.body.text).toBe(`Дополняю: ${MASKED}`);
    const view = await call(`/v1/requests/${id}`, { token: citizen });
    expect(view.body.written).toMatchObject({ topic: `Мой ${MASKED}`, text: MASKED, desiredOutcome: MASKED });
    expect(view.body.relatedNumber).toBe('***-***-*** 72');

    const queuedAt = new Date(Date.now() - 3_600_000);
    const answeredAt = new Date(queuedAt.getTime() + 11 * 60_000);
    const recorded = await call('/v1/ops/calls', {
      method: 'POST',
      token: operator,
      body: {
        direction: 'inbound',
        phone: '8 912 345 67 89',
        queuedAt: queuedAt.toISOString(),
        answeredAt: answeredAt.toISOString(),
        endedAt: new Date(answeredAt.getTime() + 60_000).toISOString(),
        outcome: 'answered',
        transcript: [{ at: answeredAt.toISOString(), speaker: 'citizen', text: `Диктую: ${LEAK}` }],
      },
    });
    expect(recorded.status).toBe(201);
    const callId = recorded.body.id as string;
    const claim = await call(`/v1/calls/${callId}/claim`, { method: 'POST', token: citizen, body: { text: `Жалоба, ${LEAK}` } });
    expect(claim.status).toBe(201);
    expect((claim.body.written as { text: string }).text).toContain(`Жалоба, ${MASKED}`);

    const before = await latestCode();
    expect((await call(`/v1/calls/${callId}/confirmation`, { method: 'POST', token: citizen })).status).toBe(202);
    const code = await eventually(async () => {
      const latest = await latestCode();
      return latest && latest !== before ? latest : undefined;
    }, 'the code SMS');
    expect((await call(`/v1/calls/${callId}/confirmation/verify`, { method: 'POST', token: citizen, body: { code } })).status).toBe(200);
    const pdf = await call(`/v1/calls/${callId}/transcript`, { token: citizen });
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.bytes);
    expect(text).toContain('***-***-*** 72');
    expect(text).toContain('** ** ******');
    for (const raw of ['777777', '111-222-333', '111222333']) expect(text).not.toContain(raw);

    // The table itself: every item, every attribute, as DynamoDB Local holds it.
    const dynamo = localDynamoClient(system.dynamoEndpoint);
    const items: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await dynamo.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []).map((i) => JSON.stringify(unmarshall(i))));
      start = out.LastEvaluatedKey;
    } while (start);
    dynamo.destroy();
    const all = items.join('\n');
    expect(all).toContain('***-***-*** 72');
    for (const raw of ['4512 777777', '777777', '111-222-333', '11122233372']) expect(all).not.toContain(raw);
  });

  it('changes the profile phone once the code sent to the new phone comes back', async () => {
    expect((await call('/v1/profile/phone', { method: 'POST', token: citizen, body: { phone: '+7 495 123-45-67' } })).body).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'phone', code: 'phone_not_mobile' }],
    });
    const sent = await call('/v1/profile/phone', { method: 'POST', token: citizen, body: { phone: '+7 999 000-11-22' } });
    expect(sent.status).toBe(202);
    const code = await eventually(async () => {
      const outbox = await call(`/_local/outbox?to=${encodeURIComponent('+79990001122')}`);
      return /(\d{6})/.exec((outbox.body.items as { text: string }[]).at(-1)?.text ?? '')?.[1];
    }, 'the code at the new phone');
    const changed = await call('/v1/profile/phone/verify', { method: 'POST', token: citizen, body: { code } });
    expect(changed).toMatchObject({ status: 200, body: { phone: '+7********22' } });
  });
});
