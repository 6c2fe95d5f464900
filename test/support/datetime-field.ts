import type { Locator, Page } from 'playwright-core';
import { tabTo } from './browser.ts';

/**
 * Types a moment into an `<input type="datetime-local">` with the keyboard, one segment after the
 * other, as a person does. Chromium lays the segments out by its own UI language, not by the
 * page's `lang` nor the context's locale: Debian's package ships en-US only (`MM/DD/YYYY, hh:mm:ss
 * AM`), with chromium-l10n on a Russian system it is `ДД.ММ.ГГГГ, чч:мм:сс`. So the order is read
 * from the field's own segments (its user-agent shadow tree, which only the DevTools protocol
 * shows), never assumed, and the value is checked afterwards.
 *
 * How Chromium takes digits (and why this needs no timing): a two-digit segment moves on by itself
 * once two digits are in, however slowly they come (tried with 1.2 s between keys), the year (up to
 * six digits) does not, so ArrowRight moves on from it; the AM/PM segment takes the letter A or P. Focus may land on the last segment (Shift+Tab), so the
 * typing starts from the first one, reached with ArrowLeft.
 */
type Segment = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'ampm';
const SEGMENT = /^-webkit-datetime-edit-(year|month|day|hour|minute|second|ampm|millisecond|week)-field$/;

interface DomNode {
  nodeName: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

function attribute(node: DomNode, name: string): string | undefined {
  const a = node.attributes ?? [];
  for (let i = 0; i + 1 < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
}

function find(node: DomNode, test: (n: DomNode) => boolean): DomNode | undefined {
  if (test(node)) return node;
  for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
    const found = find(child, test);
    if (found) return found;
  }
  return undefined;
}

function segmentsIn(node: DomNode, out: string[] = []): string[] {
  const pseudo = SEGMENT.exec(attribute(node, 'pseudo') ?? '');
  if (pseudo) out.push(pseudo[1] as string);
  for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) segmentsIn(child, out);
  return out;
}

/** The field's segments in the order Chromium shows them. */
async function segmentsOf(page: Page, field: Locator): Promise<Segment[]> {
  const id = await field.getAttribute('id');
  if (!id) throw new Error(`${field} has no id: a datetime field is found by its id in the DevTools tree`);
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const input = find(root, (n) => n.nodeName === 'INPUT' && attribute(n, 'id') === id);
    if (!input) throw new Error(`no input with id ${id} in the page`);
    const segments = segmentsIn(input);
    const unknown = segments.filter((s) => s === 'millisecond' || s === 'week');
    if (segments.length === 0 || unknown.length > 0) throw new Error(`${field}: segments ${segments.join(', ')} are not a date and time to the second`);
    return segments as Segment[];
  } finally {
    await cdp.detach();
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DDTHH:MM:SS` on the browser's wall clock (the same machine as the test's). */
export function localDateTime(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** `at` into `field`; a field without seconds (no `step`) takes the minute, and `at` must have none. */
export async function typeDateTime(page: Page, field: Locator, at: Date): Promise<void> {
  const segments = await segmentsOf(page, field);
  if (!segments.includes('second') && at.getSeconds() !== 0) throw new Error(`${field} takes minutes: give it a time with no seconds`);
  const twelveHour = segments.includes('ampm');
  const hour = at.getHours();
  const keys: Record<Segment, string[]> = {
    year: [...pad(at.getFullYear(), 4), 'ArrowRight'],
    month: [...pad(at.getMonth() + 1)],
    day: [...pad(at.getDate())],
    hour: [...pad(twelveHour ? ((hour + 11) % 12) + 1 : hour)],
    minute: [...pad(at.getMinutes())],
    second: [...pad(at.getSeconds())],
    ampm: [hour < 12 ? 'A' : 'P'],
  };
  await tabTo(page, field);
  for (let i = 0; i < segments.length; i += 1) await page.keyboard.press('ArrowLeft');
  for (const segment of segments) for (const key of keys[segment]) await page.keyboard.press(key);
  const value = await field.inputValue();
  // Chromium leaves out `:00` seconds; the moment is what must match.
  if (Date.parse(value) !== Date.parse(localDateTime(at))) throw new Error(`${field}: typed ${localDateTime(at)} in segments ${segments.join(', ')}, the field holds "${value}"`);
}
