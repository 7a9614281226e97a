/**
 * Incremental snapshots of MySQL/MariaDB tables, driven by the signal table and read with DBLog's
 * watermarks (Debezium's SignalBasedIncrementalSnapshotChangeEventSource, insert_insert): for each
 * chunk of `incremental.snapshot.chunk.size` rows in primary-key order an open watermark row is
 * inserted into the signal table, the chunk is SELECTed into a buffer, and a close watermark row is
 * inserted. The binlog carries both rows; while the stream is between them, every streamed change
 * to a buffered key evicts that row (the stream has the newer value). At the close watermark the
 * rest of the buffer is emitted as `op=r` with `source.snapshot=incremental`. Streaming never
 * stops; progress is kept in the offsets (incremental-state.ts), so a restart continues the table.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import type { ConnectionOptions } from 'mysql2';
import type { SourceOffset, SourceRecord, Struct } from '../../../sdk/data.ts';
import { ConnectException } from '../../../sdk/errors.ts';
import type { Logger } from '../../../sdk/logging.ts';
import { nextChunk, type ChunkPosition, type SnapshotProgress } from '../../shared/snapshot-progress.ts';
import type { RowImage } from '../binlog/events/rows.ts';
import type { CapturedTable } from '../captured-table.ts';
import type { ChangeRecords } from '../change-records.ts';
import type { MysqlSourceSettings } from '../config.ts';
import type { Filters } from '../filters.ts';
import type { SchemaTracker } from '../schema/schema-tracker.ts';
import { type TableDefinition } from '../schema/table-definition.ts';
import { snapshotValue } from '../snapshot-values.ts';
import { type Flavor, sourceStruct } from '../source-info.ts';
import { checkCondition, chunkQuery, ident, keyColumns, keyText, maxKeyQuery } from './chunk-query.ts';
import {
  type IncrementalState,
  type SnapshotCollection,
  stateFromOffset,
  stateOffset,
} from '../../shared/incremental/incremental-state.ts';
import {
  type AdditionalCondition,
  type SignalAction,
  windowCloseData,
  windowOpenData,
} from '../../shared/incremental/signals.ts';
import { dispatchSignal, SnapshotPlan } from '../../shared/incremental/snapshot-plan.ts';
import { isConnectionLoss, isSchemaLag, isServerError, keyString, SchemaLag } from './chunk-errors.ts';
import { TableProgress } from '../../shared/table-progress.ts';
import { SnapshotConnection } from './snapshot-connection.ts';

/** A row inserted into the signal table, as the binlog reader saw it. */
export interface SignalRow {
  id: string;
  type: string;
  data: string | null;
  /** Offset of the position right after this row (the binlog part only). */
  offset: SourceOffset;
  file: string;
  pos: number;
  serverId: number;
  gtid: string | null;
  thread: number | null;
}

export interface IncrementalContext {
  settings: MysqlSourceSettings;
  flavor: Flavor;
  filters: Filters;
  schema: SchemaTracker;
  records: ChangeRecords;
  logger: Logger;
  connection: ConnectionOptions;
}

interface BufferedRow {
  image: RowImage;
  key: string[];
}

interface Chunk {
  id: string;
  collection: SnapshotCollection;
  /** The structure the rows were decoded with: a DDL before the close watermark voids the chunk. */
  definition: TableDefinition;
  table: CapturedTable;
  rows: Map<string, BufferedRow>;
  end: string[] | null;
  /** Fewer rows than the chunk size: the table is done once this chunk is emitted. */
  last: boolean;
  openedAt: Date;
}

const CHUNK_RETRY_MS = 1000;

export class IncrementalSnapshot {
  private readonly plan: SnapshotPlan;
  private chunk: Chunk | null = null;
  /** The snapshot bean's ChunkId/ChunkFrom/ChunkTo/TableFrom/TableTo. */
  private chunkPosition: ChunkPosition | null = null;
  private windowOpen = false;
  private reading = false;
  private retryAt = 0;
  private readonly pending: SignalRow[] = [];
  readonly progress = new TableProgress();
  /** Structures seen by the stream, reused so the change-record cache is not rebuilt per chunk. */
  private readonly streamTables = new Map<string, CapturedTable>();
  private readonly signalIdent: string;
  private readonly db: SnapshotConnection;
  constructor(
    private readonly c: IncrementalContext,
    resumedOffset: SourceOffset | null,
  ) {
    const restored = resumedOffset ? stateFromOffset(resumedOffset) : null;
    if (restored?.foreignKeys)
      c.logger.warn(
        { table: restored.state.collections[0]?.id },
        "Incremental snapshot offset keys are not in Tributary's form: the current table restarts from its first key",
      );
    this.plan = new SnapshotPlan(c.logger, restored?.state ?? null);
    if (this.state) {
      this.progress.start(this.state.collections.map((x) => x.id));
      c.logger.info(
        { collections: this.state.collections.map((x) => x.id), lastKey: this.state.lastKey },
        'Incremental snapshot resumed from the offsets',
      );
    }
    this.db = new SnapshotConnection(c.connection);
    const sig = c.settings.signalTable!;
    this.signalIdent = `${ident(sig.database)}.${ident(sig.table)}`;
  }

  get active(): boolean {
    return this.plan.active;
  }

  private get state(): IncrementalState | null {
    return this.plan.state;
  }

  /** Offset entries describing the progress (null when no incremental snapshot runs). */
  offsetKeys(): SourceOffset | null {
    return this.plan.offset();
  }

  /** Called by the binlog reader for every row inserted into the signal table. */
  receive(row: SignalRow): void {
    this.pending.push(row);
  }

  /** A captured table's structure as the stream uses it. */
  noteStreamTable(table: CapturedTable): void {
    const d = table.definition;
    this.streamTables.set(`${d.database}.${d.name}`, table);
  }

  /** Carries out the signals seen in the last event; a close watermark appends the chunk's rows to `out`. */
  async processSignals(out: SourceRecord[]): Promise<void> {
    while (this.pending.length) {
      const row = this.pending.shift()!;
      await dispatchSignal(row, this.c.logger, (a) => this.apply(row, a, out));
    }
  }

  private async apply(row: SignalRow, a: SignalAction, out: SourceRecord[]): Promise<void> {
    switch (a.kind) {
      case 'execute-snapshot':
        await this.execute(row.id, a.collections, a.conditions);
        return;
      case 'stop-snapshot':
        this.stop(a.collections);
        return;
      case 'pause-snapshot':
      case 'resume-snapshot':
        this.plan.pause(a.kind === 'pause-snapshot');
        return;
      case 'window-open':
        // Watermarks of other chunks (replayed after a restart, or of a voided chunk) are ignored.
        if (this.chunk && a.id === `${this.chunk.id}-open`) this.windowOpen = true;
        return;
      case 'window-close':
        if (this.chunk && a.id === `${this.chunk.id}-close`) this.closeWindow(row, out);
        return;
      case 'log':
        this.c.logger.info({ id: row.id }, `Signal log: ${a.message}`);
        return;
    }
  }

  private async execute(id: string, patterns: string[], conditions: AdditionalCondition[]): Promise<void> {
    const captured = [...this.c.schema.tables.values()]
      .filter((t) => this.c.filters.tableIncluded(t.database, t.name))
      .map((t) => `${t.database}.${t.name}`)
      .sort();
    const fresh = !this.plan.active;
    const added = this.plan.execute(id, captured, patterns, conditions, checkCondition);
    if (added.length === 0) return;
    if (fresh) this.progress.start([]);
    this.progress.add(added.map((x) => x.id));
    await this.loadEstimates().catch((err: unknown) => this.c.logger.warn({ err }, 'Cannot read table row estimates'));
  }

  private stop(patterns: string[] | null): void {
    const { stopped, current } = this.plan.stop(patterns);
    if (stopped.length === 0) return;
    this.progress.remove(stopped);
    if (current) this.voidChunk();
    if (!this.plan.active) this.finish();
  }

  /** Discards the chunk in flight; its watermarks will be ignored. */
  private voidChunk(): void {
    this.chunk = null;
    this.windowOpen = false;
  }

  /** The binlog stream restarts from an earlier position: the window in flight is given up (a new chunk follows). */
  streamRestarted(): void {
    this.voidChunk();
  }

  /** A TRUNCATE inside the window empties the chunk: its rows no longer exist. */
  truncated(database: string, table: string): void {
    if (this.windowOpen && this.chunk?.collection.id === `${database}.${table}`) this.chunk.rows.clear();
  }

  /** Dedup: streamed records of the chunk's table evict the buffered rows with their keys. */
  observe(out: SourceRecord[], from: number): void {
    const chunk = this.chunk;
    if (!this.windowOpen || !chunk || chunk.rows.size === 0) return;
    const topic = chunk.table.topic;
    for (let i = from; i < out.length; i++) {
      const r = out[i];
      if (r.topic !== topic || r.key === null || typeof r.key !== 'object') continue;
      chunk.rows.delete(keyString(r.key as Struct));
    }
  }

  /** Whether the next chunk should be read now. */
  get needsChunk(): boolean {
    return (
      this.state !== null && this.chunk === null && !this.plan.paused && !this.reading && Date.now() >= this.retryAt
    );
  }

  /** Fails the start when the signal table is missing or lacks the id, type and data columns. */
  async verifySignalTable(): Promise<void> {
    await this.db.verifySignalTable(this.c.settings.signalTable!, this.signalIdent);
  }

  private async loadEstimates(): Promise<void> {
    for (const name of this.progress.withoutEstimate()) this.progress.estimate(name, await this.db.tableRows(name));
  }

  /** Inserts the open watermark, reads the next chunk into the buffer, inserts the close watermark. */
  async readChunk(): Promise<void> {
    if (!this.needsChunk) return;
    this.reading = true;
    try {
      await this.loadEstimates().catch(() => undefined);
      const conn = await this.db.connection();
      const id = randomUUID();
      const openedAt = new Date();
      await conn.query(`INSERT INTO ${this.signalIdent} VALUES (?, ?, ?)`, [
        `${id}-open`,
        'snapshot-window-open',
        windowOpenData(openedAt),
      ]);
      const chunk = await this.selectChunk(conn, id, openedAt);
      await conn.query(`INSERT INTO ${this.signalIdent} VALUES (?, ?, ?)`, [
        `${id}-close`,
        'snapshot-window-close',
        windowCloseData(openedAt, new Date()),
      ]);
      this.chunk = chunk;
      this.windowOpen = false;
    } catch (err) {
      this.chunk = null;
      if (err instanceof SchemaLag) {
        this.retryAt = Date.now() + CHUNK_RETRY_MS;
        this.c.logger.info(
          { err: err.message },
          'Incremental snapshot: the table differs from the structure at the stream position; retrying the chunk later',
        );
        return;
      }
      if (isConnectionLoss(err)) {
        // Retried on a new connection; streaming goes on meanwhile.
        this.db.drop();
        this.retryAt = Date.now() + CHUNK_RETRY_MS;
        this.c.logger.warn({ err }, 'Incremental snapshot chunk could not be read; retrying');
        return;
      }
      if (isServerError(err)) {
        throw new ConnectException(
          `Incremental snapshot: writing a watermark row into ${this.signalIdent} failed: ${(err as Error).message} (the connector user needs INSERT on the signal table)`,
          { cause: err },
        );
      }
      throw err;
    } finally {
      this.reading = false;
    }
  }

  /** The next non-empty chunk, moving past empty, missing and keyless tables; null when the snapshot is done. */
  private async selectChunk(conn: Connection, id: string, openedAt: Date): Promise<Chunk | null> {
    while (this.state) {
      const collection = this.state.collections[0];
      const def = this.c.schema.tables.get(collection.id);
      if (!def || !this.c.filters.tableIncluded(def.database, def.name)) {
        this.c.logger.warn(
          { table: collection.id },
          'Incremental snapshot: table is not captured (or no longer exists); skipped',
        );
        this.nextTable();
        continue;
      }
      if (def.primaryKey.length === 0) {
        this.c.logger.warn({ table: collection.id }, 'Incremental snapshot: table has no primary key; skipped');
        this.nextTable();
        continue;
      }
      const cols = keyColumns(def);
      try {
        if (this.state.maxKey === null) {
          const [max] = (await conn.query({
            sql: maxKeyQuery(def, collection.condition),
            rowsAsArray: true,
          })) as unknown as [Array<Buffer[]>];
          if (max.length === 0) {
            this.c.logger.info({ table: collection.id }, 'Incremental snapshot: table is empty');
            this.nextTable();
            continue;
          }
          this.state.maxKey = cols.map((c, i) => keyText(c, max[0][i]));
          this.c.logger.info(
            { table: collection.id, maximumKey: this.state.maxKey },
            'Incremental snapshot of table started',
          );
        }
        const sql = chunkQuery(def, {
          after: this.state.lastKey,
          upTo: this.state.maxKey,
          condition: collection.condition,
          limit: this.c.settings.incrementalChunkSize,
        });
        const [rows] = (await conn.query({ sql, rowsAsArray: true })) as unknown as [Array<Array<Buffer | null>>];
        this.progress.scanned(collection.id, rows.length);
        if (rows.length === 0) {
          this.nextTable();
          continue;
        }
        const table = this.capturedFor(def);
        const keyIndexes = cols.map((c) => def.columns.indexOf(c));
        const buffered = new Map<string, BufferedRow>();
        for (const values of rows) {
          const image: RowImage = def.columns.map((c, i) => snapshotValue(c, values[i] ?? null));
          const k = table.key(image);
          if (!k) continue;
          buffered.set(keyString(k), { image, key: cols.map((c, j) => keyText(c, values[keyIndexes[j]]!)) });
        }
        const lastRow = rows[rows.length - 1];
        const keyOf = (values: Array<Buffer | null>): string[] =>
          cols.map((c, j) => keyText(c, values[keyIndexes[j]]!));
        this.chunkPosition = nextChunk(
          this.chunkPosition,
          id,
          keyOf(rows[0]),
          keyOf(lastRow),
          this.state.lastKey === null,
          this.state.maxKey,
        );
        return {
          id,
          collection,
          definition: def,
          table,
          rows: buffered,
          openedAt,
          end: cols.map((c, j) => keyText(c, lastRow[keyIndexes[j]]!)),
          last: rows.length < this.c.settings.incrementalChunkSize,
        };
      } catch (err) {
        if (!isServerError(err)) throw err;
        if (collection.condition === null) {
          // The stream may not have reached a DDL the server already ran: retry once it has.
          if (isSchemaLag(err)) throw new SchemaLag((err as Error).message);
          throw new ConnectException(`Incremental snapshot of ${collection.id} failed: ${(err as Error).message}`, {
            cause: err,
          });
        }
        this.c.logger.error(
          { table: collection.id, condition: collection.condition, err: (err as Error).message },
          'Incremental snapshot: the additional condition fails on the server; table skipped',
        );
        this.nextTable();
      }
    }
    return null;
  }

  private capturedFor(def: TableDefinition): CapturedTable {
    const seen = this.streamTables.get(`${def.database}.${def.name}`);
    return seen && seen.definition === def ? seen : this.c.records.captured(def, -1);
  }

  private nextTable(): void {
    this.chunkPosition = null;
    const done = this.plan.nextTable();
    if (done) this.progress.done(done.id);
    if (done && !this.plan.active) this.finish();
  }

  /** The snapshot is over (its last table done or stopped). */
  private finish(): void {
    this.c.logger.info(
      {
        tables: this.progress.snapshot('incremental').tablesDone,
        rows: this.progress.snapshot('incremental').rowsScanned,
      },
      'Incremental snapshot completed',
    );
    this.plan.finish();
    this.chunkPosition = null;
    this.voidChunk();
    this.progress.finish();
  }

  /** The close watermark: emits what is left of the chunk and moves on. */
  private closeWindow(sig: SignalRow, out: SourceRecord[]): void {
    const chunk = this.chunk!;
    this.voidChunk();
    const state = this.state;
    if (!state) return;
    if (this.c.schema.tables.get(chunk.collection.id) !== chunk.definition) {
      // The table changed while the window was open: the buffered images have the old structure.
      this.c.logger.info(
        { table: chunk.collection.id },
        'Incremental snapshot: table structure changed during the chunk; reading it again',
      );
      return;
    }
    const d = chunk.definition;
    const tsMicros = BigInt(Date.now()) * 1000n;
    const source = sourceStruct({
      flavor: this.c.flavor,
      serverName: this.c.settings.topicPrefix,
      tsMicros,
      snapshot: 'incremental',
      db: d.database,
      table: d.name,
      serverId: sig.serverId,
      gtid: sig.gtid,
      file: sig.file,
      pos: sig.pos,
      row: 0,
      thread: sig.thread,
      query: null,
    });
    for (const row of chunk.rows.values()) {
      // Each row's offset names its own key: a restart after any prefix of the chunk re-reads the rest.
      const offset = { ...sig.offset, ...stateOffset(state, row.key) };
      out.push(
        ...this.c.records.rowRecords(chunk.table, 'r', null, row.image, source, offset, null, Number(tsMicros / 1000n)),
      );
    }
    state.lastKey = chunk.end;
    if (chunk.last) this.nextTable();
  }

  snapshotProgress(): SnapshotProgress | null {
    return this.progress.started
      ? {
          ...this.progress.snapshot(this.state ? 'incremental' : 'done', this.state?.collections[0]?.id ?? null),
          chunk: this.chunkPosition,
        }
      : null;
  }

  close(): void {
    this.db.close();
  }
}
