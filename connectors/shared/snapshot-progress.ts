/** Snapshot progress (initial and incremental) as connectors report it in status and metrics. */
import type { MetricValue, TaskMetricsContext } from '../../sdk/spi.ts';

export interface SnapshotProgress {
  phase: 'none' | 'initial' | 'incremental' | 'done';
  tablesTotal: number;
  tablesDone: number;
  rowsScanned: number;
  rowsEstimated: number | null;
  currentTable: string | null;
  tables: Array<{ table: string; rowsScanned: number; rowsEstimated: number | null; done: boolean }>;
  /** The incremental snapshot's current chunk (Debezium's ChunkId/ChunkFrom/ChunkTo/TableFrom/TableTo); absent otherwise. */
  chunk?: ChunkPosition | null;
}

/** Key values as the snapshot read them (text), formatted like Java's Arrays.toString in the bean. */
export interface ChunkPosition {
  id: string;
  from: string[] | null;
  to: string[] | null;
  tableFrom: string[] | null;
  tableTo: string[] | null;
}

/**
 * Debezium's SnapshotMeter.currentChunk as AbstractIncrementalSnapshotChangeEventSource calls it: a
 * table's first chunk also sets TableFrom (its first key) and TableTo (the table's maximum key); later
 * chunks keep them.
 */
export function nextChunk(
  previous: ChunkPosition | null | undefined,
  id: string,
  from: string[] | null,
  to: string[] | null,
  firstOfTable: boolean,
  tableTo: string[] | null,
): ChunkPosition {
  if (firstOfTable) return { id, from, to, tableFrom: from, tableTo };
  return { id, from, to, tableFrom: previous?.tableFrom ?? null, tableTo: previous?.tableTo ?? null };
}

function javaArray(values: string[] | null | undefined): string | null {
  return values ? `[${values.join(', ')}]` : null;
}

export const NO_SNAPSHOT: SnapshotProgress = {
  phase: 'none',
  tablesTotal: 0,
  tablesDone: 0,
  rowsScanned: 0,
  rowsEstimated: null,
  currentTable: null,
  tables: [],
};

/** Wall-clock bounds of the snapshot a progress object describes (for SnapshotDurationInSeconds). */
export interface SnapshotTiming {
  startedAt: number | null;
  endedAt: number | null;
}

/** Timing derived from the phases a connector reports: call observe() whenever progress may have moved. */
export class SnapshotClock implements SnapshotTiming {
  startedAt: number | null = null;
  endedAt: number | null = null;
  private last: SnapshotProgress['phase'] = 'none';

  observe(p: SnapshotProgress): void {
    if (p.phase === this.last) return;
    if (p.phase === 'initial' || p.phase === 'incremental') {
      this.startedAt = Date.now();
      this.endedAt = null;
    } else if (p.phase === 'done' && this.startedAt !== null) {
      this.endedAt = Date.now();
    }
    this.last = p.phase;
  }
}

/**
 * Debezium's snapshot MBean, `debezium.<plugin>:type=connector-metrics,context=snapshot,server=<topic.prefix>`
 * (SnapshotChangeEventSourceMetricsMXBean attribute names), plus Tributary's `RowsEstimated`,
 * `TotalRowsScanned` and `TotalRowsEstimated` for progress against the planner's row estimates.
 */
export function registerSnapshotMetrics(
  metrics: TaskMetricsContext | undefined,
  plugin: 'postgres' | 'mysql' | 'mariadb',
  server: string,
  progress: () => SnapshotProgress,
  timing: () => SnapshotTiming,
  extra: Record<string, () => MetricValue> = {},
): void {
  if (!metrics) return;
  const running = (): boolean => progress().phase === 'initial' || progress().phase === 'incremental';
  const perTable = (pick: (t: SnapshotProgress['tables'][number]) => number | null): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const t of progress().tables) {
      const v = pick(t);
      if (v !== null) out[t.table] = v;
    }
    return out;
  };
  const lastRow = new LastChangeClock();
  metrics.register(
    `debezium.${plugin}`,
    'connector-metrics',
    { context: 'snapshot', server },
    {
      TotalTableCount: () => progress().tablesTotal,
      RemainingTableCount: () => progress().tablesTotal - progress().tablesDone,
      SnapshotRunning: running,
      SnapshotPaused: () => false,
      SnapshotAborted: () => false,
      SnapshotCompleted: () => progress().phase === 'done',
      SnapshotSkipped: () => progress().phase === 'none',
      SnapshotDurationInSeconds: () => {
        const t = timing();
        return t.startedAt === null ? 0 : Math.floor(((t.endedAt ?? Date.now()) - t.startedAt) / 1000);
      },
      SnapshotPausedDurationInSeconds: () => 0,
      CapturedTables: () =>
        progress()
          .tables.map((t) => t.table)
          .join(','),
      RowsScanned: () => perTable((t) => t.rowsScanned),
      RowsEstimated: () => perTable((t) => t.rowsEstimated),
      TotalRowsScanned: () => progress().rowsScanned,
      TotalRowsEstimated: () => progress().rowsEstimated,
      CurrentTable: () => progress().currentTable,
      // The change-event-source counters Debezium's snapshot bean shares with the streaming one: every scanned row is an event.
      TotalNumberOfEventsSeen: () => progress().rowsScanned,
      NumberOfEventsFiltered: () => 0,
      NumberOfEventsSkipped: () => 0,
      NumberOfErroneousEvents: () => 0,
      MilliSecondsSinceLastEvent: () => lastRow.sinceMs(progress().rowsScanned),
      ChunkId: () => progress().chunk?.id ?? null,
      ChunkFrom: () => javaArray(progress().chunk?.from),
      ChunkTo: () => javaArray(progress().chunk?.to),
      TableFrom: () => javaArray(progress().chunk?.tableFrom),
      TableTo: () => javaArray(progress().chunk?.tableTo),
      // Debezium fills these only in its multi-threaded chunked initial snapshot (snapshot.max.threads > 1), which Tributary does not have.
      TableChunkCounts: () => ({}),
      TableChunksCompletedCounts: () => ({}),
      ...extra,
    },
  );
}

/**
 * Time since a counter last moved, as seen by the reads (scrapes) of it: the snapshotters count
 * rows without timestamps, so the resolution is the scrape interval. -1 before the first row.
 */
class LastChangeClock {
  private last = 0;
  private at: number | null = null;

  sinceMs(count: number): number {
    if (count !== this.last) {
      this.last = count;
      this.at = Date.now();
    }
    return this.at === null ? -1 : Date.now() - this.at;
  }
}
