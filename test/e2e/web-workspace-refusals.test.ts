import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCitizen } from '#infra/local/test-citizens';
import { choose, expectAccessible, launchChromium, openPage, press, screenshots, typeInto } from '../support/browser.ts';
import { writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, startSystem } from '../support/local-process.ts';
import { requestIdOf, see, signIn } from '../support/web-steps.ts';

/**
 * The workspace's refusals in a real browser, keyboard only, as sentences an operator understands:
 * a request another operator took while the page still offered to take it (`taken`), one given
 * back while the page still offered to give it back (`not_taken`), and, on the local clock moved 8
 * and then 31 days on (`POST /_local/clock`, set back after), a forward too late
 * (`forward_too_late`) and an extension of an overdue request (`overdue`), which «Входящие» marks.
 * Its own `npm start`, so that moving the clock touches no other test. The requests are filed
 * through the API: what is tried here is the operator's side.
 */
let system: StartedSystem;
let browser: Browser;
let operator: Page;

beforeAll(async () => {
  system = await startSystem();
  browser = await launchChromium();
  ({ page: operator } = await openPage(browser));
  await operator.goto(`${system.url}/ops/`);
  await signIn(operator, 'web-operator', '*');
  await operator.getByRole('heading', { name: 'Очередь звонков' }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('the workspace refuses in sentences: a request taken or given back meanwhile, a forward after 7 days, an extension once overdue', () => {
  const OPERATOR = 'web-operator';
  const DAY = 86_400;
  let citizenToken = '';

  async function localSignIn(body: { user: string; role: 'citizen' | 'operator'; queues?: string }): Promise<string> {
    const res = await fetch(`${system.url}/_local/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  async function api(path: string, token: string, method = 'GET', body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${system.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** A written request filed through the API (this part is about the operator), once registered. */
  async function registered(topic: string): Promise<string> {
    const { phone, fullName, snils, passport } = testCitizen('web-refusals');
    const created = await api('/v1/requests', citizenToken, 'POST', writtenRequest({ identity: { fullName, snils, passport, phone }, written: { topic, text: `${topic}: подробности.` } }));
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    await eventually(async () => ((await api(`/v1/requests/${id}`, citizenToken)).body.status === 'registered' ? true : undefined), 'registered', 30_000);
    return created.body.number as string;
  }

  async function moveClock(query: string) {
    const res = await fetch(`${system.url}/_local/clock?${query}`, { method: 'POST' });
    expect(res.status).toBe(200);
  }

  /** «Поиск» by number, then the request: a fresh page (its own refresh timer starts now). */
  async function openByNumber(n: string) {
    await press(operator, operator.getByRole('link', { name: 'Поиск' }));
    await typeInto(operator, operator.getByLabel('Номер обращения'), n);
    await press(operator, operator.getByRole('button', { name: 'Найти' }));
    await press(operator, operator.getByRole('link', { name: `Обращение № ${n}` }));
    await operator.getByRole('heading', { name: `Обращение № ${n}`, level: 1 }).waitFor();
  }

  beforeAll(async () => {
    citizenToken = await localSignIn({ user: 'web-refusals', role: 'citizen' });
  });

  afterAll(async () => {
    // The clock is the whole system's: back to the real time for whatever runs next.
    await moveClock('offsetSeconds=0');
    expect(((await (await fetch(`${system.url}/_local/clock`)).json()) as { offsetSeconds: number }).offsetSeconds).toBe(0);
  });

  it('taken meanwhile by another operator: a sentence, then the page shows who holds it and offers nothing', async () => {
    const n = await registered('Занят другим оператором');
    await openByNumber(n);
    const other = await localSignIn({ user: 'web-operator-2', role: 'operator', queues: '*' });
    const id = requestIdOf(operator);
    expect((await api(`/v1/ops/requests/${id}/take`, other, 'POST')).status).toBe(200);
    await press(operator, operator.getByRole('button', { name: 'Взять в работу' }));
    await see(operator, 'Обращение уже взял в работу другой оператор.');
    // Reloaded with the refusal, not at the page's next refresh (15 s after it opened).
    await see(operator, /в работе у web-operator-2/, 10_000);
    await see(operator, 'Обращение в работе у другого оператора: действовать по нему может только он.');
    for (const name of ['Взять в работу', 'Вернуть в очередь', 'Отправить комментарий', 'Отправить ответ']) expect(await operator.getByRole('button', { name }).count(), name).toBe(0);
    await expectAccessible(operator, 'a request another operator holds');
  });

  it('given back meanwhile (nobody holds it): «Вернуть в очередь» is a sentence, and the page offers to take it', async () => {
    const n = await registered('Уже возвращено');
    await openByNumber(n);
    await press(operator, operator.getByRole('button', { name: 'Взять в работу' }));
    await see(operator, 'Обращение в работе у вас.');
    // The same operator gives it back elsewhere (another tab, another desk) while this page still shows it taken.
    const same = await localSignIn({ user: OPERATOR, role: 'operator', queues: '*' });
    expect((await api(`/v1/ops/requests/${requestIdOf(operator)}/release`, same, 'POST')).status).toBe(200);
    await press(operator, operator.getByRole('button', { name: 'Вернуть в очередь' }));
    await see(operator, 'Обращение никто не взял в работу: возвращать нечего.');
    await operator.getByRole('button', { name: 'Взять в работу' }).waitFor({ timeout: 10_000 });
  });

  it('on day 8 a forward is refused; on day 31 «Входящие» marks the request overdue and an extension is refused', async () => {
    const late = await registered('Поздно перенаправлять');
    await moveClock(`advanceSeconds=${8 * DAY}`);
    await openByNumber(late);
    await typeInto(operator, operator.getByLabel('Куда (орган, организация)'), 'Социальный фонд России');
    await typeInto(operator, operator.getByLabel('Причина перенаправления'), 'Пенсии назначает Социальный фонд.');
    await press(operator, operator.getByRole('button', { name: 'Перенаправить' }));
    await see(operator, 'Перенаправить можно только в течение 7 дней после регистрации.');
    await see(operator, 'Зарегистрировано');

    await moveClock(`advanceSeconds=${23 * DAY}`);
    const fresh = await registered('Только что подано');
    await press(operator, operator.getByRole('link', { name: 'Входящие' }));
    await choose(operator, operator.getByLabel('Очередь', { exact: true }), 'Техническая поддержка');
    const overdueRow = operator.getByRole('listitem', { name: `Обращение № ${late}` });
    const freshRow = operator.getByRole('listitem', { name: `Обращение № ${fresh}` });
    await overdueRow.getByText(/^Срок ответа истёк: \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/).waitFor({ timeout: 30_000 });
    await freshRow.getByText(/^Ответить до \d{2}\.\d{2}\.\d{4}/).waitFor({ timeout: 30_000 });
    expect(await freshRow.getByText(/Срок ответа истёк/).count()).toBe(0);
    await expectAccessible(operator, 'inbox with an overdue request');
    await screenshots(operator, 'ops-inbox-overdue');
    await press(operator, overdueRow.getByRole('link', { name: `Обращение № ${late}` }));
    await operator.getByRole('heading', { name: `Обращение № ${late}`, level: 1 }).waitFor();
    await see(operator, / — срок истёк$/);
    await typeInto(operator, operator.getByLabel('Причина продления'), 'Нужен запрос в другой орган.');
    await press(operator, operator.getByRole('button', { name: 'Продлить срок' }));
    await see(operator, 'Срок ответа уже истёк: продлить его нельзя.');
  });
});
