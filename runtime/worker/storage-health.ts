/**
 * The worker's view of its storage: the embedded log's metrics (data directory size, corrupt
 * batches found, an active storage fault) and the reason /health reports the worker degraded.
 */
import type { EmbeddedLog } from '../log/embedded-log.ts';
import { MBean, type MetricsRegistry } from '../metrics/registry.ts';
import { EmbeddedLogMetricGroup } from '../metrics/names.ts';

export function registerEmbeddedLogMetrics(metrics: MetricsRegistry, log: EmbeddedLog): void {
  metrics.register(
    new MBean(EmbeddedLogMetricGroup, {})
      .define('data-dir-size-bytes', () => safely(() => log.diskUsageBytes()))
      .define('corrupt-batch-total', () => log.corruptBatchesDetected)
      .define('storage-fault-active', () => log.storageFault !== null)
      .define('storage-fault-seconds', () => {
        const f = log.storageFault;
        return f ? Math.round((Date.now() - f.since) / 1000) : 0;
      }),
  );
}

function safely(read: () => number): number {
  try {
    return read();
  } catch {
    return Number.NaN;
  }
}

/** Why the worker is degraded (null: it is not): a storage fault of the embedded log or corrupt batches found. */
export function storageDegradedReason(log: EmbeddedLog): string | null {
  const reasons: string[] = [];
  const fault = log.storageFault;
  if (fault)
    reasons.push(
      `the embedded log cannot write since ${new Date(fault.since).toISOString()}: ${fault.reason}; tasks writing to it retry and resume once the cause is gone`,
    );
  else {
    const warning = log.spaceWarning;
    if (warning) reasons.push(warning);
  }
  if (log.corruptBatchesDetected > 0)
    reasons.push(
      `${log.corruptBatchesDetected} corrupt record batch(es) found in ${log.dataFile}; the tasks reading them failed (see their status); run \`tributary log verify\``,
    );
  return reasons.length > 0 ? reasons.join('; ') : null;
}

/** Every reason the worker is degraded, or null: storage, and unhandled promise rejections (bugs) since start. */
export function workerDegradedReason(log: EmbeddedLog, faults: { unhandledRejections: number }): string | null {
  const reasons = [storageDegradedReason(log)];
  if (faults.unhandledRejections > 0)
    reasons.push(
      `${faults.unhandledRejections} unhandled promise rejection(s) since the worker started (a bug; see the worker log)`,
    );
  const present = reasons.filter((r): r is string => r !== null);
  return present.length > 0 ? present.join('; ') : null;
}
