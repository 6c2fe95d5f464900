import { ValidationError } from './errors.ts';

/**
 * Page cursors: opaque to clients, a position (a time and an id) this API issued. A cursor is
 * always applied inside a partition the caller may read (their own list, a queue of their claim),
 * so a forged one can only move within what the caller sees anyway; anything that is not a
 * position we could have issued is 400 `invalid_cursor`, never a 500.
 */
const ULID = /^[0-9A-Z]{26}$/;

export function invalidCursor(): ValidationError {
  return new ValidationError([{ path: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API issued.' }]);
}

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id]), 'utf8').toString('base64url');
}

/** The (time, id) of a cursor; `idPattern` says what an id of that list looks like (a ULID by default). */
export function decodeCursor(cursor: string, idPattern: RegExp = ULID): { at: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw invalidCursor();
  const [at, id] = parsed as [string, string];
  // Only the exact form toISOString writes: the position is a key, and a key must match exactly.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || Number.isNaN(Date.parse(at)) || !idPattern.test(id)) throw invalidCursor();
  return { at, id };
}
