/**
 * Stand-in for `pako` in Lambda bundles (esbuild `alias`, infra/bundling.ts). pdf-lib compresses
 * streams with it (~48 KB of bundle, inflate included); the transcript writes its streams already
 * compressed by Node's zlib (cid-font.ts `deflatedStream`) and saves without object streams, so
 * pdf-lib never calls it. Fails loudly if something does.
 */
const LEFT_OUT = () => {
  throw new Error("pako is left out of this bundle: compress with node:zlib (deflatedStream) and save with { useObjectStreams: false }.");
};

export default { deflate: LEFT_OUT, inflate: LEFT_OUT };
