/**
 * Debezium's snapshot log lines (RelationalSnapshotChangeEventSource), for every source connector
 * that registers Debezium's snapshot MBean (`context=snapshot`): the start of the data step, each
 * table's start, progress every 10 s and end with its row count, and the end of the snapshot.
 * Read from the bean once a second, so connectors need no logging of their own for it; the tables
 * are exported in CapturedTables order, so the first TotalTableCount − RemainingTableCount are done.
 */
import type { Logger } from '../logging.ts';
import type { AttributeValue } from '../metrics/registry.ts';

/** Debezium's LOG_INTERVAL between "Exported N records for table" lines. */
const PROGRESS_INTERVAL_MS = 10_000;
const TICK_MS = 1_000;

/** Debezium's Strings.duration: HH:MM:SS.mmm */
export function debeziumDuration(ms: number): string {
  const p = (n: number, w = 2) => String(Math.floor(n)).padStart(w, '0');
  return `${p(ms / 3_600_000)}:${p((ms / 60_000) % 60)}:${p((ms / 1000) % 60)}.${p(ms % 1000, 3)}`;
}

type Read = () => Record<string, AttributeValue>;

export class SnapshotLog {
  private started: number | null = null;
  private announced = -1;
  private finished = 0;
  private tableStart = 0;
  private lastProgress = 0;
  private ended = false;

  constructor(
    private readonly logger: Logger,
    private readonly read: Read,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks the bean once a second until `alive()` says it was unregistered. */
  static follow(logger: Logger, read: Read, alive: () => boolean): SnapshotLog {
    const log = new SnapshotLog(logger, read);
    const timer = setInterval(() => {
      if (!alive()) clearInterval(timer);
      else log.tick();
    }, TICK_MS);
    timer.unref();
    return log;
  }

  tick(): void {
    const a = this.read();
    const tables = typeof a.CapturedTables === 'string' && a.CapturedTables !== '' ? a.CapturedTables.split(',') : [];
    const total = typeof a.TotalTableCount === 'number' ? a.TotalTableCount : tables.length;
    const done = total - (typeof a.RemainingTableCount === 'number' ? a.RemainingTableCount : total);
    const rows = a.RowsScanned !== null && typeof a.RowsScanned === 'object' ? a.RowsScanned : {};
    const running = a.SnapshotRunning === true;
    const completed = a.SnapshotCompleted === true;
    if (this.started === null) {
      if (!running && !completed) return;
      this.started = this.now();
      this.logger.info('Snapshot step 7 - Snapshotting data');
    }
    const at = this.now();
    for (; this.finished < Math.min(done, tables.length); this.finished++) {
      this.announce(this.finished, tables, total, at);
      const t = tables[this.finished];
      this.logger.info(
        `\t Finished exporting ${rows[t] ?? 0} records for table '${t}' (${this.finished + 1} of ${total} tables); total duration '${debeziumDuration(at - this.tableStart)}'`,
      );
      this.tableStart = at;
    }
    if ((running || !completed) && this.finished < tables.length) {
      this.announce(this.finished, tables, total, at);
      const t = tables[this.finished];
      if (at - this.lastProgress >= PROGRESS_INTERVAL_MS) {
        this.logger.info(
          `\t Exported ${rows[t] ?? 0} records for table '${t}' after ${debeziumDuration(at - this.tableStart)}`,
        );
        this.lastProgress = at;
      }
    }
    if (completed && !this.ended) {
      this.ended = true;
      const totalRows =
        typeof a.TotalRowsScanned === 'number'
          ? a.TotalRowsScanned
          : Object.values(rows).reduce<number>((s, n) => s + Number(n), 0);
      this.logger.info('Snapshot - Final stage');
      this.logger.info(
        `Snapshot ended with SnapshotResult [status=COMPLETED] after ${debeziumDuration(at - this.started)}: ${totalRows} records from ${total} tables`,
      );
    }
    if (!running && !completed) this.reset();
  }

  private announce(index: number, tables: string[], total: number, at: number): void {
    if (index <= this.announced) return;
    this.announced = index;
    this.tableStart = at;
    this.lastProgress = at;
    this.logger.info(`Exporting data from table '${tables[index]}' (${index + 1} of ${total} tables)`);
  }

  /** An incremental snapshot later on starts its own sequence of lines. */
  private reset(): void {
    if (this.started === null || !this.ended) return;
    this.started = null;
    this.announced = -1;
    this.finished = 0;
    this.ended = false;
  }
}
