/**
 * Who is signed in, per browser tab (sessionStorage: closing the tab signs out) and per face: a
 * citizen and an operator may be signed in side by side. The identity is what the identity
 * provider said about the citizen (locally: the test citizen's), used only to prefill the forms.
 */
import type { Schemas } from './api.ts';

export type Face = 'citizen' | 'operator';
/** A time zone of Russia, as the API names them. */
export type Zone = NonNullable<Schemas['Profile']['timeZone']>;

export interface Identity {
  fullName: string;
  snils: string;
  passport: { series: string; number: string; issuedOn: string };
  phone: string;
  timeZone: Zone;
}

export interface Session {
  token: string;
  user: string;
  role: Face;
  identity?: Identity;
  queues?: string[];
}

const key = (face: Face) => `support-center:${face}`;

export function readSession(face: Face): Session | undefined {
  try {
    const raw = sessionStorage.getItem(key(face));
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(key(session.role), JSON.stringify(session));
}

export function clearSession(face: Face): void {
  sessionStorage.removeItem(key(face));
}
