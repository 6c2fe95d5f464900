/**
 * The transcript's font and where it comes from, in one place: the renderer's resolver
 * (loadTranscriptFont), the build step that makes the font asset (transcript-font-build.ts, run by
 * the CDK build through infra/functions.ts `built`) and the tests all read it from here. No
 * dependencies, so infra code can import it.
 *
 * The Lambda never parses the font: PT Sans is subset at build time to TRANSCRIPT_CHARACTER_BLOCKS
 * and shipped as one JSON asset beside the bundle, holding what the PDF needs (the subset font
 * file, the code point → glyph map, the widths, the descriptor's metrics). See docs/DESIGN.md
 * "Bundles and cold starts".
 */
export const TRANSCRIPT_FONT = {
  packageName: '@expo-google-fonts/pt-sans',
  packageFile: '400Regular/PTSans_400Regular.ttf',
  /** A bundle ships the built asset under this name next to its entry file (see loadTranscriptFont). */
  fileName: 'transcript-font.json',
  license: 'OFL-1.1',
} as const;

/** The build step, as a repository path: `node --import tsx <it> <output file>` writes the asset. */
export const TRANSCRIPT_FONT_BUILDER = 'functions/adapters/pdf/transcript-font-build.ts';

/**
 * The Unicode blocks a transcript can hold: every character PT Sans has in them goes into the
 * subset, any other character is drawn as TRANSCRIPT_FALLBACK. Russian and the other Cyrillic
 * languages of Russia, Latin with the accents of European names, digits, punctuation (the
 * masking `*` included), quotes and dashes, currency signs, `№`, the common math signs.
 */
export const TRANSCRIPT_CHARACTER_BLOCKS: readonly (readonly [from: number, to: number, name: string])[] = [
  [0x0020, 0x007e, 'Basic Latin (printable)'],
  [0x00a0, 0x00ff, 'Latin-1 Supplement'],
  [0x0100, 0x017f, 'Latin Extended-A'],
  [0x0400, 0x04ff, 'Cyrillic'],
  [0x0500, 0x052f, 'Cyrillic Supplement'],
  [0x2000, 0x206f, 'General Punctuation'],
  [0x20a0, 0x20cf, 'Currency Symbols'],
  [0x2100, 0x214f, 'Letterlike Symbols'],
  [0x2200, 0x22ff, 'Mathematical Operators'],
];

/** What a character outside the subset becomes: visibly replaced, never silently dropped. */
export const TRANSCRIPT_FALLBACK = '?';

/** Format of the asset; the renderer refuses any other (a stale or foreign file). */
export const TRANSCRIPT_FONT_ASSET_FORMAT = 1;

/**
 * The built asset (JSON). Lengths are in PDF glyph space (1/1000 of the em). A glyph's CID in the
 * PDF is its index in `glyphs` plus 1 (CID 0 is .notdef), so every code point has its own CID
 * even where two share a glyph, and text extraction maps each back to exactly one character.
 */
export interface TranscriptFontAsset {
  format: typeof TRANSCRIPT_FONT_ASSET_FORMAT;
  source: { packageName: string; version: string; file: string; sha256: string; license: string };
  postscriptName: string;
  descriptor: { flags: number; fontBBox: [number, number, number, number]; italicAngle: number; ascent: number; descent: number; capHeight: number; xHeight: number };
  /** Sorted by code point: [code point, glyph id in the subset, glyph id in the whole font, advance width]. */
  glyphs: [codePoint: number, subsetGlyphId: number, wholeGlyphId: number, width: number][];
  /** The subset TrueType file, zlib-deflated (a PDF FlateDecode stream as it is), base64. */
  fontFile: { length1: number; sha256: string; deflatedBase64: string };
}
