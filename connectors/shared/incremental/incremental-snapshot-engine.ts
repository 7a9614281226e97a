/**
 * The incremental snapshot both database connectors run (Debezium's
 * AbstractIncrementalSnapshotChangeEventSource with SignalBasedIncrementalSnapshotChangeEventSource,
 * insert_insert watermarks): for each chunk an open watermark row is inserted into the signal
 * table, the current table's maximum key is read once, the next `incremental.snapshot.chunk.size`
 * rows after the last key are read in key order into the window (watermark-window.ts) — empty,
 * missing and keyless tables are passed inside the same window — and a close watermark row is
 * inserted. The stream carries both rows; between them streamed changes evict buffered rows, and at
 * the close watermark the rest is emitted as `op=r`, each record's offset naming its own key
 * (Debezium's lastEventKeySent), so a restart after any prefix of the chunk re-reads the rest.
 * Signals (execute/stop/pause/resume-snapshot, log) are validated in signals.ts and queued in
 * snapshot-plan.ts. A connector supplies only an IncrementalDialect: its SQL, type conversion and
 * records.
 */
import { randomUUID } from 'node:crypto';
import type { SourceOffset, SourceRecord } from '../../../sdk/data.ts';
import { ConnectException } from '../../../sdk/errors.ts';
import type { Logger } from '../../../sdk/logging.ts';
import { nextChunk, type ChunkPosition, type SnapshotProgress } from '../snapshot-progress.ts';
import { TableProgress } from '../table-progress.ts';
import { type IncrementalState, type SnapshotCollection, stateFromOffset, stateOffset } from './incremental-state.ts';
import { type SignalAction, windowCloseData, windowOpenData } from './signals.ts';
import { dispatchSignal, SnapshotPlan } from './snapshot-plan.ts';
import { type Chunk, type ChunkRow, WatermarkWindow } from './watermark-window.ts';

export type { ChunkRow } from './watermark-window.ts';

/** How a failed read is handled: retried later, the table's fault (skipped when it has a condition), or fatal. */
export type ChunkFailure = 'connection' | 'schema-lag' | 'server' | 'other';

export interface ChunkBounds {
  /** The last key read (exclusive lower bound), null for the table's first chunk. */
  after: readonly string[] | null;
  /** The table's largest key when its snapshot started (inclusive upper bound). */
  upTo: readonly string[];
  /** The signal's additional condition (an SQL boolean expression), or null. */
  condition: string | null;
  /** The column the chunks are read in order by instead of the key (the signal's surrogate-key), or null. */
  surrogateKey: string | null;
  limit: number;
}

/**
 * What a connector supplies: `T` is its handle of a table's structure, `R` a row read by a chunk,
 * `S` where in the stream a signal row was seen (what the emitted records' offset and source name).
 */
export interface IncrementalDialect<T, R, S> {
  /** The captured tables (`<db>.<table>` / `<schema>.<table>`) an execute-snapshot may name, in snapshot order. */
  capturedTables(): Promise<string[]> | string[];
  /**
   * The structure of a queued table; null when it is no longer captured or does not exist.
   * `starting`: the table's first chunk (its maximum key is read next); later chunks may reuse it.
   */
  table(collection: string, starting: boolean): Promise<T | null> | T | null;
  /** Whether the table has no key (or no column `surrogateKey`) to read chunks in order by (it is skipped). */
  keyless(table: T, surrogateKey: string | null): boolean;
  /** The table's largest key (or surrogate key) within the condition (text values), null when no row qualifies. */
  maxKey(table: T, condition: string | null, surrogateKey: string | null): Promise<string[] | null>;
  /** The next rows in key order within the bounds, at most `limit`. */
  readChunk(table: T, bounds: ChunkBounds): Promise<Array<ChunkRow<R>>>;
  /** Inserts a watermark row (id, type, data) into the signal table. */
  writeWatermark(id: string, type: 'snapshot-window-open' | 'snapshot-window-close', data: string): Promise<void>;
  /** The estimated row count of a table (status and metrics), null when unknown. */
  estimateRows?(collection: string): Promise<number | null>;
  /** What kind of failure a database error is. */
  classify(err: unknown): ChunkFailure;
  /** After a connection loss: the next read opens a new connection. */
  reconnect?(): void;
  /** At the close watermark: the table's structure changed since the chunk was read (it is read again). */
  stale?(table: T): boolean;
  /** The offset of the stream position where a signal row was seen (incremental keys are added per record). */
  baseOffset(at: S): SourceOffset;
  /** The `op=r` records (source.snapshot=incremental) of the rows left at the close watermark. */
  records(table: T, rows: ReadonlyArray<{ row: R; offset: SourceOffset }>, at: S): SourceRecord[];
  /** The signal table as it is named in messages. */
  readonly signalTable: string;
}

export interface EngineOptions {
  chunkSize: number;
  /** The offset the task resumed from (null: no incremental snapshot to continue). */
  resumed: SourceOffset | null;
  /** How long a chunk waits after a connection loss or a structure the stream has not reached yet. */
  retryMs?: number;
}

/** The chunk could not be read yet (connection lost, or the server is ahead of the stream's structures). */
class RetryChunk extends Error {}

export class IncrementalSnapshotEngine<T, R, S> {
  private readonly plan: SnapshotPlan;
  private readonly window = new WatermarkWindow<T, R>();
  private readonly tables = new TableProgress();
  private chunkPosition: ChunkPosition | null = null;
  private reading = false;
  private retryAt = 0;
  private readonly retryMs: number;

  constructor(
    private readonly dialect: IncrementalDialect<T, R, S>,
    private readonly logger: Logger,
    private readonly options: EngineOptions,
  ) {
    this.retryMs = options.retryMs ?? 1000;
    const restored = options.resumed ? stateFromOffset(options.resumed) : null;
    if (restored?.foreignKeys)
      logger.warn(
        { table: restored.state.collections[0]?.id },
        "Incremental snapshot offset keys are not in Tributary's form: the current table restarts from its first key",
      );
    this.plan = new SnapshotPlan(logger, restored?.state ?? null);
    const state = this.state;
    if (state) {
      this.tables.start(state.collections.map((x) => x.id));
      logger.info(
        { collections: state.collections.map((x) => x.id), lastKey: state.lastKey },
        'Incremental snapshot resumed from the offsets',
      );
    }
  }

  get active(): boolean {
    return this.plan.active;
  }

  private get state(): IncrementalState | null {
    return this.plan.state;
  }

  /** Offset entries of the running snapshot under Debezium's keys; null when none runs. */
  offsetKeys(): SourceOffset | null {
    return this.plan.offset();
  }

  /** Whether the next chunk should be read now (a snapshot runs, not paused, no chunk waits for its watermarks). */
  get needsChunk(): boolean {
    return (
      this.state !== null && !this.window.pending && !this.plan.paused && !this.reading && Date.now() >= this.retryAt
    );
  }

  /** The table of the chunk whose window is open (streamed changes of it call evict), else null. */
  get windowTable(): T | null {
    return this.window.openTable;
  }

  /** A streamed change of the window's table: the buffered row with its key is superseded. */
  evict(identity: string): void {
    this.window.evict(identity);
  }

  /** A TRUNCATE of `collection` streamed inside the window. */
  truncated(collection: string): void {
    this.window.truncate(collection);
  }

  /** The stream restarts from an earlier position: the chunk in flight is given up (it is read again). */
  discardChunk(): void {
    this.window.discard();
  }

  /** The snapshot bean's view; null before any incremental snapshot ran. */
  progress(): SnapshotProgress | null {
    if (!this.tables.started) return null;
    const st = this.state;
    return {
      ...this.tables.snapshot(st ? 'incremental' : 'done', st?.collections[0]?.id ?? null),
      chunk: this.chunkPosition,
    };
  }

  /** A row inserted into the signal table, seen in the stream at `at`; a close watermark appends the chunk's records. */
  async onSignal(row: { id: string; type: string; data: string | null }, at: S, out: SourceRecord[]): Promise<void> {
    await dispatchSignal(row, this.logger, (a) => this.apply(row.id, a, at, out));
  }

  private async apply(id: string, a: SignalAction, at: S, out: SourceRecord[]): Promise<void> {
    switch (a.kind) {
      case 'execute-snapshot': {
        const fresh = !this.plan.active;
        const captured = await this.dialect.capturedTables();
        const added = this.plan.execute(id, captured, a.collections, a.conditions, undefined, a.surrogateKey);
        if (added.length === 0) return;
        if (fresh) this.tables.start([]);
        this.tables.add(added.map((x) => x.id));
        await this.loadEstimates().catch((err: unknown) =>
          this.logger.warn({ err }, 'Cannot read table row estimates'),
        );
        return;
      }
      case 'stop-snapshot':
        this.stop(a.collections);
        return;
      case 'pause-snapshot':
      case 'resume-snapshot':
        this.plan.pause(a.kind === 'pause-snapshot');
        return;
      case 'window-open':
        this.window.opened(a.id);
        return;
      case 'window-close': {
        const chunk = this.window.close(a.id);
        if (chunk) this.emit(chunk, at, out);
        return;
      }
      case 'log':
        this.logger.info({ id }, `Signal log: ${a.message}`);
        return;
    }
  }

  private stop(patterns: string[] | null): void {
    const { stopped, current } = this.plan.stop(patterns);
    if (stopped.length === 0) return;
    this.tables.remove(stopped);
    if (current) {
      this.window.discard();
      this.chunkPosition = null;
    }
    if (!this.plan.active) this.finish();
  }

  private async loadEstimates(): Promise<void> {
    const estimate = this.dialect.estimateRows?.bind(this.dialect);
    if (!estimate) return;
    for (const name of this.tables.withoutEstimate()) this.tables.estimate(name, await estimate(name));
  }

  /** Inserts the open watermark, reads the next chunk into the window, inserts the close watermark. */
  async readChunk(): Promise<void> {
    if (!this.needsChunk) return;
    this.reading = true;
    try {
      await this.loadEstimates().catch(() => undefined);
      const id = randomUUID();
      const openedAt = new Date();
      await this.watermark(`${id}-open`, 'snapshot-window-open', windowOpenData(openedAt));
      const chunk = await this.nextChunk(id);
      await this.watermark(`${id}-close`, 'snapshot-window-close', windowCloseData(openedAt, new Date()));
      if (chunk) this.window.begin(chunk);
    } catch (err) {
      this.window.discard();
      if (err instanceof RetryChunk || this.dialect.classify(err) === 'connection') {
        if (!(err instanceof RetryChunk)) this.dialect.reconnect?.();
        this.retryAt = Date.now() + this.retryMs;
        this.logger.warn({ err: (err as Error).message }, 'Incremental snapshot chunk could not be read; retrying');
        return;
      }
      throw err;
    } finally {
      this.reading = false;
    }
  }

  private async watermark(id: string, type: 'snapshot-window-open' | 'snapshot-window-close', data: string) {
    try {
      await this.dialect.writeWatermark(id, type, data);
    } catch (err) {
      const kind = this.dialect.classify(err);
      if (kind !== 'server' && kind !== 'schema-lag') throw err;
      throw new ConnectException(
        `Incremental snapshot: writing a watermark row into ${this.dialect.signalTable} failed: ${(err as Error).message} (the connector user needs INSERT on the signal table)`,
        { cause: err },
      );
    }
  }

  /** The next non-empty chunk, moving past empty, missing and keyless tables; null when the snapshot is done. */
  private async nextChunk(id: string): Promise<Chunk<T, R> | null> {
    for (let state = this.state; state; state = this.state) {
      const collection = state.collections[0];
      const table = await this.dialect.table(collection.id, state.maxKey === null);
      if (table === null) {
        this.logger.warn(
          { table: collection.id },
          'Incremental snapshot: table is not captured (or no longer exists); skipped',
        );
        this.nextTable();
        continue;
      }
      const surrogateKey = collection.surrogateKey ?? null;
      if (this.dialect.keyless(table, surrogateKey)) {
        const why = surrogateKey ? `has no column "${surrogateKey}" (surrogate-key)` : 'has no primary key';
        this.logger.warn({ table: collection.id }, `Incremental snapshot: table ${why}; skipped`);
        this.nextTable();
        continue;
      }
      let rows: Array<ChunkRow<R>>;
      try {
        if (state.maxKey === null) {
          const max = await this.dialect.maxKey(table, collection.condition, surrogateKey);
          if (max === null) {
            this.logger.info({ table: collection.id }, 'Incremental snapshot: table is empty');
            this.nextTable();
            continue;
          }
          state.maxKey = max;
          this.logger.info({ table: collection.id, maximumKey: max }, 'Incremental snapshot of table started');
        }
        rows = await this.dialect.readChunk(table, {
          after: state.lastKey,
          upTo: state.maxKey,
          condition: collection.condition,
          surrogateKey,
          limit: this.options.chunkSize,
        });
      } catch (err) {
        if (this.failedTable(collection, err)) continue;
        throw err;
      }
      this.tables.scanned(collection.id, rows.length);
      if (rows.length === 0) {
        this.nextTable();
        continue;
      }
      const buffered = new Map<string, ChunkRow<R>>();
      for (const r of rows) if (r.identity !== null) buffered.set(r.identity, r);
      const end = rows[rows.length - 1].key;
      this.chunkPosition = nextChunk(this.chunkPosition, id, rows[0].key, end, state.lastKey === null, state.maxKey);
      return { id, collection: collection.id, table, rows: buffered, end, last: rows.length < this.options.chunkSize };
    }
    return null;
  }

  /**
   * A read of the table failed on the server. With an additional condition the condition is taken
   * for the cause: the table is skipped (true). Without one, a structure the stream has not reached
   * yet retries the chunk later; anything else fails the task.
   */
  private failedTable(collection: SnapshotCollection, err: unknown): boolean {
    const kind = this.dialect.classify(err);
    if (kind !== 'server' && kind !== 'schema-lag') return false;
    const message = (err as Error).message;
    if (collection.condition === null) {
      if (kind === 'schema-lag') throw new RetryChunk(message);
      throw new ConnectException(`Incremental snapshot of ${collection.id} failed: ${message}`, { cause: err });
    }
    this.logger.error(
      { table: collection.id, condition: collection.condition, err: message },
      'Incremental snapshot: the additional condition fails on the server; table skipped',
    );
    this.nextTable();
    return true;
  }

  private nextTable(): void {
    this.chunkPosition = null;
    const done = this.plan.nextTable();
    if (done) this.tables.done(done.id);
    if (done && !this.plan.active) this.finish();
  }

  /** The snapshot is over (its last table done or stopped). */
  private finish(): void {
    const p = this.tables.snapshot('incremental');
    this.logger.info({ tables: p.tablesDone, rows: p.rowsScanned }, 'Incremental snapshot completed');
    this.plan.finish();
    this.chunkPosition = null;
    this.window.discard();
    this.tables.finish();
  }

  /** The close watermark: emits what is left of the chunk, each record's offset naming its own key, and moves on. */
  private emit(chunk: Chunk<T, R>, at: S, out: SourceRecord[]): void {
    const state = this.state;
    if (!state) return;
    if (this.dialect.stale?.(chunk.table)) {
      this.logger.info(
        { table: chunk.collection },
        'Incremental snapshot: table structure changed during the chunk; reading it again',
      );
      return;
    }
    const base = this.dialect.baseOffset(at);
    const rows = [...chunk.rows.values()].map((r) => ({
      row: r.row,
      offset: { ...base, ...stateOffset(state, r.key) },
    }));
    out.push(...this.dialect.records(chunk.table, rows, at));
    state.lastKey = chunk.end;
    if (chunk.last) this.nextTable();
  }
}
