import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/local-paths';
import { testCitizen } from '#infra/local/test-citizens';
import { choose, expectAccessible, launchChromium, openPage, pickFile, press, screenshots, tabTo, typeInto } from '../support/browser.ts';
import { type StartedSystem, startSystem } from '../support/local-process.ts';
import { typeDateTime } from '../support/datetime-field.ts';
import { requestIdOf, see, signIn } from '../support/web-steps.ts';

/**
 * The web app in a real browser (Debian's Chromium) against `npm start`, driven with the keyboard
 * alone (Tab, Enter, Space, arrows, typing) and found by roles and Russian labels, as a person
 * uses it: a citizen writes a request with an earlier attempt to reach support (its time typed
 * segment by segment) and a file; an operator finds it in «Входящие», takes and releases it, writes
 * a comment, which the citizen sees as a notification with the unread count and marks read, and
 * replies to; the operator extends the deadline (once) and answers it, and «Поиск» finds it by
 * its number and by the citizen's phone; a second request is forwarded and the citizen is told where
 * and why; a citizen books a callback in their own time zone, the operator calls and records it (the
 * times typed too), the citizen confirms it with the SMS code (after a wrong one),
 * downloads the PDF, files a claim about the wait and cancels it, and «Поиск» finds the call by its
 * time (the workspace's refusals: web-workspace-refusals.test.ts).
 * Every page passes axe-core (no serious or critical violation) and is photographed at 360 and 1280 px.
 */
let system: StartedSystem;
let browser: Browser;
let citizenContext: BrowserContext;
let citizen: Page;
let operator: Page;

const WRITER = 'web-written';
const CALLER = 'web-callback';
const SCREEN_PNG = join(REPO_ROOT, 'docs', 'examples', 'screen.png');
/** When the citizen last tried to reach support: yesterday at 09:15 on the browser's clock. */
const TRIED_AT = new Date(new Date().setDate(new Date().getDate() - 1));
TRIED_AT.setHours(9, 15, 0, 0);
/** `HH:MM` of a moment in Moscow time, as the workspace shows times. */
const moscowTime = (at: Date) => new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' }).format(at);

async function outboxCode(phone: string): Promise<string> {
  const res = await fetch(`${system.url}/_local/outbox?to=${encodeURIComponent(phone)}`);
  const items = ((await res.json()) as { items: { text: string }[] }).items.filter((m) => m.text.startsWith('Код подтверждения'));
  return /(\d{6})/.exec(items.at(-1)?.text ?? '')?.[1] ?? '';
}

beforeAll(async () => {
  system = await startSystem();
  browser = await launchChromium();
  // Russian, and a clock in the operator's zone as much as in UTC: times are converted explicitly.
  ({ context: citizenContext, page: citizen } = await openPage(browser, { acceptDownloads: true }));
  ({ page: operator } = await openPage(browser));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('the citizen writes, the operator answers', () => {
  let requestId = '';
  let number = '';
  let second = '';

  it('the help page lists the channels, a line per type and the live queues', async () => {
    await citizen.goto(system.url);
    await citizen.getByRole('heading', { name: 'Помощь и поддержка', level: 1 }).waitFor();
    await citizen.getByRole('heading', { name: 'Телефоны по темам' }).waitFor();
    expect(await citizen.getByRole('row').count()).toBe(6);
    await see(citizen, '8 800 100-10-01');
    await citizen.getByRole('heading', { name: 'Ожидание сейчас' }).waitFor();
    // «Уведомления» are a signed-in citizen's: not in the navigation before signing in.
    expect(await citizen.getByRole('link', { name: /^Уведомления/ }).count()).toBe(0);
    await expectAccessible(citizen, 'help page');
    await screenshots(citizen, 'citizen-help');
  });

  it('"Написать обращение" asks to sign in, and the local sign-in prefills the identity from the new profile', async () => {
    await press(citizen, citizen.getByRole('link', { name: 'Написать обращение' }).first());
    await expectAccessible(citizen, 'sign-in page');
    await screenshots(citizen, 'citizen-sign-in');
    await signIn(citizen, WRITER);
    await citizen.getByRole('heading', { name: 'Написать обращение' }).waitFor();
    const me = testCitizen(WRITER);
    expect(await citizen.getByLabel('ФИО').inputValue()).toBe(me.fullName);
    expect(await citizen.getByLabel('СНИЛС').inputValue()).toBe(me.snils);
    expect(await citizen.getByLabel('Номер паспорта').inputValue()).toBe(me.passport.number);
  });

  it('a wrong SNILS is a sentence beside its field, from the problem code', async () => {
    await choose(citizen, citizen.getByLabel('Тип обращения'), 'Технический вопрос (вход, СМС-коды, ошибки сайта)');
    await typeInto(citizen, citizen.getByLabel('Тема'), 'Не приходит СМС-код');
    await typeInto(citizen, citizen.getByLabel('Текст обращения'), 'При входе в личный кабинет код из СМС не приходит второй день.');
    await press(citizen, citizen.getByRole('button', { name: 'Добавить попытку' }));
    await typeDateTime(citizen, citizen.getByLabel('Когда (попытка 1)'), TRIED_AT);
    await typeInto(citizen, citizen.getByLabel('Куда звонили (попытка 1)'), '8 800 100-70-10');
    await typeInto(citizen, citizen.getByLabel('Что случилось (попытка 1)'), 'Линия занята');
    const snils = citizen.getByLabel('СНИЛС');
    await typeInto(citizen, snils, '112-233-445 00');
    await press(citizen, citizen.getByRole('button', { name: 'Отправить' }));
    await see(citizen, 'СНИЛС указан с ошибкой: проверьте цифры.');
    const describedBy = (await snils.getAttribute('aria-describedby')) ?? '';
    // The sentence is the field's accessible description, what a screen reader reads with it.
    const description = await snils.evaluate((el, ids) => ids.split(' ').map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' '), describedBy);
    expect(description).toBe('СНИЛС указан с ошибкой: проверьте цифры.');
    expect(await snils.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(citizen, 'write page with an error');
    await typeInto(citizen, snils, testCitizen(WRITER).snils);
  });

  it('with a file attached it reaches «Зарегистрировано», the file checked', async () => {
    await typeInto(citizen, citizen.getByLabel('Какой результат вы ждёте'), 'Восстановить вход');
    await pickFile(citizen, citizen.getByLabel('Файлы'), SCREEN_PNG);
    await screenshots(citizen, 'citizen-write');
    await press(citizen, citizen.getByRole('button', { name: 'Отправить' }));
    await citizen.getByRole('heading', { name: /^Обращение № / }).waitFor();
    await see(citizen, 'Зарегистрировано');
    await see(citizen, 'Проверен');
    number = ((await citizen.getByRole('heading', { level: 1 }).textContent()) ?? '').replace('Обращение № ', '');
    requestId = requestIdOf(citizen);
    await expectAccessible(citizen, 'request page');
  });

  it('the operator finds it in «Входящие» by itself, opens it with the citizen and the full phone, takes and releases it', async () => {
    await operator.goto(`${system.url}/ops/`);
    await expectAccessible(operator, 'operator sign-in');
    await screenshots(operator, 'ops-sign-in');
    await signIn(operator, 'web-operator', '*');
    await operator.getByRole('heading', { name: 'Очередь звонков' }).waitFor();
    await press(operator, operator.getByRole('link', { name: 'Входящие' }));
    await operator.getByRole('heading', { name: 'Входящие', level: 1 }).waitFor();
    const row = operator.getByRole('listitem', { name: `Обращение № ${number}` });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('Не приходит СМС-код');
    expect(await row.textContent()).toContain('файлов: 1');
    await expectAccessible(operator, 'inbox');
    await screenshots(operator, 'ops-inbox');
    await press(operator, row.getByRole('link', { name: `Обращение № ${number}` }));
    await operator.getByRole('heading', { name: `Обращение № ${number}`, level: 1 }).waitFor();
    const me = testCitizen(WRITER);
    await see(operator, me.fullName);
    await see(operator, me.phoneE164);
    await see(operator, 'При входе в личный кабинет код из СМС не приходит второй день.');
    // The attempt the citizen typed, its time in Moscow time.
    await see(operator, new RegExp(`^\\d{2}\\.\\d{2}\\.\\d{4} ${moscowTime(TRIED_AT)} \\(МСК\\) · .*8001007010 · Линия занята$`));
    await press(operator, operator.getByRole('button', { name: 'Взять в работу' }));
    await see(operator, 'Обращение в работе у вас.');
    await see(operator, 'В работе');
    await press(operator, operator.getByRole('button', { name: 'Вернуть в очередь' }));
    await see(operator, 'Обращение возвращено в очередь.');
    await see(operator, 'Зарегистрировано');
    await operator.getByRole('button', { name: 'Взять в работу' }).waitFor();
  });

  it('the operator writes a comment; the citizen sees the unread count and the notice, and marks them read', async () => {
    await press(operator, operator.getByRole('button', { name: 'Показать screen.png' }));
    await operator.getByRole('img', { name: 'screen.png' }).waitFor();
    await typeInto(operator, operator.getByRole('textbox', { name: 'Комментарий гражданину' }), 'Уточните, пожалуйста, оператора связи.');
    await press(operator, operator.getByRole('button', { name: 'Отправить комментарий' }));
    await see(operator, 'Комментарий отправлен гражданину.');
    await see(operator, 'Уточните, пожалуйста, оператора связи.');
    // A comment on a request nobody holds takes it.
    await see(operator, 'В работе');
    await expectAccessible(operator, 'operator request page');
    await screenshots(operator, 'ops-request');

    // «Зарегистрировано» and the comment: two unread, in the navigation without opening anything.
    await press(citizen, citizen.getByRole('link', { name: 'Мои обращения' }));
    const bell = citizen.getByRole('link', { name: /^Уведомления/ });
    await citizen.getByRole('link', { name: 'Уведомления (2)' }).waitFor({ timeout: 30_000 });
    await press(citizen, bell);
    await citizen.getByRole('heading', { name: 'Уведомления', level: 1 }).waitFor();
    await see(citizen, 'Непрочитанных: 2');
    await see(citizen, `В обращении № ${number} новое сообщение от оператора.`);
    await expectAccessible(citizen, 'notifications');
    await screenshots(citizen, 'citizen-notifications');
    const newest = citizen.getByRole('listitem').filter({ hasText: 'новое сообщение от оператора' });
    await press(citizen, newest.getByRole('button', { name: 'Отметить прочитанным' }));
    await see(citizen, 'Непрочитанных: 1');
    await citizen.getByRole('link', { name: 'Уведомления (1)' }).waitFor();
    expect(await newest.getByRole('button', { name: 'Отметить прочитанным' }).count()).toBe(0);
    await press(citizen, citizen.getByRole('button', { name: 'Отметить все прочитанными' }));
    await see(citizen, 'Непрочитанных: 0');
    await citizen.getByRole('link', { name: 'Уведомления', exact: true }).waitFor();
  });

  it('the citizen replies with a comment of their own, which the operator\'s page shows by itself', async () => {
    await press(citizen, citizen.getByRole('link', { name: 'Мои обращения' }));
    await press(citizen, citizen.getByRole('link', { name: `Обращение № ${number}` }));
    const form = citizen.getByRole('form', { name: 'Новый комментарий' });
    await typeInto(citizen, form.getByLabel('Комментарий'), 'Оператор связи — МТС.');
    await press(citizen, form.getByRole('button', { name: 'Отправить' }));
    await citizen.getByRole('region', { name: 'Комментарии' }).getByText('Оператор связи — МТС.').waitFor();
    expect(await form.getByLabel('Комментарий').inputValue()).toBe('');
    await operator.getByRole('region', { name: 'Комментарии' }).getByText('Оператор связи — МТС.').waitFor({ timeout: 30_000 });
    expect(await operator.getByRole('region', { name: 'Комментарии' }).textContent()).toMatch(/Гражданин, \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(МСК\)Оператор связи — МТС\./);
  });

  it('the operator extends the deadline once (a second time is a sentence), then answers: the citizen reads «Дан ответ»', async () => {
    await typeInto(operator, operator.getByLabel('На сколько дней'), '10');
    await typeInto(operator, operator.getByLabel('Причина продления'), 'Нужен запрос оператору связи.');
    await press(operator, operator.getByRole('button', { name: 'Продлить срок' }));
    await see(operator, /^Срок ответа продлён до \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(МСК\)\.$/);
    await see(operator, /\(срок продлён\)/);
    await see(operator, /Срок ответа продлён: .*Нужен запрос оператору связи\./);
    await press(operator, operator.getByRole('button', { name: 'Продлить срок' }));
    await see(operator, 'Срок ответа уже продлевали: продлить можно один раз.');
    await typeInto(operator, operator.getByLabel('Ответ', { exact: true }), 'Код отправлен повторно. Проверьте, что номер в профиле верный.');
    await expectAccessible(operator, 'operator request page with a problem');
    await press(operator, operator.getByRole('button', { name: 'Отправить ответ' }));
    await see(operator, `Ответ по обращению № ${number} отправлен.`);
    await see(operator, 'Дан ответ');
    // Answered, it takes no more: the forms are gone.
    expect(await operator.getByRole('button', { name: 'Продлить срок' }).count()).toBe(0);

    await press(citizen, citizen.getByRole('link', { name: 'Мои обращения' }));
    await press(citizen, citizen.getByRole('link', { name: `Обращение № ${number}` }));
    await see(citizen, 'Дан ответ');
    await see(citizen, 'Код отправлен повторно. Проверьте, что номер в профиле верный.');
    // The history says what the citizen was told (the new deadline and why), not the staff's notes.
    const history = (await citizen.getByRole('region', { name: 'История' }).textContent()) ?? '';
    expect(history).toMatch(/Срок ответа продлён: \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(МСК\): Нужен запрос оператору связи\./);
    expect(history).toContain('Файл проверен');
    expect(history).not.toMatch(/operator|queue|tech-support|[0-9A-Z]{26}/);
    await expectAccessible(citizen, 'answered request');
    await screenshots(citizen, 'citizen-request-answered');
  });

  it('«Поиск» by the request number finds it and opens it; a malformed number is a sentence beside the field', async () => {
    await press(operator, operator.getByRole('link', { name: 'Поиск' }));
    await operator.getByRole('heading', { name: 'Поиск', level: 1 }).waitFor();
    const field = operator.getByLabel('Номер обращения');
    await typeInto(operator, field, 'не номер');
    await press(operator, operator.getByRole('button', { name: 'Найти' }));
    await see(operator, 'Неверный формат.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await typeInto(operator, field, number.toLowerCase());
    await press(operator, operator.getByRole('button', { name: 'Найти' }));
    await operator.getByRole('heading', { name: 'Обращения: 1' }).waitFor();
    await expectAccessible(operator, 'search');
    await screenshots(operator, 'ops-search');
    await press(operator, operator.getByRole('link', { name: `Обращение № ${number}` }));
    await operator.getByRole('heading', { name: `Обращение № ${number}`, level: 1 }).waitFor();
    await see(operator, 'Дан ответ');
  });

  it('a second request, found by its number, is forwarded: final for the operator, and the citizen is told where and why', async () => {
    await press(citizen, citizen.getByRole('link', { name: 'Написать обращение' }));
    await choose(citizen, citizen.getByLabel('Тип обращения'), 'Вопрос об услуге (сроки, документы)');
    await typeInto(citizen, citizen.getByLabel('Тема'), 'Пенсия по старости');
    await typeInto(citizen, citizen.getByLabel('Текст обращения'), 'Когда пересчитают пенсию после переезда?');
    await press(citizen, citizen.getByRole('button', { name: 'Отправить' }));
    await citizen.getByRole('heading', { name: new RegExp(`^Обращение № (?!${number}$)`) }).waitFor();
    await see(citizen, 'Зарегистрировано');
    second = ((await citizen.getByRole('heading', { level: 1 }).textContent()) ?? '').replace('Обращение № ', '');

    await press(operator, operator.getByRole('link', { name: 'Поиск' }));
    await typeInto(operator, operator.getByLabel('Номер обращения'), second);
    await press(operator, operator.getByRole('button', { name: 'Найти' }));
    await press(operator, operator.getByRole('link', { name: `Обращение № ${second}` }));
    await operator.getByRole('heading', { name: `Обращение № ${second}`, level: 1 }).waitFor();
    await typeInto(operator, operator.getByLabel('Куда (орган, организация)'), 'Социальный фонд России');
    await typeInto(operator, operator.getByLabel('Причина перенаправления'), 'Пенсии назначает Социальный фонд.');
    await press(operator, operator.getByRole('button', { name: 'Перенаправить' }));
    await see(operator, 'Обращение перенаправлено: Социальный фонд России.');
    await see(operator, 'Перенаправлено');
    expect(await operator.getByRole('button', { name: 'Перенаправить' }).count()).toBe(0);
    expect(await operator.getByRole('button', { name: 'Отправить комментарий' }).count()).toBe(0);

    // Since everything was marked read: the first one's extension and answer, this one's
    // registration and forwarding (read again on the next page).
    await press(citizen, citizen.getByRole('link', { name: 'Мои обращения' }));
    await citizen.getByRole('link', { name: 'Уведомления (4)' }).waitFor({ timeout: 30_000 });
    await press(citizen, citizen.getByRole('link', { name: /^Уведомления/ }));
    await see(citizen, new RegExp(`^Срок ответа на обращение № ${number} продлён до .*Причина: Нужен запрос оператору связи\\.$`));
    await see(citizen, `Обращение № ${second} направлено по компетенции в Социальный фонд России. Причина: Пенсии назначает Социальный фонд.`);
  });

  it('«Поиск» by phone, written as people write it (8, brackets, dashes), finds both of the citizen\'s requests; a number that is no phone is a sentence beside the field', async () => {
    await press(operator, operator.getByRole('link', { name: 'Поиск' }));
    await operator.getByRole('heading', { name: 'Поиск', level: 1 }).waitFor();
    const field = operator.getByLabel('Телефон', { exact: true });
    await typeInto(operator, field, '8 (912) 345');
    await press(operator, operator.getByRole('button', { name: 'Найти' }));
    await see(operator, 'Номер телефона должен содержать 10 цифр после +7 или 8.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const d = testCitizen(WRITER).phoneE164.slice(2);
    await typeInto(operator, field, `8 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`);
    await press(operator, operator.getByRole('button', { name: 'Найти' }));
    await operator.getByRole('heading', { name: 'Обращения: 2' }).waitFor();
    await operator.getByRole('heading', { name: 'Звонки: 0' }).waitFor();
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    for (const n of [number, second]) await operator.getByRole('link', { name: `Обращение № ${n}` }).waitFor();
  });
});

describe('the citizen books a callback, the operator calls, the citizen confirms it', () => {
  let number = '';
  let slotLabel = '';
  /** When the recorded call was queued, to the second (what the form took). */
  let queuedAt = 0;

  it('the slot picker shows free slots in the citizen\'s own time (МСК+4) and books the one picked', async () => {
    // The operator watches the queue before the callback exists: it must appear there by itself.
    await press(operator, operator.getByRole('link', { name: 'Очередь звонков' }));
    await choose(operator, operator.getByLabel('Очередь', { exact: true }), 'Консультации');
    await see(operator, 'Ждут звонка: 0. Список обновляется сам.');
    await citizenContext.clearCookies();
    await citizen.evaluate('sessionStorage.clear()');
    await citizen.goto(`${system.url}/callback`);
    await signIn(citizen, CALLER);
    await citizen.getByRole('heading', { name: 'Заказать обратный звонок' }).waitFor();
    expect(testCitizen(CALLER).timeZone).toBe('Asia/Novosibirsk');
    await choose(citizen, citizen.getByLabel('Тип обращения'), 'Консультация (как заполнить заявление)');
    expect(await citizen.getByLabel('Телефон для звонка').inputValue()).toBe(testCitizen(CALLER).phone);
    await typeInto(citizen, citizen.getByLabel('Описание проблемы'), 'Как заполнить заявление на загранпаспорт?');
    await typeInto(citizen, citizen.getByLabel('Примечание'), 'Лучше после обеда');
    await see(citizen, 'Время указано по вашему часовому поясу (МСК+4).');
    const day = citizen.getByLabel('День');
    await day.getByRole('option').nth(1).waitFor({ state: 'attached' });
    const days = await day.getByRole('option').allTextContents();
    await choose(citizen, day, days[1] as string);
    const times = citizen.getByRole('group', { name: 'Время звонка' }).getByRole('radio');
    await tabTo(citizen, times.first());
    await citizen.keyboard.press('Space');
    expect(await times.first().isChecked()).toBe(true);
    // The slot's accessible name, as a screen reader announces the radio.
    slotLabel = /radio "([^"]+)"/.exec(await times.first().ariaSnapshot())?.[1] ?? '';
    expect(slotLabel).toMatch(/^\d{2}:\d{2}–\d{2}:\d{2}$/);
    await expectAccessible(citizen, 'callback page');
    await screenshots(citizen, 'citizen-callback');
    await press(citizen, citizen.getByRole('button', { name: 'Отправить' }));
    await see(citizen, 'Звонок запланирован');
    number = ((await citizen.getByRole('heading', { level: 1 }).textContent()) ?? '').replace('Обращение № ', '');
    // The booked time, on the citizen's clock, is the start of the slot picked.
    await see(citizen, new RegExp(`${slotLabel.split('–')[0]} \\(МСК\\+4\\)`));
    const history = (await citizen.getByRole('region', { name: 'История' }).textContent()) ?? '';
    expect(history).toMatch(new RegExp(`Звонок запланирован: \\d{2}\\.\\d{2}\\.\\d{4} ${slotLabel.split('–')[0]} \\(МСК\\+4\\)`));
    expect(history).not.toContain('queue');
  });

  it('the queue shows it by itself; the operator takes it and records the call with a 12-minute wait', async () => {
    const item = operator.getByRole('listitem', { name: `Обращение № ${number}` });
    await item.waitFor({ timeout: 30_000 });
    await expectAccessible(operator, 'queue');
    await screenshots(operator, 'ops-queue');
    await press(operator, item.getByRole('button', { name: 'Взять в работу' }));
    const now = Math.floor(Date.now() / 1000) * 1000;
    queuedAt = now - 15 * 60_000;
    for (const [label, at] of [['В очереди с', queuedAt], ['Ответ в', now - 3 * 60_000], ['Завершён в', now - 60_000]] as const) {
      await typeDateTime(operator, item.getByLabel(label), new Date(at));
    }
    await press(operator, item.getByRole('button', { name: 'Добавить реплику' }));
    await typeInto(operator, item.getByLabel('Текст (реплика 1)'), 'Здравствуйте! Служба поддержки Госуслуг.');
    await press(operator, item.getByRole('button', { name: 'Добавить реплику' }));
    await typeInto(operator, item.getByLabel('Текст (реплика 2)'), 'Подскажите, как заполнить заявление.');
    await expectAccessible(operator, 'record a call');
    await press(operator, item.getByRole('button', { name: 'Записать звонок' }));
    await see(operator, new RegExp(`Звонок по обращению № ${number} записан: ожидание 720 с`));
    await item.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('a wrong code shows the attempts left; the code from the SMS confirms the call; the PDF downloads', async () => {
    await see(citizen, 'Звонок состоялся', 30_000);
    await press(citizen, citizen.getByRole('button', { name: 'Подтвердить звонок' }));
    await see(citizen, 'Код отправлен по СМС на телефон из профиля.');
    await see(citizen, /Новый код можно запросить через \d+ с/);
    const code = await outboxCode(testCitizen(CALLER).phoneE164);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    await typeInto(citizen, citizen.getByLabel('Код из СМС'), wrong);
    await press(citizen, citizen.getByRole('button', { name: 'Отправить', exact: true }).first());
    await see(citizen, 'Неверный код. Осталось попыток: 4.');
    await expectAccessible(citizen, 'code field with an error');
    await screenshots(citizen, 'citizen-confirm');
    await typeInto(citizen, citizen.getByLabel('Код из СМС'), code);
    await press(citizen, citizen.getByRole('button', { name: 'Отправить', exact: true }).first());
    await see(citizen, 'Звонок подтверждён. Запись разговора можно скачать.');
    await tabTo(citizen, citizen.getByRole('button', { name: 'Скачать PDF' }));
    const [download] = await Promise.all([citizen.waitForEvent('download'), citizen.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('"Подать претензию" files a complaint about the wait, which the citizen can then cancel', async () => {
    await press(citizen, citizen.getByRole('button', { name: 'Подать претензию' }));
    await typeInto(citizen, citizen.getByLabel('Текст претензии'), 'Ждал ответа оператора 12 минут.');
    await press(citizen, citizen.getByRole('form', { name: 'Претензия о долгом ожидании' }).getByRole('button', { name: 'Отправить' }));
    await citizen.getByRole('heading', { name: new RegExp(`^Обращение № (?!${number}$)`) }).waitFor();
    await see(citizen, 'Жалоба');
    await see(citizen, 'Зарегистрировано');
    await expectAccessible(citizen, 'claim');
    await press(citizen, citizen.getByRole('button', { name: 'Отменить обращение' }));
    await press(citizen, citizen.getByRole('button', { name: 'Да, отменить' }));
    await see(citizen, 'Отменено');
    await press(citizen, citizen.getByRole('link', { name: 'Мои обращения' }));
    await see(citizen, `Обращение № ${number}`);
    await see(citizen, 'Отменено');
    await see(citizen, 'Звонок состоялся');
    await expectAccessible(citizen, 'my requests');
    await screenshots(citizen, 'citizen-requests');
  });

  it('«Поиск» by the time of a call finds it 14 minutes before it began and opens its request; 16 minutes before, nothing', async () => {
    await press(operator, operator.getByRole('link', { name: 'Поиск' }));
    await operator.getByRole('heading', { name: 'Поиск', level: 1 }).waitFor();
    const field = operator.getByLabel('Время звонка');
    await typeDateTime(operator, field, new Date(queuedAt - 16 * 60_000));
    await press(operator, operator.getByRole('button', { name: 'Найти' }));
    await operator.getByRole('heading', { name: 'Звонки: 0' }).waitFor();
    await typeDateTime(operator, field, new Date(queuedAt - 14 * 60_000));
    await press(operator, operator.getByRole('button', { name: 'Найти' }));
    await operator.getByRole('heading', { name: 'Звонки: 1' }).waitFor();
    await operator.getByRole('heading', { name: 'Обращения: 1' }).waitFor();
    await operator.getByRole('link', { name: `Обращение № ${number}` }).waitFor();
    await press(operator, operator.getByRole('link', { name: /^Открыть обращение звонка / }));
    await operator.getByRole('heading', { name: `Обращение № ${number}`, level: 1 }).waitFor();
    await see(operator, 'Звонок состоялся');
  });
});

describe('npm start serves the built app', () => {
  it('each face\'s pages fall back to its index.html, under a strict CSP; files outside the build are never served', async () => {
    const page = await fetch(`${system.url}/requests/anything`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.text()).toContain('<title>Помощь и поддержка</title>');
    expect(await (await fetch(`${system.url}/ops/queue`)).text()).toContain('<title>Рабочее место оператора</title>');
    for (const path of ['/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/.built-from', '/assets/missing.js']) {
      const res = await fetch(`${system.url}${path}`);
      const text = await res.text();
      expect(text, path).not.toContain('"name": "support-center"');
      expect(text, path).not.toMatch(/^\d+$/);
    }
    // The API keeps its own answers: an unknown API path is a problem, not the app.
    const api = await fetch(`${system.url}/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('the local sign-in refuses what it does not know', async () => {
    const post = (body: unknown) => fetch(`${system.url}/_local/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ user: 'x', role: 'admin' })).status).toBe(400);
    expect((await post({ user: 'x', role: 'operator', queues: 'nowhere' })).status).toBe(400);
    const ok = await post({ user: 'web-http', role: 'citizen' });
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    const list = await fetch(`${system.url}/v1/requests`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
  });
});
