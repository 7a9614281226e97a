/**
 * Debezium's streaming MBean, `debezium.<plugin>:type=connector-metrics,context=streaming,server=<topic.prefix>`
 * (StreamingChangeEventSourceMetricsMXBean names): counters the streaming code bumps per change
 * and per commit, read when metrics are scraped.
 */
import type { MetricValue, TaskMetricsContext } from '../../sdk/spi.ts';
import { Struct } from '../../sdk/data.ts';
import { LagBehindSource } from './lag-metrics.ts';

export class StreamingStats {
  connected = false;
  eventsSeen = 0;
  creates = 0;
  updates = 0;
  deletes = 0;
  filtered = 0;
  committedTransactions = 0;
  lastTransactionId: string | null = null;
  lastEventAt: number | null = null;
  /** Source (commit) time of the last event, epoch ms. */
  lastSourceTimeMs: number | null = null;
  readonly lag = new LagBehindSource();
  /** Events the connector could not handle (Debezium's onErroneousEvent): counted before the task fails on them. */
  erroneous = 0;
  private eventPosition: Record<string, string> = {};
  /** A position given to describeLazily, formatted when read. */
  private positionFormat: ((value: never) => Record<string, string>) | null = null;
  private positionValue: unknown = null;
  private lastKey: unknown = undefined;
  private described = false;

  change(op: 'c' | 'u' | 'd' | 't' | 'r' | 'm', sourceTimeMs: number): void {
    this.eventsSeen++;
    if (op === 'c') this.creates++;
    else if (op === 'u') this.updates++;
    else if (op === 'd') this.deletes++;
    this.lastEventAt = Date.now();
    this.lastSourceTimeMs = sourceTimeMs;
    this.lag.record(sourceTimeMs, this.lastEventAt);
  }

  /**
   * Records the last change the way Debezium's EventMetadataProvider.toSummaryString does:
   * `position: {file: …, pos: …, row: …}, key: {"id" : 1}` (the position keys in the order of
   * Debezium's HashMap for them).
   */
  describe(position: Record<string, string>, key: unknown): void {
    this.eventPosition = position;
    this.positionFormat = null;
    this.lastKey = key;
    this.described = true;
  }

  /** As describe, with the position made by `format(value)` only when it is read (not per change). */
  describeLazily<T>(format: (value: T) => Record<string, string>, value: T, key: unknown): void {
    this.positionFormat = format;
    this.positionValue = value;
    this.lastKey = key;
    this.described = true;
  }

  /** Debezium's SourceEventPosition: the last change's position fields from its source block, as strings. */
  get sourceEventPosition(): Record<string, string> {
    if (this.positionFormat) {
      this.eventPosition = this.positionFormat(this.positionValue as never);
      this.positionFormat = null;
    }
    return this.eventPosition;
  }

  /** Debezium's LastEvent, formatted when read (not per event). */
  get lastEvent(): string | null {
    if (!this.described) return null;
    const parts = [
      `position: {${Object.entries(this.sourceEventPosition)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}}`,
    ];
    const key = this.lastKey;
    if (key instanceof Struct) parts.push(`key: ${detailedValue(key)}`);
    else if (key !== null && key !== undefined) parts.push(`key: ${String(key)}`);
    return parts.join(', ');
  }

  /** Runs `handle` for one source event; an event it throws on is counted as erroneous. */
  guard<T>(handle: () => T): T {
    try {
      return handle();
    } catch (err) {
      this.erroneous++;
      throw err;
    }
  }

  commit(txId: string): void {
    this.committedTransactions++;
    this.lastTransactionId = txId;
  }
}

/** Debezium's SchemaUtil.asDetailedString for the values a key holds: strings JSON-quoted, bytes as Java's Arrays.toString of signed bytes. */
function detailedValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Struct)
    return `{${v.schema.fields.map((f) => `${JSON.stringify(f.name)} : ${detailedValue(v.get(f.name))}`).join(', ')}}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `[${[...v].map((b) => (b > 127 ? b - 256 : b)).join(', ')}]`;
  if (v instanceof Date) return JSON.stringify(v.toISOString().replace('.000Z', 'Z'));
  return String(v);
}

/** Queue attributes of PostgreSQL's replication stream buffer (the object-mode readable side of the CopyBoth stream; max.queue.size frames). */
export function pgQueueMetrics(
  capacity: number,
  queue: () => { capacity: number; buffered: number } | null,
): Record<string, () => MetricValue> {
  return {
    QueueTotalCapacity: () => queue()?.capacity ?? capacity,
    QueueRemainingCapacity: () => {
      const q = queue();
      return q === null ? capacity : Math.max(0, q.capacity - q.buffered);
    },
  };
}

/** Queue attributes of a snapshot reading `capacity` rows per round trip, `pending` of them not yet handed to the task. */
export function snapshotQueueMetrics(
  capacity: number,
  pending: () => number,
  /** max.queue.size.in.bytes where the connector has it. */
  maxBytes = 0,
): Record<string, () => MetricValue> {
  return {
    QueueTotalCapacity: () => capacity,
    QueueRemainingCapacity: () => Math.max(0, capacity - pending()),
    MaxQueueSizeInBytes: () => maxBytes,
    CurrentQueueSizeInBytes: () => 0,
  };
}

/**
 * `extra`: the connector's own attributes (the binlog ones, QueueTotalCapacity/QueueRemainingCapacity of its buffer).
 * LastTransactionId is a string: readable over Jolokia, never a Prometheus label (one series per transaction).
 */
export function registerStreamingMetrics(
  metrics: TaskMetricsContext | undefined,
  plugin: 'postgres' | 'mysql' | 'mariadb',
  server: string,
  stats: StreamingStats,
  capturedTables: () => string[],
  extra: Record<string, () => MetricValue> = {},
): void {
  if (!metrics) return;
  metrics.register(
    `debezium.${plugin}`,
    'connector-metrics',
    { context: 'streaming', server },
    {
      Connected: () => stats.connected,
      TotalNumberOfEventsSeen: () => stats.eventsSeen,
      TotalNumberOfCreateEventsSeen: () => stats.creates,
      TotalNumberOfUpdateEventsSeen: () => stats.updates,
      TotalNumberOfDeleteEventsSeen: () => stats.deletes,
      NumberOfEventsFiltered: () => stats.filtered,
      // Debezium 0.x's name for NumberOfEventsFiltered, still charted by debezium-examples' debezium-dashboard.
      NumberOfEventsSkipped: () => stats.filtered,
      NumberOfErroneousEvents: () => stats.erroneous,
      NumberOfCommittedTransactions: () => stats.committedTransactions,
      LastTransactionId: () => stats.lastTransactionId,
      LastEvent: () => stats.lastEvent,
      SourceEventPosition: () => stats.sourceEventPosition,
      MilliSecondsSinceLastEvent: () => (stats.lastEventAt === null ? -1 : Date.now() - stats.lastEventAt),
      ...stats.lag.attributes(),
      CapturedTables: () => capturedTables().join(','),
      // Debezium's values when skip.messages.without.change and max.queue.size.in.bytes are not set (the binlog connectors report their byte bound through `extra`).
      NumberOfUnchangedEventsSkipped: () => -1,
      // ActivityMonitoringMXBean's per-table maps stay empty in Debezium unless the internal advanced.metrics.enable is set.
      NumberOfCreateEventsSeen: () => ({}),
      NumberOfUpdateEventsSeen: () => ({}),
      NumberOfDeleteEventsSeen: () => ({}),
      NumberOfTruncateEventsSeen: () => ({}),
      MaxQueueSizeInBytes: () => 0,
      CurrentQueueSizeInBytes: () => 0,
      ...extra,
    },
  );
}
