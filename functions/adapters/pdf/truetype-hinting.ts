/**
 * Build time only (transcript-font-build.ts): a TrueType file without its hinting. Hinting is
 * bytecode that snaps outlines to a screen's pixel grid; in PT Sans it is three quarters of the
 * glyph data. PDF renderers draw the outlines unhinted (poppler, pdf.js and PDFium do not run it),
 * so the transcript's font asset leaves it out and the PDF is a third of the size. The blank-glyph
 * test (test/unit/transcript-pdf.test.ts) renders the subset against the whole, hinted font and
 * holds the two to the same pixels.
 *
 * What changes: every glyph loses its instructions (a simple glyph's instruction bytes, a
 * composite's WE_HAVE_INSTRUCTIONS), the tables that only serve them go (`fpgm`, `prep`, `cvt `),
 * `loca` is written in the long format, `maxp` says there are no instructions, checksums are
 * recomputed. Outlines, metrics and glyph ids are untouched.
 */

const HINTING_TABLES = new Set(['fpgm', 'prep', 'cvt ']);
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;
const WE_HAVE_INSTRUCTIONS = 0x0100;

interface Table {
  tag: string;
  data: Uint8Array;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readTables(font: Uint8Array): Map<string, Uint8Array> {
  const dv = view(font);
  const version = dv.getUint32(0);
  // 0x00010000, or 'true' (what Apple's tools and fontkit's subsetter write)
  if (version !== 0x00010000 && version !== 0x74727565) throw new TypeError(`not a TrueType font (sfnt version 0x${version.toString(16)})`);
  const tables = new Map<string, Uint8Array>();
  for (let i = 0; i < dv.getUint16(4); i += 1) {
    const entry = 12 + 16 * i;
    const tag = String.fromCharCode(...font.subarray(entry, entry + 4));
    const offset = dv.getUint32(entry + 8);
    tables.set(tag, font.subarray(offset, offset + dv.getUint32(entry + 12)));
  }
  for (const tag of ['head', 'maxp', 'loca', 'glyf']) if (!tables.has(tag)) throw new TypeError(`TrueType font without a ${tag} table`);
  return tables;
}

/** One glyph's record without instructions. */
function unhintGlyph(glyph: Uint8Array): Uint8Array {
  if (glyph.length === 0) return glyph;
  const dv = view(glyph);
  const contours = dv.getInt16(0);
  if (contours >= 0) {
    const at = 10 + 2 * contours;
    const skip = dv.getUint16(at);
    const out = new Uint8Array(glyph.length - skip);
    out.set(glyph.subarray(0, at), 0); // header and endPtsOfContours; instructionLength stays 0
    out.set(glyph.subarray(at + 2 + skip), at + 2);
    return out;
  }
  const out = new Uint8Array(glyph); // composite: drop the flag, cut the trailing instructions
  const ov = view(out);
  let at = 10;
  let flags: number;
  do {
    flags = ov.getUint16(at);
    ov.setUint16(at, flags & ~WE_HAVE_INSTRUCTIONS);
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
  } while (flags & MORE_COMPONENTS);
  return out.subarray(0, at);
}

const padded = (n: number) => (n + 3) & ~3;

function checksum(data: Uint8Array): number {
  const words = new Uint8Array(padded(data.length));
  words.set(data);
  const dv = view(words);
  let sum = 0;
  for (let i = 0; i < words.length; i += 4) sum = (sum + dv.getUint32(i)) >>> 0;
  return sum;
}

function writeFont(tables: Table[]): Uint8Array {
  const sorted = [...tables].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const n = sorted.length;
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 ** entrySelector * 16;
  let offset = 12 + 16 * n;
  const size = sorted.reduce((total, t) => total + padded(t.data.length), offset);
  const out = new Uint8Array(size);
  const dv = view(out);
  dv.setUint32(0, 0x00010000);
  dv.setUint16(4, n);
  dv.setUint16(6, searchRange);
  dv.setUint16(8, entrySelector);
  dv.setUint16(10, n * 16 - searchRange);
  let headOffset = -1;
  sorted.forEach((t, i) => {
    const entry = 12 + 16 * i;
    for (let c = 0; c < 4; c += 1) out[entry + c] = t.tag.charCodeAt(c);
    dv.setUint32(entry + 4, checksum(t.data));
    dv.setUint32(entry + 8, offset);
    dv.setUint32(entry + 12, t.data.length);
    out.set(t.data, offset);
    if (t.tag === 'head') headOffset = offset;
    offset += padded(t.data.length);
  });
  dv.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0); // head.checkSumAdjustment
  return out;
}

export function stripHinting(font: Uint8Array): Uint8Array {
  const tables = readTables(font);
  const head = new Uint8Array(tables.get('head') as Uint8Array);
  const maxp = new Uint8Array(tables.get('maxp') as Uint8Array);
  const loca = view(tables.get('loca') as Uint8Array);
  const glyf = tables.get('glyf') as Uint8Array;
  const longLoca = view(head).getInt16(50) === 1;
  const glyphCount = view(maxp).getUint16(4);
  const at = (g: number) => (longLoca ? loca.getUint32(4 * g) : loca.getUint16(2 * g) * 2);

  const glyphs: Uint8Array[] = [];
  for (let g = 0; g < glyphCount; g += 1) glyphs.push(unhintGlyph(glyf.subarray(at(g), at(g + 1))));
  const newGlyf = new Uint8Array(glyphs.reduce((total, g) => total + padded(g.length), 0));
  const newLoca = new Uint8Array(4 * (glyphCount + 1));
  let offset = 0;
  glyphs.forEach((g, i) => {
    view(newLoca).setUint32(4 * i, offset);
    newGlyf.set(g, offset);
    offset += padded(g.length);
  });
  view(newLoca).setUint32(4 * glyphCount, offset);

  view(head).setUint32(8, 0); // checkSumAdjustment, recomputed over the new file
  view(head).setInt16(50, 1); // indexToLocFormat: long
  if (view(maxp).getUint32(0) === 0x00010000) {
    // maxp 1.0: no twilight zone, storage, functions, instructions or stack without the bytecode.
    const m = view(maxp);
    m.setUint16(14, 1); // maxZones
    for (const field of [16, 18, 20, 22, 24, 26]) m.setUint16(field, 0);
  }
  const replaced = new Map<string, Uint8Array>([
    ['head', head],
    ['maxp', maxp],
    ['loca', newLoca],
    ['glyf', newGlyf],
  ]);
  const out: Table[] = [];
  for (const [tag, data] of tables) if (!HINTING_TABLES.has(tag)) out.push({ tag, data: replaced.get(tag) ?? data });
  return writeFont(out);
}
