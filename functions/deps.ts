import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { dynamoAttachmentStore } from '#adapters/dynamodb/attachment-store';
import { dynamoNotificationStore } from '#adapters/dynamodb/notification-store';
import { dynamoWorkspaceStore } from '#adapters/dynamodb/workspace-store';
import { dynamoCalendarStore } from '#adapters/dynamodb/calendar-store';
import { dynamoCallStore } from '#adapters/dynamodb/call-store';
import { dynamoCodeStore } from '#adapters/dynamodb/code-store';
import { dynamoProfileStore } from '#adapters/dynamodb/profile-store';
import { dynamoReconcileStore } from '#adapters/dynamodb/reconcile-store';
import { dynamoRequestStore } from '#adapters/dynamodb/request-store';
import { dynamoSlotStore } from '#adapters/dynamodb/slot-store';
import { type Table, tableClient } from '#adapters/dynamodb/table-client';
import { emfMetrics } from '#adapters/metrics/emf-metrics';
import { s3ObjectStore } from '#adapters/s3/s3-object-store';
import { s3Presigner } from '#adapters/s3/s3-presigner';
import { secretFromExtension } from '#adapters/secrets/secrets-extension';
import { sfnWorkflows } from '#adapters/sfn/sfn-workflows';
import { snsSms } from '#adapters/sns/sns-sms';
import { aesSealer, cryptoOtpRandom, hmacHasher, systemClock, systemIds } from '#adapters/system';
import { DEFAULT_CENTRE_CONFIG, overriddenCentreConfig } from '#core/scheduling/centre-config';
import type { Deps } from '#ports/deps';
import { config, optionalConfig } from './config.ts';

/**
 * The composition root. Each function names the adapters it uses (`composeDeps` in its handler
 * module), so its bundle carries only those SDK clients. Each adapter is built on first use, once
 * per cold start, from the validated environment; SDK clients take endpoints and region from the
 * standard AWS_* variables. The local runtime and tests replace parts with `provideDeps`.
 */
let table: Table | undefined;
/** One table client per cold start, shared by every part of the store the function uses. */
const tableFromEnv = () => (table ??= tableClient(new DynamoDBClient({}), config('TABLE_NAME')));
export const profilesFromEnv = () => dynamoProfileStore(tableFromEnv());
export const requestsFromEnv = () => dynamoRequestStore(tableFromEnv());
export const slotsFromEnv = () => dynamoSlotStore(tableFromEnv());
export const callsFromEnv = () => dynamoCallStore(tableFromEnv());
export const codesFromEnv = () => dynamoCodeStore(tableFromEnv());
export const attachmentsFromEnv = () => dynamoAttachmentStore(tableFromEnv());
export const reconcileFromEnv = () => dynamoReconcileStore(tableFromEnv());
export const notificationsFromEnv = () => dynamoNotificationStore(tableFromEnv());
export const workspaceFromEnv = () => dynamoWorkspaceStore(tableFromEnv());
export const smsFromEnv = () => snsSms(new SNSClient({}), optionalConfig('SMS_SENDER_ID') ?? 'Gosuslugi');
/** Each function is given the ARNs of the workflows it may start (its grants), and only those. */
export const workflowsFromEnv = () =>
  sfnWorkflows(new SFNClient({}), {
    intake: optionalConfig('INTAKE_STATE_MACHINE_ARN'),
    notice: optionalConfig('NOTICE_STATE_MACHINE_ARN'),
    confirmation: optionalConfig('CONFIRMATION_STATE_MACHINE_ARN'),
    callback: optionalConfig('CALLBACK_STATE_MACHINE_ARN'),
  });
export const systemClockFactory = () => systemClock;
/** The calendar a fresh table is seeded from: the defaults, with CENTRE_CONFIG's fields (tests, local runs) in place of theirs. */
export const centreFromEnv = () => {
  const override = optionalConfig('CENTRE_CONFIG');
  return override === undefined ? DEFAULT_CENTRE_CONFIG : overriddenCentreConfig(DEFAULT_CENTRE_CONFIG, override);
};
/** The centre's calendar as the table holds it (seeded from centreFromEnv on first start). */
export const calendarFromEnv = () => dynamoCalendarStore(tableFromEnv(), centreFromEnv());
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
export const emfMetricsFactory = () => emfMetrics();

const forcePathStyle = () => optionalConfig('S3_FORCE_PATH_STYLE') === 'true';
/**
 * Attachments: the HTTP function only presigns (the SDK's presigner, no S3 client in its bundle);
 * the upload check reads and discards objects with the SDK's S3 client. Both take the endpoint
 * from the standard AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (the S3 client reads them itself).
 */
export const presignerFromEnv = () =>
  s3Presigner({
    bucket: config('ATTACHMENTS_BUCKET'),
    region: config('AWS_REGION'),
    credentials: defaultProvider(),
    endpoint: optionalConfig('AWS_ENDPOINT_URL_S3') ?? optionalConfig('AWS_ENDPOINT_URL'),
    forcePathStyle: forcePathStyle(),
  });
export const objectStoreFromEnv = () =>
  s3ObjectStore(
    // Checksums only where S3 requires them (PutObjectTagging): the check reads a range of 8 bytes,
    // where a whole-object checksum cannot be validated anyway.
    new S3Client({ forcePathStyle: forcePathStyle(), requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    config('ATTACHMENTS_BUCKET'),
  );

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
