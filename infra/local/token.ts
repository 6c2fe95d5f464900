import { parseArgs } from 'node:util';
import { QUEUE_NAMES } from '#core/routing/routing-table';
import { signLocalToken } from './jwt-keys.ts';

/**
 * `npm run --silent token -- --sub ID [--roles citizen,operator,admin] [--queues q1,q2|*] [--ttl 3600]`:
 * prints a JWT the local API accepts (for an hour by default) and nothing else on stdout. Staff
 * tokens carry the `scope` of their roles; an operator's carries `queues` (every queue, `*`, when
 * --queues is not given).
 */
const ROLES = ['citizen', 'operator', 'admin'];
const USAGE = 'usage: npm run --silent token -- --sub ID [--roles citizen,operator,admin] [--queues q1,q2|*] [--ttl SECONDS]';

function queuesOf(value: string | undefined, roles: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!roles.includes('operator')) throw new Error('--queues is for operator tokens (--roles operator)');
  const queues = value.split(',').map((q) => q.trim()).filter(Boolean);
  if (queues.length === 0) throw new Error(`--queues names no queue; use * or some of ${QUEUE_NAMES.join(', ')}`);
  const unknown = queues.filter((q) => q !== '*' && !QUEUE_NAMES.includes(q));
  if (unknown.length > 0) throw new Error(`unknown queue(s): ${unknown.join(', ')}; use * or some of ${QUEUE_NAMES.join(', ')}`);
  return queues.includes('*') ? ['*'] : queues;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sub: { type: 'string' }, roles: { type: 'string', default: 'citizen' }, queues: { type: 'string' }, ttl: { type: 'string', default: '3600' } },
    strict: true,
  });
  if (!values.sub) throw new Error(USAGE);
  const roles = values.roles.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length > 0) throw new Error(`unknown role(s): ${unknown.join(', ')}; use ${ROLES.join(', ')}`);
  const queues = queuesOf(values.queues, roles);
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive whole number of seconds');
  process.stdout.write(`${await signLocalToken(values.sub, roles, ttl, undefined, queues ? { queues } : {})}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
});
