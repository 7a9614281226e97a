/** cli/heap-tuning.ts: the V8 heap flag a worker on Kafka sets, unless node's own command line or the environment says otherwise. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KAFKA_HEAP_GROWING_PERCENT, heapFlags } from '../../../cli/heap-tuning.ts';

describe('heap tuning', () => {
  it('grows the old generation to twice the live heap on Kafka, and leaves V8 its own heuristics on the embedded log', () => {
    expect(heapFlags([], {}, 'kafka')).toEqual([`--heap-growing-percent=${KAFKA_HEAP_GROWING_PERCENT}`]);
    expect(heapFlags(['--enable-source-maps'], {}, 'kafka')).toEqual(['--heap-growing-percent=100']);
    expect(heapFlags([], {}, 'embedded')).toEqual([]);
  });

  it("leaves the flag alone when node's command line sets it", () => {
    expect(heapFlags(['--heap-growing-percent=30'], {}, 'kafka')).toEqual([]);
    expect(heapFlags(['--heap-growing-percent', '30'], { TRIBUTARY_HEAP_GROWING_PERCENT: '50' }, 'kafka')).toEqual([]);
  });

  it('takes another value, or V8 own heuristics (0), from TRIBUTARY_HEAP_GROWING_PERCENT; refuses anything else', () => {
    expect(heapFlags([], { TRIBUTARY_HEAP_GROWING_PERCENT: '50' }, 'kafka')).toEqual(['--heap-growing-percent=50']);
    expect(heapFlags([], { TRIBUTARY_HEAP_GROWING_PERCENT: '50' }, 'embedded')).toEqual(['--heap-growing-percent=50']);
    expect(heapFlags([], { TRIBUTARY_HEAP_GROWING_PERCENT: '0' }, 'kafka')).toEqual([]);
    expect(() => heapFlags([], { TRIBUTARY_HEAP_GROWING_PERCENT: 'lots' }, 'kafka')).toThrow(
      'TRIBUTARY_HEAP_GROWING_PERCENT=lots is not a whole number: give a percentage (e.g. 100), or 0 for',
    );
  });

  it('takes effect when set at run time: a full collection then bounds the old generation at twice the live heap', () => {
    // Promote ~20 MiB of garbage per round while keeping ~8 MiB live; compare the old space V8 lets grow.
    const script = `
      import v8 from 'node:v8';
      if (process.argv[1] === 'tuned') v8.setFlagsFromString(process.argv[2]);
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
      const r = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', script, mode, ...heapFlags([], {}, 'kafka')],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { peak: number }).peak;
    };
    const tuned = run('tuned');
    const untuned = run('default');
    expect(tuned, `old space peak: ${tuned} MiB tuned, ${untuned} MiB by default`).toBeLessThan(untuned * 0.8);
  });
});
