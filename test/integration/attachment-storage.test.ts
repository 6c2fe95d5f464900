import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ObjectStore } from '#adapters/s3/s3-object-store';
import { s3Presigner } from '#adapters/s3/s3-presigner';
import { SIGNATURE_BYTES } from '#core/attachments/sniff';
import { ESBUILD_OPTIONS } from '#infra/bundling';
import { FUNCTIONS } from '#infra/functions';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#infra/local/dynamodb-local';
import { resolveFromRepo } from '#infra/local/local-paths';
import { type LocalObjectStore, type ObjectCreatedEvent, startLocalObjectStore } from '#infra/local/object-store';
import { eventually } from '../support/integration.ts';

/**
 * The S3 adapters against the local bucket (s3rver, as `npm start` runs it): presigned PUT and GET
 * through plain fetch, the Object Created events in EventBridge's shape, the check's reads and
 * discards, and the two bundles as deployed. s3rver does not verify signatures: what a signature
 * binds is proven byte for byte against the SDK in test/unit/s3-presigner.test.ts, not here.
 */
const BUCKET = 'it-attachments';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 9, 9]);
const ORIGIN = 'https://portal.test.example';

let local: LocalObjectStore;
let directory: string;
const events: ObjectCreatedEvent[] = [];

function presigner() {
  return s3Presigner({ bucket: BUCKET, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: local.endpoint, forcePathStyle: true });
}

function client() {
  return new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: local.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
}

async function upload(key: string, body: Uint8Array, contentType = 'image/png', at = new Date()) {
  const signed = await presigner().presignUpload(key, { contentType, size: body.byteLength }, 900, at);
  return fetch(signed.url, { method: 'PUT', headers: signed.headers, body });
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'it-s3-'));
  local = await startLocalObjectStore({ bucket: BUCKET, directory, corsOrigins: [ORIGIN], onObjectCreated: (e) => events.push(e) });
});

afterAll(async () => {
  await local?.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('the local attachments bucket (s3rver) with the S3 adapters', () => {
  it('takes a presigned PUT, reports it as EventBridge would, and serves it back through a presigned GET', async () => {
    const key = '01REQUEST/01UPLOAD';
    const put = await upload(key, PNG);
    expect(put.status).toBe(200);
    const event = await eventually(async () => events.find((e) => e.detail.object.key === key), 'the Object Created event');
    expect(event).toMatchObject({ source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: BUCKET }, object: { key, size: PNG.byteLength }, reason: 'PutObject' } });

    const url = await presigner().presignDownload(key, { fileName: 'Скриншот ошибки.png', contentType: 'image/png' }, 300, new Date());
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(PNG);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(got.headers.get('content-disposition') ?? '')?.[1] ?? '')).toBe('Скриншот ошибки.png');
  });

  it('refuses a presigned URL once it has expired', async () => {
    const key = '01REQUEST/01EXPIRED';
    const past = new Date(Date.now() - 16 * 60_000);
    expect((await upload(key, PNG, 'image/png', past)).status).toBe(403);
    const url = await presigner().presignDownload('01REQUEST/01UPLOAD', { fileName: 'a.png', contentType: 'image/png' }, 300, new Date(Date.now() - 6 * 60_000));
    expect((await fetch(url)).status).toBe(403);
  });

  it('answers the portal origin\'s CORS preflight for an upload with the signed headers', async () => {
    const url = new URL((await presigner().presignUpload('01REQUEST/01CORS', { contentType: 'image/png', size: 1 }, 900, new Date())).url);
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type,if-none-match' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    const other = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' } });
    expect(other.status).toBe(403);
  });

  it('reads the real size and the first bytes, and discards a file (tag, then delete)', async () => {
    const key = '01REQUEST/01INSPECT';
    const body = new TextEncoder().encode('не картинка, а текст на много байт');
    expect((await upload(key, body, 'image/png')).status).toBe(200);
    const objects = s3ObjectStore(client(), BUCKET);
    const found = await objects.inspect(key, SIGNATURE_BYTES);
    expect(found?.size).toBe(body.byteLength);
    expect(found?.head).toEqual(body.slice(0, SIGNATURE_BYTES));
    expect(await objects.inspect('01REQUEST/01MISSING', SIGNATURE_BYTES)).toBeUndefined();
    await objects.discard(key);
    expect(await objects.inspect(key, SIGNATURE_BYTES)).toBeUndefined();
    await expect(client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({ name: 'NotFound' });
    // Discarding what is gone already is not an error (a check that runs twice).
    await expect(objects.discard(key)).resolves.toBeUndefined();
  });

  it('reads a file shorter than the signature, and an empty one', async () => {
    const objects = s3ObjectStore(client(), BUCKET);
    expect((await upload('01REQUEST/01SHORT', PNG.slice(0, 3))).status).toBe(200);
    expect(await objects.inspect('01REQUEST/01SHORT', SIGNATURE_BYTES)).toEqual({ size: 3, head: PNG.slice(0, 3) });
    expect((await fetch(await presigner().presignUpload('01REQUEST/01EMPTY', { contentType: 'image/png', size: 0 }, 900, new Date()).then((s) => s.url), { method: 'PUT', body: new Uint8Array() })).status).toBe(200);
    expect(await objects.inspect('01REQUEST/01EMPTY', SIGNATURE_BYTES)).toEqual({ size: 0, head: new Uint8Array() });
  });
});

describe('the bundles as deployed', () => {
  const out = mkdtempSync(join(tmpdir(), 'it-bundles-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  async function bundle(fn: 'attachmentCheck' | 'httpAttachments') {
    const outfile = join(out, fn, 'index.mjs');
    const built = await build({ ...ESBUILD_OPTIONS, entryPoints: [resolveFromRepo(FUNCTIONS[fn].entry)], outfile, metafile: true, logLevel: 'error' });
    // What ends up in the bundle (modules esbuild visited but shook out entirely have 0 bytes).
    const output = Object.values(built.metafile.outputs).find((o) => o.entryPoint !== undefined);
    const inputs = Object.entries(output?.inputs ?? {}).filter(([, i]) => i.bytesInOutput > 0).map(([f]) => f);
    return { outfile, inputs };
  }

  it('attachmentCheck carries the S3 client and no DynamoDB client; httpAttachments the presigner and no S3 client', async () => {
    const check = await bundle('attachmentCheck');
    expect(check.inputs.some((f) => f.includes('@aws-sdk/client-s3/'))).toBe(true);
    expect(check.inputs.filter((f) => /client-dynamodb|lib-dynamodb|client-sfn|client-sns/.test(f))).toEqual([]);
    const http = await bundle('httpAttachments');
    expect(http.inputs.some((f) => f.includes('@aws-sdk/s3-request-presigner/'))).toBe(true);
    expect(http.inputs.filter((f) => f.includes('@aws-sdk/client-s3/'))).toEqual([]);
  });

  it('the bundled check reads and discards through the local bucket with environment credentials', async () => {
    const { outfile } = await bundle('attachmentCheck');
    Object.assign(process.env, {
      ATTACHMENTS_BUCKET: BUCKET,
      AWS_ENDPOINT_URL_S3: local.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
    const key = '01REQUEST/01BUNDLED';
    expect((await upload(key, PNG)).status).toBe(200);
    expect(await handler({ task: 'inspectUpload', key }, {})).toEqual({ key, found: true, size: PNG.byteLength, kind: 'image/png' });
    expect(await handler({ task: 'discardUpload', key }, {})).toEqual({ key, discarded: true });
    expect(await handler({ task: 'inspectUpload', key }, {})).toEqual({ key, found: false });
    await expect(handler({ task: 'inspectUpload' }, {})).rejects.toMatchObject({ name: 'ZodError' });
  });
});
