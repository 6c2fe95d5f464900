/**
 * One value per warm instance, computed again once it is older than `ttlMs` (by `now`). Callers
 * at the same moment share one computation; a failed computation is not kept. For public reads
 * that fan out to many queries (GET /v1/contacts: ~25) and may be a few seconds stale, and for
 * the centre's calendar (core/calendar/current.ts).
 */
export function shortCache<T>(ttlMs: number, now: () => number, compute: () => Promise<T>): () => Promise<T> {
  let kept: { at: number; value: Promise<T> } | undefined;
  return () => {
    const t = now();
    if (kept && t - kept.at < ttlMs) return kept.value;
    const value = compute();
    const entry = { at: t, value };
    kept = entry;
    value.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return value;
  };
}
