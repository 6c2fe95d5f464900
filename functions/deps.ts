import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { dynamoStore } from '#adapters/dynamodb/dynamo-store';
import { secretsManagerValue } from '#adapters/secrets/secrets-manager';
import { sfnWorkflows } from '#adapters/sfn/sfn-workflows';
import { snsSms } from '#adapters/sns/sns-sms';
import { hmacHasher, systemClock, systemIds } from '#adapters/system';
import type { Deps } from '#ports/deps';
import { config, optionalConfig } from './config.ts';

/**
 * The composition root. Each dependency is built on first use, once per cold start, from the
 * validated environment; SDK clients take endpoints and region from the standard AWS_* variables.
 * The local runtime and tests replace parts with `provideDeps` before the first call.
 */
let overrides: Partial<Deps> = {};
let built: Partial<Deps> = {};

const factories: { [K in keyof Deps]: () => Deps[K] } = {
  store: () => dynamoStore(new DynamoDBClient({}), config('TABLE_NAME')),
  sms: () => snsSms(new SNSClient({}), optionalConfig('SMS_SENDER_ID') ?? 'Gosuslugi'),
  workflows: () => sfnWorkflows(new SFNClient({}), { intake: config('INTAKE_STATE_MACHINE_ARN') }),
  clock: () => systemClock,
  ids: () => systemIds(),
  hasher: () => {
    const localKey = optionalConfig('IDENTITY_HASH_KEY');
    if (localKey) return hmacHasher(async () => localKey);
    const secretArn = config('IDENTITY_KEY_SECRET_ARN');
    return hmacHasher(() => secretsManagerValue(secretArn));
  },
};

export const deps: Deps = new Proxy({} as Deps, {
  get(_target, name: string) {
    const key = name as keyof Deps;
    if (!(key in factories)) return undefined;
    if (overrides[key]) return overrides[key];
    if (!built[key]) built = { ...built, [key]: factories[key]() };
    return built[key];
  },
});

export function provideDeps(parts: Partial<Deps>): void {
  overrides = { ...overrides, ...parts };
}

export function resetDeps(): void {
  overrides = {};
  built = {};
}
