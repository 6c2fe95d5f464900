import * as z from 'zod/mini';
import { lazy } from '#functions/lazy';
import { detectType, SIGNATURE_BYTES } from '#core/attachments/sniff';
import { composeDeps, objectStoreFromEnv } from '#functions/deps';
import { parseTaskInput as parse, taskHandler } from './task-stack.ts';

/**
 * The storage side of the upload check (statemachines/attachment.asl.json), with the SDK's S3
 * client and nothing else: `inspectUpload` reads an uploaded object's real size and first bytes
 * and names the type its signature shows; `discardUpload` removes a rejected file. The verdict in
 * between (declared against real, ready or rejected) is `settleAttachment` of request-tasks, which
 * holds the table: the S3 and DynamoDB clients together do not fit one 400 KB bundle.
 */
const deps = composeDeps({ objects: objectStoreFromEnv });

/** Object keys as the event carries them: this service's keys are ids and a slash, at most. */
const KeyRef = lazy(() => z.object({ key: z.string().check(z.minLength(1), z.maxLength(1024)) }));

export const handler = taskHandler({
  inspectUpload: async (input) => {
    const { key } = parse(KeyRef, input);
    const found = await deps.objects.inspect(key, SIGNATURE_BYTES);
    if (!found) return { key, found: false };
    return { key, found: true, size: found.size, kind: detectType(found.head) ?? 'unknown' };
  },
  discardUpload: async (input) => {
    const { key } = parse(KeyRef, input);
    await deps.objects.discard(key);
    return { key, discarded: true };
  },
});
