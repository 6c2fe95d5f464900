import type { AttachmentType } from './model.ts';

/**
 * A file's real type from its first bytes (its "magic number"), for the types the API accepts:
 * PNG's 8-byte signature, JPEG's SOI marker followed by a marker byte, and PDF's `%PDF-` header
 * (at offset 0: a file that only carries it later is not accepted as a PDF).
 */
const SIGNATURES: readonly { type: AttachmentType; bytes: readonly number[] }[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];

/** How many leading bytes `detectType` needs. */
export const SIGNATURE_BYTES = Math.max(...SIGNATURES.map((s) => s.bytes.length));

export function detectType(head: Uint8Array): AttachmentType | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => head[i] === b))?.type;
}
