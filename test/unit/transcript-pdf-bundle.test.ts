import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSCRIPT_FONT, type TranscriptInput, loadTranscriptFont, renderTranscriptPdf } from '#adapters/pdf/transcript-pdf';
import { TRANSCRIPT_FONT_BUILDER } from '#adapters/pdf/transcript-font';
import { ESBUILD_OPTIONS } from '#infra/bundling';

/**
 * The renderer as a Lambda bundle would run it: built with the project's one set of esbuild
 * options, run by plain `node` from a folder with no node_modules, the font asset written next to
 * the bundle by the build step the CDK build runs (the same command). The bytes must equal those
 * of the source run, which builds the asset in-process.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'functions/adapters/pdf/transcript-pdf.ts');

/** What the CDK build's afterBundling hook runs for this file (infra/constructs/service-function.ts). */
function buildFontAsset(dir: string): void {
  execFileSync(process.execPath, ['--import', 'tsx', TRANSCRIPT_FONT_BUILDER, join(dir, TRANSCRIPT_FONT.fileName)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

const out = mkdtempSync(join(tmpdir(), 'transcript-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const INPUT: TranscriptInput = {
  requestNumber: 'СЦ-2026-0000777',
  callId: 'call-bundle-1',
  startedAt: '2026-03-02T09:00:00.000Z',
  operatorId: 'op-7',
  waitSeconds: 65,
  durationSeconds: 300,
  lines: [
    { at: '2026-03-02T09:00:03.000Z', speaker: 'operator', text: 'Здравствуйте, чем могу помочь?' },
    { at: '2026-03-02T09:00:09.000Z', speaker: 'citizen', text: 'Не приходит код подтверждения.' },
  ],
};

const RUNNER = `
import { writeFileSync } from 'node:fs';
const [bundle, input, output] = process.argv.slice(2);
const { renderTranscriptPdf } = await import(bundle);
const pdf = await renderTranscriptPdf(JSON.parse(input));
writeFileSync(output, pdf);
`;

async function bundleInto(name: string): Promise<{ dir: string; file: string; size: number; inputs: string[] }> {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  const { metafile } = await build({ ...ESBUILD_OPTIONS, entryPoints: [ENTRY], outfile: file, logLevel: 'silent', metafile: true });
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  return { dir, file, size: statSync(file).size, inputs: Object.keys(metafile.inputs) };
}

function runBundle(dir: string): Uint8Array {
  const output = join(dir, 'out.pdf');
  execFileSync(process.execPath, [join(dir, 'runner.mjs'), join(dir, 'index.mjs'), JSON.stringify(INPUT), output], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return readFileSync(output);
}

let fromSource: Uint8Array;
beforeAll(async () => {
  fromSource = await renderTranscriptPdf(INPUT, await loadTranscriptFont());
});

describe('transcript renderer in a Lambda bundle', () => {
  it('runs from the bundle with the font asset next to it and gives the same bytes as the source', async () => {
    const b = await bundleInto('slim');
    buildFontAsset(b.dir);
    const pdf = runBundle(b.dir);
    expect(Buffer.from(pdf).equals(Buffer.from(fromSource))).toBe(true);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(b.dir, 'out.pdf'), '-'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
    expect(text).toContain('12:00:09 Гражданин: Не приходит код подтверждения.');
    // No font parser in the bundle: fontkit and what it pulls in (brotli, restructure, the shapers) are build-time only; nor pdf-lib's compressor (pako).
    expect(b.inputs.filter((i) => /node_modules\/(fontkit|brotli|restructure|unicode-properties|unicode-trie|dfa|@swc\/helpers|pako)\//.test(i))).toEqual([]);
    expect(b.inputs.some((i) => i.includes('node_modules/pdf-lib/'))).toBe(true);
    expect(b.size).toBeLessThan(600 * 1024); // the transcript's budget (npm run bench)
  });

  it('without the font asset next to it, the bundle fails and names the file to ship', async () => {
    const bare = await bundleInto('bare');
    let message = '';
    try {
      runBundle(bare.dir);
    } catch (error) {
      message = String((error as { stderr?: Buffer }).stderr ?? error);
    }
    expect(message).toContain(`Transcript font not found: put ${TRANSCRIPT_FONT.fileName} next to the bundle`);
  });

  it('leaves pdf-lib\'s standard fonts and PNG decoder out, and a bundle that reaches for them fails loudly', async () => {
    const dir = join(out, 'standard-font');
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, "import { PDFDocument, StandardFonts } from 'pdf-lib';\nexport const tryIt = async () => (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);\n");
    const file = join(dir, 'index.mjs');
    await build({ ...ESBUILD_OPTIONS, entryPoints: [entry], outfile: file, logLevel: 'silent', nodePaths: [join(ROOT, 'node_modules')] });
    const bundled = readFileSync(file, 'utf8');
    expect(bundled).not.toContain('Helvetica-BoldOblique.compressed');
    const run = `const { tryIt } = await import(${JSON.stringify(file)}); await tryIt().then(() => console.log('embedded'), (e) => console.log(e.message));`;
    const said = execFileSync(process.execPath, ['--input-type=module', '-e', run], { cwd: dir, encoding: 'utf8' });
    expect(said).toContain('standard PDF fonts are left out of this bundle');
  });
});
