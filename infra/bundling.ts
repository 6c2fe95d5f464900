import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { REPO_ROOT } from './constructs/paths.ts';

/**
 * The one set of esbuild options for every Lambda bundle. CDK's NodejsFunction uses
 * `NODEJS_BUNDLING`; `npm run bench` passes `ESBUILD_OPTIONS` to esbuild's `build()`. Both are
 * derived from the same constants below, so what is measured is what is deployed.
 */

/** Node version the bundle targets; the Lambda runtime (NODEJS_LATEST) is at least this. */
export const BUNDLE_TARGET = 'node22';

/** ESM output still meets the odd CommonJS dependency that calls `require`: give it one. */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Prefer ES modules (tree-shaken, smaller) over CommonJS entry points. */
export const MAIN_FIELDS = ['module', 'main'];

/**
 * In Lambda the role's credentials are always in the environment: the SDK's full default chain
 * (SSO, INI, web identity, IMDS, ~140 KB) is replaced by the environment provider. See
 * functions/adapters/aws/lambda-credentials.ts and docs/DESIGN.md "Bundles and cold starts".
 */
export const ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': join(REPO_ROOT, 'functions/adapters/aws/lambda-credentials.ts'),
  // pdf-lib's 14 standard fonts (~127 KB, inflated at import) and PNG decoder (~25 KB): the
  // transcript uses neither (it embeds PT Sans and has no images).
  '@pdf-lib/standard-fonts': join(REPO_ROOT, 'functions/adapters/pdf/no-standard-fonts.ts'),
  '@pdf-lib/upng': join(REPO_ROOT, 'functions/adapters/pdf/no-png.ts'),
  // pdf-lib's compressor (pako, ~48 KB): the transcript compresses its streams with Node's zlib.
  pako: join(REPO_ROOT, 'functions/adapters/pdf/no-pako.ts'),
  // The SDK's event-stream codec (~15 KB in every bundle): no operation the project calls uses one.
  '@smithy/core/event-streams': join(REPO_ROOT, 'functions/adapters/aws/no-event-streams.ts'),
  // The DynamoDB client's endpoint-discovery cache (discovery off) on a Map, not mnemonist (~8 KB).
  'mnemonist/lru-cache': join(REPO_ROOT, 'functions/adapters/aws/small-lru-cache.ts'),
};

/** For aws-cdk-lib's NodejsFunction (`bundling`). */
export const NODEJS_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: BUNDLE_TARGET,
  minify: true,
  sourceMap: true,
  // REQUIRED: Step Functions Catch clauses match error class names (StaleTransitionError,
  // NotFoundError, SmsSendError); minification must not rename classes.
  keepNames: true,
  mainFields: MAIN_FIELDS,
  banner: ESM_REQUIRE_BANNER,
  esbuildArgs: Object.fromEntries(Object.entries(ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
  // Bundle everything, the AWS SDK included: its version is pinned by package-lock, not by the
  // runtime (NODEJS_LATEST bundles it anyway; saying so keeps CDK and the benchmark identical).
  externalModules: [],
  // esbuild's per-file size summary is ~6 lines a function on every synth; warnings and errors stay.
  logLevel: LogLevel.WARNING,
};

/** The same options for esbuild's `build()`; add entryPoints and outfile/outdir. */
export const ESBUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: BUNDLE_TARGET,
  minify: true,
  sourcemap: true,
  keepNames: true,
  mainFields: MAIN_FIELDS,
  banner: { js: ESM_REQUIRE_BANNER },
  alias: ALIASES,
  external: [],
} satisfies BuildOptions;
