import { METRICS, METRIC_NAMESPACE, type Metrics, SERVICE_DIMENSION } from '#ports/metrics';

/**
 * CloudWatch embedded metric format: one JSON line per value on stdout, which Lambda ships to
 * CloudWatch Logs, where the metric is extracted without any API call in the request path. Each
 * value goes out under [Service] alone (what alarms watch) and [Service, its dimensions].
 * Dimension values are the service's own vocabulary (channel, queue, notice kind): never personal data.
 */
export function emfMetrics(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), now: () => number = Date.now): Metrics {
  return {
    put(name, dimensions, value = 1) {
      try {
        const def = METRICS[name];
        const keys = Object.keys(SERVICE_DIMENSION);
        write(
          JSON.stringify({
            _aws: {
              Timestamp: now(),
              CloudWatchMetrics: [
                { Namespace: METRIC_NAMESPACE, Dimensions: [keys, [...keys, ...def.dimensions]], Metrics: [{ Name: name, Unit: def.unit }] },
              ],
            },
            ...SERVICE_DIMENSION,
            ...dimensions,
            [name]: value,
          }),
        );
      } catch {
        // A metric must never fail the work it counts.
      }
    },
  };
}
