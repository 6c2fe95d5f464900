import * as fontkit from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

/**
 * pdf-lib's font engine, backed by upstream `fontkit` 2.x instead of `@pdf-lib/fontkit` 1.1.1.
 *
 * Why: @pdf-lib/fontkit is an unmaintained fork of fontkit 1.7 whose TrueType subsetter writes
 * the `loca` table in the short format without padding glyph records to even lengths, so glyphs
 * after the first odd-length one are garbage: with PT Sans almost every Cyrillic letter rendered
 * blank in poppler, while pdftotext still "read" the text (fixed upstream in fontkit 1.8,
 * foliojs/fontkit#191). Upstream fontkit subsets correctly; pdf-lib accepts any object with a
 * compatible `create()`. The only API gap: pdf-lib reads a subset through `encodeStream()`
 * (a Node stream in fontkit 1.x), which fontkit 2 replaced with `encode()` → Uint8Array.
 */
type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

interface MiniStream {
  on(event: 'data' | 'end' | 'error', handler: (value?: unknown) => void): MiniStream;
}

/** The one-chunk stream pdf-lib's subset embedder listens to ('data', then 'end'). */
function streamOf(bytes: Uint8Array): MiniStream {
  const handlers = new Map<string, (value?: unknown) => void>();
  const stream: MiniStream = {
    on(event, handler) {
      handlers.set(event, handler);
      return stream;
    },
  };
  queueMicrotask(() => {
    handlers.get('data')?.(bytes);
    handlers.get('end')?.();
  });
  return stream;
}

export const upstreamFontkit = {
  create(bytes: Uint8Array) {
    const font = fontkit.create(bytes as Buffer);
    if (!('createSubset' in font)) throw new TypeError('Font collections (.ttc/.dfont) are not supported: pass a single font.');
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      return Object.assign(subset, { encodeStream: () => streamOf(subset.encode()) });
    };
    return font;
  },
} as unknown as PdfLibFontkit;

/** The PostScript name of a font file (for naming its subset), or undefined for a collection. */
export function postscriptNameOf(bytes: Uint8Array): string | undefined {
  const font = fontkit.create(bytes as Buffer);
  return 'postscriptName' in font ? font.postscriptName : undefined;
}
