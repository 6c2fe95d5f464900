import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#infra/local/dynamodb-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { identity, writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, cliToken, startSystem } from '../support/local-process.ts';

/**
 * Attachments through `npm start`: real files go straight to the local bucket (s3rver) through the
 * presigned URLs, its Object Created event runs the check workflow, and the request shows each file
 * `ready` or `rejected`. s3rver does not verify signatures, so a file the signature would keep out
 * on AWS (another length) reaches the check here, which rejects it on its own.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'support-center-attachments-'));
let system: StartedSystem;
const call = apiClient(() => system.url);
const CITIZEN = 'attach-citizen';
let citizen: string;
let other: string;
let operator: string;
let admin: string;

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** A real 1×1 JPEG. */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
let PDF: Buffer;

interface Created {
  id: string;
  status: string;
  upload: { url: string; method: string; headers: Record<string, string> };
  expiresAt: string;
}

async function registeredRequest(token = citizen): Promise<string> {
  const created = await call('/v1/requests', { method: 'POST', token, body: writtenRequest() });
  expect(created.status).toBe(202);
  const id = created.body.id as string;
  await eventually(async () => ((await call(`/v1/requests/${id}`, { token })).body.status === 'registered' ? true : undefined), `${id} registered`, 20_000);
  return id;
}

async function attach(requestId: string, file: { fileName: string; contentType: string; size: number }, token = citizen) {
  return call(`/v1/requests/${requestId}/attachments`, { method: 'POST', token, body: file });
}

async function attachOk(requestId: string, file: { fileName: string; contentType: string; size: number }): Promise<Created> {
  const out = await attach(requestId, file);
  expect(out.status, JSON.stringify(out.body)).toBe(201);
  return out.body as unknown as Created;
}

/** What the portal does with the answer: PUT the bytes to the URL with exactly the headers given. */
async function put(created: Created, bytes: Buffer): Promise<number> {
  const res = await fetch(created.upload.url, { method: created.upload.method, headers: created.upload.headers, body: bytes });
  await res.arrayBuffer();
  return res.status;
}

async function settled(requestId: string, attachmentId: string) {
  return eventually(async () => {
    const detail = await call(`/v1/requests/${requestId}`, { token: citizen });
    const found = (detail.body.attachments as { id: string; status: string }[]).find((a) => a.id === attachmentId);
    return found && found.status !== 'pending' ? { attachment: found, detail: detail.body } : undefined;
  }, `attachment ${attachmentId} checked`, 20_000);
}

beforeAll(async () => {
  const doc = await PDFDocument.create();
  doc.addPage([300, 200]).drawText('Attachment e2e', { font: await doc.embedFont(StandardFonts.Helvetica) });
  PDF = Buffer.from(await doc.save());
  system = await startSystem({ DATA_DIR: dataDir });
  citizen = cliToken(CITIZEN);
  other = cliToken('attach-other');
  operator = cliToken('attach-operator', 'operator');
  admin = cliToken('attach-admin', 'admin');
  expect((await call(`/v1/admin/profiles/${CITIZEN}`, { method: 'PUT', token: admin, body: identity() })).status).toBe(201);
});

afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('attachments on a written request', () => {
  let requestId: string;
  let pngId: string;
  let pdfId: string;

  it('uploads a real PNG and a real PDF through the presigned URLs and sees both ready', async () => {
    requestId = await registeredRequest();
    const before = Date.now();
    const png = await attachOk(requestId, { fileName: 'Скриншот ошибки.png', contentType: 'image/png', size: PNG.length });
    const pdf = await attachOk(requestId, { fileName: 'Заявление.pdf', contentType: 'application/pdf', size: PDF.length });
    pngId = png.id;
    pdfId = pdf.id;
    expect(png).toMatchObject({ status: 'pending', upload: { method: 'PUT', headers: { 'Content-Type': 'image/png' } } });
    // Valid 15 minutes, and the key is made of ids, never the file name.
    const uploadUrl = new URL(png.upload.url);
    expect(uploadUrl.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(uploadUrl.pathname).toMatch(new RegExp(`/${requestId}/${png.id}$`));
    expect(Date.parse(png.expiresAt) - before).toBeGreaterThanOrEqual(15 * 60_000 - 1_000);
    expect(Date.parse(png.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    expect(await put(png, PNG)).toBe(200);
    expect(await put(pdf, PDF)).toBe(200);
    expect((await settled(requestId, png.id)).attachment).toEqual({ id: png.id, fileName: 'Скриншот ошибки.png', contentType: 'image/png', size: PNG.length, status: 'ready' });
    const { detail } = await settled(requestId, pdf.id);
    expect((detail.attachments as { status: string }[]).map((a) => a.status)).toEqual(['ready', 'ready']);
    const timeline = detail.timeline as { event: string; detail?: string }[];
    expect(timeline.filter((e) => e.event === 'attachment_ready').map((e) => e.detail).sort()).toEqual([png.id, pdf.id].sort());
  });

  it('serves the same bytes through a download URL valid 5 minutes, named as uploaded', async () => {
    for (const [id, bytes, type, name] of [
      [pngId, PNG, 'image/png', 'Скриншот ошибки.png'],
      [pdfId, PDF, 'application/pdf', 'Заявление.pdf'],
    ] as const) {
      const got = await call(`/v1/requests/${requestId}/attachments/${id}`, { token: citizen });
      expect(got.status).toBe(200);
      expect(Object.keys(got.body).sort()).toEqual(['expiresAt', 'url']);
      expect(new URL(got.body.url as string).searchParams.get('X-Amz-Expires')).toBe('300');
      expect(Date.parse(got.body.expiresAt as string) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
      expect(Date.parse(got.body.expiresAt as string) - Date.now()).toBeGreaterThan(4 * 60_000);
      const file = await fetch(got.body.url as string);
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
      expect(file.headers.get('content-type')).toBe(type);
      expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(file.headers.get('content-disposition') ?? '')?.[1] ?? '')).toBe(name);
    }
  });

  it('rejects a file declared as PNG that holds text, a JPEG declared as PNG and a truncated upload, and removes them', async () => {
    const text = Buffer.from('Это текст, а не картинка. '.repeat(4), 'utf8');
    const cases = [
      { file: { fileName: 'fake.png', contentType: 'image/png', size: text.length }, bytes: text, reason: 'type_mismatch' },
      { file: { fileName: 'photo.png', contentType: 'image/png', size: JPEG.length }, bytes: JPEG, reason: 'type_mismatch' },
      // Declared whole, sent cut short: AWS refuses it by its signed length; s3rver takes it, the check does not.
      { file: { fileName: 'cut.pdf', contentType: 'application/pdf', size: PDF.length }, bytes: PDF.subarray(0, PDF.length - 100), reason: 'size_mismatch' },
    ];
    for (const c of cases) {
      const created = await attachOk(requestId, c.file);
      expect(await put(created, c.bytes)).toBe(200);
      const { attachment, detail } = await settled(requestId, created.id);
      expect(attachment.status).toBe('rejected');
      expect((detail.timeline as { event: string; detail?: string }[]).filter((e) => e.event === 'attachment_rejected').map((e) => e.detail)).toContain(`${created.id}: ${c.reason}`);
      const download = await call(`/v1/requests/${requestId}/attachments/${created.id}`, { token: citizen });
      expect(download.status).toBe(409);
      expect(download.body.code).toBe('not_ready');
      // The rejected file is gone from the bucket.
      await eventually(async () => ((await stored(`${requestId}/${created.id}`)) ? undefined : true), `${created.id} removed from storage`);
    }
  });

  it('counts only files that are not rejected: three more fit, a sixth is 409 too_many_attachments', async () => {
    const pending: Created[] = [];
    for (let i = 0; i < 3; i += 1) pending.push(await attachOk(requestId, { fileName: `extra-${i}.jpeg`, contentType: 'image/jpeg', size: 100 + i }));
    const sixth = await attach(requestId, { fileName: 'sixth.png', contentType: 'image/png', size: PNG.length });
    expect(sixth.status).toBe(409);
    expect(sixth.body).toMatchObject({ code: 'too_many_attachments', status: 409 });
    expect(sixth.type).toContain('application/problem+json');
    const detail = await call(`/v1/requests/${requestId}`, { token: citizen });
    const statuses = (detail.body.attachments as { status: string }[]).map((a) => a.status);
    expect(statuses).toEqual(['ready', 'ready', 'rejected', 'rejected', 'rejected', 'pending', 'pending', 'pending']);
    // A pending file is not ready either.
    const notYet = await call(`/v1/requests/${requestId}/attachments/${pending[0]?.id}`, { token: citizen });
    expect(notYet).toMatchObject({ status: 409, body: { code: 'not_ready' } });
  });

  it('keeps the files under DATA_DIR/s3', () => {
    const files = filesUnder(join(dataDir, 's3'));
    expect(files.some((f) => f.includes(pngId))).toBe(true);
    expect(files.some((f) => f.includes(pdfId))).toBe(true);
  });

  it('lets an operator read the files of a request in a queue; other citizens and admins get 404', async () => {
    const list = await call(`/v1/ops/requests/${requestId}/attachments`, { token: operator });
    expect(list.status).toBe(200);
    expect((list.body.items as { id: string }[]).map((a) => a.id).slice(0, 2)).toEqual([pngId, pdfId]);
    const got = await call(`/v1/requests/${requestId}/attachments/${pngId}`, { token: operator });
    expect(got.status).toBe(200);
    expect(Buffer.from(await (await fetch(got.body.url as string)).arrayBuffer()).equals(PNG)).toBe(true);

    for (const token of [other, admin]) {
      const peek = await call(`/v1/requests/${requestId}/attachments/${pngId}`, { token });
      const missing = await call(`/v1/requests/01JZZZZZZZZZZZZZZZZZZZZZZZ/attachments/${pngId}`, { token });
      expect(peek.status).toBe(404);
      expect(peek.body).toEqual(missing.body);
      expect(peek.bytes.toString()).not.toContain(pngId.slice(-8));
    }
    expect((await call(`/v1/ops/requests/${requestId}/attachments`, { token: citizen })).status).toBe(403);
    expect((await attach(requestId, { fileName: 'x.png', contentType: 'image/png', size: 10 }, other)).status).toBe(404);
    expect((await attach(requestId, { fileName: 'x.png', contentType: 'image/png', size: 10 }, operator)).status).toBe(404);
  });

  it('keeps operators out of a request that is in no queue (identity not verified)', async () => {
    const stranger = cliToken('attach-no-profile');
    const created = await call('/v1/requests', { method: 'POST', token: stranger, body: writtenRequest() });
    const id = created.body.id as string;
    await eventually(async () => ((await call(`/v1/requests/${id}`, { token: stranger })).body.status === 'needs_info' ? true : undefined), 'needs_info', 20_000);
    const file = await attach(id, { fileName: 'passport.pdf', contentType: 'application/pdf', size: PDF.length }, stranger);
    expect(file.status).toBe(201);
    expect((await call(`/v1/ops/requests/${id}/attachments`, { token: operator })).status).toBe(404);
    expect((await call(`/v1/requests/${id}/attachments/${file.body.id as string}`, { token: operator })).status).toBe(404);
  });
});

describe('attachments: refusals', () => {
  let requestId: string;
  beforeAll(async () => {
    requestId = await registeredRequest();
  });

  it.each([
    ['a type the API does not take', { contentType: 'image/gif' }, 'contentType', 'invalid_value'],
    ['size 0', { size: 0 }, 'size', 'too_short'],
    ['size 10 MiB + 1', { size: 10 * 1024 * 1024 + 1 }, 'size', 'too_long'],
    ['no file name', { fileName: '' }, 'fileName', 'too_short'],
    ['an unknown field', { storageKey: 'x' }, 'storageKey', 'unexpected'],
  ])('400 for %s', async (_what, change, path, code) => {
    const out = await attach(requestId, { fileName: 'a.png', contentType: 'image/png', size: 10, ...change });
    expect(out.status).toBe(400);
    expect(out.body.code).toBe('validation_failed');
    expect(out.body.errors).toContainEqual(expect.objectContaining({ path, code }));
  });

  it('takes exactly 10 MiB, and refuses files on a cancelled request with 409 request_closed', async () => {
    expect((await attach(requestId, { fileName: 'big.pdf', contentType: 'application/pdf', size: 10 * 1024 * 1024 })).status).toBe(201);
    expect((await call(`/v1/requests/${requestId}/cancel`, { method: 'POST', token: citizen })).status).toBe(200);
    const closed = await attach(requestId, { fileName: 'late.png', contentType: 'image/png', size: PNG.length });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('request_closed');
  });

  it('is 404 for an unknown attachment and 401 without a token', async () => {
    expect((await call(`/v1/requests/${requestId}/attachments/01JZZZZZZZZZZZZZZZZZZZZZZZ`, { token: citizen })).status).toBe(404);
    expect((await call(`/v1/requests/${requestId}/attachments`, { method: 'POST', body: { fileName: 'a.png', contentType: 'image/png', size: 1 } })).status).toBe(401);
  });
});

describe('attachments across a restart with DATA_DIR', () => {
  it('still serves a ready file after npm start is restarted', async () => {
    const requestId = await registeredRequest();
    const created = await attachOk(requestId, { fileName: 'kept.png', contentType: 'image/png', size: PNG.length });
    expect(await put(created, PNG)).toBe(200);
    await settled(requestId, created.id);
    await system.stop();
    system = await startSystem({ DATA_DIR: dataDir });
    const got = await call(`/v1/requests/${requestId}/attachments/${created.id}`, { token: citizen });
    expect(got.status).toBe(200);
    expect(Buffer.from(await (await fetch(got.body.url as string)).arrayBuffer()).equals(PNG)).toBe(true);
  });
});

/** Whether the local bucket (whose endpoint npm start prints) holds the key. */
async function stored(key: string): Promise<boolean> {
  const printed = /attachments bucket (\S+) at (\S+)/.exec(system.output());
  if (!printed) throw new Error(`npm start did not print the attachments bucket:\n${system.output()}`);
  const [, bucket, endpoint] = printed;
  const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint, forcePathStyle: true });
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'NotFound') return false;
    throw error;
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
