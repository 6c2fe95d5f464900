import type { AttachmentOutcome, AttachmentStore } from '#ports/stores/attachments';
import { type MemoryTable, copy } from './memory-table.ts';

/**
 * Attachments as dynamoAttachmentStore keeps them: createAttachment counts the attachments that
 * are not rejected on the request (`attachmentCount`), and settleAttachment gives a rejected one's
 * place back.
 */
export function memoryAttachmentStore(t: MemoryTable): AttachmentStore {
  return {
    async createAttachment(attachment, open, max, at): Promise<AttachmentOutcome> {
      const request = t.requests.get(attachment.requestId);
      if (!request) return 'not_found';
      if (!open.includes(request.status)) return 'closed';
      const count = request.attachmentCount ?? 0;
      const total = request.attachmentTotal ?? 0;
      if (count >= max.live || total >= max.total) return 'too_many';
      const key = t.attachmentKey(attachment.requestId, attachment.id);
      if (t.attachments.has(key)) throw new Error(`attachment ${attachment.id} already exists (transaction cancelled)`);
      t.requests.set(request.id, { ...request, updatedAt: at, attachmentCount: count + 1, attachmentTotal: total + 1 });
      t.attachments.set(key, copy(attachment));
      return 'created';
    },

    async getAttachment(requestId, attachmentId) {
      const found = t.attachments.get(t.attachmentKey(requestId, attachmentId));
      return found ? copy(found) : undefined;
    },

    async listAttachments(requestId) {
      return t.attachmentsOf(requestId);
    },

    async settleAttachment(requestId, attachmentId, from, to, event, at) {
      if (from === 'rejected') throw new Error('a rejected attachment stays rejected');
      const key = t.attachmentKey(requestId, attachmentId);
      const current = t.attachments.get(key);
      const request = t.requests.get(requestId);
      if (!current || current.status !== from) return false;
      if (!request) throw new Error(`request ${requestId} does not exist (transaction cancelled)`);
      t.attachments.set(key, { ...current, status: to.status, settledAt: at, ...(to.status === 'rejected' ? { reason: to.reason } : {}) });
      t.requests.set(requestId, { ...request, updatedAt: at, ...(to.status === 'rejected' ? { attachmentCount: (request.attachmentCount ?? 0) - 1 } : {}) });
      t.appendEvent(requestId, event);
      return true;
    },
  };
}
