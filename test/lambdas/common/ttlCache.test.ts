import { TtlCache } from '../../../lambdas/common/ttlCache';

describe('TTL cache', () => {
  it('loads once within the TTL, again once it has passed or the key was deleted', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<string, number>(1000, () => now);
    const load = async () => ++loads;
    expect(await cache.getOrLoad('k', load)).toBe(1);
    now = 999;
    expect(await cache.getOrLoad('k', load)).toBe(1);
    now = 1000;
    expect(await cache.getOrLoad('k', load)).toBe(2);
    cache.delete('k');
    expect(await cache.getOrLoad('k', load)).toBe(3);
    expect(await cache.getOrLoad('other', load)).toBe(4);
  });

  it('keeps nothing when the load fails, so the next call tries again', async () => {
    const cache = new TtlCache<string, string>(1000, () => 0);
    await expect(cache.getOrLoad('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.getOrLoad('k', async () => 'up')).toBe('up');
  });

  it('shares one load among concurrent callers, and one failure among them', async () => {
    const cache = new TtlCache<string, number>(1000, () => 0);
    let loads = 0;
    const values = await Promise.all(Array.from({ length: 5 }, () => cache.getOrLoad('k', async () => ++loads)));
    expect([values, loads]).toEqual([[1, 1, 1, 1, 1], 1]);

    let failures = 0;
    const failing = Array.from({ length: 3 }, () => cache.getOrLoad('down', async () => Promise.reject(new Error(`down ${++failures}`))));
    expect(await Promise.allSettled(failing)).toEqual(Array.from({ length: 3 }, () => ({ status: 'rejected', reason: new Error('down 1') })));
    expect(await cache.getOrLoad('down', async () => 7)).toBe(7);
  });

  it('keeps a key deleted while its load was in flight deleted', async () => {
    const cache = new TtlCache<string, number>(1000, () => 0);
    let loads = 0;
    const first = cache.getOrLoad('k', async () => ++loads);
    cache.delete('k');
    expect(await first).toBe(1);
    expect(await cache.getOrLoad('k', async () => ++loads)).toBe(2);
  });
});
