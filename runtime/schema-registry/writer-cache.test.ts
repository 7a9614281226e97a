import { describe, it, expect } from 'vitest';
import { WriterCache } from './writer-cache.ts';
import { Schemas } from '../data/schema.ts';

describe('WriterCache', () => {
  it('builds once per schema and topic, shares concurrent builds, forgets failures, honours the limit', async () => {
    let builds = 0;
    let fail = true;
    const cache = new WriterCache<string>(async (topic) => {
      builds++;
      if (topic === 'flaky' && fail) throw new Error('registry down');
      return `w-${topic}`;
    });
    const [a, b] = await Promise.all([cache.obtain(Schemas.STRING, 't1'), cache.obtain(Schemas.STRING, 't1')]);
    expect([a, b, builds]).toEqual(['w-t1', 'w-t1', 1]);
    expect(cache.get(Schemas.STRING, 't1')).toBe('w-t1');
    await expect(cache.obtain(Schemas.STRING, 'flaky')).rejects.toThrow('registry down');
    fail = false;
    expect(await cache.obtain(Schemas.STRING, 'flaky')).toBe('w-flaky');
    cache.limit = 2;
    await cache.obtain(Schemas.STRING, 't3');
    expect(cache.get(Schemas.STRING, 't3')).toBeUndefined();
  });
});
