/** What the upload check does with stored files (the attachments bucket). */
export interface StoredObject {
  /** The object's real size, bytes. */
  size: number;
  /** Its first bytes (fewer when the object is shorter). */
  head: Uint8Array;
}

export interface ObjectStore {
  /** The size and first `bytes` bytes of `key`; undefined when there is no such object. */
  inspect(key: string, bytes: number): Promise<StoredObject | undefined>;
  /**
   * Removes a rejected file: first marks it (so the bucket's lifecycle rule expires it even if the
   * delete is lost), then deletes it. A missing object is not an error.
   */
  discard(key: string): Promise<void>;
}
