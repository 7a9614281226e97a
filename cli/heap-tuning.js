// V8 heap settings for Tributary's processes, applied first thing by cli/bin.js.
//
// The old generation's limit after each full collection is twice what survived it
// (--heap-growing-percent=100) instead of V8's dynamic factor of up to four. A worker's heap is
// mostly short-lived records that outlive a young-generation collection or two while their batch
// is converted and handed to the producer: promoted garbage, cheap to collect (3-8 ms full
// collections of a ~30 MiB live heap), which V8's default lets grow to about three times the live
// heap. Measured in docs/kafka.md ("Worker RSS"): peak RSS down by 40-80 MiB at the same CPU.
// The flag is read at each limit computation, so setting it at run time takes effect; a value
// given on node's own command line wins, and TRIBUTARY_HEAP_GROWING_PERCENT sets another (0: V8's
// own heuristics).
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;

/** The V8 flags this process should set, given node's command-line arguments (process.execArgv) and environment. */
export function heapFlags(execArgv, env = {}) {
  if (execArgv.some((a) => a === '--heap-growing-percent' || a.startsWith('--heap-growing-percent='))) return [];
  const given = env.TRIBUTARY_HEAP_GROWING_PERCENT;
  if (given === undefined || given === '') return [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
  if (!/^\d+$/.test(given))
    throw new Error(
      `TRIBUTARY_HEAP_GROWING_PERCENT=${given} is not a whole number: give a percentage (e.g. 100), or 0 for V8's own heap growing`,
    );
  return given === '0' ? [] : [`--heap-growing-percent=${Number(given)}`];
}

/** Sets the flags; returns them. */
export function tuneHeap(execArgv = process.execArgv, env = process.env) {
  const flags = heapFlags(execArgv, env);
  for (const f of flags) setFlagsFromString(f);
  return flags;
}
