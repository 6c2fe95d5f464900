import { type EmbeddedFont, deflatedStream, embedCidFont } from './cid-font.ts';
import { TRANSCRIPT_FALLBACK, TRANSCRIPT_FONT, TRANSCRIPT_FONT_ASSET_FORMAT, TRANSCRIPT_FONT_BUILDER, type TranscriptFontAsset } from './transcript-font.ts';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Color, PDFDocument, PDFName, type PDFOperator, degrees, drawText, rgb } from 'pdf-lib';

export { TRANSCRIPT_FONT } from './transcript-font.ts';
export type { TranscriptFontAsset } from './transcript-font.ts';

/**
 * The transcript of a call as an A4 PDF in Russian: request number, call date and time (Moscow),
 * operator, wait and duration, and every dialog line with its time and speaker.
 *
 * Cyrillic needs an embedded font: PT Sans Regular (ParaType, made for the public use of the
 * peoples of Russia; SIL Open Font License 1.1), shipped as a .ttf inside the npm package
 * @expo-google-fonts/pt-sans. It is subset at build time (transcript-font-build.ts) to the
 * characters a transcript can hold and embedded from that prebuilt asset (cid-font.ts), so the
 * function parses no font at run time; a character outside the subset is drawn as '?'.
 *
 * Deterministic: the same input gives the same bytes. Dates in the document info come from the
 * call (never from "now"), producer and creator are fixed, there is no document id, the subset's
 * name tag and the font resource's name are constants.
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

function parseFontAsset(text: string, where: string): TranscriptFontAsset {
  let asset: Partial<TranscriptFontAsset> | null = null;
  try {
    asset = JSON.parse(text) as Partial<TranscriptFontAsset> | null;
  } catch {
    // reported below
  }
  if (asset?.format !== TRANSCRIPT_FONT_ASSET_FORMAT || !Array.isArray(asset.glyphs) || typeof asset.fontFile?.deflatedBase64 !== 'string') {
    throw new Error(`${where} is not a transcript font asset of format ${TRANSCRIPT_FONT_ASSET_FORMAT}: rebuild it with ${TRANSCRIPT_FONT_BUILDER}`);
  }
  return asset as TranscriptFontAsset;
}

/** A path beside this module (in a bundle: beside its entry file), or undefined off the file system. */
function besideModule(name: string): string | undefined {
  try {
    return fileURLToPath(new URL(`./${name}`, import.meta.url));
  } catch {
    return undefined;
  }
}

/** The build step's module: in the repository beside this one, never beside a bundle. */
const BUILDER_MODULE = TRANSCRIPT_FONT_BUILDER.slice(TRANSCRIPT_FONT_BUILDER.lastIndexOf('/') + 1);

async function locateFont(): Promise<TranscriptFontAsset> {
  const asset = besideModule(TRANSCRIPT_FONT.fileName);
  if (asset && existsSync(asset)) return parseFontAsset(readFileSync(asset, 'utf8'), asset);
  const builder = besideModule(BUILDER_MODULE);
  if (builder && existsSync(builder)) {
    // A source run (tests, the local runtime): build the asset in-process, as the CDK build does.
    // The specifier is computed, so esbuild never follows it and fontkit stays out of bundles.
    const build = (await import(pathToFileURL(builder).href)) as typeof import('./transcript-font-build.ts');
    return build.buildTranscriptFontAssetFromPackage();
  }
  throw new Error(
    `Transcript font not found: put ${TRANSCRIPT_FONT.fileName} next to the bundle (${TRANSCRIPT_FONT_BUILDER} builds it from ${TRANSCRIPT_FONT.packageName}; looked in: ${[asset, builder].filter(Boolean).join(', ')})`,
  );
}

let cachedFont: Promise<TranscriptFontAsset> | undefined;

/**
 * The font asset, loaded once per process. Looked up, in order:
 * 1. `path`, when given;
 * 2. `TRANSCRIPT_FONT.fileName` next to the running module: in a Lambda bundle, beside the
 *    bundle's entry file, where the build writes it;
 * 3. in a source run (tsx, vitest, the local runtime), built in-process from the npm package by
 *    the same build step.
 */
export function loadTranscriptFont(path?: string): Promise<TranscriptFontAsset> {
  if (path !== undefined) return Promise.resolve().then(() => parseFontAsset(readFileSync(path, 'utf8'), path));
  cachedFont ??= locateFont().catch((error: unknown) => {
    cachedFont = undefined;
    throw error;
  });
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
  color: Color;
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
  constructor(private readonly font: EmbeddedFont) {}

  /**
   * Printable text the font can draw: a letter with combining marks composed (NFC, so a
   * decomposed 'й' or 'ё' is one letter; only there, as NFC would also turn the Ohm sign the font
   * has into a Greek Omega it lacks), controls become spaces, characters outside the subset
   * TRANSCRIPT_FALLBACK ('?').
   */
  clean(text: string): string {
    let out = '';
    for (const ch of String(text).replace(/\P{M}\p{M}+/gu, (cluster) => cluster.normalize('NFC'))) {
      const cp = ch.codePointAt(0) as number;
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) out += ' ';
      else if (cp === 0xa0) out += ' ';
      else out += this.font.has(cp) ? ch : TRANSCRIPT_FALLBACK;
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

  row(text: string, size: number, opts: { x?: number; color?: Color; gapAfter?: number } = {}): Row {
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
   * Embed this whole font file instead of the asset's subset (it must be the file the asset was
   * built from): tests compare the two renderings to catch a subset that draws wrong or blank
   * glyphs. Same CIDs, widths and page content either way.
   */
  wholeFont?: Uint8Array;
}

/** PDF subset fonts are named with a six-letter tag and '+'; fixed, for deterministic bytes. */
const SUBSET_TAG = 'SCTRAN';
/** The font's name in every page's resources (one font: a constant). */
const FONT_KEY = PDFName.of('F1');

/**
 * Render the transcript. `font` defaults to loadTranscriptFont(); pass it in where the asset
 * comes from elsewhere (a test). Throws RangeError on an unreadable time.
 */
export async function renderTranscriptPdf(input: TranscriptInput, font?: TranscriptFontAsset, options: RenderOptions = {}): Promise<Uint8Array> {
  const startedAt = instant(input.startedAt, 'startedAt');
  const lines = input.lines.map((l, i) => ({ ...l, atDate: instant(l.at, `lines[${i}].at`) }));
  const asset = font ?? (await loadTranscriptFont());

  const doc = await PDFDocument.create({ updateMetadata: false });
  // Tools (pdffonts 'sub') recognise a subset by its tag; the whole font keeps its own name.
  const embedded = embedCidFont(doc, asset, {
    baseFontName: options.wholeFont ? asset.postscriptName : `${SUBSET_TAG}+${asset.postscriptName}`,
    ...(options.wholeFont ? { whole: options.wholeFont } : {}),
  });
  const w = new Writer(embedded);
  const draw = (ops: PDFOperator[], text: string, x: number, y: number, size: number, color: Color) =>
    ops.push(...drawText(embedded.encode(text), { color, font: FONT_KEY, size, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0), x, y }));

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
    const page = doc.addPage(A4);
    page.node.setFontDictionary(FONT_KEY, embedded.ref);
    const ops: PDFOperator[] = [];
    let y = A4[1] - MARGIN_TOP;
    if (index > 0) {
      draw(ops, runningHeader, MARGIN_X, y - SIZE_SMALL, SIZE_SMALL, GREY);
      y -= runningHeaderHeight;
    }
    for (const row of rows) {
      const baseline = y - row.height + (row.height - (row.ops[0]?.size ?? SIZE_BODY)) / 2 + 2;
      for (const op of row.ops) if (op.text !== '') draw(ops, op.text, op.x, baseline, op.size, op.color);
      y -= row.height + row.gapAfter;
    }
    const footer = `Страница ${index + 1} из ${pages.length}`;
    draw(ops, footer, A4[0] - MARGIN_X - w.width(footer, SIZE_SMALL), FOOTER_Y, SIZE_SMALL, GREY);
    // Serialised by pdf-lib, compressed by zlib (deflatedStream): pdf-lib's compressor is left out.
    page.node.addContentStream(doc.context.register(deflatedStream(doc.context, doc.context.contentStream(ops).getUnencodedContents())));
  });

  // No object streams: pdf-lib would compress them with the compressor left out of the bundle
  // (a cross-reference table instead; a few KB more).
  return doc.save({ useObjectStreams: false });
}
