import * as fontkit from 'fontkit';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import { stripHinting } from './truetype-hinting.ts';
import {
  TRANSCRIPT_CHARACTER_BLOCKS,
  TRANSCRIPT_FALLBACK,
  TRANSCRIPT_FONT,
  TRANSCRIPT_FONT_ASSET_FORMAT,
  type TranscriptFontAsset,
} from './transcript-font.ts';

/**
 * BUILD TIME ONLY: never imported by a Lambda (fontkit, ~237 KB of JavaScript, stays out of the
 * bundle). Subsets PT Sans to the characters of TRANSCRIPT_CHARACTER_BLOCKS with fontkit, drops
 * the hinting (truetype-hinting.ts) and writes what the renderer needs as one JSON asset.
 *
 * Run by the CDK build beside the transcript bundle (infra/functions.ts `built`):
 *   node --import tsx functions/adapters/pdf/transcript-font-build.ts <output file>
 * Source runs (tests, the local runtime) build the same asset in-process through
 * loadTranscriptFont. The output depends only on the font file: same font, same bytes.
 */

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface TtfTables {
  post: { isFixedPitch: number };
  head: { macStyle: { italic: boolean } };
}

/** The code points of the blocks the font has a glyph for, ascending. */
export function transcriptCodePoints(font: fontkit.Font): number[] {
  const out: number[] = [];
  for (const [from, to] of TRANSCRIPT_CHARACTER_BLOCKS) for (let cp = from; cp <= to; cp += 1) if (font.hasGlyphForCodePoint(cp)) out.push(cp);
  return out;
}

export function buildTranscriptFontAsset(ttf: Uint8Array, version: string): TranscriptFontAsset {
  const font = fontkit.create(Buffer.from(ttf));
  if (!('createSubset' in font)) throw new TypeError('a font collection: pass a single TrueType font');
  if ((font as unknown as { cff?: unknown }).cff) throw new TypeError('a CFF-flavoured OpenType font: the asset embeds TrueType outlines (FontFile2)');
  const codePoints = transcriptCodePoints(font);
  for (const ch of [TRANSCRIPT_FALLBACK, ' ']) {
    if (!codePoints.includes(ch.codePointAt(0) as number)) throw new Error(`the font has no glyph for ${JSON.stringify(ch)}, which the renderer needs`);
  }

  const scale = 1000 / font.unitsPerEm;
  const subset = font.createSubset();
  const glyphs: TranscriptFontAsset['glyphs'] = codePoints.map((cp) => {
    const glyph = font.glyphForCodePoint(cp);
    // includeGlyph returns the glyph's id in the subset (typed as boolean in @types/fontkit).
    const subsetId = subset.includeGlyph(glyph) as unknown as number;
    return [cp, subsetId, glyph.id, glyph.advanceWidth * scale];
  });
  const file = stripHinting(subset.encode());

  const tables = font as unknown as TtfTables;
  const familyClass = font['OS/2']?.sFamilyClass ?? 0;
  // The flags pdf-lib derives (after pdfkit): symbolic, as every embedded CID font is marked.
  const flags = (tables.post.isFixedPitch ? 1 : 0) | (familyClass >= 1 && familyClass <= 7 ? 2 : 0) | 4 | (familyClass === 10 ? 8 : 0) | (tables.head.macStyle.italic ? 64 : 0);
  const { minX, minY, maxX, maxY } = font.bbox;
  return {
    format: TRANSCRIPT_FONT_ASSET_FORMAT,
    source: { packageName: TRANSCRIPT_FONT.packageName, version, file: TRANSCRIPT_FONT.packageFile, sha256: sha256(ttf), license: TRANSCRIPT_FONT.license },
    postscriptName: font.postscriptName,
    descriptor: {
      flags,
      fontBBox: [minX * scale, minY * scale, maxX * scale, maxY * scale],
      italicAngle: font.italicAngle,
      ascent: font.ascent * scale,
      descent: font.descent * scale,
      capHeight: (font.capHeight || font.ascent) * scale,
      xHeight: (font.xHeight || 0) * scale,
    },
    glyphs,
    fontFile: { length1: file.length, sha256: sha256(file), deflatedBase64: deflateSync(file, { level: 9 }).toString('base64') },
  };
}

/** The font file inside the npm package and the package's version, resolved from here. */
export function transcriptFontSource(): { path: string; version: string } {
  const require = createRequire(import.meta.url);
  const path = require.resolve(`${TRANSCRIPT_FONT.packageName}/${TRANSCRIPT_FONT.packageFile}`);
  const { version } = JSON.parse(readFileSync(require.resolve(`${TRANSCRIPT_FONT.packageName}/package.json`), 'utf8')) as { version: string };
  return { path, version };
}

/** The asset built from the installed npm package. */
export function buildTranscriptFontAssetFromPackage(): TranscriptFontAsset {
  const { path, version } = transcriptFontSource();
  return buildTranscriptFontAsset(new Uint8Array(readFileSync(path)), version);
}

export const serializeTranscriptFontAsset = (asset: TranscriptFontAsset) => `${JSON.stringify(asset)}\n`;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const output = process.argv[2];
  if (!output) {
    console.error('usage: node --import tsx functions/adapters/pdf/transcript-font-build.ts <output file>');
    process.exit(2);
  }
  mkdirSync(dirname(resolve(output)), { recursive: true });
  writeFileSync(output, serializeTranscriptFontAsset(buildTranscriptFontAssetFromPackage()));
}
