import type { MetricName, Metrics } from '#ports/metrics';

export interface RecordedMetric {
  name: MetricName;
  dimensions: Record<string, string>;
  value: number;
}

/** Metrics kept in memory, for assertions. */
export interface MemoryMetrics extends Metrics {
  readonly recorded: readonly RecordedMetric[];
  /** The sum of a metric's values, optionally only where the given dimensions match. */
  total(name: MetricName, where?: Record<string, string>): number;
}

export function memoryMetrics(): MemoryMetrics {
  const recorded: RecordedMetric[] = [];
  return {
    recorded,
    put(name, dimensions, value = 1) {
      recorded.push({ name, dimensions: { ...dimensions }, value });
    },
    total(name, where = {}) {
      return recorded
        .filter((m) => m.name === name && Object.entries(where).every(([k, v]) => m.dimensions[k] === v))
        .reduce((sum, m) => sum + m.value, 0);
    },
  };
}
