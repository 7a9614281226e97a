/**
 * V8 heap settings for a worker process whose transport is Kafka, set by the `standalone` and
 * `distributed` commands before the worker starts. Both are set at run time (a worker is started
 * as `node cli/bin.js`, `npx tributary` or a container's entry point, none of which passes node
 * flags), both can be changed or switched off from the environment, and a flag on node's own
 * command line wins.
 *
 * Old generation. The JsonConverter's output slabs are reused once the producer has copied a batch
 * (Converter.recycleOutput), so no external-memory growth triggers V8's full collections, and V8's
 * own heap growing (up to 4 times the live heap) let the old generation grow to about three times
 * it with promoted garbage (3-8 ms full collections of a ~30 MiB live heap).
 * --heap-growing-percent=100 holds it to twice the live heap: 60-100 MiB less peak RSS at about
 * the same CPU (docs/kafka.md, "Worker RSS"). V8 reads the flag at each limit computation.
 * TRIBUTARY_HEAP_GROWING_PERCENT sets another value for any transport (0: V8's own heuristics).
 *
 * Young generation. V8 grows its two semi-spaces up to 16 MiB each while many objects survive
 * scavenges: 32 MiB of the peak RSS. Capped at 4 MiB each, peak RSS fell by 24 MiB in the Kafka
 * end-to-end bench for about 5 % more CPU (docs/kafka.md). --max-semi-space-size is read only
 * when the heap is set up, so the cap is kept at run time instead: V8 grows the new space by
 * --semi-space-growth-factor (read at each growth) after a scavenge, and a GC observer sets that
 * factor to 1 once the new space reaches the cap (back to 2 should V8 shrink it below).
 * TRIBUTARY_MAX_SEMI_SPACE_MB sets another cap for any transport (0: none).
 *
 * On the embedded log the converter's slabs are reused too since they are released after each
 * committed write (Converter.markOutput/releaseOutput), so the same --heap-growing-percent=100
 * applies: PG into the embedded log, 300,000 records, peak RSS 176-206 instead of 224-273 MiB at
 * the same rates (docs/performance.md). No semi-space cap there: 8 MiB cut a three-connector
 * worker's steady RSS from 145-149 to 132-133 MiB but the MariaDB snapshot's rate by 30 %
 * (33,000 instead of 47,000 records/s), and 5-10 % of the streaming rates.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';

export const KAFKA_HEAP_GROWING_PERCENT = 100;
/** MiB of each of the young generation's two semi-spaces, at most, on Kafka. */
export const KAFKA_MAX_SEMI_SPACE_MB = 4;
export const EMBEDDED_HEAP_GROWING_PERCENT = 100;

/** The V8 flags a worker process should set, given node's command-line arguments, its environment and its transport. */
export function heapFlags(
  execArgv: readonly string[],
  env: Record<string, string | undefined>,
  transport: 'kafka' | 'embedded',
): string[] {
  if (execArgv.some((a) => a === '--heap-growing-percent' || a.startsWith('--heap-growing-percent='))) return [];
  const given = env.TRIBUTARY_HEAP_GROWING_PERCENT;
  if (given === undefined || given === '')
    return [
      `--heap-growing-percent=${transport === 'kafka' ? KAFKA_HEAP_GROWING_PERCENT : EMBEDDED_HEAP_GROWING_PERCENT}`,
    ];
  if (!/^\d+$/.test(given))
    throw new Error(
      `TRIBUTARY_HEAP_GROWING_PERCENT=${given} is not a whole number: give a percentage (e.g. 100), or 0 for V8's own heap growing`,
    );
  return given === '0' ? [] : [`--heap-growing-percent=${Number(given)}`];
}

/** The semi-space cap in MiB a worker process should keep (null: none), given node's command-line arguments, its environment and its transport. */
export function semiSpaceCap(
  execArgv: readonly string[],
  env: Record<string, string | undefined>,
  transport: 'kafka' | 'embedded',
): number | null {
  if (execArgv.some((a) => a === '--max-semi-space-size' || a.startsWith('--max-semi-space-size='))) return null;
  const given = env.TRIBUTARY_MAX_SEMI_SPACE_MB;
  if (given === undefined || given === '') return transport === 'kafka' ? KAFKA_MAX_SEMI_SPACE_MB : null;
  if (!/^\d+$/.test(given))
    throw new Error(
      `TRIBUTARY_MAX_SEMI_SPACE_MB=${given} is not a whole number: give MiB per semi-space (e.g. 4), or 0 for V8's own young generation`,
    );
  return given === '0' ? null : Number(given);
}

/**
 * Keeps V8's new space (both semi-spaces) at most 2 x `semiSpaceMiB` from now on, by holding its
 * growth factor at 1 while it is that large. Returns a function that stops it.
 */
export function capYoungGeneration(semiSpaceMiB: number): () => void {
  const cap = 2 * semiSpaceMiB * 1024 * 1024;
  let factor = 2;
  const adjust = () => {
    const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    const wanted = newSpace && newSpace.space_size >= cap ? 1 : 2;
    if (wanted === factor) return;
    factor = wanted;
    setFlagsFromString(`--semi-space-growth-factor=${wanted}`);
  };
  adjust();
  const observer = new PerformanceObserver(adjust);
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    if (factor !== 2) setFlagsFromString('--semi-space-growth-factor=2');
  };
}

/** Sets the flags and the young-generation cap for this process; returns them. */
export function tuneHeap(transport: 'kafka' | 'embedded'): { flags: string[]; maxSemiSpaceMB: number | null } {
  const flags = heapFlags(process.execArgv, process.env, transport);
  const maxSemiSpaceMB = semiSpaceCap(process.execArgv, process.env, transport);
  for (const f of flags) setFlagsFromString(f);
  if (maxSemiSpaceMB !== null) capYoungGeneration(maxSemiSpaceMB);
  return { flags, maxSemiSpaceMB };
}
