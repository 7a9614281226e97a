/** cli/heap-tuning.ts: the V8 heap settings a worker on Kafka makes, unless node's own command line or the environment says otherwise. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  KAFKA_HEAP_GROWING_PERCENT,
  KAFKA_MAX_SEMI_SPACE_MB,
  EMBEDDED_HEAP_GROWING_PERCENT,
  heapFlags,
  semiSpaceCap,
} from '../../../cli/heap-tuning.ts';

const HEAP_TUNING = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../cli/heap-tuning.ts');

describe('heap tuning', () => {
  it('grows the old generation to twice the live heap on Kafka and on the embedded log', () => {
    expect(heapFlags([], {}, 'kafka')).toEqual([`--heap-growing-percent=${KAFKA_HEAP_GROWING_PERCENT}`]);
    expect(heapFlags(['--enable-source-maps'], {}, 'kafka')).toEqual(['--heap-growing-percent=100']);
    expect(heapFlags([], {}, 'embedded')).toEqual([`--heap-growing-percent=${EMBEDDED_HEAP_GROWING_PERCENT}`]);
    expect(heapFlags([], { TRIBUTARY_HEAP_GROWING_PERCENT: '0' }, 'embedded')).toEqual([]);
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

  it("caps the semi-spaces on Kafka, not on the embedded log; node's command line or TRIBUTARY_MAX_SEMI_SPACE_MB decide otherwise", () => {
    expect(semiSpaceCap([], {}, 'kafka')).toBe(KAFKA_MAX_SEMI_SPACE_MB);
    expect(semiSpaceCap([], {}, 'embedded')).toBeNull();
    expect(semiSpaceCap(['--max-semi-space-size=16'], {}, 'kafka')).toBeNull();
    expect(semiSpaceCap(['--max-semi-space-size', '2'], { TRIBUTARY_MAX_SEMI_SPACE_MB: '8' }, 'kafka')).toBeNull();
    expect(semiSpaceCap([], { TRIBUTARY_MAX_SEMI_SPACE_MB: '8' }, 'embedded')).toBe(8);
    expect(semiSpaceCap([], { TRIBUTARY_MAX_SEMI_SPACE_MB: '0' }, 'kafka')).toBeNull();
    expect(() => semiSpaceCap([], { TRIBUTARY_MAX_SEMI_SPACE_MB: '4.5' }, 'kafka')).toThrow(
      'TRIBUTARY_MAX_SEMI_SPACE_MB=4.5 is not a whole number: give MiB per semi-space (e.g. 4), or 0 for',
    );
  });

  it('keeps the young generation within the cap at run time, where V8 alone grows it to 32 MiB', () => {
    // Allocates with many survivors (what makes V8 grow the new space), then lets the process end.
    const script = `
      import v8 from 'node:v8';
      const { capYoungGeneration } = await import(process.env.HEAP_TUNING);
      if (process.env.CAP) capYoungGeneration(Number(process.env.CAP));
      const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
      let keep = [];
      let peak = 0;
      for (let round = 0; round < 200; round++) {
        for (let i = 0; i < 10000; i++) {
          keep.push({ round, i, s: 'x' + i });
          if (keep.length > 20000) keep = keep.slice(10000);
        }
        peak = Math.max(peak, newSpace());
        await new Promise((r) => setImmediate(r));
      }
      console.log(JSON.stringify({ peak: peak / 1048576 }));
    `;
    const run = (cap: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, HEAP_TUNING: HEAP_TUNING, CAP: cap },
      });
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { peak: number }).peak;
    };
    const capped = run(String(KAFKA_MAX_SEMI_SPACE_MB));
    const free = run('');
    expect(capped, `new space peak: ${capped} MiB capped, ${free} MiB free`).toBeLessThanOrEqual(
      2 * KAFKA_MAX_SEMI_SPACE_MB,
    );
    expect(free).toBeGreaterThan(2 * KAFKA_MAX_SEMI_SPACE_MB);
  });
});
