import type { Schemas } from '../shared/api.ts';
import { problemText } from '../shared/problems.ts';
import { api } from './client.ts';

/**
 * Attachments go straight to storage: ask the API for a presigned upload, PUT the bytes there
 * (XMLHttpRequest: fetch reports no upload progress), and the file is checked by itself after.
 */
export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'application/pdf'] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];
export const MAX_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 5;

/** Files chosen on the "Написать обращение" form, uploaded by the request's page once it exists. */
export const pendingFiles = new Map<string, File[]>();

/** The file's type as the API names it, when it is one the API takes. */
function acceptedType(type: string): AcceptedType | undefined {
  return ACCEPTED_TYPES.find((t) => t === type);
}

export function fileProblem(file: File): string | undefined {
  if (!acceptedType(file.type)) return `${file.name}: можно прикрепить PNG, JPEG или PDF.`;
  if (file.size < 1 || file.size > MAX_BYTES) return `${file.name}: файл должен быть не больше 10 МБ.`;
  return undefined;
}

function put(upload: Schemas['AttachmentUpload']['upload'], file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers)) {
      // The browser sets Content-Length itself from the body.
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`upload ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('upload failed'));
    xhr.send(file);
  });
}

export async function uploadFile(requestId: string, file: File, onProgress: (fraction: number) => void): Promise<void> {
  const contentType = acceptedType(file.type);
  if (!contentType) throw new Error(fileProblem(file));
  const { data, error } = await api.POST('/v1/requests/{id}/attachments', {
    params: { path: { id: requestId } },
    body: { fileName: file.name, contentType, size: file.size },
  });
  if (!data) throw new Error(problemText(error).message);
  await put(data.upload, file, onProgress);
  onProgress(1);
}
