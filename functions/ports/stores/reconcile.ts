/** A request the reconciler should look at, and from when. */
export interface DueCheck {
  id: string;
  checkAt: string;
}

/** The reconciler's index of requests that may be stuck (a request's `checkAt`, kept with it). */
export interface ReconcileStore {
  /** Requests whose `checkAt` is at or before `until`, earliest first, `limit` at most, continuing after `after`. */
  listDueChecks(until: string, limit: number, after?: DueCheck): Promise<DueCheck[]>;
}
