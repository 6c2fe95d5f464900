import { formatUrl } from '@aws-sdk/core/util';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import type { Presigner } from '#ports/presigner';

/**
 * Presigned S3 URLs from the SDK's own presigner (`S3RequestPresigner`, SigV4 by
 * @aws-sdk/signature-v4-multi-region): no hand-made signature. Unlike `getSignedUrl`, it does not
 * need an `S3Client` to serialize the request first: the S3 client of @aws-sdk/client-s3 3.11xx
 * brings ~290 KB of schemas and protocol code that cannot be tree-shaken, and next to the DynamoDB
 * client that puts the HTTP function far over its 400 KB budget (docs/DESIGN.md). The request
 * signed here is the one the S3 client would serialize for PutObject / GetObject with these
 * inputs; test/unit/s3-presigner.test.ts holds the URLs byte for byte to `getSignedUrl`'s.
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3PresignerOptions {
  bucket: string;
  region: string;
  /** The SDK's credential provider (the role's credentials in Lambda), or fixed ones in tests. */
  credentials: Credentials | (() => Promise<Credentials>);
  /** AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), as the SDK clients read it: LocalStack, s3rver. */
  endpoint?: string;
  /** Bucket in the path (`endpoint/bucket/key`) instead of the host name. */
  forcePathStyle?: boolean;
}

/** RFC 3986 encoding of one key segment, as the S3 client encodes `{Key+}`. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="<ASCII stand-in>"; filename*=UTF-8''<the name>` (RFC 6266 / RFC 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeSegment(fileName)}`;
}

export function s3Presigner(options: S3PresignerOptions): Presigner {
  const presigner = new S3RequestPresigner({ credentials: options.credentials, region: options.region, sha256: Sha256 });

  /** Where the S3 client sends requests for the bucket: virtual-hosted by default, path style on request. */
  function location(key: string): { protocol: string; hostname: string; port?: number; path: string } {
    const objectPath = key.split('/').map(encodeSegment).join('/');
    if (options.endpoint) {
      const url = new URL(options.endpoint);
      const base = url.pathname.replace(/\/+$/, '');
      return {
        protocol: url.protocol,
        hostname: options.forcePathStyle ? url.hostname : `${options.bucket}.${url.hostname}`,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: options.forcePathStyle ? `${base}/${options.bucket}/${objectPath}` : `${base}/${objectPath}`,
      };
    }
    const suffix = options.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    const hostname = options.forcePathStyle ? `s3.${options.region}.${suffix}` : `${options.bucket}.s3.${options.region}.${suffix}`;
    return { protocol: 'https:', hostname, path: options.forcePathStyle ? `/${options.bucket}/${objectPath}` : `/${objectPath}` };
  }

  async function presign(method: 'PUT' | 'GET', key: string, headers: Record<string, string>, query: Record<string, string>, expiresIn: number, at: Date, signed: string[] = []) {
    const where = location(key);
    const request = new HttpRequest({ method, ...where, headers, query });
    const out = await presigner.presign(request, { expiresIn, signingDate: at, signableHeaders: new Set(signed) });
    return formatUrl(out);
  }

  return {
    async presignUpload(key, file, expiresInSeconds, at) {
      // Signed: the length (a browser sends it from the body), the type and "create only".
      const headers = { 'content-length': String(file.size), 'content-type': file.contentType, 'if-none-match': '*' };
      const url = await presign('PUT', key, headers, { 'x-id': 'PutObject' }, expiresInSeconds, at, ['content-type']);
      return { url, headers: { 'Content-Type': file.contentType, 'If-None-Match': '*' } };
    },
    async presignDownload(key, file, expiresInSeconds, at) {
      const query = { 'response-content-disposition': contentDisposition(file.fileName), 'response-content-type': file.contentType, 'x-id': 'GetObject' };
      return presign('GET', key, {}, query, expiresInSeconds, at);
    },
  };
}
