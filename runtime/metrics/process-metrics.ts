/**
 * Process and runtime metrics: prom-client's default collectors (process CPU, resident memory,
 * open files, V8 heap and heap spaces, GC durations, event-loop lag, active handles and
 * requests), plus the JVM names the public Kafka Connect and Debezium dashboards chart, filled
 * from Node's equivalents (documented in docs/metrics.md):
 * - `jvm_memory_bytes_used{area}` / `jvm_memory_used_bytes{area}`: V8 heap used (`heap`), and
 *   memory outside the V8 heap: external + array buffers (`nonheap`);
 * - `jvm_memory_bytes_max{area}`: V8's heap size limit; `nonheap` -1 (no limit, as the JVM reports);
 * - `jvm_gc_collection_seconds_{sum,count}{gc}`: GC pauses by V8 collector kind;
 * - `jvm_threads_current` / `jvm_threads_peak`: OS threads of the process (libuv pool, V8 workers);
 * - `jvm_threads_started_total`: distinct OS thread ids of the process seen so far (read at every
 *   scrape and whenever a worker thread comes online, so short-lived threads between scrapes that
 *   are not worker threads are missed).
 * One collector set per process (the collectors observe the process, not a worker).
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { type PerformanceEntry, PerformanceObserver, constants as perf } from 'node:perf_hooks';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

const GC_KINDS: Record<number, string> = {
  [perf.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perf.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perf.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perf.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** OS threads of this process (Linux /proc), null where unknown. */
export function osThreads(): number | null {
  try {
    const m = /^Threads:\s+(\d+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

const seenThreads = new Set<string>();

function noteThreads(): void {
  try {
    for (const tid of fs.readdirSync('/proc/self/task')) seenThreads.add(tid);
  } catch {
    // Not Linux: no /proc; the counter stays at what was seen.
  }
}

function build(): Registry {
  noteThreads();
  process.on('worker', (w) => w.once('online', noteThreads));
  const register = new Registry();
  collectDefaultMetrics({ register });

  const memory = (name: string, help: string) =>
    new Gauge({
      name,
      help,
      labelNames: ['area'],
      registers: [register],
      collect() {
        const m = process.memoryUsage();
        this.set({ area: 'heap' }, m.heapUsed);
        this.set({ area: 'nonheap' }, m.external + m.arrayBuffers);
      },
    });
  memory(
    'jvm_memory_bytes_used',
    'Node equivalent of the JVM memory area used: V8 heap used (heap), external and array buffer memory (nonheap)',
  );
  memory('jvm_memory_used_bytes', 'Same as jvm_memory_bytes_used, under the name jmx_exporter 1.x uses');
  new Gauge({
    name: 'jvm_memory_bytes_max',
    help: 'Node equivalent of the JVM memory area maximum: V8 heap size limit (heap); -1 (nonheap: no limit)',
    labelNames: ['area'],
    registers: [register],
    collect() {
      this.set({ area: 'heap' }, v8.getHeapStatistics().heap_size_limit);
      this.set({ area: 'nonheap' }, -1);
    },
  });

  const gcSeconds = new Counter({
    name: 'jvm_gc_collection_seconds_sum',
    help: 'Node equivalent of JVM GC time: seconds spent in V8 garbage collection, by collector kind',
    labelNames: ['gc'],
    registers: [register],
  });
  const gcCount = new Counter({
    name: 'jvm_gc_collection_seconds_count',
    help: 'V8 garbage collections, by collector kind',
    labelNames: ['gc'],
    registers: [register],
  });
  for (const kind of Object.values(GC_KINDS)) {
    gcSeconds.inc({ gc: kind }, 0);
    gcCount.inc({ gc: kind }, 0);
  }
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
      gcSeconds.inc({ gc: kind }, entry.duration / 1000);
      gcCount.inc({ gc: kind });
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  let peak = 0;
  new Gauge({
    name: 'jvm_threads_current',
    help: 'Node equivalent of JVM live threads: OS threads of the process',
    registers: [register],
    collect() {
      const n = osThreads();
      if (n !== null) {
        peak = Math.max(peak, n);
        this.set(n);
      }
    },
  });
  new Gauge({
    name: 'jvm_threads_peak',
    help: 'Most OS threads of the process seen at a scrape',
    registers: [register],
    collect() {
      peak = Math.max(peak, osThreads() ?? 0);
      this.set(peak);
    },
  });
  new Counter({
    name: 'jvm_threads_started_total',
    help: 'Node equivalent of JVM threads started: distinct OS threads of the process seen so far',
    registers: [register],
    collect() {
      noteThreads();
      this.reset();
      this.inc(seenThreads.size);
    },
  });
  return register;
}

let shared: Registry | null = null;

/** The process's collectors, created on first use. */
export async function processMetricsText(): Promise<string> {
  shared ??= build();
  return shared.metrics();
}
