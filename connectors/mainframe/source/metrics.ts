/**
 * The mainframe file source's Debezium-style beans, so the Debezium dashboards chart it as they
 * chart a database source (`debezium.mainframe:type=connector-metrics,context=<snapshot|streaming>,server=<connector>`,
 * exported as `debezium_metrics_<Attribute>{plugin="mainframe",name,context}`):
 * - snapshot: the records present in a file when the task first saw it (op=r); a file is a
 *   "table" (TotalTableCount, RemainingTableCount, RowsScanned per file);
 * - streaming: records appended later (op=c). The source time of a record is its file's last
 *   modification (the record files carry no timestamps), so MilliSecondsBehindSource is how long
 *   the data had been in the file when the task read it.
 * The task reads records straight into its poll batch: no queue holds records between the file
 * and the worker, so the queue attributes report the batch (batch.size) with all of it free
 * between polls.
 */
import fs from 'node:fs';
import type { TaskMetricsContext } from '../../../sdk/spi.ts';
import { LagBehindSource } from '../../shared/lag-metrics.ts';

const MTIME_TTL_MS = 500;

interface FileProgress {
  snapshotEnd: number;
  position: number;
  snapshotRows: number;
}

export class MainframeSourceMetrics {
  private readonly files = new Map<string, FileProgress>();
  private readonly mtimes = new Map<string, { at: number; mtimeMs: number }>();
  private snapshotStartedAt: number | null = null;
  private snapshotEndedAt: number | null = null;
  private snapshotEvents = 0;
  private streamingEvents = 0;
  private lastSnapshotEventAt: number | null = null;
  private lastStreamingEventAt: number | null = null;
  private erroneousEvents = 0;
  private running = false;
  private readonly lag = new LagBehindSource();

  constructor(private readonly batchSize: number) {}

  register(metrics: TaskMetricsContext | undefined, server: string): void {
    if (!metrics) return;
    const since = (t: number | null) => (t === null ? -1 : Date.now() - t);
    const remaining = () => [...this.files.values()].filter((f) => f.position < f.snapshotEnd).length;
    const snapshotting = () => this.snapshotStartedAt !== null && remaining() > 0;
    const common = (events: () => number, last: () => number | null) => ({
      TotalNumberOfEventsSeen: events,
      NumberOfEventsFiltered: () => 0,
      NumberOfEventsSkipped: () => 0,
      NumberOfErroneousEvents: () => this.erroneousEvents,
      MilliSecondsSinceLastEvent: () => since(last()),
      QueueTotalCapacity: () => this.batchSize,
      QueueRemainingCapacity: () => this.batchSize,
    });
    metrics.register(
      'debezium.mainframe',
      'connector-metrics',
      { context: 'snapshot', server },
      {
        ...common(
          () => this.snapshotEvents,
          () => this.lastSnapshotEventAt,
        ),
        TotalNumberOfCreateEventsSeen: () => 0,
        TotalTableCount: () => [...this.files.values()].filter((f) => f.snapshotEnd > 0).length,
        RemainingTableCount: remaining,
        SnapshotRunning: snapshotting,
        SnapshotPaused: () => false,
        SnapshotAborted: () => false,
        SnapshotCompleted: () => this.snapshotStartedAt !== null && remaining() === 0,
        SnapshotSkipped: () => this.snapshotStartedAt === null,
        SnapshotDurationInSeconds: () =>
          this.snapshotStartedAt === null
            ? 0
            : Math.floor(((this.snapshotEndedAt ?? Date.now()) - this.snapshotStartedAt) / 1000),
        SnapshotPausedDurationInSeconds: () => 0,
        RowsScanned: () =>
          Object.fromEntries([...this.files].filter(([, f]) => f.snapshotEnd > 0).map(([p, f]) => [p, f.snapshotRows])),
      },
    );
    metrics.register(
      'debezium.mainframe',
      'connector-metrics',
      { context: 'streaming', server },
      {
        ...common(
          () => this.streamingEvents,
          () => this.lastStreamingEventAt,
        ),
        Connected: () => this.running,
        TotalNumberOfCreateEventsSeen: () => this.streamingEvents,
        TotalNumberOfUpdateEventsSeen: () => 0,
        TotalNumberOfDeleteEventsSeen: () => 0,
        NumberOfCommittedTransactions: () => 0,
        ...this.lag.attributes(),
      },
    );
  }

  started(): void {
    this.running = true;
  }

  stopped(): void {
    this.running = false;
  }

  /** A file the task reads; `snapshotEnd` > position: records up to there are its snapshot. */
  fileSeen(path: string, position: number, snapshotEnd: number): void {
    this.files.set(path, { snapshotEnd, position, snapshotRows: 0 });
    if (position < snapshotEnd) {
      this.snapshotStartedAt ??= Date.now();
      this.snapshotEndedAt = null;
    }
  }

  /** One record handed to the worker; `position` is where the file's reading now stands. */
  record(path: string, snapshot: boolean, position: number): void {
    const now = Date.now();
    const f = this.files.get(path);
    if (f) f.position = position;
    if (snapshot) {
      this.snapshotEvents++;
      this.lastSnapshotEventAt = now;
      if (f) f.snapshotRows++;
      if (this.snapshotStartedAt !== null && [...this.files.values()].every((x) => x.position >= x.snapshotEnd))
        this.snapshotEndedAt = now;
      return;
    }
    this.streamingEvents++;
    this.lastStreamingEventAt = now;
    this.lag.record(this.mtimeOf(path, now), now);
  }

  /** A record that could not be framed or decoded (the task fails on it). */
  erroneous(): void {
    this.erroneousEvents++;
  }

  private mtimeOf(path: string, now: number): number {
    const cached = this.mtimes.get(path);
    if (cached && now - cached.at < MTIME_TTL_MS) return cached.mtimeMs;
    let mtimeMs = now;
    try {
      mtimeMs = fs.statSync(path).mtimeMs;
    } catch {
      // Gone since it was read: the record is as fresh as the read.
    }
    this.mtimes.set(path, { at: now, mtimeMs });
    return mtimeMs;
  }
}
