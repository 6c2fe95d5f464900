import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { contentDisposition, s3Presigner } from '#adapters/s3/s3-presigner';

/**
 * The HTTP function presigns without an S3 client (bundle size, docs/DESIGN.md). These tests hold
 * its URLs, byte for byte, to what the SDK's `getSignedUrl` makes with a real `S3Client` for the
 * same PutObject / GetObject: same host, path, query, signed headers and signature. s3rver does not
 * verify signatures, so this equivalence is what vouches for the cloud.
 */
const credentials = { accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'example/secret/key/0123456789abcdefghijk', sessionToken: 'session-token-example' };
const at = new Date('2026-11-26T10:00:00.000Z');
const KEY = '01JREQUEST00000000000000AA/01JATTACH000000000000000BB';

const setups = [
  { name: 'virtual-hosted, eu-central-1', region: 'eu-central-1', bucket: 'support-center-attachments-abc' },
  { name: 'virtual-hosted, China partition', region: 'cn-north-1', bucket: 'support-center-attachments-abc' },
  { name: 'path style at a custom endpoint (s3rver, LocalStack)', region: 'eu-central-1', bucket: 'support-center-attachments', endpoint: 'http://127.0.0.1:4568', forcePathStyle: true },
  { name: 'virtual-hosted at a custom endpoint', region: 'us-east-1', bucket: 'b-123', endpoint: 'https://s3.example.test' },
] as const;

function sdkClient(setup: (typeof setups)[number]) {
  return new S3Client({
    region: setup.region,
    credentials,
    ...('endpoint' in setup ? { endpoint: setup.endpoint } : {}),
    ...('forcePathStyle' in setup ? { forcePathStyle: setup.forcePathStyle } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function ours(setup: (typeof setups)[number]) {
  return s3Presigner({
    bucket: setup.bucket,
    region: setup.region,
    credentials,
    ...('endpoint' in setup ? { endpoint: setup.endpoint } : {}),
    ...('forcePathStyle' in setup ? { forcePathStyle: setup.forcePathStyle } : {}),
  });
}

describe('s3Presigner: the URLs the SDK S3 client presigns', () => {
  it.each(setups)('upload, $name', async (setup) => {
    const mine = await ours(setup).presignUpload(KEY, { contentType: 'image/png', size: 12345 }, 900, at);
    const sdk = await getSignedUrl(
      sdkClient(setup),
      new PutObjectCommand({ Bucket: setup.bucket, Key: KEY, ContentType: 'image/png', ContentLength: 12345, IfNoneMatch: '*' }),
      { expiresIn: 900, signingDate: at, signableHeaders: new Set(['content-type']) },
    );
    expect(mine.url).toBe(sdk);
    expect(mine.headers).toEqual({ 'Content-Type': 'image/png', 'If-None-Match': '*' });
  });

  it.each(setups)('download, $name', async (setup) => {
    const fileName = 'Скан паспорта "стр. 2".pdf';
    const mine = await ours(setup).presignDownload(KEY, { fileName, contentType: 'application/pdf' }, 300, at);
    const sdk = await getSignedUrl(
      sdkClient(setup),
      new GetObjectCommand({ Bucket: setup.bucket, Key: KEY, ResponseContentDisposition: contentDisposition(fileName), ResponseContentType: 'application/pdf' }),
      { expiresIn: 300, signingDate: at },
    );
    expect(mine).toBe(sdk);
  });

  it('binds the upload to the declared type, length and "create only", and expires as asked', async () => {
    const url = new URL((await ours(setups[0]).presignUpload(KEY, { contentType: 'application/pdf', size: 10_485_760 }, 900, at)).url);
    expect(url.hostname).toBe('support-center-attachments-abc.s3.eu-central-1.amazonaws.com');
    expect(url.pathname).toBe(`/${KEY}`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;if-none-match');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261126T100000Z');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(credentials.sessionToken);
    // No checksum of an empty body (the SDK's default would add one and S3 would refuse the upload).
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
  });

  it('names the download with the file name, never the key', async () => {
    const url = new URL(await ours(setups[0]).presignDownload(KEY, { fileName: 'отчёт.pdf', contentType: 'application/pdf' }, 300, at));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="_____.pdf"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf`);
  });

  it('keeps quotes, backslashes and non-ASCII out of the plain filename parameter', () => {
    expect(contentDisposition('a"b\\c.png')).toBe(`attachment; filename="a_b_c.png"; filename*=UTF-8''a%22b%5Cc.png`);
    expect(contentDisposition("it's (1).png")).toBe(`attachment; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`);
  });
});
