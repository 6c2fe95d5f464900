import { describe, expect, it } from 'vitest';
import { memoryStores } from '#adapters/memory/memory-stores';
import type { Attachment } from '#core/attachments/model';
import { CLOSED_STATUSES, STATUSES, type SupportRequest } from '#core/requests/model';
import type { Stores } from '#ports/stores';
import { freshTable } from '../support/integration.ts';

/**
 * The attachment methods of the Store, run the same way against DynamoDB Local and the in-memory
 * store the unit tests use: both must keep the limit under concurrency and settle conditionally.
 */
const OPEN = STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));
const T0 = '2026-11-26T09:00:00.000Z';
const T1 = '2026-11-26T09:05:00.000Z';

function request(id: string): SupportRequest {
  return {
    id,
    number: `N-${id}`,
    userId: 'user-1',
    channel: 'written',
    type: 'technical',
    status: 'registered',
    createdAt: T0,
    updatedAt: T0,
    identity: { fullNameFolded: 'иванов иван', snilsHash: 'h1', snilsLast2: '95', passportHash: 'h2', passportLast2: '56', phone: '+79123456789' },
    written: { topic: 't', text: 'x', attempts: [] },
  };
}

function attachment(requestId: string, id: string): Attachment {
  return { id, requestId, fileName: `Скан ${id}.pdf`, contentType: 'application/pdf', size: 1000, status: 'pending', createdAt: T0, uploadExpiresAt: '2026-11-26T09:15:00.000Z' };
}

const stores: [string, () => Promise<Stores>][] = [
  ['DynamoDB', async () => (await freshTable()).store],
  ['memory', async () => memoryStores()],
];

async function withRequest(make: () => Promise<Stores>, id = 'r1') {
  const store = await make();
  await store.requests.createRequest(request(id), { at: T0, event: 'received' }, undefined, T0);
  return store;
}

describe.each(stores)('%s store: attachments', (_name, make) => {
  it('creates a pending attachment in the request partition, counts it and touches updatedAt', async () => {
    const store = await withRequest(make);
    expect(await store.attachments.createAttachment(attachment('r1', 'A1'), OPEN, { live: 5, total: 20 }, T1)).toBe('created');
    expect(await store.attachments.getAttachment('r1', 'A1')).toEqual(attachment('r1', 'A1'));
    expect(await store.attachments.getAttachment('r1', 'nope')).toBeUndefined();
    const detail = await store.requests.getRequestDetail('r1');
    expect(detail?.attachments).toEqual([attachment('r1', 'A1')]);
    expect(detail?.request).toMatchObject({ updatedAt: T1, attachmentCount: 1 });
    // Nothing else of the request changed.
    expect({ ...detail?.request, updatedAt: T0, attachmentCount: undefined, attachmentTotal: undefined }).toEqual({ ...request('r1'), attachmentCount: undefined, attachmentTotal: undefined });
  });

  it('tells a missing request, a closed one and a full one apart, writing nothing', async () => {
    const store = await withRequest(make);
    expect(await store.attachments.createAttachment(attachment('missing', 'A1'), OPEN, { live: 5, total: 20 }, T1)).toBe('not_found');
    for (let i = 0; i < 2; i += 1) expect(await store.attachments.createAttachment(attachment('r1', `A${i}`), OPEN, { live: 2, total: 20 }, T1)).toBe('created');
    expect(await store.attachments.createAttachment(attachment('r1', 'A9'), OPEN, { live: 2, total: 20 }, T1)).toBe('too_many');
    await store.requests.transition('r1', ['registered'], { status: 'cancelled' }, { at: T1, event: 'cancelled' }, T1);
    expect(await store.attachments.createAttachment(attachment('r1', 'A8'), OPEN, { live: 5, total: 20 }, T1)).toBe('closed');
    expect((await store.attachments.listAttachments('r1')).map((a) => a.id)).toEqual(['A0', 'A1']);
    expect(await store.attachments.getAttachment('missing', 'A1')).toBeUndefined();
  });

  it('caps the attachments a request ever had, rejected ones included, also under 20 concurrent uploads', async () => {
    const store = await withRequest(make);
    for (let i = 0; i < 3; i += 1) {
      expect(await store.attachments.createAttachment(attachment('r1', `R${i}`), OPEN, { live: 5, total: 4 }, T1)).toBe('created');
      expect(await store.attachments.settleAttachment('r1', `R${i}`, 'pending', { status: 'rejected', reason: 'type_mismatch' }, { at: T1, event: 'attachment_rejected' }, T1)).toBe(true);
    }
    // One live place is all the total leaves, though four of five live places are free.
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => store.attachments.createAttachment(attachment('r1', `C${String(i).padStart(2, '0')}`), OPEN, { live: 5, total: 4 }, T1)));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'too_many')).toHaveLength(19);
    expect(await store.attachments.listAttachments('r1')).toHaveLength(4);
  });

  it('never lets concurrent uploads pass the limit', async () => {
    const store = await withRequest(make);
    const ids = Array.from({ length: 12 }, (_, i) => `A${String(i).padStart(2, '0')}`);
    const outcomes = await Promise.all(ids.map((id) => store.attachments.createAttachment(attachment('r1', id), OPEN, { live: 5, total: 20 }, T1)));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'too_many')).toHaveLength(7);
    expect(await store.attachments.listAttachments('r1')).toHaveLength(5);
    expect((await store.requests.getRequest('r1'))?.attachmentCount).toBe(5);
  });

  it('settles only from the expected status, with its event; a rejection gives the place back', async () => {
    const store = await withRequest(make);
    for (const id of ['A1', 'A2']) await store.attachments.createAttachment(attachment('r1', id), OPEN, { live: 2, total: 20 }, T1);
    const ready = { at: T1, event: 'attachment_ready', detail: 'A1' };
    expect(await store.attachments.settleAttachment('r1', 'A1', 'pending', { status: 'ready' }, ready, T1)).toBe(true);
    expect(await store.attachments.settleAttachment('r1', 'A1', 'pending', { status: 'ready' }, ready, T1)).toBe(false);
    expect(await store.attachments.settleAttachment('r1', 'missing', 'pending', { status: 'ready' }, ready, T1)).toBe(false);
    expect(await store.attachments.getAttachment('r1', 'A1')).toMatchObject({ status: 'ready', settledAt: T1 });
    expect(await store.attachments.createAttachment(attachment('r1', 'A3'), OPEN, { live: 2, total: 20 }, T1)).toBe('too_many');

    const rejected = { at: T1, event: 'attachment_rejected', detail: 'A2: type_mismatch' };
    // Two checks of the same file at once: one settles it, the other finds it settled.
    const both = await Promise.all([1, 2].map(() => store.attachments.settleAttachment('r1', 'A2', 'pending', { status: 'rejected', reason: 'type_mismatch' }, rejected, T1)));
    expect(both.sort()).toEqual([false, true]);
    expect(await store.attachments.getAttachment('r1', 'A2')).toMatchObject({ status: 'rejected', reason: 'type_mismatch', settledAt: T1 });
    expect((await store.requests.getRequest('r1'))?.attachmentCount).toBe(1);
    expect(await store.attachments.createAttachment(attachment('r1', 'A3'), OPEN, { live: 2, total: 20 }, T1)).toBe('created');

    // A ready file replaced by a bad one is rejected from `ready`, freeing its place too.
    expect(await store.attachments.settleAttachment('r1', 'A1', 'ready', { status: 'rejected', reason: 'size_mismatch' }, rejected, T1)).toBe(true);
    expect((await store.requests.getRequest('r1'))?.attachmentCount).toBe(1);
    await expect(store.attachments.settleAttachment('r1', 'A2', 'rejected', { status: 'ready' }, ready, T1)).rejects.toThrow(/stays rejected/);

    const timeline = (await store.requests.getRequestDetail('r1'))?.timeline.map((e) => e.event);
    expect(timeline).toEqual(['received', 'attachment_ready', 'attachment_rejected', 'attachment_rejected']);
  });

  it('lists a request\'s attachments in id order, and only its own', async () => {
    const store = await withRequest(make);
    await store.requests.createRequest(request('r2'), { at: T0, event: 'received' }, undefined, T0);
    for (const id of ['01B', '01A', '01C']) await store.attachments.createAttachment(attachment('r1', id), OPEN, { live: 5, total: 20 }, T1);
    await store.attachments.createAttachment(attachment('r2', '01D'), OPEN, { live: 5, total: 20 }, T1);
    expect((await store.attachments.listAttachments('r1')).map((a) => a.id)).toEqual(['01A', '01B', '01C']);
    expect((await store.attachments.listAttachments('r2')).map((a) => a.id)).toEqual(['01D']);
    expect(await store.attachments.listAttachments('none')).toEqual([]);
  });
});
