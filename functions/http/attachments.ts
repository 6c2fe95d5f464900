import { attachmentDownload, createAttachment, listRequestAttachments } from '#core/attachments/attachments';
import { composeDeps, presignerFromEnv, requestsFromEnv, attachmentsFromEnv, systemClockFactory, systemIdsFactory } from '#functions/deps';
import { AttachmentIdSchema, NewAttachmentSchema, RequestIdSchema } from './schemas.ts';
import type { HttpRequest } from './stack.ts';
import { callerOfRequest, httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/**
 * Attachments: presigned uploads and downloads (the files never pass through a function). Its own
 * function, so that only it carries the presigner and the `s3:PutObject`/`s3:GetObject` grants.
 */
const deps = composeDeps({ requests: requestsFromEnv, attachments: attachmentsFromEnv, clock: systemClockFactory, ids: systemIdsFactory, presigner: presignerFromEnv });

function readerOf(req: HttpRequest) {
  const { sub, roles, queues } = callerOfRequest(req);
  return { userId: sub, operatorQueues: roles.includes('operator') ? queues : [] };
}

export const handler = httpFunction('httpAttachments', {
  async createAttachment(req) {
    const { sub } = callerOfRequest(req);
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    const created = await createAttachment(deps, sub, id, parseWith(NewAttachmentSchema, req.body));
    return { statusCode: 201, body: created, headers: { Location: `/v1/requests/${encodeURIComponent(id)}/attachments/${created.id}` } };
  },

  async getAttachment(req) {
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    const attachmentId = parseWith(AttachmentIdSchema, req.params.attachmentId, 'attachmentId');
    return { statusCode: 200, body: await attachmentDownload(deps, readerOf(req), id, attachmentId) };
  },

  async listRequestAttachments(req) {
    const id = parseWith(RequestIdSchema, req.params.id, 'id');
    return { statusCode: 200, body: await listRequestAttachments(deps, readerOf(req), id) };
  },
});
