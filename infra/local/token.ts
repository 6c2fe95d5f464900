import { parseArgs } from 'node:util';
import { signLocalToken } from './jwt-keys.ts';

/**
 * `npm run --silent token -- --sub ID [--roles citizen,operator,admin] [--ttl 3600]`: prints a JWT
 * the local API accepts (for an hour by default) and nothing else on stdout.
 */
const ROLES = ['citizen', 'operator', 'admin'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sub: { type: 'string' }, roles: { type: 'string', default: 'citizen' }, ttl: { type: 'string', default: '3600' } },
    strict: true,
  });
  if (!values.sub) throw new Error('usage: npm run --silent token -- --sub ID [--roles citizen,operator,admin] [--ttl SECONDS]');
  const roles = values.roles.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length > 0) throw new Error(`unknown role(s): ${unknown.join(', ')}; use ${ROLES.join(', ')}`);
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive whole number of seconds');
  process.stdout.write(`${await signLocalToken(values.sub, roles, ttl)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
});
