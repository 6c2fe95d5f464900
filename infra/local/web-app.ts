import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, relative, sep } from 'node:path';
import { WEB_DIR, WEB_DIST, WEB_DIST_CLOUD } from '../web-paths.ts';
import { REPO_ROOT } from './local-paths.ts';

/**
 * The web app in the local runtime: `npm start` builds it (Vite, web/vite.config.ts) when its build
 * is missing or older than any of its sources, then serves the files at `/` (the citizen's pages)
 * and `/ops/` (the operator's workspace), each page path falling back to its face's index.html.
 */
/** In a build: the newest source's mtime when it was built. */
const STAMP_FILE = '.built-from';
const LOCK = join(REPO_ROOT, '.local', 'web-build.lock');

/** Where the staleness rule looks: the app's directory, its two builds, and the lock file of its dependencies. */
export interface WebTree {
  dir: string;
  dist: string;
  distCloud: string;
  dependencies: string;
}
const WEB_TREE: WebTree = { dir: WEB_DIR, dist: WEB_DIST, distCloud: WEB_DIST_CLOUD, dependencies: join(REPO_ROOT, 'package-lock.json') };

/** What the build reads: the app's own files, its config and the lock file (a dependency change). */
function newestSource(tree: WebTree, dir = tree.dir): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Builds (web/dist, web/dist-cloud, a build in progress) are outputs, not sources.
      if (path === tree.dist || path === tree.distCloud || entry.name.startsWith('.dist-') || entry.name === 'node_modules') continue;
      newest = Math.max(newest, newestSource(tree, path));
    } else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function sourcesMtime(tree: WebTree = WEB_TREE): number {
  return Math.max(newestSource(tree), statSync(tree.dependencies).mtimeMs);
}

export { WEB_DIST };

/** Whether the build's stamp (the newest source it was built from) is as new as every source now. */
export function webBuildIsCurrent(tree: WebTree = WEB_TREE): boolean {
  const stamp = join(tree.dist, STAMP_FILE);
  if (!existsSync(stamp)) return false;
  return Number(readFileSync(stamp, 'utf8')) >= sourcesMtime(tree);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One build at a time across processes (the e2e tests start several `npm start` at once). */
async function withLock<T>(fn: () => Promise<T>, deadlineMs = 180_000): Promise<T> {
  mkdirSync(join(REPO_ROOT, '.local'), { recursive: true });
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(LOCK, 'utf8') || 0);
      // A lock left by a process that died mid-build is taken over.
      if (holder > 0 && !alive(holder)) rmSync(LOCK, { force: true });
      else if (Date.now() > deadline) throw new Error(`the web build lock ${LOCK} is held by process ${holder}`);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

/** The cloud build (no local sign-in: `--mode cloud`) into web/dist-cloud, which the CDK deploys. */
export async function buildCloudWeb(): Promise<string> {
  const { build } = await import('vite');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, mode: 'cloud', logLevel: 'warn', build: { outDir: WEB_DIST_CLOUD, emptyOutDir: true } });
  return WEB_DIST_CLOUD;
}

/**
 * Builds web/dist unless it is current. The build goes to a directory of its own and replaces
 * web/dist in one rename, so a server reading web/dist never sees half a build.
 */
export async function ensureWebBuild(log: (line: string) => void = () => undefined, force = false): Promise<'current' | 'built'> {
  if (!force && webBuildIsCurrent()) return 'current';
  return withLock(async () => {
    if (!force && webBuildIsCurrent()) return 'current';
    const startedAt = Date.now();
    const sources = sourcesMtime();
    const outDir = join(WEB_DIR, `.dist-${process.pid}`);
    log(force ? 'building the web app…' : 'building the web app (web/ changed since the last build)…');
    const { build } = await import('vite');
    await build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    writeFileSync(join(outDir, STAMP_FILE), String(sources));
    const old = join(WEB_DIR, `.dist-old-${process.pid}`);
    if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
    renameSync(outDir, WEB_DIST);
    rmSync(old, { recursive: true, force: true });
    log(`web app built in ${Date.now() - startedAt} ms`);
    return 'built';
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Serves web/dist: a file by its path; any other GET below `/ops/` is the workspace's index.html,
 * any other the citizen's (the apps route in the browser). `headers` go on every HTML answer (the
 * Content-Security-Policy of web/security-headers.ts).
 */
export function webFiles(htmlHeaders: Record<string, string>) {
  return async (method: string, pathname: string): Promise<StaticReply | undefined> => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    const file = normalize(join(WEB_DIST, decoded));
    const inside = !relative(WEB_DIST, file).startsWith('..') && !decoded.includes('\0');
    const isFile = inside && !relative(WEB_DIST, file).split(sep).some((p) => p.startsWith('.')) && existsSync(file) && statSync(file).isFile();
    const path = isFile ? file : join(WEB_DIST, pathname === '/ops' || pathname.startsWith('/ops/') ? 'ops' : '', 'index.html');
    if (!isFile && extname(decoded) !== '' && extname(decoded) !== '.html') return { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('not found') };
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      return { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('the web app is not built') };
    }
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    const html = type.startsWith('text/html');
    return {
      status: 200,
      headers: {
        'content-type': type,
        // Hashed asset names never change content; the pages must be fetched afresh.
        'cache-control': html ? 'no-cache' : 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        ...(html ? htmlHeaders : {}),
      },
      body,
    };
  };
}
