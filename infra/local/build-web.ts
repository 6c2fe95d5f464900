import { buildCloudWeb, ensureWebBuild } from './web-app.ts';

/**
 * `npm run build:web`: the local build (web/dist, with the local sign-in), as `npm start` makes it;
 * `npm run build:web -- --cloud`: the cloud build (web/dist-cloud), which the CDK stack deploys.
 */
if (process.argv.includes('--cloud')) process.stdout.write(`built ${await buildCloudWeb()}\n`);
else await ensureWebBuild((line) => process.stdout.write(`${line}\n`), true);
