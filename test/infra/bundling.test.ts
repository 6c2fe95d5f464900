import { type BuildOptions, build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTranscriptFontAssetFromPackage, serializeTranscriptFontAsset } from '../../functions/adapters/pdf/transcript-font-build.ts';
import { TRANSCRIPT_FONT } from '../../functions/adapters/pdf/transcript-font.ts';
import { ESBUILD_OPTIONS, NODEJS_BUNDLING } from '../../infra/bundling.ts';
import { afterBundlingCommands } from '../../infra/constructs/service-function.ts';
import { FUNCTIONS } from '../../infra/functions.ts';
import { REPO } from './support.ts';

const out = mkdtempSync(join(tmpdir(), 'support-center-bundling-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const ERRORS_ENTRY = `${REPO}functions/core/errors.ts`;
const CAUGHT_BY_NAME = ['NotFoundError', 'StaleTransitionError', 'SmsSendError'];

async function errorNamesAfterBundling(options: BuildOptions, file: string) {
  await build({ ...options, entryPoints: [ERRORS_ENTRY], outfile: join(out, file), logLevel: 'silent' });
  const mod = (await import(pathToFileURL(join(out, file)).href)) as Record<string, new (...args: any[]) => Error>;
  return Object.fromEntries(CAUGHT_BY_NAME.map((name) => [name, new mod[name]!('probe').name]));
}

describe('bundling options shared by CDK and the benchmark', () => {
  it('CDK and esbuild forms say the same thing', () => {
    expect(NODEJS_BUNDLING.format).toBe(ESBUILD_OPTIONS.format);
    expect(NODEJS_BUNDLING.target).toBe(ESBUILD_OPTIONS.target);
    expect(NODEJS_BUNDLING.minify).toBe(ESBUILD_OPTIONS.minify);
    expect(NODEJS_BUNDLING.sourceMap).toBe(ESBUILD_OPTIONS.sourcemap);
    expect(NODEJS_BUNDLING.keepNames).toBe(true);
    expect(ESBUILD_OPTIONS.keepNames).toBe(true);
    expect(NODEJS_BUNDLING.mainFields).toEqual(ESBUILD_OPTIONS.mainFields);
    expect(NODEJS_BUNDLING.banner).toBe(ESBUILD_OPTIONS.banner.js);
    expect(NODEJS_BUNDLING.externalModules).toEqual(ESBUILD_OPTIONS.external);
    expect(ESBUILD_OPTIONS.banner.js).toContain('createRequire(import.meta.url)');
  });

  it('a minified bundle keeps the error class names the state machines catch', async () => {
    const names = await errorNamesAfterBundling(ESBUILD_OPTIONS, 'kept.mjs');
    expect(names).toEqual(Object.fromEntries(CAUGHT_BY_NAME.map((n) => [n, n])));
    expect(readFileSync(join(out, 'kept.mjs'), 'utf8').startsWith(ESBUILD_OPTIONS.banner.js)).toBe(true);
  });

  it('without keepNames they would be mangled (why the option is required)', async () => {
    const names = await errorNamesAfterBundling({ ...ESBUILD_OPTIONS, keepNames: false }, 'mangled.mjs');
    expect(Object.entries(names).some(([cls, name]) => cls !== name)).toBe(true);
  });
});

describe('files beside a bundle (the CDK afterBundling hook)', () => {
  it("the transcript function's hook writes the font asset beside the bundle, the same the source run builds", () => {
    const bundleDir = join(out, 'asset-output');
    mkdirSync(bundleDir, { recursive: true });
    const commands = afterBundlingCommands(FUNCTIONS.httpTranscript, REPO.replace(/\/$/, ''), bundleDir);
    expect(commands).toHaveLength(1);
    for (const command of commands) execFileSync('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(readdirSync(bundleDir)).toEqual([TRANSCRIPT_FONT.fileName]);
    expect(readFileSync(join(bundleDir, TRANSCRIPT_FONT.fileName), 'utf8')).toBe(serializeTranscriptFontAsset(buildTranscriptFontAssetFromPackage()));
  });
});
