import { spawnSync } from 'node:child_process';

/** DynamoDB Local is Amazon's Java emulator: it needs a Java 17+ runtime on the PATH. */
export const JAVA_INSTALL_HINT =
  'DynamoDB Local needs a Java runtime (17 or newer). On Debian/Ubuntu: sudo apt-get install -y default-jre-headless';

export function checkJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) throw new Error(`Java was not found. ${JAVA_INSTALL_HINT}`);
  const text = `${out.stderr}${out.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= 17)) throw new Error(`Java ${Number.isNaN(major) ? '(unknown version)' : major} is too old. ${JAVA_INSTALL_HINT}`);
}
