import type { Page } from 'playwright-core';
import { press, typeInto } from './browser.ts';

/** Steps the web app's browser tests share, found by role, label and visible text as a person finds them. */

/** The visible text, exactly (statuses, sentences). */
export const see = (page: Page, text: string | RegExp, timeout = 30_000) => page.getByText(text, typeof text === 'string' ? { exact: true } : {}).first().waitFor({ timeout });

/** The local sign-in page: «Пользователь» (and «Очереди» for an operator), then «Войти». */
export async function signIn(page: Page, user: string, queues?: string): Promise<void> {
  await page.getByRole('heading', { name: 'Вход' }).waitFor();
  await typeInto(page, page.getByLabel('Пользователь'), user);
  if (queues) await typeInto(page, page.getByLabel('Очереди'), queues);
  await press(page, page.getByRole('button', { name: 'Войти' }));
}

/** Where a page of the app lives now (its request id is the last path segment). */
export const requestIdOf = (page: Page) => new URL(page.url()).pathname.split('/').at(-1) as string;
