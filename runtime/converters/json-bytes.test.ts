/** JsonBytes: documents as views of shared slabs, and slabs reused after recycle() instead of left to the garbage collector. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonBytes } from './json-bytes.ts';

const doc = (i: number) => `{"id":${i},"text":"${'x'.repeat(1000 + (i % 500))}"}`;

function write(out: JsonBytes, i: number): Buffer {
  out.begin();
  out.utf8(doc(i));
  return out.finish();
}

afterEach(() => vi.restoreAllMocks());

describe('JsonBytes', () => {
  it('hands out each document whole across slab boundaries', () => {
    const out = new JsonBytes();
    const views = Array.from({ length: 3000 }, (_, i) => write(out, i));
    views.forEach((v, i) => expect(v.toString('utf8')).toBe(doc(i)));
  });

  it('reuses its slabs after recycle(): a steady stream allocates a bounded number of slabs', () => {
    const out = new JsonBytes();
    const alloc = vi.spyOn(Buffer, 'allocUnsafeSlow');
    for (let batch = 0; batch < 50; batch++) {
      // A poll batch of 2,048 records of ~1.3 KiB (3 slabs), each checked before the batch is released.
      const views = Array.from({ length: 2048 }, (_, i) => write(out, batch * 2048 + i));
      views.forEach((v, i) => expect(v.toString('utf8')).toBe(doc(batch * 2048 + i)));
      out.recycle();
    }
    // 100 MiB written: without recycling ~100 slabs of 1 MiB; with it, the first batch's and no more.
    expect(alloc.mock.calls.length).toBeLessThanOrEqual(4);
  });

  it('keeps allocating (never reuses) without recycle(): views handed out stay intact', () => {
    const out = new JsonBytes();
    const alloc = vi.spyOn(Buffer, 'allocUnsafeSlow');
    const views = Array.from({ length: 4096 }, (_, i) => write(out, i));
    // ~5.2 MiB of documents: at least four slabs beyond the first (made before the spy).
    expect(alloc.mock.calls.length).toBeGreaterThanOrEqual(4);
    views.forEach((v, i) => expect(v.toString('utf8')).toBe(doc(i)));
  });

  it('holds a bounded number of slabs when nobody recycles (the slabs of old documents are left to the garbage collector)', () => {
    const out = new JsonBytes();
    // ~64 MiB of documents, none kept.
    for (let i = 0; i < 50_000; i++) write(out, i);
    expect(out.heldSlabs).toBeLessThanOrEqual(16);
    out.recycle();
    for (let i = 0; i < 50_000; i++) write(out, i);
    expect(out.heldSlabs).toBeLessThanOrEqual(24);
  });

  it('release(mark) reuses the slabs of a settled generation and keeps the generation in flight intact', () => {
    const out = new JsonBytes();
    const alloc = vi.spyOn(Buffer, 'allocUnsafeSlow');
    // As the worker's embedded-log path: batch N is in flight while N+1 is written; N is released after.
    let inFlight: { views: Buffer[]; first: number; mark: number } | null = null;
    for (let batch = 0; batch < 50; batch++) {
      const first = batch * 2048;
      const views = Array.from({ length: 2048 }, (_, i) => write(out, first + i));
      const mark = out.mark();
      if (inFlight) {
        // the batch in flight was not overwritten by this one
        inFlight.views.forEach((v, i) => expect(v.toString('utf8')).toBe(doc(inFlight!.first + i)));
        out.release(inFlight.mark);
      }
      inFlight = { views, first, mark };
    }
    inFlight!.views.forEach((v, i) => expect(v.toString('utf8')).toBe(doc(inFlight!.first + i)));
    // ~130 MiB written: two batches' slabs (3 each) and a few more, not one per MiB
    expect(alloc.mock.calls.length).toBeLessThanOrEqual(10);
    expect(out.heldSlabs).toBeLessThanOrEqual(24);
  });

  it('release(mark) keeps a slab that also holds documents written after the mark', () => {
    const out = new JsonBytes();
    const before = Array.from({ length: 100 }, (_, i) => write(out, i)); // part of the first slab
    const mark = out.mark();
    const after = Array.from({ length: 3000 }, (_, i) => write(out, 1000 + i)); // fills it and more
    out.release(mark);
    const more = Array.from({ length: 3000 }, (_, i) => write(out, 9000 + i));
    after.forEach((v, i) => expect(v.toString('utf8')).toBe(doc(1000 + i)));
    more.forEach((v, i) => expect(v.toString('utf8')).toBe(doc(9000 + i)));
    expect(before.length).toBe(100);
  });

  it('a document larger than a slab gets a slab of its own, and recycling continues after it', () => {
    const out = new JsonBytes();
    const big = `"${'y'.repeat(3 << 20)}"`;
    write(out, 1);
    out.begin();
    out.utf8(big);
    expect(out.finish().toString('utf8')).toBe(big);
    out.recycle();
    const after = Array.from({ length: 2000 }, (_, i) => write(out, i));
    after.forEach((v, i) => expect(v.toString('utf8')).toBe(doc(i)));
  });
});
