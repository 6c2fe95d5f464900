/**
 * A value built on its first use, and the same value from then on. The zod schemas are built this
 * way: building them is the largest part of a Lambda's cold import beyond the bare stack
 * (docs/operations.md, "Benchmarks"), and each function parses only its own routes' and tasks'
 * shapes, so built at import every function would pay for all of them.
 */
export type Lazy<T> = () => T;

export function lazy<T>(build: () => T): Lazy<T> {
  let value: T | undefined;
  return () => (value ??= build());
}
