/**
 * V8 heap settings for a worker process whose transport is Kafka, set by the `standalone` and
 * `distributed` commands before the worker starts.
 *
 * There the JsonConverter's output slabs are reused once the producer has copied a batch
 * (Converter.recycleOutput), so no external-memory growth triggers V8's full collections any more,
 * and V8's own heap growing (up to 4 times the live heap) let the old generation grow to about
 * three times it with promoted records: cheap garbage (3-8 ms full collections of a ~30 MiB live
 * heap). --heap-growing-percent=100 holds it to twice the live heap: 60-100 MiB less peak RSS at
 * about the same CPU (docs/kafka.md, "Worker RSS"). On the embedded log, whose sender does not
 * recycle, the external-memory collections already bound the old generation, and the flag cost
 * 13 % more CPU in streaming at 60,000 records/s for 30 MiB: it is not set there.
 * The flag is read at each limit computation, so setting it at run time takes effect. A value on
 * node's own command line wins; TRIBUTARY_HEAP_GROWING_PERCENT sets one for any transport (0: V8's
 * own heuristics).
 */
import { setFlagsFromString } from 'node:v8';

export const KAFKA_HEAP_GROWING_PERCENT = 100;

/** The V8 flags a worker process should set, given node's command-line arguments, its environment and its transport. */
export function heapFlags(
  execArgv: readonly string[],
  env: Record<string, string | undefined>,
  transport: 'kafka' | 'embedded',
): string[] {
  if (execArgv.some((a) => a === '--heap-growing-percent' || a.startsWith('--heap-growing-percent='))) return [];
  const given = env.TRIBUTARY_HEAP_GROWING_PERCENT;
  if (given === undefined || given === '')
    return transport === 'kafka' ? [`--heap-growing-percent=${KAFKA_HEAP_GROWING_PERCENT}`] : [];
  if (!/^\d+$/.test(given))
    throw new Error(
      `TRIBUTARY_HEAP_GROWING_PERCENT=${given} is not a whole number: give a percentage (e.g. 100), or 0 for V8's own heap growing`,
    );
  return given === '0' ? [] : [`--heap-growing-percent=${Number(given)}`];
}

/** Sets the flags for this process; returns them. */
export function tuneHeap(transport: 'kafka' | 'embedded'): string[] {
  const flags = heapFlags(process.execArgv, process.env, transport);
  for (const f of flags) setFlagsFromString(f);
  return flags;
}
