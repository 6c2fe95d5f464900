import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type TranscriptFontAsset,
  type TranscriptInput,
  type TranscriptLine,
  formatDuration,
  formatMoscowDateTime,
  loadTranscriptFont,
  renderTranscriptPdf,
} from '#adapters/pdf/transcript-pdf';
import { serializeTranscriptFontAsset, transcriptFontSource } from '#adapters/pdf/transcript-font-build';

/**
 * The transcript PDF, read back the way a person's tools read it: pdftotext (Debian package
 * poppler-utils) for the text, pdftoppm for the pixels. Missing tools fail the tests (no skip).
 */

const dir = mkdtempSync(join(tmpdir(), 'transcript-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;

function poppler(tool: 'pdftotext' | 'pdftoppm', args: string[]): Buffer {
  try {
    return execFileSync(tool, args, { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: install Debian's poppler-utils (apt-get update && apt-get install -y poppler-utils)`);
    }
    throw error;
  }
}

function save(pdf: Uint8Array): string {
  const file = join(dir, `t${(seq += 1)}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** Text of the PDF, pages separated by form feeds. */
function pdftotext(pdf: Uint8Array): string {
  return poppler('pdftotext', ['-enc', 'UTF-8', save(pdf), '-']).toString('utf8');
}

/** The page rendered as an 8-bit grey PGM. */
function rasterise(pdf: Uint8Array, page = 1): Buffer {
  const out = join(dir, `r${(seq += 1)}`);
  poppler('pdftoppm', ['-gray', '-r', '72', '-f', String(page), '-l', String(page), '-singlefile', save(pdf), out]);
  return readFileSync(`${out}.pgm`);
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

const START = '2026-03-02T09:00:00.000Z'; // 12:00:00 in Moscow
const SPEECH = [
  'Здравствуйте! Центр поддержки, оператор Анна. Чем могу помочь?',
  'Добрый день. Мне не приходит СМС-код для входа в личный кабинет.',
  'Подскажите, пожалуйста, номер телефона указан в профиле верно?',
  'Да, номер верный, +7 912 345-67-89, баланс положительный.',
  'Проверяю. Вижу три неудачные попытки отправки за сегодня; ёлки-палки, «оператор связи» отклонил сообщения — это на их стороне.',
];

function dialog(count: number, stepSeconds = 17): TranscriptLine[] {
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(Date.parse(START) + 5000 + i * stepSeconds * 1000).toISOString(),
    speaker: i % 2 === 0 ? 'operator' : 'citizen',
    text: `${SPEECH[i % SPEECH.length] as string} (реплика ${i + 1})`,
  }));
}

function input(overrides: Partial<TranscriptInput> = {}): TranscriptInput {
  return {
    requestNumber: 'СЦ-2026-0000123',
    callId: '01JNX2K6TQ7R3VCALL0000001',
    startedAt: START,
    operatorId: 'op-anna-42',
    waitSeconds: 754,
    durationSeconds: 385,
    lines: dialog(20),
    ...overrides,
  };
}

const HHMMSS = (iso: string) => {
  const d = new Date(Date.parse(iso) + 3 * 3600_000);
  return d.toISOString().slice(11, 19);
};
const expectedLine = (l: TranscriptLine) => `${HHMMSS(l.at)} ${l.speaker === 'operator' ? 'Оператор' : 'Гражданин'}: ${l.text}`;

function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `missing or out of order: ${part}`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

let font: TranscriptFontAsset;
/** The whole PT Sans file the asset was built from (the subset is checked against it). */
let wholeFont: Uint8Array;
beforeAll(async () => {
  // Fail every test with the install hint rather than skip.
  poppler('pdftotext', ['-v']);
  font = await loadTranscriptFont();
  wholeFont = new Uint8Array(readFileSync(transcriptFontSource().path));
});

describe('transcript PDF', () => {
  it('a 20-line dialog: request number, Moscow date and time, operator, wait, duration and every Cyrillic line', async () => {
    const data = input();
    const pdf = await renderTranscriptPdf(data, font);
    const text = squash(pdftotext(pdf));
    expectInOrder(text, [
      'Расшифровка разговора',
      'Обращение № СЦ-2026-0000123',
      'Звонок: 01JNX2K6TQ7R3VCALL0000001',
      'Дата и время звонка (МСК): 02.03.2026 12:00:00',
      'Оператор: op-anna-42',
      'Ожидание: 12 мин 34 с',
      'Длительность: 6 мин 25 с',
      'Диалог',
      ...data.lines.map(expectedLine),
      'Страница 1 из 1',
    ]);
    expect(text).toContain('12:00:05 Оператор: Здравствуйте! Центр поддержки, оператор Анна.');
    expect(text).toContain('ёлки-палки, «оператор связи» отклонил сообщения — это на их стороне.');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]); // A4
    expect(pdf.length).toBeLessThan(60_000); // subset: the whole font alone is 279 KB
  });

  it('takes the date from Moscow time (UTC+3): a call at 21:30 UTC is on the next day', async () => {
    const at = '2026-03-01T21:30:07.000Z';
    const text = squash(pdftotext(await renderTranscriptPdf(input({ startedAt: at, lines: [{ at, speaker: 'citizen', text: 'Алло' }] }), font)));
    expect(text).toContain('Дата и время звонка (МСК): 02.03.2026 00:30:07');
    expect(text).toContain('00:30:07 Гражданин: Алло');
  });

  it('200 lines span several pages and still extract completely, in order', async () => {
    const data = input({ lines: dialog(200, 9) });
    const pdf = await renderTranscriptPdf(data, font);
    const doc = await PDFDocument.load(pdf);
    const pages = doc.getPageCount();
    expect(pages).toBeGreaterThan(2);
    const raw = pdftotext(pdf);
    expect(raw.split('\f').filter((p) => p.trim() !== '')).toHaveLength(pages);
    const text = squash(raw);
    expectInOrder(text, data.lines.map(expectedLine));
    for (let p = 1; p <= pages; p += 1) expect(text).toContain(`Страница ${p} из ${pages}`);
    // Later pages say whose transcript they are.
    expect(raw.split('\f')[1]).toContain('Расшифровка разговора · обращение № СЦ-2026-0000123');
    // A line is never split across pages when it fits on one: each page ends with a whole entry.
    for (const page of raw.split('\f').filter((p) => p.trim() !== '')) {
      const body = squash(page.replace(/Страница \d+ из \d+/, ''));
      expect(body).toMatch(/\(реплика \d+\)$/);
    }
  });

  it('wraps long lines inside the margins, a word longer than a line included', async () => {
    const long = `${'Очень длинная реплика без конца и края, '.repeat(20)}конец.`;
    const word = 'Ы'.repeat(160);
    const data = input({ lines: [{ at: START, speaker: 'citizen', text: long }, { at: START, speaker: 'operator', text: word }] });
    const pdf = await renderTranscriptPdf(data, font);
    const text = squash(pdftotext(pdf));
    expect(text).toContain(`12:00:00 Гражданин: ${squash(long)}`);
    expect(text.replace(/ /g, '')).toContain(`12:00:00Оператор:${word}`);
    // Every word box ends inside the right margin (A4 width 595.28 pt, margin 56.7 pt).
    const html = poppler('pdftotext', ['-bbox', save(pdf), '-']).toString('utf8');
    const xMax = [...html.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xMax.length).toBeGreaterThan(50);
    expect(Math.max(...xMax)).toBeLessThanOrEqual(595.28 - 56.7 + 0.5);
  });

  it('identical input gives identical bytes, whatever the time of rendering; no document id', async () => {
    const a = await renderTranscriptPdf(input(), font);
    const b = await renderTranscriptPdf(input(), font);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-12-31T23:59:59Z'));
    const c = await renderTranscriptPdf(input(), font);
    vi.useRealTimers();
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(true);
    expect(Buffer.from(a).includes('/ID')).toBe(false);

    const doc = await PDFDocument.load(a, { updateMetadata: false });
    expect(doc.getCreationDate()?.toISOString()).toBe(START);
    expect(doc.getModificationDate()?.toISOString()).toBe(START);
    expect(doc.getProducer()).toBe('Support Center transcript-pdf');
    expect(doc.getCreator()).toBe('Support Center');
    expect(doc.getTitle()).toBe('Расшифровка разговора, обращение № СЦ-2026-0000123');
    // A different call gives different bytes (the input really is what is rendered).
    const d = await renderTranscriptPdf(input({ operatorId: 'op-boris-7' }), font);
    expect(Buffer.from(a).equals(Buffer.from(d))).toBe(false);
  });

  it('the subset font draws exactly what the whole font draws (catches a broken subsetter)', async () => {
    const data = input();
    const subset = await renderTranscriptPdf(data, font);
    const whole = await renderTranscriptPdf(data, font, { wholeFont });
    expect(whole.length).toBeGreaterThan(150_000);
    expect(subset.length).toBeLessThan(whole.length / 4);
    const a = rasterise(subset);
    const b = rasterise(whole);
    expect(a.length).toBe(b.length);
    let differing = 0;
    let ink = 0;
    for (let i = 0; i < a.length; i += 1) {
      if (a[i] !== b[i]) differing += 1;
      if ((b[i] as number) < 128) ink += 1;
    }
    expect(ink).toBeGreaterThan(5000); // there is text on the page
    expect(differing).toBe(0);
  });

  it('characters the font lacks become "?", control characters spaces; an empty dialog says so', async () => {
    const text = squash(
      pdftotext(
        await renderTranscriptPdf(
          input({ lines: [{ at: START, speaker: 'citizen', text: 'Смайлик 😀, иероглиф 中,\tтаб\nи перевод строки\u0000.' }] }),
          font,
        ),
      ),
    );
    expect(text).toContain('12:00:00 Гражданин: Смайлик ?, иероглиф ?, таб и перевод строки .');
    expect(squash(pdftotext(await renderTranscriptPdf(input({ lines: [] }), font)))).toContain('Диалог Реплик нет.');
  });

  it('a character PT Sans has but the subset leaves out is drawn as "?", never dropped; decomposed letters are composed', async () => {
    const lacking = ['◊', 'ﬁ'];
    for (const ch of lacking) expect(font.glyphs.some(([cp]) => cp === ch.codePointAt(0))).toBe(false);
    const decomposed = 'и\u0306 е\u0308'; // й and ё as a letter and a combining mark
    const text = squash(pdftotext(await renderTranscriptPdf(input({ lines: [{ at: START, speaker: 'citizen', text: `ромб ◊, лигатура ﬁ, ${decomposed}` }] }), font)));
    expect(text).toContain('12:00:00 Гражданин: ромб ?, лигатура ?, й ё');
  });

  it('every character of the subset draws what the whole font draws and reads back as itself', async () => {
    const chars = font.glyphs.map(([cp]) => String.fromCodePoint(cp)).filter((ch) => ch.trim() !== '' && ch !== '\u00ad');
    expect(chars.length).toBeGreaterThan(500);
    const chunks: string[] = [];
    for (let i = 0; i < chars.length; i += 30) chunks.push(chars.slice(i, i + 30).join(''));
    const data = input({ lines: chunks.map((text) => ({ at: START, speaker: 'operator', text })) });
    const subset = await renderTranscriptPdf(data, font);
    const wholeRendering = await renderTranscriptPdf(data, font, { wholeFont });
    expect((await PDFDocument.load(subset)).getPageCount()).toBe(1);
    const a = rasterise(subset);
    const b = rasterise(wholeRendering);
    let differing = 0;
    for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) differing += 1;
    expect(differing).toBe(0);
    const text = pdftotext(subset).replace(/\s+/g, '');
    for (const chunk of chunks) expect(text).toContain(chunk.replace(/\s+/g, ''));
  });

  it('refuses an unreadable time', async () => {
    await expect(renderTranscriptPdf(input({ startedAt: 'вчера' }), font)).rejects.toThrow(RangeError);
    await expect(renderTranscriptPdf(input({ lines: [{ at: 'nope', speaker: 'operator', text: 'x' }] }), font)).rejects.toThrow(
      /lines\[0\]\.at/,
    );
  });

  it('loads the font asset (built in-process from the npm package in a source run) by default, and from a given path', async () => {
    const source = readFileSync(transcriptFontSource().path);
    expect(source.subarray(0, 4).toString('hex')).toBe('00010000'); // the package's TrueType file
    expect(font.source.sha256).toBe(createHash('sha256').update(source).digest('hex'));
    expect(font.postscriptName).toBe('PTSans-Regular');
    const copy = join(dir, 'copy.json');
    writeFileSync(copy, serializeTranscriptFontAsset(font));
    expect(await loadTranscriptFont(copy)).toEqual(font);
    await expect(loadTranscriptFont(join(dir, 'missing.json'))).rejects.toThrow();
    // The font file itself is not the asset: said plainly, with the way to build one.
    await expect(loadTranscriptFont(transcriptFontSource().path)).rejects.toThrow(/is not a transcript font asset of format 1: rebuild it with functions\/adapters\/pdf\/transcript-font-build\.ts/);
    expect(await loadTranscriptFont()).toBe(font); // once per process
    const byDefault = await renderTranscriptPdf(input());
    expect(Buffer.from(byDefault).equals(Buffer.from(await renderTranscriptPdf(input(), font)))).toBe(true);
  });
});

describe('formats', () => {
  afterEach(() => vi.useRealTimers());

  it.each([
    [0, '0 с'],
    [40, '40 с'],
    [40.4, '40 с'],
    [60, '1 мин 0 с'],
    [754, '12 мин 34 с'],
    [3725, '1 ч 2 мин 5 с'],
    [-5, '0 с'],
    [Number.NaN, '0 с'],
  ])('duration %s s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('Moscow date and time, whatever the host time zone', () => {
    expect(formatMoscowDateTime(new Date('2026-12-31T20:59:59Z'))).toBe('31.12.2026 23:59:59');
    expect(formatMoscowDateTime(new Date('2026-12-31T21:00:00Z'))).toBe('01.01.2027 00:00:00');
    expect(formatMoscowDateTime(new Date('2026-07-01T09:00:00Z'))).toBe('01.07.2026 12:00:00'); // no summer time
  });
});
