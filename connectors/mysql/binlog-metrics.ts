/**
 * Debezium's MySQL/MariaDB beans beyond the snapshot one:
 * - streaming, `debezium.<mysql|mariadb>:type=connector-metrics,context=streaming,server=<topic.prefix>`:
 *   the common StreamingChangeEventSourceMetricsMXBean attributes plus the binlog ones
 *   (BinlogChangeEventSourceMetricsMXBean: BinlogFilename, BinlogPosition, GtidSet,
 *   IsGtidModeEnabled, NumberOfDisconnects, NumberOfSkippedEvents, NumberOf{RolledBack,
 *   NotWellFormed,Large}Transactions), and Debezium 1.x's SecondsBehindMaster /
 *   SecondsSinceLastEvent, which the published MySQL dashboard still charts;
 * - schema history, `…,context=schema-history,server=<topic.prefix>` (SchemaHistoryMXBean).
 */
import type { TaskMetricsContext } from '../../sdk/spi.ts';
import { StreamingStats, registerStreamingMetrics } from '../shared/streaming-metrics.ts';

export class BinlogStreamingStats extends StreamingStats {
  binlogFilename: string | null = null;
  binlogPosition = 0;
  gtidSet: string | null = null;
  disconnects = 0;
  /** Events passed over on restart: already emitted before the stored offset (event/row skip). */
  skippedEvents = 0;
  rolledBackTransactions = 0;
  /** A BEGIN inside an open transaction, or a COMMIT outside one. */
  notWellFormedTransactions = 0;

  position(file: string, pos: number, gtids: string | undefined): void {
    this.binlogFilename = file;
    this.binlogPosition = pos;
    if (gtids !== undefined) this.gtidSet = gtids;
  }

  rollback(): void {
    this.rolledBackTransactions++;
  }
}

export interface BinlogQueue {
  capacity: number;
  /** Events read from the server not yet handed to the task. */
  buffered(): number;
  /** max.queue.size.in.bytes (0: none set). */
  maxBytes: number;
  /** Bytes of the events read from the server not yet handed to the task. */
  bufferedBytes(): number;
}

export function registerBinlogStreamingMetrics(
  metrics: TaskMetricsContext | undefined,
  plugin: 'mysql' | 'mariadb',
  server: string,
  stats: BinlogStreamingStats,
  gtidMode: () => boolean,
  queue: BinlogQueue,
  capturedTables: () => string[],
): void {
  const lag = stats.lag.attributes().MilliSecondsBehindSource;
  const behindMs = (): number => lag() ?? -1;
  registerStreamingMetrics(metrics, plugin, server, stats, capturedTables, {
    BinlogFilename: () => stats.binlogFilename,
    BinlogPosition: () => stats.binlogPosition,
    GtidSet: () => stats.gtidSet,
    IsGtidModeEnabled: gtidMode,
    NumberOfDisconnects: () => stats.disconnects,
    NumberOfSkippedEvents: () => stats.skippedEvents,
    NumberOfRolledBackTransactions: () => stats.rolledBackTransactions,
    NumberOfNotWellFormedTransactions: () => stats.notWellFormedTransactions,
    // Debezium counts transactions too large for its transaction buffer; Tributary does not buffer transactions.
    NumberOfLargeTransactions: () => 0,
    QueueTotalCapacity: () => queue.capacity,
    QueueRemainingCapacity: () => Math.max(0, queue.capacity - queue.buffered()),
    // As Debezium's ChangeEventQueue: the bytes queued are counted only under a bound in bytes.
    MaxQueueSizeInBytes: () => queue.maxBytes,
    CurrentQueueSizeInBytes: () => (queue.maxBytes > 0 ? queue.bufferedBytes() : 0),
    SecondsBehindMaster: () => (behindMs() < 0 ? -1 : Math.floor(behindMs() / 1000)),
    SecondsSinceLastEvent: () =>
      stats.lastEventAt === null ? -1 : Math.floor((Date.now() - stats.lastEventAt) / 1000),
  });
}

export class SchemaHistoryStats {
  status: 'STOPPED' | 'RECOVERING' | 'RUNNING' = 'STOPPED';
  recoveryStartTime = -1;
  changesRecovered = 0;
  lastRecoveredAt: number | null = null;
  changesApplied = 0;
  lastAppliedAt: number | null = null;

  recoveryStarted(): void {
    this.status = 'RECOVERING';
    this.recoveryStartTime = Date.now();
    this.changesRecovered = 0;
  }

  recovered(): void {
    this.changesRecovered++;
    this.lastRecoveredAt = Date.now();
  }

  recoveryDone(): void {
    this.status = 'RUNNING';
  }

  applied(): void {
    this.status = 'RUNNING';
    this.changesApplied++;
    this.lastAppliedAt = Date.now();
  }
}

export function registerSchemaHistoryMetrics(
  metrics: TaskMetricsContext | undefined,
  plugin: 'mysql' | 'mariadb',
  server: string,
  stats: SchemaHistoryStats,
): void {
  if (!metrics) return;
  const since = (t: number | null) => (t === null ? -1 : Date.now() - t);
  metrics.register(
    `debezium.${plugin}`,
    'connector-metrics',
    { context: 'schema-history', server },
    {
      Status: () => stats.status,
      RecoveryStartTime: () => stats.recoveryStartTime,
      ChangesRecovered: () => stats.changesRecovered,
      ChangesApplied: () => stats.changesApplied,
      MilliSecondsSinceLastRecoveredChange: () => since(stats.lastRecoveredAt),
      MilliSecondsSinceLastAppliedChange: () => since(stats.lastAppliedAt),
    },
  );
}
