import type { ReconcileStore } from '#ports/stores/reconcile';
import type { MemoryTable } from './memory-table.ts';

/** The reconciler's due checks, ordered as GSI2's sort key orders them. */
export function memoryReconcileStore(t: MemoryTable): ReconcileStore {
  return {
    async listDueChecks(until, limit, after) {
      // Ordered as GSI2's sort key orders them: `checkAt#id`.
      const key = (c: { checkAt: string; id: string }) => `${c.checkAt}#${c.id}`;
      return [...t.requests.values()]
        .flatMap((r) => (r.checkAt !== undefined && r.checkAt <= until ? [{ id: r.id, checkAt: r.checkAt }] : []))
        .filter((c) => !after || key(c) > key(after))
        .sort((a, b) => (key(a) < key(b) ? -1 : 1))
        .slice(0, limit);
    },
  };
}
