import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Problem } from './api.ts';

/**
 * Data from one API call, loaded when the component appears and whenever `key` changes;
 * `reload()` fetches again, and `refreshMs` refetches on a timer while the page is visible
 * (queues, and a request that is still moving on by itself).
 */
export interface Resource<T> {
  data: T | undefined;
  problem: Problem | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useResource<T>(
  load: () => Promise<{ data?: T; error?: Problem | undefined }>,
  key: string,
  refreshMs?: (data: T | undefined) => number | undefined,
): Resource<T> {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<Problem>();
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      const result = await loadRef.current();
      if (result.data !== undefined) {
        setData(result.data);
        setProblem(undefined);
      } else setProblem(result.error);
    } catch {
      setProblem({ type: 'about:blank', title: 'network', status: 0, code: 'network' });
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    setLoading(true);
    void reload();
  }, [key]);
  const every = refreshMs?.(data);
  useEffect(() => {
    if (!every) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, every);
    return () => clearInterval(timer);
  }, [every, key]);
  return { data, problem, loading, reload };
}
