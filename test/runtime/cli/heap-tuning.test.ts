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

  it('takes effect when set at run time: the old generation stays smaller than with a growing factor of 4', () => {
    // Promote ~20 MiB of garbage per round while keeping ~8 MiB live; compare the old space V8 lets grow.
    const script = `
      import v8 from 'node:v8';
      v8.setFlagsFromString(process.env.HEAP_FLAG);
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
    // Against a fixed factor of 4 (V8's own dynamic factor goes up to 4, but depends on measured GC speed, so on the machine's load).
    const run = (flag: string) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, HEAP_FLAG: flag },
      });
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { peak: number }).peak;
    };
    const tuned = run(heapFlags([], {}, 'kafka')[0]);
    const loose = run('--heap-growing-percent=300');
    expect(tuned, `old space peak: ${tuned} MiB tuned, ${loose} MiB at 300 %`).toBeLessThan(loose * 0.8);
  });
});
