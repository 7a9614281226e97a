/**
 * What the web console shows per connector, read from the worker's MBeans: records in and out,
 * sink lag, Debezium's lag behind the source, record errors and dead-letter-queue counts, and the
 * progress of a snapshot (Debezium's snapshot bean) or of a sink catching up after a replay.
 */
import type { AttributeValue, MBean, MetricsRegistry } from '../../metrics/registry.ts';
import { MetricGroups } from '../../metrics/names.ts';

export interface SnapshotSummary {
  running: boolean;
  completed: boolean;
  tablesTotal: number;
  tablesRemaining: number;
  rowsScanned: number;
  /** The planner's row estimate (Tributary's TotalRowsEstimated), null when the connector has none. */
  rowsEstimated: number | null;
  currentTable: string | null;
}

export interface ConnectorSummary {
  /** Records a source wrote / a sink read since its tasks started. */
  recordsIn: number;
  /** Records a source polled / a sink handed to put(). */
  recordsOut: number;
  /** Per second over Kafka's one-minute metric window. */
  inRate: number;
  outRate: number;
  /** Sink only: records behind the end of the topics (sum over tasks of sink-record-lag-max); null for sources. */
  sinkLag: number | null;
  /** Debezium sources only: MilliSecondsBehindSource of the streaming bean (-1 before the first event). */
  behindSourceMs: number | null;
  errors: number;
  failures: number;
  skipped: number;
  dlqRequests: number;
  dlqFailures: number;
  lastErrorTimestamp: number | null;
  snapshot: SnapshotSummary | null;
  /** Sink catch-up (after a replay or a restart): records read / (read + lag), null when nothing is behind. */
  catchUp: { read: number; lag: number } | null;
}

const num = (v: AttributeValue | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function connectorOf(bean: MBean): string | undefined {
  return bean.tags.connector ?? bean.owner.connector;
}

function empty(): ConnectorSummary {
  return {
    recordsIn: 0,
    recordsOut: 0,
    inRate: 0,
    outRate: 0,
    sinkLag: null,
    behindSourceMs: null,
    errors: 0,
    failures: 0,
    skipped: 0,
    dlqRequests: 0,
    dlqFailures: 0,
    lastErrorTimestamp: null,
    snapshot: null,
    catchUp: null,
  };
}

export function summarizeConnectors(metrics: MetricsRegistry): Record<string, ConnectorSummary> {
  const out: Record<string, ConnectorSummary> = {};
  const get = (name: string) => (out[name] ??= empty());
  for (const bean of metrics.list()) {
    const name = connectorOf(bean);
    if (!name || name === 'aggregate') continue;
    if (bean.domain === 'kafka.connect' && bean.tags.task === undefined) continue;
    const a = bean.read();
    const s = get(name);
    if (bean.type === MetricGroups.sourceTask) {
      s.recordsIn += num(a['source-record-poll-total']);
      s.recordsOut += num(a['source-record-write-total']);
      s.inRate += num(a['source-record-poll-rate']);
      s.outRate += num(a['source-record-write-rate']);
    } else if (bean.type === MetricGroups.sinkTask) {
      s.recordsIn += num(a['sink-record-read-total']);
      s.recordsOut += num(a['sink-record-send-total']);
      s.inRate += num(a['sink-record-read-rate']);
      s.outRate += num(a['sink-record-send-rate']);
      s.sinkLag = (s.sinkLag ?? 0) + num(a['sink-record-lag-max']);
    } else if (bean.type === MetricGroups.taskError) {
      s.errors += num(a['total-record-errors']);
      s.failures += num(a['total-record-failures']);
      s.skipped += num(a['total-records-skipped']);
      s.dlqRequests += num(a['deadletterqueue-produce-requests']);
      s.dlqFailures += num(a['deadletterqueue-produce-failures']);
      const last = num(a['last-error-timestamp']);
      if (last > 0) s.lastErrorTimestamp = Math.max(s.lastErrorTimestamp ?? 0, last);
    } else if (bean.domain.startsWith('debezium.') && bean.tags.context === 'streaming') {
      const behind = a.MilliSecondsBehindSource;
      if (typeof behind === 'number') s.behindSourceMs = Math.max(s.behindSourceMs ?? -1, behind);
    } else if (bean.domain.startsWith('debezium.') && bean.tags.context === 'snapshot') {
      s.snapshot = {
        running: a.SnapshotRunning === true,
        completed: a.SnapshotCompleted === true,
        tablesTotal: num(a.TotalTableCount),
        tablesRemaining: num(a.RemainingTableCount),
        rowsScanned: num(a.TotalRowsScanned),
        rowsEstimated: typeof a.TotalRowsEstimated === 'number' ? a.TotalRowsEstimated : null,
        currentTable: typeof a.CurrentTable === 'string' ? a.CurrentTable : null,
      };
    }
  }
  for (const s of Object.values(out)) {
    if (s.sinkLag !== null && s.sinkLag > 0) s.catchUp = { read: s.recordsIn, lag: s.sinkLag };
  }
  return out;
}
