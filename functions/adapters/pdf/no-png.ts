/**
 * Stand-in for `@pdf-lib/upng` in Lambda bundles (esbuild `alias`, infra/bundling.ts): pdf-lib needs
 * it only to embed PNG images (~25 KB of bundle); the transcript has none. Fails loudly if used.
 */
const LEFT_OUT = () => {
  throw new Error('PNG embedding is left out of this bundle (@pdf-lib/upng).');
};

export default { decode: LEFT_OUT, toRGBA8: LEFT_OUT };
