/** cli/heap-tuning.js: the V8 heap flag every Tributary process sets, unless node's own command line sets it. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapFlags } from '../../../cli/heap-tuning.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('heap tuning', () => {
  it('grows the old generation to twice the live heap by default', () => {
    expect(heapFlags([])).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(heapFlags(['--enable-source-maps'])).toEqual(['--heap-growing-percent=100']);
  });

  it("leaves the flag alone when node's command line sets it", () => {
    expect(heapFlags(['--heap-growing-percent=30'])).toEqual([]);
    expect(heapFlags(['--heap-growing-percent', '30'])).toEqual([]);
  });

  it('takes another value, or V8 own heuristics (0), from TRIBUTARY_HEAP_GROWING_PERCENT; refuses anything else', () => {
    expect(heapFlags([], { TRIBUTARY_HEAP_GROWING_PERCENT: '50' })).toEqual(['--heap-growing-percent=50']);
    expect(heapFlags([], { TRIBUTARY_HEAP_GROWING_PERCENT: '0' })).toEqual([]);
    expect(() => heapFlags([], { TRIBUTARY_HEAP_GROWING_PERCENT: 'lots' })).toThrow(
      'TRIBUTARY_HEAP_GROWING_PERCENT=lots is not a whole number: give a percentage (e.g. 100), or 0 for',
    );
  });

  it('takes effect when set at run time: a full collection then bounds the old generation at twice the live heap', () => {
    // Promote ~20 MiB of garbage per round while keeping ~8 MiB live; compare the old space V8 lets grow.
    const script = `
      import v8 from 'node:v8';
      if (process.argv[1] === 'tuned') (await import(${JSON.stringify(path.join(ROOT, 'cli/heap-tuning.js'))})).tuneHeap();
      const live = Array.from({ length: 8 }, () => new Array(131072).fill(0).map((_, i) => ({ i })));
      let keep = [];
      let peak = 0;
      for (let round = 0; round < 60; round++) {
        keep.push(Array.from({ length: 40000 }, (_, i) => ({ round, i, s: 'x' + i })));
        if (keep.length > 3) keep.shift();
        await new Promise((r) => setImmediate(r));
        const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
        peak = Math.max(peak, old.space_size);
      }
      console.log(JSON.stringify({ peak: peak / 1048576, live: live.length }));
    `;
    const run = (mode: string) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, mode], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { peak: number }).peak;
    };
    const tuned = run('tuned');
    const untuned = run('default');
    expect(tuned, `old space peak: ${tuned} MiB tuned, ${untuned} MiB by default`).toBeLessThan(untuned * 0.8);
  });
});
