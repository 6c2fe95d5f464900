import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildCloudWeb } from '#infra/local/web-app';

/**
 * The JavaScript a browser loads for a face's first page, gzipped: its entry chunk and every chunk
 * it imports statically (Vite's manifest), not the ones loaded later on demand. Measured on the
 * cloud build, which is what citizens get (the local build adds only the local sign-in).
 */
interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}

export interface FirstLoad {
  page: string;
  files: string[];
  jsBytes: number;
  jsGzipKB: number;
  cssGzipKB: number;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

export function firstLoad(dist: string, entry: string): FirstLoad {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const c of chunk.css ?? []) css.add(c);
    for (const i of chunk.imports ?? []) visit(i);
  };
  if (!manifest[entry]) throw new Error(`no ${entry} in the web app's manifest`);
  visit(entry);
  const files = [...seen];
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  return {
    page: entry,
    files,
    jsBytes: files.reduce((n, f) => n + readFileSync(join(dist, f)).length, 0),
    jsGzipKB: kb(files.reduce((n, f) => n + gz(f), 0)),
    cssGzipKB: kb([...css].reduce((n, f) => n + gz(f), 0)),
  };
}

export async function webFirstLoads(): Promise<FirstLoad[]> {
  const dist = await buildCloudWeb();
  return [firstLoad(dist, 'index.html'), firstLoad(dist, 'ops/index.html')];
}
