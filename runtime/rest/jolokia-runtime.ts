/**
 * `java.lang:*` beans answered with Node's equivalents, so the collectors' stock JVM
 * configurations (Telegraf's jolokia2 examples, Metricbeat's jolokia module) get values:
 * Runtime (Uptime, StartTime, VmName…), Memory (HeapMemoryUsage/NonHeapMemoryUsage as
 * MemoryUsage maps), Threading (OS threads of the process) and OperatingSystem.
 */
import os from 'node:os';
import v8 from 'node:v8';
import { MBean } from '../metrics/registry.ts';
import { osThreads } from '../metrics/process-metrics.ts';

const startedAt = Date.now() - Math.round(process.uptime() * 1000);
let peakThreads = 0;

function threads(): number {
  const n = osThreads() ?? 1;
  peakThreads = Math.max(peakThreads, n);
  return n;
}

export function runtimeBeans(): MBean[] {
  const lang = (type: string) => new MBean(type, {}, 'java.lang');
  return [
    lang('Runtime')
      .define('Uptime', () => Date.now() - startedAt)
      .define('StartTime', () => startedAt)
      .define('Name', () => `${process.pid}@${os.hostname()}`)
      .define('VmName', () => 'Node.js')
      .define('VmVendor', () => 'OpenJS Foundation')
      .define('VmVersion', () => process.versions.node)
      .define('SpecVersion', () => process.versions.v8),
    lang('Memory')
      .define('HeapMemoryUsage', () => {
        const h = v8.getHeapStatistics();
        return { init: 0, used: h.used_heap_size, committed: h.total_heap_size, max: h.heap_size_limit };
      })
      .define('NonHeapMemoryUsage', () => {
        const m = process.memoryUsage();
        return { init: 0, used: m.external + m.arrayBuffers, committed: m.external + m.arrayBuffers, max: -1 };
      })
      .define('ObjectPendingFinalizationCount', () => 0),
    lang('Threading')
      .define('ThreadCount', threads)
      .define('PeakThreadCount', () => Math.max(peakThreads, threads()))
      .define('DaemonThreadCount', () => Math.max(0, threads() - 1)),
    lang('OperatingSystem')
      .define('AvailableProcessors', () => os.availableParallelism())
      .define('SystemLoadAverage', () => os.loadavg()[0])
      .define('ProcessCpuTime', () => {
        const u = process.cpuUsage();
        return (u.user + u.system) * 1000;
      })
      .define('TotalPhysicalMemorySize', () => os.totalmem())
      .define('FreePhysicalMemorySize', () => os.freemem())
      .define('Arch', () => os.arch())
      .define('Name', () => os.type()),
  ];
}
