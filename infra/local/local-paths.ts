import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the local runtime keeps its files. `.local/` is git-ignored and never holds real secrets. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LOCAL_STATE_DIR = join(REPO_ROOT, '.local');

export function resolveFromRepo(path: string): string {
  return resolve(REPO_ROOT, path);
}

export function requireFile(path: string, hint: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
  return path;
}
