import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { keyFileAt, newKeyFile } from '#infra/local/jwt-keys';

/**
 * One racer of test/unit/local-key-file.test.ts: makes its key pair first (the slow part), says it
 * is ready, waits for the start file so that every racer reaches the key file at the same moment,
 * then prints the kid of the key it got.
 */
const [path, readyDir, startFile] = process.argv.slice(2) as [string, string, string];
const mine = await newKeyFile();
writeFileSync(`${readyDir}/${process.pid}`, '');
const deadline = Date.now() + 60_000;
while (!existsSync(startFile)) {
  if (Date.now() > deadline) throw new Error('the start file never came');
  await delay(1);
}
process.stdout.write((await keyFileAt(path, async () => mine)).kid);
