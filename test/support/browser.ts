import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type FileChooser, type Locator, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';
import { REPO_ROOT } from '#infra/local/local-paths';

/**
 * The browser tests' tools: Debian's Chromium driven by playwright-core (no browser download; the
 * flags keep Chromium off the network it would otherwise call home to), axe-core injected into the
 * page, keyboard-only moves, and screenshots into .local/screenshots/ (git-ignored).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO_ROOT, '.local', 'screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeCode: string | undefined;
const axeSource = () => (axeCode ??= readFileSync(AXE, 'utf8'));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's package (sudo apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page in a context of its own, as a Russian desktop user has it (ru-RU, 1280 × 800), whose
 * script errors are printed to the test's output.
 */
export async function openPage(browser: Browser, options: { acceptDownloads?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  return { context, page };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the app's strict CSP does not govern (a script
  // tag would be refused, as it should be): the tests run the app under its real headers.
  // (Expressions as strings: the test project has no DOM types.)
  const loaded = await page.evaluate<boolean>("'axe' in window");
  if (!loaded) await page.evaluate(axeSource());
  const violations = await page.evaluate<AxeViolation[]>(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))",
  );
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${what}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`).toEqual([]);
}

/**
 * Moves focus with Tab (forwards, then backwards) until `target` has it: proof that a person
 * without a mouse reaches it. Fails when it is not in the tab order.
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 150): Promise<void> {
  await target.waitFor({ state: 'visible' });
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < maxPresses; i += 1) {
      if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
      await page.keyboard.press(key);
    }
  }
  throw new Error(`${target} is not reachable with Tab`);
}

/** Tab to a field and type into it (after clearing it with the keyboard). */
export async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** Tab to a button or link and press Enter. */
export async function press(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press('Enter');
}

/**
 * Tab to a file input, open its chooser with Space and pick `file`. Playwright turns the browser's
 * file-chooser interception on only when a listener is added, with a protocol call it does not
 * wait for, so a key pressed at once can open a chooser nobody intercepts and the event never
 * comes (it did, once, in CI). The listener is added first and Space pressed again every few
 * seconds until a chooser is caught or the deadline passes.
 */
export async function pickFile(page: Page, input: Locator, file: string, deadlineMs = 30_000): Promise<void> {
  await tabTo(page, input);
  // Held for the whole loop, so interception stays on between attempts.
  const keepIntercepting = () => {};
  page.on('filechooser', keepIntercepting);
  let chooser: FileChooser | undefined;
  try {
    const deadline = Date.now() + deadlineMs;
    while (!chooser && Date.now() < deadline) {
      const next = page.waitForEvent('filechooser', { timeout: Math.min(5_000, deadline - Date.now()) }).catch(() => undefined);
      await page.keyboard.press('Space');
      chooser = await next;
    }
  } finally {
    page.off('filechooser', keepIntercepting);
  }
  if (!chooser) throw new Error(`no file chooser opened from ${input} within ${deadlineMs} ms`);
  await chooser.setFiles(file);
}

/** Tab to a select and move with the arrow keys until the option labelled `label` is chosen. */
export async function choose(page: Page, select: Locator, label: string): Promise<void> {
  await tabTo(page, select);
  const labels = await select.getByRole('option').allTextContents();
  const target = labels.findIndex((l) => l.trim() === label);
  if (target < 0) throw new Error(`no option "${label}" in ${labels.join(' | ')}`);
  const current = await select.evaluate((el) => (el as unknown as { selectedIndex: number }).selectedIndex);
  const key = target > current ? 'ArrowDown' : 'ArrowUp';
  for (let i = 0; i < Math.abs(target - current); i += 1) await page.keyboard.press(key);
  expect(await select.evaluate((el) => (el as unknown as { selectedIndex: number }).selectedIndex)).toBe(target);
}

/** The page at 360 px and at 1280 px wide, into .local/screenshots/NAME-360.png and NAME-1280.png. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}
