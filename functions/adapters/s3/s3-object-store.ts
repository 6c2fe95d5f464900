import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectTaggingCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { ObjectStore } from '#ports/object-store';
import { REJECTED_TAG } from './bucket-rules.ts';

/**
 * The attachments bucket through the SDK's S3 client, for the upload check: HeadObject for the
 * real size, a ranged GetObject for the first bytes, PutObjectTagging + DeleteObject to discard.
 * The tag is what the bucket's lifecycle rule expires, should a delete ever be lost.
 */
function isMissing(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);
}

export function s3ObjectStore(client: S3Client, bucket: string): ObjectStore {
  return {
    async inspect(key, bytes) {
      let size: number;
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        size = head.ContentLength ?? 0;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      if (size === 0 || bytes <= 0) return { size, head: new Uint8Array() };
      try {
        const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${Math.min(bytes, size) - 1}` }));
        const head = got.Body ? await got.Body.transformToByteArray() : new Uint8Array();
        return { size, head: head.slice(0, bytes) };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async discard(key) {
      try {
        await client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [REJECTED_TAG] } }));
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
