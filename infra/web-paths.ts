import { join } from 'node:path';
import { REPO_ROOT } from './local/local-paths.ts';

/** Where the web app's sources and builds live: web/dist (local, with the local sign-in), web/dist-cloud (what the CDK deploys). */
export const WEB_DIR = join(REPO_ROOT, 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');
export const WEB_DIST_CLOUD = join(WEB_DIR, 'dist-cloud');
