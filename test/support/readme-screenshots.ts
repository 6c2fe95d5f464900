import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '#infra/local/local-paths';
import { SCREENSHOTS } from './browser.ts';

/**
 * `npm run screenshots`: the README's two pictures, one per face, are copies of what the browser
 * tests photograph (test/e2e/web-app.test.ts and web-workspace-refusals.test.ts write every page
 * at 360 and 1280 px into .local/screenshots/). The npm script runs those two files first, so the
 * pictures show the app as it is; run alone (`npx tsx test/support/readme-screenshots.ts`) this
 * copies the last run's.
 * It refuses when a picture is missing or the README no longer shows a target, so the list below
 * and the README cannot drift apart.
 */
const README_SCREENSHOTS = [
  // A callback's page: the code from the SMS with the attempts left, the claim, the history.
  { from: 'citizen-confirm-1280.png', to: 'docs/screenshots/citizen.png' },
  // «Входящие» on the local clock moved a month on: overdue requests marked, a fresh one not.
  { from: 'ops-inbox-overdue-1280.png', to: 'docs/screenshots/operator.png' },
] as const;

function main(): void {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const problems = README_SCREENSHOTS.flatMap(({ from, to }) => [
    ...(existsSync(join(SCREENSHOTS, from)) ? [] : [`${relative(REPO_ROOT, join(SCREENSHOTS, from))} is missing: run npm run screenshots`]),
    ...(readme.includes(`](${to})`) ? [] : [`README.md does not show ${to}`]),
  ]);
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(1);
  }
  for (const { from, to } of README_SCREENSHOTS) {
    const source = join(SCREENSHOTS, from);
    copyFileSync(source, join(REPO_ROOT, to));
    process.stdout.write(`${to} ← .local/screenshots/${from} (taken ${statSync(source).mtime.toISOString()})\n`);
  }
}

main();
