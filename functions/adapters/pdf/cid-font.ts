import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { type PDFContext, type PDFDocument, PDFHexString, type PDFRawStream, type PDFRef, PDFString } from 'pdf-lib';
import type { TranscriptFontAsset } from './transcript-font.ts';

/**
 * The transcript font in a PDF, from the prebuilt asset (transcript-font.ts) through pdf-lib's
 * low-level objects: no font parser at run time (pdf-lib's `embedFont` needs fontkit, ~237 KB).
 *
 * A Type0 font, Identity-H encoding, over a CIDFontType2: one CID per code point of the asset
 * (its index in `glyphs` + 1), a CIDToGIDMap stream from CID to the glyph in the embedded file,
 * a W array of the widths, a FontDescriptor with the TrueType file (FontFile2) and a ToUnicode
 * CMap from CID back to the code point, so extracted text is exactly what was drawn.
 *
 * `whole` embeds the whole font file the asset was built from instead of the subset, with the
 * same CIDs, widths and content streams: tests render both to catch a subset that draws wrong or
 * blank glyphs.
 */
export interface EmbeddedFont {
  ref: PDFRef;
  /** Whether a code point can be drawn. */
  has(codePoint: number): boolean;
  /** The text as CIDs for `Tj`; throws on a code point outside the font (clean text first). */
  encode(text: string): PDFHexString;
  widthOfTextAtSize(text: string, size: number): number;
}

/**
 * A FlateDecode stream compressed by Node's zlib. The transcript's streams never go through
 * pdf-lib's compressor (pako, ~48 KB of bundle, aliased out: infra/bundling.ts); zlib is in Node.
 */
export function deflatedStream(context: PDFContext, contents: string | Uint8Array, dict: Record<string, number> = {}): PDFRawStream {
  return context.stream(deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents), { ...dict, Filter: 'FlateDecode' });
}

interface Prepared {
  cidOf: Map<number, number>;
  widths: number[];
  subsetFile: Uint8Array;
  toUnicode: string;
}

const prepared = new WeakMap<TranscriptFontAsset, Prepared>();

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** bfchar entries, at most 100 to a block (the CMap limit). */
function toUnicodeCmap(codePoints: number[]): string {
  const entries = codePoints.map((cp, i) => {
    const utf16 = String.fromCodePoint(cp);
    let dst = '';
    for (let u = 0; u < utf16.length; u += 1) dst += hex4(utf16.charCodeAt(u));
    return `<${hex4(i + 1)}> <${dst}>`;
  });
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    blocks.push(`${block.length} beginbfchar\n${block.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

function prepare(asset: TranscriptFontAsset): Prepared {
  const known = prepared.get(asset);
  if (known) return known;
  const p: Prepared = {
    cidOf: new Map(asset.glyphs.map(([cp], i) => [cp, i + 1])),
    widths: asset.glyphs.map(([, , , width]) => width),
    subsetFile: new Uint8Array(Buffer.from(asset.fontFile.deflatedBase64, 'base64')),
    toUnicode: toUnicodeCmap(asset.glyphs.map(([cp]) => cp)),
  };
  prepared.set(asset, p);
  return p;
}

export function embedCidFont(doc: PDFDocument, asset: TranscriptFontAsset, options: { baseFontName: string; whole?: Uint8Array }): EmbeddedFont {
  const { context } = doc;
  const p = prepare(asset);
  const { whole } = options;
  if (whole && createHash('sha256').update(whole).digest('hex') !== asset.source.sha256) {
    throw new Error('embedCidFont: the whole font is not the file the asset was built from (SHA-256 differs)');
  }

  const fontFile = whole
    ? deflatedStream(context, whole, { Length1: whole.length })
    : context.stream(p.subsetFile, { Filter: 'FlateDecode', Length1: asset.fontFile.length1 });
  const gidColumn = whole ? 2 : 1;
  const cidToGid = new Uint8Array(2 * (asset.glyphs.length + 1)); // CID 0 → glyph 0 (.notdef)
  asset.glyphs.forEach((glyph, i) => {
    const gid = glyph[gidColumn] as number;
    cidToGid[2 * (i + 1)] = gid >> 8;
    cidToGid[2 * (i + 1) + 1] = gid & 0xff;
  });

  const d = asset.descriptor;
  const descriptor = context.obj({
    Type: 'FontDescriptor',
    FontName: options.baseFontName,
    Flags: d.flags,
    FontBBox: d.fontBBox,
    ItalicAngle: d.italicAngle,
    Ascent: d.ascent,
    Descent: d.descent,
    CapHeight: d.capHeight,
    XHeight: d.xHeight,
    StemV: 0,
    FontFile2: context.register(fontFile),
  });
  const cidFont = context.obj({
    Type: 'Font',
    Subtype: 'CIDFontType2',
    BaseFont: options.baseFontName,
    CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
    FontDescriptor: context.register(descriptor),
    W: [1, p.widths],
    CIDToGIDMap: context.register(deflatedStream(context, cidToGid)),
  });
  const type0 = context.obj({
    Type: 'Font',
    Subtype: 'Type0',
    BaseFont: options.baseFontName,
    Encoding: 'Identity-H',
    DescendantFonts: [context.register(cidFont)],
    ToUnicode: context.register(deflatedStream(context, p.toUnicode)),
  });
  const ref = context.register(type0);

  const cidsOf = (text: string): number[] =>
    Array.from(text, (ch) => {
      const cid = p.cidOf.get(ch.codePointAt(0) as number);
      if (cid === undefined) throw new RangeError(`the transcript font has no glyph for U+${hex4(ch.codePointAt(0) as number).toUpperCase()}`);
      return cid;
    });
  return {
    ref,
    has: (codePoint) => p.cidOf.has(codePoint),
    encode: (text) => PDFHexString.of(cidsOf(text).map(hex4).join('')),
    widthOfTextAtSize: (text, size) => (cidsOf(text).reduce((sum, cid) => sum + (p.widths[cid - 1] as number), 0) * size) / 1000,
  };
}
