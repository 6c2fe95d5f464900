import type { ObjectStore, StoredObject } from '#ports/object-store';
import type { PresignedUpload, Presigner } from '#ports/presigner';

/**
 * The attachments bucket in memory, for unit tests: presigned URLs are `memory://` URLs that
 * record what was signed (and expire), `upload` and `download` play the client's PUT and GET
 * through them, and inspect/discard act on the stored bytes. Like S3 with the signed headers, an
 * upload through a URL refuses another length, another type, an expired URL and an overwrite.
 */
export interface MemoryObjects extends Presigner, ObjectStore {
  /** What a client's PUT through `url` with `headers` stores; throws as S3 would refuse it. */
  upload(upload: PresignedUpload, body: Uint8Array, at: Date): void;
  /** What a GET of a presigned download URL answers. */
  download(url: string, at: Date): { body: Uint8Array; contentType: string; fileName: string };
  /** Stores bytes directly (a file that arrived by other means). */
  put(key: string, body: Uint8Array): void;
  keys(): string[];
  /** Keys marked for the lifecycle rule (discard marks, then deletes). */
  marked(): string[];
}

interface Signed {
  key: string;
  method: 'PUT' | 'GET';
  expiresAt: number;
  contentType: string;
  size?: number;
  fileName?: string;
}

export function memoryObjects(bucket = 'attachments'): MemoryObjects {
  const objects = new Map<string, Uint8Array>();
  const signed = new Map<string, Signed>();
  const marks = new Set<string>();
  let seq = 0;

  function sign(entry: Signed): string {
    seq += 1;
    const url = `memory://${bucket}/${entry.key}?sig=${seq}`;
    signed.set(url, entry);
    return url;
  }

  function valid(url: string, method: Signed['method'], at: Date): Signed {
    const entry = signed.get(url);
    if (!entry || entry.method !== method) throw new Error('SignatureDoesNotMatch');
    if (at.getTime() > entry.expiresAt) throw new Error('AccessDenied: Request has expired');
    return entry;
  }

  return {
    async presignUpload(key, file, expiresInSeconds, at) {
      const url = sign({ key, method: 'PUT', expiresAt: at.getTime() + expiresInSeconds * 1000, contentType: file.contentType, size: file.size });
      return { url, headers: { 'Content-Type': file.contentType, 'If-None-Match': '*' } };
    },
    async presignDownload(key, file, expiresInSeconds, at) {
      return sign({ key, method: 'GET', expiresAt: at.getTime() + expiresInSeconds * 1000, contentType: file.contentType, fileName: file.fileName });
    },
    async inspect(key, bytes): Promise<StoredObject | undefined> {
      const body = objects.get(key);
      return body ? { size: body.byteLength, head: body.slice(0, bytes) } : undefined;
    },
    async discard(key) {
      if (objects.has(key)) marks.add(key);
      objects.delete(key);
    },
    upload(upload, body, at) {
      const entry = valid(upload.url, 'PUT', at);
      if (upload.headers['Content-Type'] !== entry.contentType) throw new Error('SignatureDoesNotMatch: content-type');
      if (body.byteLength !== entry.size) throw new Error('SignatureDoesNotMatch: content-length');
      if (objects.has(entry.key)) throw new Error('PreconditionFailed: the object exists');
      objects.set(entry.key, body.slice());
    },
    download(url, at) {
      const entry = valid(url, 'GET', at);
      const body = objects.get(entry.key);
      if (!body) throw new Error('NoSuchKey');
      return { body: body.slice(), contentType: entry.contentType, fileName: entry.fileName ?? '' };
    },
    put(key, body) {
      objects.set(key, body.slice());
    },
    keys: () => [...objects.keys()].sort(),
    marked: () => [...marks].sort(),
  };
}
