import { postscriptNameOf, upstreamFontkit } from './fontkit-upstream.ts';
import { TRANSCRIPT_FONT } from './transcript-font.ts';
import { existsSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';

export { TRANSCRIPT_FONT } from './transcript-font.ts';

/**
 * The transcript of a call as an A4 PDF in Russian: request number, call date and time (Moscow),
 * operator, wait and duration, and every dialog line with its time and speaker.
 *
 * Cyrillic needs an embedded font: PT Sans Regular (ParaType, made for the public use of the
 * peoples of Russia; SIL Open Font License 1.1), shipped as a .ttf inside the npm package
 * @expo-google-fonts/pt-sans, subset on embedding, so a PDF carries only the glyphs it uses.
 *
 * Deterministic: the same input gives the same bytes. Dates in the document info come from the
 * call (never from "now"), producer and creator are fixed, there is no document id, and pdf-lib's
 * subset-name suffix comes from its per-document generator seeded with a constant.
 */

export type TranscriptSpeaker = 'operator' | 'citizen';

export interface TranscriptLine {
  /** ISO instant of the utterance. */
  at: string;
  speaker: TranscriptSpeaker;
  text: string;
}

export interface TranscriptInput {
  requestNumber: string;
  callId: string;
  /** ISO instant the call started (answered, or queued when that is what is known). */
  startedAt: string;
  operatorId: string;
  waitSeconds: number;
  durationSeconds: number;
  lines: readonly TranscriptLine[];
}

let cachedFont: Uint8Array | undefined;

/**
 * The font bytes, read once per process. Looked up, in order:
 * 1. `path`, when given (e.g. from configuration);
 * 2. `TRANSCRIPT_FONT.fileName` next to the running module: in a Lambda bundle, beside the
 *    bundle's entry file, where the build copies it;
 * 3. the npm package, resolved from this module (source runs: tsx, vitest, the local runtime).
 */
export function loadTranscriptFont(path?: string): Uint8Array {
  if (path !== undefined) return new Uint8Array(readFileSync(path));
  if (cachedFont) return cachedFont;
  const candidates: string[] = [];
  try {
    candidates.push(fileURLToPath(new URL(`./${TRANSCRIPT_FONT.fileName}`, import.meta.url)));
  } catch {
    // not a file: URL (no module path): skip
  }
  try {
    candidates.push(nodeModule.createRequire(import.meta.url).resolve(`${TRANSCRIPT_FONT.packageName}/${TRANSCRIPT_FONT.packageFile}`));
  } catch {
    // the package is not installed here (a bundle): skip
  }
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(
      `Transcript font not found: put ${TRANSCRIPT_FONT.fileName} next to the bundle or install ${TRANSCRIPT_FONT.packageName} (looked in: ${candidates.join(', ')})`,
    );
  }
  cachedFont = new Uint8Array(readFileSync(found));
  return cachedFont;
}

// ---- formatting ----------------------------------------------------------------------------

/** Moscow is UTC+3 all year round (no DST since 26 October 2014). */
const MOSCOW_OFFSET_MS = 3 * 3600 * 1000;

const pad2 = (n: number) => String(n).padStart(2, '0');

function instant(iso: string, what: string): Date {
  const d = new Date(iso);
  if (typeof iso !== 'string' || Number.isNaN(d.getTime())) throw new RangeError(`renderTranscriptPdf: ${what} is not an ISO time: ${String(iso)}`);
  return d;
}

function moscow(at: Date): Date {
  return new Date(at.getTime() + MOSCOW_OFFSET_MS);
}

/** 'ДД.ММ.ГГГГ ЧЧ:ММ:СС', Moscow time. */
export function formatMoscowDateTime(at: Date): string {
  const m = moscow(at);
  return `${pad2(m.getUTCDate())}.${pad2(m.getUTCMonth() + 1)}.${m.getUTCFullYear()} ${formatMoscowTime(at)}`;
}

/** 'ЧЧ:ММ:СС', Moscow time. */
export function formatMoscowTime(at: Date): string {
  const m = moscow(at);
  return `${pad2(m.getUTCHours())}:${pad2(m.getUTCMinutes())}:${pad2(m.getUTCSeconds())}`;
}

/** 754 → '12 мин 34 с'; 3725 → '1 ч 2 мин 5 с'; 40 → '40 с'. */
export function formatDuration(seconds: number): string {
  const total = Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} ч ${m} мин ${s} с`;
  if (m > 0) return `${m} мин ${s} с`;
  return `${s} с`;
}

export const SPEAKER_LABEL: Record<TranscriptSpeaker, string> = { operator: 'Оператор', citizen: 'Гражданин' };

// ---- layout --------------------------------------------------------------------------------

const A4: [number, number] = [595.28, 841.89];
const MARGIN_X = 56.7; // 20 mm
const MARGIN_TOP = 56.7;
const MARGIN_BOTTOM = 56.7;
const FOOTER_Y = 28;
const CONTENT_WIDTH = A4[0] - 2 * MARGIN_X;

const SIZE_TITLE = 16;
const SIZE_META = 11;
const SIZE_HEADING = 12;
const SIZE_BODY = 10.5;
const SIZE_SMALL = 8;
const LEADING = 1.4;
const ENTRY_GAP = 3;

const INK = rgb(0.1, 0.1, 0.1);
const GREY = rgb(0.4, 0.4, 0.4);

interface TextOp {
  text: string;
  x: number;
  size: number;
  color: typeof INK;
}

/** One laid-out row: its ops share a baseline. `gapAfter` is extra space below it. */
interface Row {
  ops: TextOp[];
  height: number;
  gapAfter: number;
}

/** Rows that should stay on one page when they fit on one (a header, one dialog entry). */
type Block = Row[];

class Writer {
  private readonly chars: Set<number>;

  constructor(private readonly font: PDFFont) {
    this.chars = new Set(font.getCharacterSet());
  }

  /** Printable text the font can draw: controls become spaces, characters without a glyph '?'. */
  clean(text: string): string {
    let out = '';
    for (const ch of String(text)) {
      const cp = ch.codePointAt(0) as number;
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) out += ' ';
      else if (cp === 0xa0) out += ' ';
      else out += this.chars.has(cp) ? ch : '?';
    }
    return out;
  }

  width(text: string, size: number): number {
    return this.font.widthOfTextAtSize(text, size);
  }

  /** Greedy word wrap; a word longer than a line is cut by characters. Spaces are folded. */
  wrap(text: string, size: number, firstWidth: number, restWidth: number): string[] {
    const words = text.split(/\s+/).filter((w) => w.length > 0);
    const lines: string[] = [];
    let line = '';
    const limit = () => (lines.length === 0 ? firstWidth : restWidth);
    for (const word of words) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (this.width(candidate, size) <= limit()) {
        line = candidate;
        continue;
      }
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      let rest = word;
      while (this.width(rest, size) > limit()) {
        const chars = [...rest];
        let take = 1;
        while (take < chars.length && this.width(chars.slice(0, take + 1).join(''), size) <= limit()) take += 1;
        lines.push(chars.slice(0, take).join(''));
        rest = chars.slice(take).join('');
      }
      line = rest;
    }
    if (line !== '' || lines.length === 0) lines.push(line);
    return lines;
  }

  row(text: string, size: number, opts: { x?: number; color?: typeof INK; gapAfter?: number } = {}): Row {
    return { ops: [{ text, x: MARGIN_X + (opts.x ?? 0), size, color: opts.color ?? INK }], height: size * LEADING, gapAfter: opts.gapAfter ?? 0 };
  }

  /** A wrapped paragraph: label in front of the first row, later rows indented by `indent`. */
  paragraph(prefix: string, text: string, size: number, indent: number, gapAfter: number): Block {
    const prefixWidth = prefix === '' ? 0 : this.width(`${prefix} `, size);
    const lines = this.wrap(text, size, CONTENT_WIDTH - prefixWidth, CONTENT_WIDTH - indent);
    return lines.map((line, i) => {
      const first = i === 0;
      const rowText = first ? (prefix === '' ? line : line === '' ? prefix : `${prefix} ${line}`) : line;
      return this.row(rowText, size, { x: first ? 0 : indent, gapAfter: i === lines.length - 1 ? gapAfter : 0 });
    });
  }
}

function blockHeight(block: Block): number {
  return block.reduce((h, r) => h + r.height + r.gapAfter, 0);
}

/** Blocks onto pages: a block that fits on a page is never split; a longer one flows on. */
function paginate(blocks: Block[], firstPageHeight: number, pageHeight: number): Row[][] {
  const pages: Row[][] = [[]];
  let room = firstPageHeight;
  const newPage = () => {
    pages.push([]);
    room = pageHeight;
  };
  for (const block of blocks) {
    const h = blockHeight(block);
    const current = pages[pages.length - 1] as Row[];
    if (h > room && h <= pageHeight && current.length > 0) newPage();
    for (const row of block) {
      if (row.height > room && (pages[pages.length - 1] as Row[]).length > 0) newPage();
      (pages[pages.length - 1] as Row[]).push(row);
      room -= row.height + row.gapAfter;
    }
  }
  return pages;
}

// ---- rendering -----------------------------------------------------------------------------

export interface RenderOptions {
  /**
   * Embed only the glyphs used (default true: about 30 KB for 20 lines instead of 160 KB).
   * `false` embeds the whole font; tests compare the two renderings to catch a broken subsetter.
   */
  subsetFont?: boolean;
}

/** PDF subset fonts are named with a six-letter tag and '+'; fixed, for deterministic bytes. */
const SUBSET_TAG = 'SCTRAN';

/**
 * Render the transcript. `fontBytes` defaults to loadTranscriptFont(); pass them in where the
 * font comes from elsewhere (a bundle, a test). Throws RangeError on an unreadable time.
 */
export async function renderTranscriptPdf(
  input: TranscriptInput,
  fontBytes: Uint8Array = loadTranscriptFont(),
  options: RenderOptions = {},
): Promise<Uint8Array> {
  const subset = options.subsetFont ?? true;
  const startedAt = instant(input.startedAt, 'startedAt');
  const lines = input.lines.map((l, i) => ({ ...l, atDate: instant(l.at, `lines[${i}].at`) }));

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(upstreamFontkit);
  // Ligatures off: every glyph maps back to exactly one character when text is extracted.
  const font = await doc.embedFont(fontBytes, {
    subset,
    features: { liga: false, clig: false, dlig: false, calt: false },
    // Without a name pdf-lib appends a suffix from its seeded generator: deterministic, but not
    // the subset convention that tools (pdffonts 'sub') recognise.
    ...(subset ? { customName: `${SUBSET_TAG}+${postscriptNameOf(fontBytes) ?? 'Font'}` } : {}),
  });
  const w = new Writer(font);

  const number = w.clean(input.requestNumber).trim() || '—';
  const title = 'Расшифровка разговора';

  // Document info: fixed, from the call.
  doc.setTitle(`${title}, обращение № ${number}`);
  doc.setSubject(w.clean(`Звонок ${input.callId}`));
  doc.setAuthor('Центр поддержки');
  doc.setCreator('Support Center');
  doc.setProducer('Support Center transcript-pdf');
  doc.setLanguage('ru-RU');
  doc.setCreationDate(startedAt);
  doc.setModificationDate(startedAt);

  const header: Block = [
    w.row(title, SIZE_TITLE, { gapAfter: 6 }),
    w.row(`Обращение № ${number}`, SIZE_META),
    ...w.paragraph('Звонок:', w.clean(input.callId), SIZE_META, 0, 0),
    w.row(`Дата и время звонка (МСК): ${formatMoscowDateTime(startedAt)}`, SIZE_META),
    ...w.paragraph('Оператор:', w.clean(input.operatorId), SIZE_META, 0, 0),
    w.row(`Ожидание: ${formatDuration(input.waitSeconds)}`, SIZE_META),
    w.row(`Длительность: ${formatDuration(input.durationSeconds)}`, SIZE_META, { gapAfter: 10 }),
    w.row('Диалог', SIZE_HEADING, { gapAfter: 4 }),
  ];

  const timeIndent = w.width('00:00:00 ', SIZE_BODY);
  const entries: Block[] = lines.map((l) => {
    const prefix = `${formatMoscowTime(l.atDate)} ${SPEAKER_LABEL[l.speaker] ?? '?'}:`;
    return w.paragraph(prefix, w.clean(l.text), SIZE_BODY, timeIndent, ENTRY_GAP);
  });
  if (entries.length === 0) entries.push([w.row('Реплик нет.', SIZE_BODY)]);

  const bodyHeight = A4[1] - MARGIN_TOP - MARGIN_BOTTOM;
  const runningHeader = `${title} · обращение № ${number}`;
  const runningHeaderHeight = SIZE_SMALL * LEADING + 8;
  const pages = paginate([header, ...entries], bodyHeight, bodyHeight - runningHeaderHeight);

  pages.forEach((rows, index) => {
    const page: PDFPage = doc.addPage(A4);
    let y = A4[1] - MARGIN_TOP;
    if (index > 0) {
      page.drawText(runningHeader, { x: MARGIN_X, y: y - SIZE_SMALL, size: SIZE_SMALL, font, color: GREY });
      y -= runningHeaderHeight;
    }
    for (const row of rows) {
      const baseline = y - row.height + (row.height - (row.ops[0]?.size ?? SIZE_BODY)) / 2 + 2;
      for (const op of row.ops) if (op.text !== '') page.drawText(op.text, { x: op.x, y: baseline, size: op.size, font, color: op.color });
      y -= row.height + row.gapAfter;
    }
    const footer = `Страница ${index + 1} из ${pages.length}`;
    page.drawText(footer, { x: A4[0] - MARGIN_X - w.width(footer, SIZE_SMALL), y: FOOTER_Y, size: SIZE_SMALL, font, color: GREY });
  });

  return doc.save({ useObjectStreams: true });
}
