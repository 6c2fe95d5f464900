import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildTranscriptFontAssetFromPackage, serializeTranscriptFontAsset, transcriptFontSource } from '#adapters/pdf/transcript-font-build';
import { TRANSCRIPT_CHARACTER_BLOCKS, TRANSCRIPT_FALLBACK } from '#adapters/pdf/transcript-font';
import { stripHinting } from '#adapters/pdf/truetype-hinting';

/**
 * The build step behind the transcript's font asset: the character set it takes from PT Sans, the
 * deterministic output, and the hinting it drops without touching an outline. (That the subset
 * draws what the whole font draws, in pixels, is test/unit/transcript-pdf.test.ts.)
 */

const whole = fontkit.create(readFileSync(transcriptFontSource().path)) as fontkit.Font;
const asset = buildTranscriptFontAssetFromPackage();
const inBlocks = (cp: number) => TRANSCRIPT_CHARACTER_BLOCKS.some(([from, to]) => cp >= from && cp <= to);

describe('transcript font asset', () => {
  it('holds exactly the characters of the blocks that PT Sans has: Russian, the Cyrillic of Russia, Latin, digits, punctuation, the masking *', () => {
    const expected = whole.characterSet.filter(inBlocks).sort((a, b) => a - b);
    expect(asset.glyphs.map(([cp]) => cp)).toEqual(expected);
    const has = new Set(expected);
    const required = `АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя ӘәӨөҮүҖҗҢңҺһ ABCxyz 0123456789 *?!.,:;-–—«»„“”№·€₽ éüçł`;
    for (const ch of required) expect(has.has(ch.codePointAt(0) as number), `missing ${ch}`).toBe(true);
    expect(has.has(TRANSCRIPT_FALLBACK.codePointAt(0) as number)).toBe(true);
    // PT Sans has these, the blocks do not: they are drawn as the fallback (see the renderer test).
    for (const ch of ['◊', 'ﬁ']) {
      expect(whole.hasGlyphForCodePoint(ch.codePointAt(0) as number)).toBe(true);
      expect(has.has(ch.codePointAt(0) as number)).toBe(false);
    }
  });

  it('maps every code point to the glyph and width of the whole font', () => {
    const subset = fontkit.create(inflateSync(Buffer.from(asset.fontFile.deflatedBase64, 'base64'))) as fontkit.Font;
    for (const [cp, subsetId, wholeId, width] of asset.glyphs) {
      const glyph = whole.glyphForCodePoint(cp);
      expect(wholeId).toBe(glyph.id);
      expect(width).toBe((glyph.advanceWidth * 1000) / whole.unitsPerEm);
      expect(subset.getGlyph(subsetId).path.toSVG(), `U+${cp.toString(16)}`).toBe(glyph.path.toSVG());
      expect(subset.getGlyph(subsetId).advanceWidth).toBe(glyph.advanceWidth);
    }
  });

  it('is the same bytes on every build', () => {
    expect(serializeTranscriptFontAsset(buildTranscriptFontAssetFromPackage())).toBe(serializeTranscriptFontAsset(asset));
  });
});

describe('stripHinting', () => {
  const subset = whole.createSubset();
  for (const cp of [0x41, 0x416, 0x401, 0x439, 0x2116]) subset.includeGlyph(whole.glyphForCodePoint(cp)); // А-like, Ж, Ё and й (composites), №
  const hinted = subset.encode();
  const stripped = stripHinting(hinted);

  it('drops the bytecode and its tables, keeps every outline and advance', () => {
    expect(stripped.length).toBeLessThan(hinted.length / 2);
    const before = fontkit.create(Buffer.from(hinted)) as fontkit.Font & { directory: { tables: Record<string, unknown> } };
    const after = fontkit.create(Buffer.from(stripped)) as fontkit.Font & { directory: { tables: Record<string, unknown> } };
    expect(Object.keys(before.directory.tables)).toEqual(expect.arrayContaining(['fpgm', 'prep', 'cvt ']));
    expect(Object.keys(after.directory.tables).sort()).toEqual(['glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp']);
    expect(after.numGlyphs).toBe(before.numGlyphs);
    for (let id = 0; id < before.numGlyphs; id += 1) {
      expect(after.getGlyph(id).path.toSVG()).toBe(before.getGlyph(id).path.toSVG());
      expect(after.getGlyph(id).advanceWidth).toBe(before.getGlyph(id).advanceWidth);
    }
  });

  it('writes valid checksums (each table, and the whole file to 0xB1B0AFBA)', () => {
    const dv = new DataView(stripped.buffer, stripped.byteOffset, stripped.byteLength);
    const sum = (from: number, length: number) => {
      let s = 0;
      for (let i = from; i < from + length; i += 4) s = (s + (i + 4 <= stripped.length ? dv.getUint32(i) : 0)) >>> 0;
      return s;
    };
    for (let t = 0; t < dv.getUint16(4); t += 1) {
      const entry = 12 + 16 * t;
      const tag = String.fromCharCode(...stripped.subarray(entry, entry + 4));
      const offset = dv.getUint32(entry + 8);
      const length = dv.getUint32(entry + 12);
      const expected = tag === 'head' ? (sum(offset, length) - dv.getUint32(offset + 8)) >>> 0 : sum(offset, length);
      expect(dv.getUint32(entry + 4), tag).toBe(expected);
    }
    expect(sum(0, stripped.length)).toBe(0xb1b0afba);
  });

  it('refuses what is not TrueType', () => {
    expect(() => stripHinting(new TextEncoder().encode('OTTO and more bytes'))).toThrow(/not a TrueType font/);
  });
});
