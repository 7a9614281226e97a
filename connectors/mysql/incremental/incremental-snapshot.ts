/**
 * Incremental snapshots of MySQL/MariaDB tables, driven by the signal table, on the shared engine
 * (shared/incremental/incremental-snapshot-engine.ts: DBLog watermarks, signals, progress in the
 * offsets; the MySQL SQL and records are in incremental-dialect.ts). The binlog reader hands over
 * the signal rows and the structures it streams with; the task feeds each batch's records for
 * eviction and carries out the signals seen in it. Streaming never stops; a restart continues the
 * table from the offsets.
 */
import type { ConnectionOptions } from 'mysql2';
import type { SourceOffset, SourceRecord, Struct } from '../../../sdk/data.ts';
import type { Logger } from '../../../sdk/logging.ts';
import type { SnapshotProgress } from '../../shared/snapshot-progress.ts';
import type { RowImage } from '../binlog/events/rows.ts';
import type { CapturedTable } from '../captured-table.ts';
import { IncrementalSnapshotEngine } from '../../shared/incremental/incremental-snapshot-engine.ts';
import { keyString } from './chunk-errors.ts';
import {
  type ChunkTable,
  type IncrementalContext as DialectContext,
  MysqlIncrementalDialect,
  type SignalRow,
} from './incremental-dialect.ts';
import { SnapshotConnection } from './snapshot-connection.ts';

export type { SignalRow } from './incremental-dialect.ts';

export interface IncrementalContext extends DialectContext {
  logger: Logger;
  connection: ConnectionOptions;
}

export class IncrementalSnapshot {
  private readonly engine: IncrementalSnapshotEngine<ChunkTable, RowImage, SignalRow>;
  private readonly dialect: MysqlIncrementalDialect;
  private readonly pending: SignalRow[] = [];
  private readonly db: SnapshotConnection;

  constructor(
    private readonly c: IncrementalContext,
    resumedOffset: SourceOffset | null,
  ) {
    this.db = new SnapshotConnection(c.connection);
    this.dialect = new MysqlIncrementalDialect(c, this.db);
    this.engine = new IncrementalSnapshotEngine(this.dialect, c.logger, {
      chunkSize: c.settings.incrementalChunkSize,
      resumed: resumedOffset,
    });
  }

  get active(): boolean {
    return this.engine.active;
  }

  /** Offset entries describing the progress (null when no incremental snapshot runs). */
  offsetKeys(): SourceOffset | null {
    return this.engine.offsetKeys();
  }

  /** Called by the binlog reader for every row inserted into the signal table. */
  receive(row: SignalRow): void {
    this.pending.push(row);
  }

  /** A captured table's structure as the stream uses it. */
  noteStreamTable(table: CapturedTable): void {
    this.dialect.noteStreamTable(table);
  }

  /** Carries out the signals seen in the last event; a close watermark appends the chunk's rows to `out`. */
  async processSignals(out: SourceRecord[]): Promise<void> {
    while (this.pending.length) {
      const row = this.pending.shift()!;
      await this.engine.onSignal(row, row, out);
    }
  }

  /** The binlog stream restarts from an earlier position: the window in flight is given up (a new chunk follows). */
  streamRestarted(): void {
    this.engine.discardChunk();
  }

  /** A TRUNCATE inside the window empties the chunk: its rows no longer exist. */
  truncated(database: string, table: string): void {
    this.engine.truncated(`${database}.${table}`);
  }

  /** Dedup: streamed records of the chunk's table evict the buffered rows with their keys. */
  observe(out: SourceRecord[], from: number): void {
    const table = this.engine.windowTable;
    if (!table) return;
    const topic = table.captured.topic;
    for (let i = from; i < out.length; i++) {
      const r = out[i];
      if (r.topic !== topic || r.key === null || typeof r.key !== 'object') continue;
      this.engine.evict(keyString(r.key as Struct));
    }
  }

  /** Whether the next chunk should be read now. */
  get needsChunk(): boolean {
    return this.engine.needsChunk;
  }

  /** Fails the start when the signal table is missing or lacks the id, type and data columns. */
  async verifySignalTable(): Promise<void> {
    await this.db.verifySignalTable(this.c.settings.signalTable!, this.dialect.signalTable);
  }

  /** Inserts the open watermark, reads the next chunk into the buffer, inserts the close watermark. */
  async readChunk(): Promise<void> {
    await this.engine.readChunk();
  }

  snapshotProgress(): SnapshotProgress | null {
    return this.engine.progress();
  }

  close(): void {
    this.db.close();
  }
}
