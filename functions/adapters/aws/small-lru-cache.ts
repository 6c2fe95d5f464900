/**
 * Stand-in for `mnemonist/lru-cache` in Lambda bundles (esbuild `alias`, infra/bundling.ts). The
 * DynamoDB client builds an endpoint-discovery cache (`@aws-sdk/endpoint-cache`) at construction
 * whether discovery is on or not (it is off: the project sets no `endpointDiscoveryEnabled`);
 * mnemonist's LRU (~8 KB with obliterator) preallocates typed arrays for 1,000 entries there.
 * This is the same LRU on a Map, with the methods the endpoint cache calls: `get` makes an entry
 * the most recent, `peek` does not, `set` beyond the capacity drops the least recent.
 */
export default class SmallLruCache<K, V> {
  private readonly items = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.size;
  }

  has(key: K): boolean {
    return this.items.has(key);
  }

  peek(key: K): V | undefined {
    return this.items.get(key);
  }

  get(key: K): V | undefined {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key) as V;
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value as K);
    return this;
  }

  clear(): void {
    this.items.clear();
  }
}
