/**
 * Stand-in for `@pdf-lib/standard-fonts` in Lambda bundles (esbuild `alias`, infra/bundling.ts).
 * That package holds the metrics and encodings of the 14 standard PDF fonts (~127 KB of bundle),
 * and inflates every encoding when it is imported. The transcript draws only with its embedded
 * PT Sans (Latin-only standard fonts cannot write Russian), so pdf-lib needs just the font names.
 * A bundle with this stand-in fails loudly if a standard font is ever embedded.
 */
export enum FontNames {
  Courier = 'Courier',
  CourierBold = 'Courier-Bold',
  CourierOblique = 'Courier-Oblique',
  CourierBoldOblique = 'Courier-BoldOblique',
  Helvetica = 'Helvetica',
  HelveticaBold = 'Helvetica-Bold',
  HelveticaOblique = 'Helvetica-Oblique',
  HelveticaBoldOblique = 'Helvetica-BoldOblique',
  TimesRoman = 'Times-Roman',
  TimesRomanBold = 'Times-Bold',
  TimesRomanItalic = 'Times-Italic',
  TimesRomanBoldItalic = 'Times-BoldItalic',
  Symbol = 'Symbol',
  ZapfDingbats = 'ZapfDingbats',
}

const LEFT_OUT = 'The standard PDF fonts are left out of this bundle (@pdf-lib/standard-fonts): embed a TrueType font instead.';

export const Encodings: Record<string, never> = new Proxy({} as Record<string, never>, {
  get() {
    throw new Error(LEFT_OUT);
  },
});

export const Font = {
  load(): never {
    throw new Error(LEFT_OUT);
  },
};
