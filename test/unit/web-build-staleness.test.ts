import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebTree, webBuildIsCurrent } from '#infra/local/web-app';

/**
 * `npm start` rebuilds the web app when its build is older than any of its sources
 * (infra/local/web-app.ts). The rule, on a tree of its own: the stamp a build leaves against the
 * newest mtime among the app's files and the dependencies' lock file; builds are not sources.
 */
let root: string;
let tree: WebTree;
const T0 = new Date('2026-01-01T00:00:00Z');

function file(path: string, at: Date) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  utimesSync(path, at, at);
}
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const stamp = (at: Date) => writeFileSync(join(tree.dist, '.built-from'), String(at.getTime()));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'web-tree-'));
  tree = { dir: join(root, 'web'), dist: join(root, 'web', 'dist'), distCloud: join(root, 'web', 'dist-cloud'), dependencies: join(root, 'package-lock.json') };
  file(join(tree.dir, 'citizen', 'app.tsx'), T0);
  file(join(tree.dir, 'vite.config.ts'), T0);
  file(tree.dependencies, T0);
  mkdirSync(tree.dist, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the web build is current until a source is newer than it', () => {
  it('is stale with no build, or a build without its stamp', () => {
    rmSync(tree.dist, { recursive: true });
    expect(webBuildIsCurrent(tree)).toBe(false);
    mkdirSync(tree.dist);
    file(join(tree.dist, 'index.html'), later(5));
    expect(webBuildIsCurrent(tree)).toBe(false);
  });

  it('is current when stamped with the newest source, and stale once a nested source changes after', () => {
    stamp(T0);
    expect(webBuildIsCurrent(tree)).toBe(true);
    utimesSync(join(tree.dir, 'citizen', 'app.tsx'), later(1), later(1));
    expect(webBuildIsCurrent(tree)).toBe(false);
    stamp(later(1));
    expect(webBuildIsCurrent(tree)).toBe(true);
  });

  it('is stale when a new source file appears, or the dependencies change', () => {
    stamp(T0);
    file(join(tree.dir, 'shared', 'deep', 'new.ts'), later(2));
    expect(webBuildIsCurrent(tree)).toBe(false);
    stamp(later(2));
    utimesSync(tree.dependencies, later(3), later(3));
    expect(webBuildIsCurrent(tree)).toBe(false);
  });

  it('does not count the builds, a build in progress or node_modules as sources', () => {
    stamp(T0);
    file(join(tree.dist, 'assets', 'index.js'), later(10));
    file(join(tree.distCloud, 'index.html'), later(10));
    file(join(tree.dir, '.dist-1234', 'index.html'), later(10));
    file(join(tree.dir, 'node_modules', 'x', 'index.js'), later(10));
    expect(webBuildIsCurrent(tree)).toBe(true);
  });

  it('is stale when the stamp is not a number', () => {
    writeFileSync(join(tree.dist, '.built-from'), 'garbage');
    expect(webBuildIsCurrent(tree)).toBe(false);
  });
});
