import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { dynamoStore } from '#adapters/dynamodb/dynamo-store';
import { secretFromExtension } from '#adapters/secrets/secrets-extension';
import { sfnWorkflows } from '#adapters/sfn/sfn-workflows';
import { snsSms } from '#adapters/sns/sns-sms';
import { aesSealer, cryptoOtpRandom, hmacHasher, systemClock, systemIds } from '#adapters/system';
import type { Deps } from '#ports/deps';
import { config, optionalConfig } from './config.ts';

/**
 * The composition root. Each function names the adapters it uses (`composeDeps` in its handler
 * module), so its bundle carries only those SDK clients. Each adapter is built on first use, once
 * per cold start, from the validated environment; SDK clients take endpoints and region from the
 * standard AWS_* variables. The local runtime and tests replace parts with `provideDeps`.
 */
export const storeFromEnv = () => dynamoStore(new DynamoDBClient({}), config('TABLE_NAME'));
export const smsFromEnv = () => snsSms(new SNSClient({}), optionalConfig('SMS_SENDER_ID') ?? 'Gosuslugi');
/** Each function is given the ARNs of the workflows it may start (its grants), and only those. */
export const workflowsFromEnv = () =>
  sfnWorkflows(new SFNClient({}), {
    intake: optionalConfig('INTAKE_STATE_MACHINE_ARN'),
    notice: optionalConfig('NOTICE_STATE_MACHINE_ARN'),
    confirmation: optionalConfig('CONFIRMATION_STATE_MACHINE_ARN'),
  });
export const systemClockFactory = () => systemClock;
export const systemIdsFactory = () => systemIds();
/** The service secret: an env value locally, Secrets Manager (through the extension) in the cloud. */
function serviceSecret(): () => Promise<string> {
  const localKey = optionalConfig('IDENTITY_HASH_KEY');
  if (localKey) return async () => localKey;
  const secretArn = config('IDENTITY_KEY_SECRET_ARN');
  return () => secretFromExtension(secretArn);
}
export const hasherFromEnv = () => hmacHasher(serviceSecret());
export const sealerFromEnv = () => aesSealer(serviceSecret());
export const otpRandomFactory = () => cryptoOtpRandom;

type Factories<K extends keyof Deps> = { [P in K]: () => Deps[P] };

let overrides: Partial<Deps> = {};

export function composeDeps<K extends keyof Deps>(factories: Factories<K>): Pick<Deps, K> {
  const built: Partial<Deps> = {};
  const deps = {} as Pick<Deps, K>;
  for (const key of Object.keys(factories) as K[]) {
    Object.defineProperty(deps, key, {
      enumerable: true,
      get: () => {
        const provided = overrides[key];
        if (provided) return provided;
        built[key] ??= factories[key]();
        return built[key];
      },
    });
  }
  return deps;
}

export function provideDeps(parts: Partial<Deps>): void {
  overrides = { ...overrides, ...parts };
}

export function resetDeps(): void {
  overrides = {};
}
