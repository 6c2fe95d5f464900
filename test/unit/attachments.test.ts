import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '#adapters/logger';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { attachmentDownload, createAttachment, listRequestAttachments, type NewAttachment } from '#core/attachments/attachments';
import { type UploadFacts, settleUpload } from '#core/attachments/check';
import { MAX_ATTACHMENT_BYTES, objectKeyOf, parseObjectKey } from '#core/attachments/model';
import { SIGNATURE_BYTES, detectType } from '#core/attachments/sniff';
import { NotFoundError, StateConflictError } from '#core/errors';
import { putProfile } from '#core/profiles/put-profile';
import { answerRequest } from '#core/requests/answer';
import { cancelOwnRequest } from '#core/requests/cancel';
import { createRequest } from '#core/requests/create-request';
import { getOwnRequest } from '#core/requests/get-request';
import { routeRequest } from '#core/requests/intake';
import { provideDeps, resetDeps } from '#functions/deps';
import { handler as attachmentsHandler } from '#http/attachments';
import { handler as attachmentCheckHandler } from '#tasks/attachment-check';
import { handler as requestTasksHandler } from '#tasks/request-tasks';
import { identity, httpEvent, lambdaContext, citizenPhone, writtenInput } from './fixtures.ts';
import { staffClaims } from '../support/http-event.ts';
import { everyQueue } from '../support/fixtures.ts';

/** Attachments on in-memory adapters: limits, the check's verdicts, who may read, the HTTP shape. */
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');
const TEXT = new TextEncoder().encode('это не картинка, а текст');

const USER = 'user-1';
const OWNER = { userId: USER, operatorQueues: [] };
const OPERATOR = { userId: 'op-1', operatorQueues: ['tech-support'] };
const OTHER_QUEUE_OPERATOR = { userId: 'op-2', operatorQueues: ['services', 'complaints'] };

function declared(bytes: Uint8Array, contentType: NewAttachment['contentType'], fileName = 'file'): NewAttachment {
  return { fileName, contentType, size: bytes.byteLength };
}

async function requestOf(deps: MemoryDeps, route = true, userId = USER) {
  // A phone belongs to one profile: another citizen has a number of their own.
  const own = userId === USER ? identity() : identity({ phone: citizenPhone(userId) });
  await putProfile(deps, userId, own);
  const id = ((await createRequest(deps, userId, writtenInput({ identity: own }))).body as { id: string }).id;
  if (route) await routeRequest(deps, id);
  return id;
}

/** The check workflow on memory adapters: what inspectUpload, settleAttachment and discardUpload do. */
async function check(deps: MemoryDeps, key: string) {
  const found = await deps.objects.inspect(key, SIGNATURE_BYTES);
  const facts: UploadFacts = found ? { key, found: true, size: found.size, kind: detectType(found.head) ?? 'unknown' } : { key, found: false };
  const verdict = await settleUpload(deps, facts);
  if (verdict.remove) await deps.objects.discard(key);
  return verdict;
}

async function attachAndUpload(deps: MemoryDeps, requestId: string, file: NewAttachment, bytes: Uint8Array) {
  const created = await createAttachment(deps, USER, requestId, file);
  deps.objects.upload(created.upload, bytes, deps.clock.now());
  const verdict = await check(deps, objectKeyOf(requestId, created.id));
  return { id: created.id, verdict };
}

async function statusOf(deps: MemoryDeps, requestId: string, attachmentId: string) {
  return (await deps.attachments.getAttachment(requestId, attachmentId))?.status;
}

describe('file signatures', () => {
  it('tells PNG, JPEG and PDF by their first bytes, and nothing else', () => {
    expect(detectType(PNG)).toBe('image/png');
    expect(detectType(JPEG)).toBe('image/jpeg');
    expect(detectType(Uint8Array.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(detectType(PDF)).toBe('application/pdf');
    expect(detectType(TEXT)).toBeUndefined();
    expect(detectType(new Uint8Array())).toBeUndefined();
    expect(detectType(PNG.slice(0, 7))).toBeUndefined();
    expect(detectType(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(detectType(new TextEncoder().encode(' %PDF-1.7'))).toBeUndefined();
    expect(SIGNATURE_BYTES).toBe(8);
  });

  it('makes storage keys of ids only, and reads back only such keys', () => {
    expect(objectKeyOf('01REQ', '01ATT')).toBe('01REQ/01ATT');
    expect(parseObjectKey('01REQ/01ATT')).toEqual({ requestId: '01REQ', attachmentId: '01ATT' });
    for (const key of ['01REQ', '01REQ/01ATT/x', '../01ATT', '01REQ/скан.pdf', '/01ATT', '01REQ/', 'a b/c']) expect(parseObjectKey(key), key).toBeUndefined();
  });
});

describe('createAttachment', () => {
  it('stores a pending attachment and signs a PUT of its key, valid 15 minutes', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    deps.clock.advanceMinutes(3);
    const out = await createAttachment(deps, USER, id, { fileName: '../../etc/passwd скан.png', contentType: 'image/png', size: 2048 });
    expect(out).toEqual({
      id: expect.any(String),
      status: 'pending',
      upload: { url: expect.stringMatching(new RegExp(`^memory://attachments/${id}/${out.id}\\?`)), method: 'PUT', headers: { 'Content-Type': 'image/png', 'If-None-Match': '*' } },
      expiresAt: new Date(deps.clock.now().getTime() + 15 * 60_000).toISOString(),
    });
    // The file name is kept as given, and is nowhere in the storage key.
    expect(out.upload.url).not.toContain('passwd');
    expect(await deps.attachments.getAttachment(id, out.id)).toMatchObject({ fileName: '../../etc/passwd скан.png', contentType: 'image/png', size: 2048, status: 'pending' });
    expect((await deps.requests.getRequest(id))?.updatedAt).toBe(deps.clock.now().toISOString());
  });

  it('binds the upload: another length, another type, an overwrite and a late PUT are refused by storage', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const out = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    expect(() => deps.objects.upload(out.upload, PNG.slice(0, 10), deps.clock.now())).toThrow(/content-length/);
    expect(() => deps.objects.upload({ ...out.upload, headers: { ...out.upload.headers, 'Content-Type': 'application/pdf' } }, PNG, deps.clock.now())).toThrow(/content-type/);
    deps.objects.upload(out.upload, PNG, deps.clock.now());
    expect(() => deps.objects.upload(out.upload, PNG, deps.clock.now())).toThrow(/exists/);
    const late = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    deps.clock.advanceSeconds(15 * 60 + 1);
    expect(() => deps.objects.upload(late.upload, PNG, deps.clock.now())).toThrow(/expired/);
  });

  it("answers 404 for another citizen's request and a missing one, storing nothing", async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    await expect(createAttachment(deps, 'intruder', id, declared(PNG, 'image/png'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(createAttachment(deps, USER, 'missing', declared(PNG, 'image/png'))).rejects.toBeInstanceOf(NotFoundError);
    expect(await deps.attachments.listAttachments(id)).toEqual([]);
    expect(deps.table.snapshot().attachments).toEqual([]);
  });

  it('refuses a closed request with 409 request_closed, as comments are', async () => {
    for (const close of ['cancel', 'answer'] as const) {
      const deps = memoryDeps();
      const id = await requestOf(deps);
      if (close === 'cancel') await cancelOwnRequest(deps, USER, id);
      else await answerRequest(deps, everyQueue('op-1'), id, { text: 'Ответ' });
      await expect(createAttachment(deps, USER, id, declared(PNG, 'image/png'))).rejects.toMatchObject({ code: 'request_closed' });
      expect(await deps.attachments.listAttachments(id)).toEqual([]);
    }
  });

  it('accepts files while the request is still being verified (any open status)', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps, false);
    expect((await deps.requests.getRequest(id))?.status).toBe('received');
    await expect(createAttachment(deps, USER, id, declared(PNG, 'image/png'))).resolves.toMatchObject({ status: 'pending' });
  });

  it('holds at most 5 that are not rejected: the 6th is 409 too_many_attachments, a rejected one frees its place', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await createAttachment(deps, USER, id, declared(PNG, 'image/png', `f${i}.png`))).id);
    const sixth = createAttachment(deps, USER, id, declared(PNG, 'image/png', 'f5.png'));
    await expect(sixth).rejects.toBeInstanceOf(StateConflictError);
    await expect(sixth).rejects.toMatchObject({ code: 'too_many_attachments' });
    expect(await deps.attachments.listAttachments(id)).toHaveLength(5);

    // One of them turns out to be text: rejected, so a sixth upload fits, and a seventh does not.
    deps.objects.put(objectKeyOf(id, ids[0] as string), TEXT);
    expect((await check(deps, objectKeyOf(id, ids[0] as string))).outcome).toBe('rejected');
    await expect(createAttachment(deps, USER, id, declared(PNG, 'image/png', 'f5.png'))).resolves.toMatchObject({ status: 'pending' });
    await expect(createAttachment(deps, USER, id, declared(PNG, 'image/png', 'f6.png'))).rejects.toMatchObject({ code: 'too_many_attachments' });
    expect(await deps.attachments.listAttachments(id)).toHaveLength(6);
  });

  it('gives up uploads never made 15 minutes after their URL expired, when their place is needed', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    for (let i = 0; i < 4; i += 1) await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    deps.clock.advanceMinutes(10);
    const newest = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    // The first four's URLs expired 15 minutes ago, plus 15 minutes of grace, less one second: not yet.
    deps.clock.advanceSeconds(20 * 60 - 1);
    await expect(createAttachment(deps, USER, id, declared(PNG, 'image/png'))).rejects.toMatchObject({ code: 'too_many_attachments' });
    deps.clock.advanceSeconds(2);
    await expect(createAttachment(deps, USER, id, declared(PNG, 'image/png'))).resolves.toMatchObject({ status: 'pending' });
    const all = await deps.attachments.listAttachments(id);
    expect(all.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'pending', 'pending']);
    expect(all.slice(0, 4).every((a) => a.reason === 'upload_expired')).toBe(true);
    expect(all[4]?.id).toBe(newest.id);
    const events = (await deps.requests.getRequestDetail(id))?.timeline.filter((e) => e.event === 'attachment_rejected') ?? [];
    expect(events.map((e) => e.detail)).toEqual(all.slice(0, 4).map((a) => `${a.id}: upload_expired`));
    // A file that still arrives for a given-up attachment is not kept.
    const late = all[0] as { id: string };
    deps.objects.put(objectKeyOf(id, late.id), PNG);
    expect(await check(deps, objectKeyOf(id, late.id))).toEqual({ outcome: 'rejected', remove: true });
    expect(deps.objects.keys()).not.toContain(objectKeyOf(id, late.id));
  });
});

describe('the upload check', () => {
  it('makes a real PNG and a real PDF ready, with a timeline event each', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const png = await attachAndUpload(deps, id, declared(PNG, 'image/png'), PNG);
    const pdf = await attachAndUpload(deps, id, declared(PDF, 'application/pdf'), PDF);
    expect([png.verdict, pdf.verdict]).toEqual([
      { outcome: 'ready', remove: false },
      { outcome: 'ready', remove: false },
    ]);
    expect(await statusOf(deps, id, png.id)).toBe('ready');
    const timeline = (await deps.requests.getRequestDetail(id))?.timeline ?? [];
    expect(timeline.filter((e) => e.event === 'attachment_ready').map((e) => e.detail)).toEqual([png.id, pdf.id]);
    expect(deps.objects.keys()).toEqual([objectKeyOf(id, png.id), objectKeyOf(id, pdf.id)].sort());
  });

  it.each([
    ['text declared as PNG', TEXT, 'image/png', 'type_mismatch'],
    ['a JPEG declared as PNG', JPEG, 'image/png', 'type_mismatch'],
    ['a PNG declared as PDF', PNG, 'application/pdf', 'type_mismatch'],
    ['an empty file', new Uint8Array(), 'image/png', 'size_mismatch'],
  ] as const)('rejects %s and removes the file', async (_what, bytes, contentType, reason) => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const created = await createAttachment(deps, USER, id, { fileName: 'x', contentType, size: Math.max(bytes.byteLength, 1) });
    const key = objectKeyOf(id, created.id);
    deps.objects.put(key, bytes); // stored as is: s3rver does not hold the upload to its signature
    expect(await check(deps, key)).toEqual({ outcome: 'rejected', remove: true });
    expect(await deps.attachments.getAttachment(id, created.id)).toMatchObject({ status: 'rejected', reason });
    expect(deps.objects.keys()).toEqual([]);
    expect(deps.objects.marked()).toEqual([key]);
    const event = (await deps.requests.getRequestDetail(id))?.timeline.at(-1);
    expect(event).toEqual({ at: deps.clock.now().toISOString(), event: 'attachment_rejected', detail: `${created.id}: ${reason}` });
  });

  it('rejects a truncated upload (size mismatch) even when the type is right', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const created = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    const key = objectKeyOf(id, created.id);
    deps.objects.put(key, PNG.slice(0, PNG.byteLength - 3));
    expect(await check(deps, key)).toEqual({ outcome: 'rejected', remove: true });
    expect(await deps.attachments.getAttachment(id, created.id)).toMatchObject({ status: 'rejected', reason: 'size_mismatch' });
  });

  it('is safe to run twice: no second event, no second place freed', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const good = await attachAndUpload(deps, id, declared(PNG, 'image/png'), PNG);
    expect(await check(deps, objectKeyOf(id, good.id))).toEqual({ outcome: 'ready', remove: false });
    const bad = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    deps.objects.put(objectKeyOf(id, bad.id), TEXT);
    await check(deps, objectKeyOf(id, bad.id));
    // The file is gone after the first run: the second finds nothing to check.
    expect(await check(deps, objectKeyOf(id, bad.id))).toEqual({ outcome: 'missing', remove: false });
    const timeline = (await deps.requests.getRequestDetail(id))?.timeline ?? [];
    expect(timeline.filter((e) => e.event.startsWith('attachment_')).map((e) => e.event)).toEqual(['attachment_ready', 'attachment_rejected']);
    expect((await deps.requests.getRequest(id))?.attachmentCount).toBe(1);
  });

  it('checks a replaced file again: a ready one whose object turns into text is rejected', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const { id: attachmentId } = await attachAndUpload(deps, id, declared(PNG, 'image/png'), PNG);
    // Where storage lets an object be overwritten (s3rver ignores If-None-Match), a new event follows.
    deps.objects.put(objectKeyOf(id, attachmentId), TEXT.slice(0, PNG.byteLength));
    expect(await check(deps, objectKeyOf(id, attachmentId))).toEqual({ outcome: 'rejected', remove: true });
    expect(await deps.attachments.getAttachment(id, attachmentId)).toMatchObject({ status: 'rejected', reason: 'type_mismatch' });
    expect((await deps.requests.getRequest(id))?.attachmentCount).toBe(0);
  });

  it('leaves keys it did not make alone, and removes files no attachment refers to', async () => {
    const deps = memoryDeps();
    deps.objects.put('someone/else/file.txt', TEXT);
    expect(await check(deps, 'someone/else/file.txt')).toEqual({ outcome: 'foreign', remove: false });
    expect(deps.objects.keys()).toEqual(['someone/else/file.txt']);
    deps.objects.put('01REQ/01ATT', PNG);
    expect(await check(deps, '01REQ/01ATT')).toEqual({ outcome: 'unknown', remove: true });
    expect(deps.objects.keys()).toEqual(['someone/else/file.txt']);
  });

  it('changes nothing when the object is gone', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const created = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    expect(await check(deps, objectKeyOf(id, created.id))).toEqual({ outcome: 'missing', remove: false });
    expect(await statusOf(deps, id, created.id)).toBe('pending');
  });
});

describe('downloads and who may read', () => {
  it('is 409 not_ready while pending and once rejected; a ready file gets a URL valid 5 minutes with the same bytes', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const pending = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    await expect(attachmentDownload(deps, OWNER, id, pending.id)).rejects.toMatchObject({ code: 'not_ready' });
    const bad = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    deps.objects.put(objectKeyOf(id, bad.id), TEXT);
    await check(deps, objectKeyOf(id, bad.id));
    await expect(attachmentDownload(deps, OWNER, id, bad.id)).rejects.toMatchObject({ code: 'not_ready' });

    const good = await attachAndUpload(deps, id, declared(PDF, 'application/pdf', 'Заявление.pdf'), PDF);
    const out = await attachmentDownload(deps, OWNER, id, good.id);
    expect(out.expiresAt).toBe(new Date(deps.clock.now().getTime() + 5 * 60_000).toISOString());
    const got = deps.objects.download(out.url, deps.clock.now());
    expect(got).toEqual({ body: PDF, contentType: 'application/pdf', fileName: 'Заявление.pdf' });
    deps.clock.advanceSeconds(5 * 60 + 1);
    expect(() => deps.objects.download(out.url, deps.clock.now())).toThrow(/expired/);
  });

  it('is 404 for an unknown attachment, another request\'s attachment, another citizen, and a reader who is neither owner nor operator', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const other = await requestOf(deps, true, 'user-2');
    const { id: attachmentId } = await attachAndUpload(deps, id, declared(PNG, 'image/png'), PNG);
    await expect(attachmentDownload(deps, OWNER, id, 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(attachmentDownload(deps, { userId: 'user-2', operatorQueues: [] }, other, attachmentId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(attachmentDownload(deps, { userId: 'user-2', operatorQueues: [] }, id, attachmentId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(attachmentDownload(deps, { userId: 'admin-1', operatorQueues: [] }, id, attachmentId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets an operator read the files of a request routed to a queue, and not of one in no queue yet', async () => {
    const deps = memoryDeps();
    const routed = await requestOf(deps);
    const { id: attachmentId } = await attachAndUpload(deps, routed, declared(PNG, 'image/png', 'скрин.png'), PNG);
    const out = await attachmentDownload(deps, OPERATOR, routed, attachmentId);
    expect(deps.objects.download(out.url, deps.clock.now()).body).toEqual(PNG);
    expect(await listRequestAttachments(deps, OPERATOR, routed)).toEqual({
      items: [{ id: attachmentId, fileName: 'скрин.png', contentType: 'image/png', size: PNG.byteLength, status: 'ready' }],
    });

    const unrouted = await requestOf(deps, false, 'user-3');
    await expect(listRequestAttachments(deps, OPERATOR, unrouted)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listRequestAttachments(deps, OPERATOR, 'missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is 404 for an operator of other queues, and for every operator once the citizen cancelled the request (the owner still reads)', async () => {
    const deps = memoryDeps();
    const routed = await requestOf(deps);
    const { id: attachmentId } = await attachAndUpload(deps, routed, declared(PNG, 'image/png', 'скрин.png'), PNG);
    await expect(listRequestAttachments(deps, OTHER_QUEUE_OPERATOR, routed)).rejects.toBeInstanceOf(NotFoundError);
    await expect(attachmentDownload(deps, OTHER_QUEUE_OPERATOR, routed, attachmentId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listRequestAttachments(deps, OPERATOR, routed)).items).toHaveLength(1);

    await cancelOwnRequest(deps, USER, routed);
    await expect(listRequestAttachments(deps, OPERATOR, routed)).rejects.toBeInstanceOf(NotFoundError);
    await expect(attachmentDownload(deps, OPERATOR, routed, attachmentId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await attachmentDownload(deps, OWNER, routed, attachmentId)).url).toBeTypeOf('string');
  });

  it('lists attachments in the request as the contract shapes them, rejected ones included', async () => {
    const deps = memoryDeps();
    const id = await requestOf(deps);
    const good = await attachAndUpload(deps, id, declared(PNG, 'image/png', 'a.png'), PNG);
    const bad = await createAttachment(deps, USER, id, declared(PNG, 'image/png', 'b.png'));
    deps.objects.put(objectKeyOf(id, bad.id), JPEG.slice(0, PNG.byteLength));
    await check(deps, objectKeyOf(id, bad.id));
    const view = await getOwnRequest(deps, USER, id);
    expect(view.attachments).toEqual([
      { id: good.id, fileName: 'a.png', contentType: 'image/png', size: PNG.byteLength, status: 'ready' },
      { id: bad.id, fileName: 'b.png', contentType: 'image/png', size: PNG.byteLength, status: 'rejected' },
    ]);
  });
});

describe('the attachments HTTP function', () => {
  let deps: MemoryDeps;
  beforeAll(() => logger.setLogLevel('SILENT'));
  beforeEach(() => {
    deps = memoryDeps();
    provideDeps(deps);
  });
  afterEach(() => resetDeps());

  const CREATE = 'POST /v1/requests/{id}/attachments';
  const GET = 'GET /v1/requests/{id}/attachments/{attachmentId}';
  const LIST = 'GET /v1/ops/requests/{id}/attachments';

  async function call(routeKey: string, options: Parameters<typeof httpEvent>[1]) {
    const result = await attachmentsHandler(httpEvent(routeKey, options), lambdaContext);
    return { status: result.statusCode, headers: (result.headers ?? {}) as Record<string, string>, body: result.body ? (JSON.parse(result.body) as Record<string, any>) : undefined };
  }

  it('answers 201 with the upload and a Location, then 200 with the download once checked', async () => {
    const id = await requestOf(deps);
    const created = await call(CREATE, { claims: { sub: USER }, pathParameters: { id }, body: { fileName: 'скрин.png', contentType: 'image/png', size: PNG.byteLength } });
    expect(created.status).toBe(201);
    expect(created.headers.Location).toBe(`/v1/requests/${id}/attachments/${created.body?.id}`);
    expect(created.body).toMatchObject({ status: 'pending', upload: { method: 'PUT' } });
    const pathParameters = { id, attachmentId: created.body?.id as string };
    expect((await call(GET, { claims: { sub: USER }, pathParameters })).body).toMatchObject({ status: 409, code: 'not_ready' });
    deps.objects.upload(created.body?.upload, PNG, deps.clock.now());
    await check(deps, objectKeyOf(id, created.body?.id));
    const got = await call(GET, { claims: { sub: USER }, pathParameters });
    expect(got.status).toBe(200);
    expect(Object.keys(got.body ?? {}).sort()).toEqual(['expiresAt', 'url']);
    // Operators read it too; a citizen who does not own it gets the 404 of a missing request.
    expect((await call(GET, { claims: staffClaims('op-1', ['operator']), pathParameters })).status).toBe(200);
    expect((await call(GET, { claims: { sub: 'user-2' }, pathParameters })).body).toMatchObject({ status: 404, code: 'not_found' });
    expect((await call(LIST, { claims: staffClaims('op-1', ['operator']), pathParameters: { id } })).body?.items).toHaveLength(1);
    expect((await call(LIST, { claims: { sub: USER }, pathParameters: { id } })).status).toBe(403);
  });

  it.each([
    ['a type the API does not take', { contentType: 'image/gif' }, 'contentType', 'invalid_value'],
    ['size 0', { size: 0 }, 'size', 'too_short'],
    ['size 10 MiB + 1', { size: MAX_ATTACHMENT_BYTES + 1 }, 'size', 'too_long'],
    ['a fractional size', { size: 1.5 }, 'size', 'invalid_type'],
    ['a size as text', { size: '100' }, 'size', 'invalid_type'],
    ['no file name', { fileName: '' }, 'fileName', 'too_short'],
    ['a file name of 256 characters', { fileName: 'ж'.repeat(252) + '.png' }, 'fileName', 'too_long'],
    ['a control character in the name', { fileName: 'a\nb.png' }, 'fileName', 'invalid_format'],
    ['half a surrogate pair in the name', { fileName: 'a\ud800.png' }, 'fileName', 'invalid_format'],
    ['a field the API does not know', { key: 'x/y' }, 'key', 'unexpected'],
  ])('refuses %s with 400 naming the field', async (_what, change, path, code) => {
    const id = await requestOf(deps);
    const out = await call(CREATE, { claims: { sub: USER }, pathParameters: { id }, body: { fileName: 'a.png', contentType: 'image/png', size: 10, ...change } });
    expect(out.status).toBe(400);
    expect(out.body?.errors).toContainEqual(expect.objectContaining({ path, code }));
    expect(await deps.attachments.listAttachments(id)).toEqual([]);
  });

  it('takes the boundaries: 1 byte and exactly 10 MiB, a 255-character Cyrillic name with an emoji', async () => {
    const id = await requestOf(deps);
    for (const file of [
      { fileName: 'a.pdf', contentType: 'application/pdf', size: 1 },
      { fileName: `${'ж'.repeat(247)}😀.jpeg`.slice(0, 255), contentType: 'image/jpeg', size: MAX_ATTACHMENT_BYTES },
    ]) {
      const out = await call(CREATE, { claims: { sub: USER }, pathParameters: { id }, body: file });
      expect(out.status, JSON.stringify(out.body)).toBe(201);
    }
  });
});

describe('the check workflow\'s task handlers, as the ASL calls them', () => {
  let deps: MemoryDeps;
  beforeAll(() => logger.setLogLevel('SILENT'));
  beforeEach(() => {
    deps = memoryDeps();
    provideDeps(deps);
  });
  afterEach(() => resetDeps());

  const task = (handler: typeof requestTasksHandler, event: Record<string, unknown>) => handler(event as never, lambdaContext);

  it('Inspect → Settle → Discard: the facts of one task are the next one\'s input', async () => {
    const id = await requestOf(deps);
    const created = await createAttachment(deps, USER, id, declared(PNG, 'image/png'));
    const key = objectKeyOf(id, created.id);
    const jpegOfPngSize = new Uint8Array(PNG.byteLength);
    jpegOfPngSize.set(JPEG);
    deps.objects.put(key, jpegOfPngSize);
    // statemachines/attachment.asl.json: Inspect's Payload is Settle's `facts`.
    const facts = await task(attachmentCheckHandler, { task: 'inspectUpload', key });
    expect(facts).toEqual({ key, found: true, size: PNG.byteLength, kind: 'image/jpeg' });
    const verdict = await task(requestTasksHandler, { task: 'settleAttachment', facts });
    expect(verdict).toEqual({ outcome: 'rejected', remove: true });
    expect(await task(attachmentCheckHandler, { task: 'discardUpload', key })).toEqual({ key, discarded: true });
    expect(deps.objects.keys()).toEqual([]);
    expect(await task(attachmentCheckHandler, { task: 'inspectUpload', key })).toEqual({ key, found: false });
  });

  it('refuses malformed input by name (ZodError), so the state machine sees it', async () => {
    await expect(task(attachmentCheckHandler, { task: 'inspectUpload' })).rejects.toMatchObject({ name: 'ZodError' });
    await expect(task(attachmentCheckHandler, { task: 'inspectUpload', key: '' })).rejects.toMatchObject({ name: 'ZodError' });
    for (const facts of [{ key: 'a/b', found: true }, { key: 'a/b', found: true, size: -1, kind: 'image/png' }, { key: 'a/b', found: true, size: 3, kind: 'image/gif' }, { found: false }]) {
      await expect(task(requestTasksHandler, { task: 'settleAttachment', facts })).rejects.toMatchObject({ name: 'ZodError' });
    }
  });
});
