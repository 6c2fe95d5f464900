import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../shared/api.ts';
import { ATTACHMENT_STATUS_LABELS } from '../shared/labels.ts';
import { problemText } from '../shared/problems.ts';
import { api } from './client.ts';
import { MAX_FILES, fileProblem, pendingFiles, uploadFile } from './uploads.ts';

/**
 * The request's files: the ones chosen on the form (pendingFiles) upload as soon as the request
 * exists, each with a progress bar; more can be added while it is open; each then shows the
 * checked status, and a checked one opens through a short-lived link.
 */
interface Upload {
  name: string;
  fraction: number;
  error?: string;
}

export function AttachmentsSection({ requestId, attachments, open, onUploaded }: { requestId: string; attachments: Schemas['Attachment'][]; open: boolean; onUploaded: () => void }) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [message, setMessage] = useState<string>();

  async function start(files: File[]) {
    const problems = files.map(fileProblem).filter(Boolean);
    if (problems.length > 0) return setMessage(problems.join(' '));
    const base = uploads.length;
    setUploads((u) => [...u, ...files.map((f) => ({ name: f.name, fraction: 0 }))]);
    await Promise.all(
      files.map(async (file, i) => {
        const update = (patch: Partial<Upload>) => setUploads((u) => u.map((x, j) => (j === base + i ? { ...x, ...patch } : x)));
        try {
          await uploadFile(requestId, file, (fraction) => update({ fraction }));
        } catch (error) {
          update({ error: (error as Error).message || 'Файл не загрузился.' });
        }
      }),
    );
    onUploaded();
  }

  useEffect(() => {
    const files = pendingFiles.get(requestId);
    if (!files) return;
    pendingFiles.delete(requestId);
    void start(files);
  }, [requestId]);

  async function openFile(a: Schemas['Attachment']) {
    const { data, error } = await api.GET('/v1/requests/{id}/attachments/{attachmentId}', { params: { path: { id: requestId, attachmentId: a.id } } });
    if (!data) return setMessage(problemText(error).message);
    window.open(data.url, '_blank', 'noopener');
  }

  const active = uploads.filter((u) => u.fraction < 1 || u.error);
  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">Файлы</h2>
      {active.map((u) => (
        <div class="upload" key={u.name}>
          <label>
            {u.name}
            <progress max={1} value={u.fraction} aria-label={`Загрузка ${u.name}`} />
          </label>
          {u.error ? <p class="field-error">{u.error}</p> : null}
        </div>
      ))}
      {attachments.length === 0 && active.length === 0 ? <p>Файлов нет.</p> : null}
      <ul class="files">
        {attachments.map((a) => (
          <li key={a.id}>
            <span>{a.fileName}</span> <span class={`file-status file-status--${a.status}`}>{ATTACHMENT_STATUS_LABELS[a.status]}</span>{' '}
            {a.status === 'ready' ? (
              <button type="button" class="link-button" onClick={() => openFile(a)}>
                Открыть {a.fileName}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {message ? <p role="alert">{message}</p> : null}
      {open && attachments.filter((a) => a.status !== 'rejected').length < MAX_FILES ? (
        <div class="field">
          <label for="more-files">Прикрепить файл</label>
          <input
            id="more-files"
            type="file"
            accept="image/png,image/jpeg,application/pdf"
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = '';
              if (files.length > 0) void start(files);
            }}
          />
        </div>
      ) : null}
    </section>
  );
}
