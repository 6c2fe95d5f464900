import { build } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStreamSerde, eventStreamSerdeProvider, resolveEventStreamSerdeConfig } from '#adapters/aws/no-event-streams';
import SmallLruCache from '#adapters/aws/small-lru-cache';
import { ESBUILD_OPTIONS } from '#infra/bundling';
import { FUNCTIONS } from '#infra/functions';

/**
 * The SDK modules that Lambda bundles replace (infra/bundling.ts ALIASES): the stand-ins behave
 * as the SDK's own wherever the project's calls reach them, and the bundles really use them.
 */

const ROOT = resolve(import.meta.dirname, '../..');

describe('the LRU the endpoint cache gets in place of mnemonist', () => {
  it('drops the least recently used entry beyond its capacity; get refreshes, peek does not', () => {
    const cache = new SmallLruCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.peek('a')).toBe(1);
    cache.set('d', 4);
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([false, true, true]);
    cache.set('c', 30);
    cache.set('e', 5);
    expect([cache.peek('c'), cache.has('d'), cache.size]).toEqual([30, false, 2]);
    expect(cache.get('missing')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('serves the SDK endpoint cache as mnemonist does (set, expiry, delete)', async () => {
    const { EndpointCache } = await import('@aws-sdk/endpoint-cache');
    const cache = new EndpointCache(1);
    (cache as unknown as { cache: unknown }).cache = new SmallLruCache(1);
    cache.set('k', [{ Address: 'a.example', CachePeriodInMinutes: 1 }]);
    expect(cache.getEndpoint('k')).toBe('a.example');
    cache.set('k2', [{ Address: 'b.example', CachePeriodInMinutes: 1 }]);
    expect(cache.getEndpoint('k')).toBeUndefined();
    cache.delete('k2');
    expect(cache.has('k2')).toBe(false);
  });
});

describe('the event-stream stand-in', () => {
  it('configures a client as the SDK does, and fails loudly only when an event stream is used', () => {
    const config = resolveEventStreamSerdeConfig({ eventStreamSerdeProvider });
    expect(Object.keys(config.eventStreamMarshaller)).toEqual(['serialize', 'deserialize']);
    expect(() => config.eventStreamMarshaller.serialize()).toThrow(/left out of this bundle/);
    expect(() => new EventStreamSerde()).toThrow(/left out of this bundle/);
  });
});

describe('the bundles', () => {
  it('carry the stand-ins, not the SDK modules they replace', async () => {
    for (const fn of ['requestTasks', 'httpAttachments'] as const) {
      const built = await build({ ...ESBUILD_OPTIONS, entryPoints: [resolve(ROOT, FUNCTIONS[fn].entry)], write: false, outdir: '/tmp', metafile: true, logLevel: 'error' });
      const inputs = Object.keys(Object.values(built.metafile.outputs).find((o) => o.entryPoint)!.inputs);
      expect(inputs.filter((f) => /@smithy\/core\/dist-\w+\/submodules\/event-streams|mnemonist|obliterator/.test(f)), fn).toEqual([]);
      expect(inputs.some((f) => f.endsWith('no-event-streams.ts')), fn).toBe(true);
    }
  });
});
