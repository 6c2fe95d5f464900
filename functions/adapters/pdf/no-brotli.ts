/**
 * Stand-in for `brotli/decompress.js` in Lambda bundles (esbuild `alias`). fontkit needs brotli
 * only to read WOFF2 fonts; the transcript font is a TrueType file, and the real decoder is
 * about 490 KB of the bundle. Bundles that alias it here fail loudly if a WOFF2 is ever passed.
 */
export default function decompress(): never {
  throw new Error('WOFF2 fonts are not supported in this bundle (brotli is left out): use a .ttf or .otf font.');
}
