import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { UPLOAD_HEADERS } from '#adapters/s3/bucket-rules';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.ts';

/**
 * The local stand-in for the attachments bucket: s3rver (npm) in this process, serving the same
 * presigned PUT and GET the portal gets in the cloud, with the bucket's CORS rule. Its objects
 * live under `directory` (DATA_DIR/s3), or in a temporary directory removed on stop. s3rver does
 * NOT verify signatures (a tampered URL is accepted; expiry is checked), so signature enforcement
 * (type, length, "create only") is only real on AWS; the upload check's own comparison of declared
 * and real type and size runs everywhere. Each stored object is reported to `onObjectCreated` in
 * the shape EventBridge delivers S3's Object Created event in the cloud.
 */
export interface LocalObjectStore {
  endpoint: string;
  bucket: string;
  directory: string;
  stop(): Promise<void>;
}

/** S3's Object Created event as EventBridge delivers it (the fields the check workflow reads, and a few more). */
export interface ObjectCreatedEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: { version: '0'; bucket: { name: string }; object: { key: string; size: number; etag?: string; sequencer?: string }; reason: string };
}

interface S3rverRecord {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: { Records: S3rverRecord[] }) => void): void;
}

type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const require = createRequire(import.meta.url);

/** The CORS rule of the cloud bucket (infra/constructs/attachments.ts), as S3 XML. */
function corsXml(origins: string[] | undefined): string {
  const allowed = (origins ?? ['*']).map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('');
  const methods = ['PUT', 'GET', 'HEAD'].map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('');
  const headers = UPLOAD_HEADERS.map((h) => `<AllowedHeader>${h}</AllowedHeader>`).join('');
  return `<CORSConfiguration><CORSRule>${allowed}${methods}${headers}<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

/** s3rver's own record, as EventBridge shapes S3's Object Created event. */
export function objectCreatedEvent(record: S3rverRecord, sequence: number): ObjectCreatedEvent {
  const { bucket, object } = record.s3;
  return {
    version: '0',
    id: `local-${sequence}`,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '000000000000',
    time: record.eventTime,
    region: LOCAL_REGION,
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: bucket.name },
      // s3rver's records carry the key as stored, as EventBridge's events do.
      object: { key: object.key, size: object.size ?? 0, ...(object.eTag ? { etag: object.eTag } : {}), ...(object.sequencer ? { sequencer: object.sequencer } : {}) },
      reason: record.eventName.endsWith(':Post') ? 'PostObject' : record.eventName.endsWith(':Copy') ? 'CopyObject' : 'PutObject',
    },
  };
}

export async function startLocalObjectStore(options: {
  bucket: string;
  /** Keep objects here (created when missing); a temporary directory otherwise. */
  directory?: string;
  corsOrigins?: string[];
  onObjectCreated: (event: ObjectCreatedEvent) => void;
}): Promise<LocalObjectStore> {
  const S3rver = require('s3rver') as S3rverClass;
  // s3rver knows one key pair of its own; the handlers sign with the local runtime's credentials.
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account.js') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
  DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);

  const temporary = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(`${tmpdir()}/support-center-s3-`);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    // Bucket in the path: the host is an IP address.
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [corsXml(options.corsOrigins)] }],
  });
  let sequence = 0;
  server.on('event', (event) => {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:') || record.s3.bucket.name !== options.bucket) continue;
      sequence += 1;
      options.onObjectCreated(objectCreatedEvent(record, sequence));
    }
  });
  try {
    const address = await server.run();
    return {
      endpoint: `http://127.0.0.1:${address.port}`,
      bucket: options.bucket,
      directory,
      async stop() {
        await server.close();
        if (temporary) rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (temporary) rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
