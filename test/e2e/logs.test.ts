import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snilsCheckNumber } from '#core/identity/snils';
import { signLocalToken } from '#infra/local/jwt-keys';
import { type Reply, send } from '../support/e2e-http.ts';
import { writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, startSystem } from '../support/local-process.ts';
import { type Person, findLeaks } from '../support/pii-scan.ts';

/**
 * Personal data never reaches a log line. The whole system runs through `npm start` at INFO level,
 * full requests go through it with one person's distinctive data, and then every line the
 * handlers, tasks and runtime printed is searched for that data in every form it could take.
 */
function snils(nine: string): string {
  return `${nine}${String(snilsCheckNumber(nine)).padStart(2, '0')}`;
}

const SNILS = snils('274816593');
const OTHER_SNILS = snils('385927604');
const dashed = (s: string) => `${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6, 9)} ${s.slice(9)}`;
const PASSPORT = { series: '0419', number: '073925', issuedOn: '2016-08-17' };
const OTHER_PASSPORT_NUMBER = '058140';
const MOBILE = '9164827315';
const LANDLINE = '4843962157';
const NEW_MOBILE = '9037126458';
const FULL_NAME = 'Ерёменко-Задорожная Милослава Евграфовна';
const ADDRESS = 'Калужская обл., г. Обнинск, ул. Курчатова, д. 117, кв. 38';

const PERSON: Person = {
  snils: [SNILS, OTHER_SNILS],
  passports: [PASSPORT, { series: PASSPORT.series, number: OTHER_PASSPORT_NUMBER }],
  phones: [MOBILE, LANDLINE, NEW_MOBILE],
  secrets: [],
  fullNames: [FULL_NAME],
  addresses: [ADDRESS],
  addressWords: ['Обнинск', 'Курчатова', 'Калужская'],
};

const USER = 'logs-citizen-1';
const identity = {
  fullName: FULL_NAME,
  snils: dashed(SNILS),
  passport: PASSPORT,
  registrationAddress: ADDRESS,
  phone: `+7 ${MOBILE.slice(0, 3)} ${MOBILE.slice(3, 6)}-${MOBILE.slice(6, 8)}-${MOBILE.slice(8)}`,
};

let system: StartedSystem;
let admin: string;
let citizen: string;
const responses: { what: string; reply: Reply }[] = [];
const ids: Record<string, string> = {};

async function call(what: string, method: string, path: string, options: Parameters<typeof send>[3] = {}): Promise<Reply> {
  const reply = await send(system.url, method, path, options);
  responses.push({ what, reply });
  return reply;
}

async function settled(id: string): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const r = await call('poll', 'GET', `/v1/requests/${id}`, { token: citizen });
    return r.json?.status !== 'received' ? r.json : undefined;
  }, `request ${id} to leave received`, 20_000);
}

async function smsNaming(number: string): Promise<void> {
  await eventually(async () => {
    const outbox = await send(system.url, 'GET', `/_local/outbox?to=${encodeURIComponent(`+7${MOBILE}`)}`);
    return ((outbox.json?.items as { text: string }[] | undefined) ?? []).find((m) => m.text.includes(number));
  }, `the SMS about ${number}`, 20_000);
}

function logLines(): Record<string, unknown>[] {
  return system
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

beforeAll(async () => {
  system = await startSystem({ POWERTOOLS_LOG_LEVEL: 'INFO' });
  admin = await signLocalToken('logs-admin', ['admin']);
  citizen = await signLocalToken(USER, ['citizen']);

  const profile = await call('profile', 'PUT', `/v1/admin/profiles/${USER}`, { token: admin, body: identity });
  expect(profile.status, profile.text).toBe(201);

  const matching = writtenRequest({ identity });
  matching.written = { ...matching.written!, contactPhone: `8 (${MOBILE.slice(0, 3)}) ${MOBILE.slice(3, 6)}-${MOBILE.slice(6, 8)}-${MOBILE.slice(8)}` };
  const registered = await call('written', 'POST', '/v1/requests', { token: citizen, body: matching, headers: { 'idempotency-key': 'logs-written-1' } });
  expect(registered.status, registered.text).toBe(202);
  ids.registered = registered.json?.id as string;

  const mismatching = writtenRequest({
    identity: { ...identity, snils: OTHER_SNILS, passport: { ...PASSPORT, number: OTHER_PASSPORT_NUMBER } },
  });
  const needsInfo = await call('mismatching', 'POST', '/v1/requests', { token: citizen, body: mismatching });
  expect(needsInfo.status, needsInfo.text).toBe(202);
  ids.needsInfo = needsInfo.json?.id as string;

  const callback = await call('callback', 'POST', '/v1/requests', {
    token: citizen,
    body: {
      channel: 'callback',
      type: 'consultation',
      identity,
      callback: { phone: `+7 (${LANDLINE.slice(0, 3)}) ${LANDLINE.slice(3, 6)}-${LANDLINE.slice(6, 8)}-${LANDLINE.slice(8)} доб. 12`, description: 'Как заполнить заявление' },
    },
  });
  expect(callback.status, callback.text).toBe(202);
  ids.callback = callback.json?.id as string;

  // Refused ones carry the same data: error paths must not log it either.
  const refused = await call('refused request', 'POST', '/v1/requests', { token: citizen, body: { ...matching, type: 'no-such-type' } });
  expect(refused.status, refused.text).toBe(400);
  const refusedProfile = await call('refused profile', 'PUT', `/v1/admin/profiles/${USER}-2`, { token: admin, body: { ...identity, phone: `+7 ${LANDLINE}` } });
  expect(refusedProfile.status, refusedProfile.text).toBe(400);

  const done = await settled(ids.registered);
  expect(done.status).toBe('registered');
  const info = await settled(ids.needsInfo);
  expect(info.status).toBe('needs_info');
  await settled(ids.callback);
  await smsNaming(done.number as string);
  await smsNaming(info.number as string);

  // A file named with the person's name and address (free text, as a comment is): kept and shown to
  // its owner, never logged. It holds text, so the check rejects and discards it: every step runs.
  const fileBody = new TextEncoder().encode(`${FULL_NAME}, ${ADDRESS}`);
  const attached = await call('attachment', 'POST', `/v1/requests/${ids.registered}/attachments`, {
    token: citizen,
    body: { fileName: `Паспорт ${FULL_NAME}, ${ADDRESS}.png`, contentType: 'image/png', size: fileBody.byteLength },
  });
  expect(attached.status, attached.text).toBe(201);
  const upload = attached.json?.upload as { url: string; headers: Record<string, string> };
  expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: fileBody })).status).toBe(200);
  await eventually(async () => {
    const r = await call('poll', 'GET', `/v1/requests/${ids.registered}`, { token: citizen });
    return (r.json?.attachments as { status: string }[] | undefined)?.[0]?.status === 'rejected' ? true : undefined;
  }, 'the attachment to be rejected', 20_000);

  const comment = await call('comment', 'POST', `/v1/requests/${ids.registered}/comments`, {
    token: citizen,
    body: { text: `Перезвоните мне: 8 ${MOBILE.slice(0, 3)} ${MOBILE.slice(3, 6)} ${MOBILE.slice(6, 8)} ${MOBILE.slice(8)}, ${FULL_NAME}` },
  });
  expect(comment.status, comment.text).toBe(201);
  const cancel = await call('cancel', 'POST', `/v1/requests/${ids.needsInfo}/cancel`, { token: citizen });
  expect(cancel.status, cancel.text).toBe(200);
  const list = await call('list', 'GET', '/v1/requests', { token: citizen });
  expect(list.status).toBe(200);

  // A new profile phone, confirmed with the code the SMS carries: neither may reach a log.
  const change = await call('phone change', 'POST', '/v1/profile/phone', { token: citizen, body: { phone: `8-${NEW_MOBILE.slice(0, 3)}-${NEW_MOBILE.slice(3)}` } });
  expect(change.status, change.text).toBe(202);
  const code = await eventually(async () => {
    const outbox = await send(system.url, 'GET', `/_local/outbox?to=${encodeURIComponent(`+7${NEW_MOBILE}`)}`);
    const text = ((outbox.json?.items as { text: string }[] | undefined) ?? []).map((m) => m.text).join('\n');
    return /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1];
  }, 'the phone change code');
  PERSON.secrets?.push(code);
  const verified = await call('phone verify', 'POST', '/v1/profile/phone/verify', { token: citizen, body: { code } });
  expect(verified.status, verified.text).toBe(200);

  // Every line is in: the access line of the last call, and a task line for each request.
  await eventually(async () => {
    const lines = logLines();
    const cancelled = lines.some((l) => l.route === 'POST /v1/requests/{id}/cancel');
    const listed = lines.some((l) => l.route === 'POST /v1/profile/phone/verify');
    const tasks = Object.values(ids).every((id) => lines.some((l) => l.requestId === id && l.task !== undefined));
    const discarded = lines.some((l) => l.task === 'discardUpload');
    return cancelled && listed && tasks && discarded ? true : undefined;
  }, 'the log lines of every call and task', 20_000);
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

describe('logs through npm start at INFO', () => {
  it('hold structured lines for every call and task (so the scan below scans something)', () => {
    const lines = logLines();
    const routes = lines.map((l) => l.route).filter(Boolean);
    expect(system.output()).toContain('"route":"POST /v1/requests"');
    expect(routes).toEqual(
      expect.arrayContaining([
        'PUT /v1/admin/profiles/{userId}',
        'POST /v1/requests',
        'GET /v1/requests/{id}',
        'POST /v1/requests/{id}/comments',
        'POST /v1/requests/{id}/cancel',
        'GET /v1/requests',
        'POST /v1/profile/phone',
        'POST /v1/profile/phone/verify',
        'POST /v1/requests/{id}/attachments',
      ]),
    );
    expect(lines.map((l) => l.task)).toEqual(expect.arrayContaining(['inspectUpload', 'settleAttachment', 'discardUpload']));
    // Three accepted and one refused create.
    expect(routes.filter((r) => r === 'POST /v1/requests').length).toBeGreaterThanOrEqual(4);
    for (const id of Object.values(ids)) expect(lines.some((l) => l.requestId === id && l.task !== undefined), `task lines for ${id}`).toBe(true);
    expect(lines.every((l) => typeof l.level === 'string' && typeof l.message === 'string')).toBe(true);
  });

  it('never contain the SNILS, passport, phone, name or address, in any form', () => {
    const leaks = findLeaks(system.output(), PERSON);
    expect(leaks.map((l) => `${l.kind} ${l.what}: ${l.line}`)).toEqual([]);
  });

  it('and no API response echoes a SNILS, a passport or a full phone number', () => {
    const apiOnly: Person = { ...PERSON, fullNames: [], addresses: [], addressWords: [] };
    // The comment is the citizen's own free text, which holds a phone on purpose (for the log scan).
    const leaks = responses
      .filter(({ what }) => what !== 'comment')
      .flatMap(({ what, reply }) => findLeaks(reply.text, apiOnly).map((l) => `${what}: ${l.kind} ${l.what}: ${l.line}`));
    expect(leaks).toEqual([]);
  });

  it('cannot be fed personal data through a client-supplied X-Correlation-Id either', async () => {
    const mark = system.output().length;
    const smuggled = `snils ${dashed(SNILS)} tel +7${MOBILE} passport ${PASSPORT.series} ${PASSPORT.number}`;
    const r = await send(system.url, 'GET', '/v1/requests', { token: citizen, headers: { 'x-correlation-id': smuggled } });
    expect(r.status).toBe(200);
    const fresh = await eventually(async () => {
      const text = system.output().slice(mark);
      return text.includes('"route":"GET /v1/requests"') ? text : undefined;
    }, 'the access line of the call');
    expect(findLeaks(fresh, PERSON).map((l) => `${l.kind} ${l.what}: ${l.line}`)).toEqual([]);
  });

  it('(the scan itself finds every written form)', () => {
    const national = `8 (${MOBILE.slice(0, 3)}) ${MOBILE.slice(3, 6)}-${MOBILE.slice(6, 8)}-${MOBILE.slice(8)}`;
    const forms = [
      SNILS,
      dashed(SNILS),
      dashed(SNILS).replace(/-/g, ' '),
      `${PASSPORT.series} ${PASSPORT.number}`,
      `"series":"${PASSPORT.series}"`,
      `${PASSPORT.series.slice(0, 2)} ${PASSPORT.series.slice(2)} ${PASSPORT.number}`,
      `+7${MOBILE}`,
      `8${MOBILE}`,
      national,
      national.replace(/[()]/g, '').replace(/ /g, '-'),
      FULL_NAME.toUpperCase(),
      'еременко',
      'Милослава',
      JSON.stringify({ n: 'Евграфовна' }).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      ADDRESS,
      'ОБНИНСК',
    ];
    const line = (form: string) => (form.startsWith('{') ? form : `{"level":"INFO","message":"x","v":${JSON.stringify(form)}}`);
    for (const form of forms) expect(findLeaks(line(form), PERSON).length, form).toBeGreaterThan(0);
    expect(findLeaks('{"level":"INFO","message":"request","route":"POST /v1/requests","status":202,"durationMs":41}', PERSON)).toEqual([]);
  });
});
