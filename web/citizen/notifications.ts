import { useEffect, useState } from 'preact/hooks';
import { api } from './client.ts';

/**
 * The unread count for the navigation: read on each page change and every 15 seconds while the
 * page is visible, and at once when the notifications page changes it (the UNREAD event), so the
 * badge never waits a whole period to agree with what the citizen just did.
 */
export const UNREAD = 'citizen:unread';
const REFRESH_MS = 15_000;

export function announceUnread(unread: number): void {
  window.dispatchEvent(new CustomEvent<number>(UNREAD, { detail: unread }));
}

export function useUnread(signedIn: boolean, path: string): number {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    if (!signedIn) return setUnread(0);
    let live = true;
    const load = async () => {
      try {
        const { data } = await api.GET('/v1/notifications', { params: { query: { limit: 1 } } });
        if (live && data) setUnread(data.unread);
      } catch {
        // A network failure keeps the last count; the next period tries again.
      }
    };
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    const told = (e: Event) => setUnread((e as CustomEvent<number>).detail);
    window.addEventListener(UNREAD, told);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(UNREAD, told);
    };
  }, [signedIn, path]);
  return unread;
}
