import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryMetrics } from '#adapters/memory/memory-metrics';
import { emfMetrics } from '#adapters/metrics/emf-metrics';
import { METRICS, METRIC_NAMESPACE, type MetricName, type Metrics, SERVICE_DIMENSION } from '#ports/metrics';

/**
 * The EMF adapter writes what CloudWatch extracts metrics from: one JSON line per value, whose
 * `_aws` block names the namespace, the dimension sets and the metric, and whose root holds the
 * dimension values and the value itself. Checked for every metric of METRICS, so a new metric is
 * covered without touching this file.
 */

const NAMES = Object.keys(METRICS) as MetricName[];
const SERVICE_KEYS = Object.keys(SERVICE_DIMENSION);
const FIXED_NOW = 1_772_442_000_000;

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** Distinct values per dimension, so a value written under the wrong key shows. */
function dimensionsOf(name: MetricName): Record<string, string> {
  return Object.fromEntries(METRICS[name].dimensions.map((d) => [d, `${d.toLowerCase()}-value`]));
}

/** `put` over a metric chosen at run time: the port's types tie dimensions to a literal name. */
function putAny(metrics: Metrics, name: MetricName, dimensions: Record<string, string>, value?: number): void {
  (metrics.put as (n: MetricName, d: Record<string, string>, v?: number) => void)(name, dimensions, value);
}

function capture(now: () => number = () => FIXED_NOW) {
  const lines: string[] = [];
  const metrics = emfMetrics((line) => lines.push(line), now);
  return { lines, metrics };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('METRICS: the catalogue the adapter and the alarms share', () => {
  it('has metrics, each with a CloudWatch unit and dimension names that cannot collide in an EMF root', () => {
    expect(NAMES.length).toBeGreaterThan(0);
    for (const name of NAMES) {
      const { unit, dimensions } = METRICS[name];
      expect(['Count', 'Seconds', 'Percent']).toContain(unit);
      expect(new Set(dimensions).size, name).toBe(dimensions.length);
      for (const d of dimensions) {
        // The root holds dimension values and the metric's value side by side.
        expect([...SERVICE_KEYS, name, '_aws', ...NAMES], `${name}.${d}`).not.toContain(d);
      }
    }
  });
});

describe('emfMetrics: one valid EMF line per value', () => {
  it.each(NAMES)('%s: namespace, dimension sets, metric definition and root values', (name) => {
    const { lines, metrics } = capture();
    const dimensions = dimensionsOf(name);
    putAny(metrics, name, dimensions);

    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as EmfLine;
    expect(parsed._aws).toEqual({
      Timestamp: FIXED_NOW,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [SERVICE_KEYS, [...SERVICE_KEYS, ...METRICS[name].dimensions]],
          Metrics: [{ Name: name, Unit: METRICS[name].unit }],
        },
      ],
    });
    // The root: exactly the service dimension, the metric's dimension values, and its value (1 by default).
    const { _aws, ...root } = parsed;
    expect(root).toEqual({ ...SERVICE_DIMENSION, ...dimensions, [name]: 1 });
    // Every dimension referenced in the sets has its value in the root, as EMF requires.
    for (const set of parsed._aws.CloudWatchMetrics[0]?.Dimensions ?? []) {
      for (const key of set) expect(typeof root[key], key).toBe('string');
    }
  });

  it.each(NAMES)('%s: an explicit value goes under the metric name', (name) => {
    const { lines, metrics } = capture();
    putAny(metrics, name, dimensionsOf(name), 42.5);
    expect((JSON.parse(lines[0] as string) as EmfLine)[name]).toBe(42.5);
  });

  it('writes one line per put, each with the clock of its own moment', () => {
    let t = FIXED_NOW;
    const { lines, metrics } = capture(() => t);
    metrics.put('SlotsBooked', { Queue: 'consult' });
    t += 1_000;
    metrics.put('SlotFill', { Queue: 'consult' }, 75);
    t += 1_000;
    metrics.put('SmsSent', { Notice: 'registered' });
    expect(lines).toHaveLength(3);
    const parsed = lines.map((l) => JSON.parse(l) as EmfLine);
    expect(parsed.map((p) => p._aws.Timestamp)).toEqual([FIXED_NOW, FIXED_NOW + 1_000, FIXED_NOW + 2_000]);
    expect(parsed.map((p) => p._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name)).toEqual(['SlotsBooked', 'SlotFill', 'SmsSent']);
    expect(parsed[1]?.SlotFill).toBe(75);
    expect(parsed[1]?._aws.CloudWatchMetrics[0]?.Metrics[0]?.Unit).toBe('Percent');
  });

  it('never throws: neither a failing write nor a failing clock fails the work it counts', () => {
    const write = vi.fn(() => {
      throw new Error('EPIPE');
    });
    expect(() => emfMetrics(write, () => FIXED_NOW).put('RequestsCreated', { Channel: 'written', Type: 'technical' })).not.toThrow();
    expect(write).toHaveBeenCalledTimes(1);
    const clockFails = () => {
      throw new Error('no clock');
    };
    expect(() => emfMetrics(() => undefined, clockFails).put('SmsFailed', { Notice: 'missed' })).not.toThrow();
  });

  it('by default writes the line and a newline to stdout, stamped with the current time', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write);
    const before = Date.now();
    emfMetrics().put('CodesLocked', { Purpose: 'call-confirmation' });
    const after = Date.now();
    expect(written).toHaveLength(1);
    const chunk = written[0] as string;
    expect(chunk.endsWith('\n')).toBe(true);
    expect(chunk.indexOf('\n')).toBe(chunk.length - 1);
    const parsed = JSON.parse(chunk) as EmfLine;
    expect(parsed.CodesLocked).toBe(1);
    expect(parsed.Purpose).toBe('call-confirmation');
    expect(parsed._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(parsed._aws.Timestamp).toBeLessThanOrEqual(after);
  });
});

describe('memoryMetrics: what the unit tests assert on', () => {
  it('records each put and sums a metric, optionally only where the given dimensions match', () => {
    const m = memoryMetrics();
    m.put('WorkflowStepFailed', { Workflow: 'intake', Step: 'Notify' });
    m.put('WorkflowStepFailed', { Workflow: 'intake', Step: 'Route' });
    m.put('WorkflowStepFailed', { Workflow: 'callback', Step: 'Notify' }, 3);
    m.put('SmsFailed', { Notice: 'registered' }, 100);

    expect(m.recorded).toHaveLength(4);
    expect(m.recorded[2]).toEqual({ name: 'WorkflowStepFailed', dimensions: { Workflow: 'callback', Step: 'Notify' }, value: 3 });
    expect(m.total('WorkflowStepFailed')).toBe(5);
    expect(m.total('WorkflowStepFailed', { Workflow: 'intake' })).toBe(2);
    expect(m.total('WorkflowStepFailed', { Step: 'Notify' })).toBe(4);
    expect(m.total('WorkflowStepFailed', { Workflow: 'callback', Step: 'Notify' })).toBe(3);
    expect(m.total('WorkflowStepFailed', { Workflow: 'callback', Step: 'Route' })).toBe(0);
    expect(m.total('WorkflowStepFailed', { Workflow: 'notice' })).toBe(0);
    expect(m.total('SmsFailed')).toBe(100);
    expect(m.total('SmsSent')).toBe(0);
  });

  it('keeps a copy of the dimensions, not the caller’s object', () => {
    const m = memoryMetrics();
    const dims = { Queue: 'consult' };
    m.put('SlotsBooked', dims);
    dims.Queue = 'other';
    expect(m.total('SlotsBooked', { Queue: 'consult' })).toBe(1);
    expect(m.total('SlotsBooked', { Queue: 'other' })).toBe(0);
  });
});
