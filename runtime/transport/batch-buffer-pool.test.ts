import { describe, expect, it } from 'vitest';
import { BatchBufferPool } from './batch-buffer-pool.ts';

describe('batch buffer pool', () => {
  it('reuses answered batch.size buffers and keeps in use plus free within buffer.memory', () => {
    const pool = new BatchBufferPool(1000, 3500);
    const a = pool.tryAllocate(10)!;
    const b = pool.tryAllocate(1000)!;
    const c = pool.tryAllocate(500)!;
    expect([a.length, b.length, c.length]).toEqual([1000, 1000, 1000]);
    expect(pool.tryAllocate(1)).toBeNull(); // a fourth would make 4,000 > 3,500
    pool.release(a, true);
    expect(pool.tryAllocate(1)).toBe(a); // the same memory again
    pool.release(b, false); // its request failed: not handed out again
    const d = pool.tryAllocate(1)!;
    expect(d).not.toBe(b);
    expect(pool.used).toBe(3000);
    expect(pool.peakInUse).toBe(3000);
  });

  it('a record larger than batch.size gets a buffer of its own, dropped after; one larger than buffer.memory waits for an empty pool', async () => {
    const pool = new BatchBufferPool(1000, 3000);
    const a = pool.tryAllocate(1000)!;
    const b = pool.tryAllocate(1000)!;
    pool.release(b, true); // 1,000 in use, 1,000 free
    const large = pool.tryAllocate(2000)!;
    expect(large.length).toBe(2000);
    // The pooled free buffer gave way: 3,000 in use, nothing free, nothing more fits.
    expect(pool.tryAllocate(1)).toBeNull();
    pool.release(large, true);
    expect(pool.tryAllocate(1)).not.toBe(large);
    const huge = pool.tryAllocate(5000);
    expect(huge).toBeNull();
    const woken = pool.waitForRoom();
    pool.release(a, true);
    await woken;
    expect(pool.used).toBe(1000);
  });
});
