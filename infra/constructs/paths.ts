import { fileURLToPath } from 'node:url';

/** The repository root: entries in infra/functions.ts and infra/workflows.ts are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
