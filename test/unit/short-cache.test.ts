import { describe, expect, it } from 'vitest';
import { shortCache } from '#core/short-cache';

describe('shortCache', () => {
  function counter() {
    let t = 0;
    let calls = 0;
    const fail = { next: false };
    const get = shortCache(
      10_000,
      () => t,
      async () => {
        calls += 1;
        if (fail.next) {
          fail.next = false;
          throw new Error('store down');
        }
        return calls;
      },
    );
    return { get, advance: (ms: number) => (t += ms), calls: () => calls, fail };
  }

  it('keeps a value for its lifetime, then computes it again', async () => {
    const c = counter();
    expect(await c.get()).toBe(1);
    c.advance(9_999);
    expect(await c.get()).toBe(1);
    c.advance(1);
    expect(await c.get()).toBe(2);
    expect(c.calls()).toBe(2);
  });

  it('shares one computation between callers at the same moment', async () => {
    const c = counter();
    expect(await Promise.all([c.get(), c.get(), c.get()])).toEqual([1, 1, 1]);
    expect(c.calls()).toBe(1);
  });

  it('does not keep a failure: the next caller computes again', async () => {
    const c = counter();
    c.fail.next = true;
    await expect(c.get()).rejects.toThrow('store down');
    expect(await c.get()).toBe(2);
  });
});
