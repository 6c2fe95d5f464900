/**
 * How long citizens' records are kept, in days from when each item (or file) was written. DynamoDB
 * TTL deletes the items (stamped by functions/adapters/dynamodb/retention.ts), the attachments
 * bucket's lifecycle rule the files (infra/constructs/attachments.ts). Five years: the keeping
 * period Russian archive rules give citizens' applications and the answers to them ("обращения
 * граждан"), and longer than the general 3-year limitation period for claims about them.
 * docs/operations.md, "Personal data (152-FZ)", lists every kind of item with its retention.
 */
export const RETENTION_DAYS = {
  /** A request with everything in its partition (timeline, comments, attachment records, notices, call links) and its number. */
  request: 1826,
  /** A call record with its transcript. */
  call: 1826,
  /** An attached file in the bucket (the same period as the request it belongs to). */
  attachmentFile: 1826,
  /** Search refs: a phone's requests and calls, a call's hours (as long as what they point to). */
  searchRef: 1826,
  /**
   * A notification in the citizen's account: a message about a request, not its record (the request,
   * kept five years, holds the same history), so a year.
   */
  notification: 365,
} as const;
