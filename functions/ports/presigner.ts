/**
 * Presigned URLs to the attachments bucket: the file goes straight between the client and
 * storage, never through a function. Keys are generated (objectKeyOf), never file names.
 */
export interface PresignedUpload {
  url: string;
  /** Headers the client must send with its PUT, exactly (they are signed). */
  headers: Record<string, string>;
}

export interface Presigner {
  /**
   * A PUT of exactly `size` bytes of `contentType` to `key`, valid `expiresInSeconds` from `at`.
   * Storage refuses another length or type (the signature covers them) and refuses to overwrite
   * an object that exists.
   */
  presignUpload(key: string, file: { contentType: string; size: number }, expiresInSeconds: number, at: Date): Promise<PresignedUpload>;
  /** A GET of `key` that downloads it as `fileName` with `contentType`, valid `expiresInSeconds` from `at`. */
  presignDownload(key: string, file: { fileName: string; contentType: string }, expiresInSeconds: number, at: Date): Promise<string>;
}
