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
import mysqlPromise, { type Connection } from 'mysql2/promise';
import type { ConnectionOptions } from 'mysql2';
import type { SourceOffset, SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { ConnectException } from '../../../runtime/errors.ts';
import type { Logger } from '../../../runtime/logging.ts';
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
import { type IncrementalState, type SnapshotCollection, stateFromOffset, stateOffset } from './incremental-state.ts';
import {
  matchesAny,
  parseSignal,
  SignalRejected,
  type SignalAction,
  windowCloseData,
  windowOpenData,
} from './signals.ts';
import { TableProgress } from '../table-progress.ts';
import { destroyConnection } from '../connection-close.ts';

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

/** A stable text of a key struct's values, equal for the snapshot and the binlog image of a row. */
export function keyString(key: Struct): string {
  return key.schema.fields.map((f) => valueText(key.get(f.name))).join('\u0000');
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return `i${String(v)}`;
  if (v instanceof Uint8Array) return `x${Buffer.from(v).toString('hex')}`;
  if (v instanceof Date) return `d${v.getTime()}`;
  if (typeof v === 'object') {
    const s = String(v);
    return s === '[object Object]' ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x)) : s;
  }
  return `${typeof v}:${String(v)}`;
}

export class IncrementalSnapshot {
  private state: IncrementalState | null;
  private chunk: Chunk | null = null;
  /** The snapshot bean's ChunkId/ChunkFrom/ChunkTo/TableFrom/TableTo. */
  private chunkPosition: ChunkPosition | null = null;
  private windowOpen = false;
  private paused = false;
  private reading = false;
  private retryAt = 0;
  private conn: Connection | null = null;
  private readonly pending: SignalRow[] = [];
  readonly progress = new TableProgress();
  /** Structures seen by the stream, reused so the change-record cache is not rebuilt per chunk. */
  private readonly streamTables = new Map<string, CapturedTable>();
  private readonly signalIdent: string;
  private offsetMemo: {
    collections: SnapshotCollection[];
    length: number;
    head: SnapshotCollection | undefined;
    lastKey: string[] | null;
    maxKey: string[] | null;
    correlationId: string | null;
    value: SourceOffset;
  } | null = null;

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
    this.state = restored?.state ?? null;
    if (this.state) {
      this.progress.start(this.state.collections.map((x) => x.id));
      c.logger.info(
        { collections: this.state.collections.map((x) => x.id), lastKey: this.state.lastKey },
        'Incremental snapshot resumed from the offsets',
      );
    }
    const sig = c.settings.signalTable!;
    this.signalIdent = `${ident(sig.database)}.${ident(sig.table)}`;
  }

  get active(): boolean {
    return this.state !== null;
  }

  /** Offset entries describing the progress (null when no incremental snapshot runs); built once per state change. */
  offsetKeys(): SourceOffset | null {
    const st = this.state;
    if (!st) return null;
    const m = this.offsetMemo;
    if (
      m &&
      m.collections === st.collections &&
      m.length === st.collections.length &&
      m.head === st.collections[0] &&
      m.lastKey === st.lastKey &&
      m.maxKey === st.maxKey &&
      m.correlationId === st.correlationId
    )
      return m.value;
    const value = stateOffset(st);
    this.offsetMemo = {
      collections: st.collections,
      length: st.collections.length,
      head: st.collections[0],
      lastKey: st.lastKey,
      maxKey: st.maxKey,
      correlationId: st.correlationId,
      value,
    };
    return value;
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
      let action: SignalAction | null;
      try {
        action = parseSignal(row.id, row.type, row.data);
      } catch (err) {
        if (!(err instanceof SignalRejected)) throw err;
        this.c.logger.error({ id: row.id, type: row.type, data: row.data }, `Signal rejected: ${err.message}`);
        continue;
      }
      if (action === null) {
        this.c.logger.warn({ id: row.id, type: row.type }, 'Unknown signal type; ignored');
        continue;
      }
      await this.apply(row, action, out);
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
        if (this.state) this.c.logger.info('Incremental snapshot paused');
        this.paused = true;
        return;
      case 'resume-snapshot':
        if (this.paused) this.c.logger.info('Incremental snapshot resumed');
        this.paused = false;
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

  private async execute(
    id: string,
    patterns: string[],
    conditions: Array<{ collection: RegExp; filter: string }>,
  ): Promise<void> {
    const captured = [...this.c.schema.tables.values()]
      .filter((t) => this.c.filters.tableIncluded(t.database, t.name))
      .map((t) => `${t.database}.${t.name}`)
      .sort();
    const wanted = captured.filter((n) => matchesAny(patterns, n));
    const added: SnapshotCollection[] = [];
    for (const name of wanted) {
      if (this.state?.collections.some((x) => x.id === name)) continue;
      const condition = conditions.find((x) => x.collection.test(name))?.filter ?? null;
      if (condition !== null) {
        try {
          checkCondition(condition);
        } catch (err) {
          this.c.logger.error({ id, table: name }, `Signal rejected for this table: ${(err as Error).message}`);
          continue;
        }
      }
      added.push({ id: name, condition });
    }
    if (added.length === 0) {
      this.c.logger.warn(
        { id, patterns, captured: captured.length },
        'execute-snapshot: no captured table matches data-collections (or all already run); nothing to do',
      );
      return;
    }
    this.c.logger.info({ id, collections: added.map((x) => x.id) }, 'Incremental snapshot requested');
    if (this.state) this.state.collections.push(...added);
    else {
      this.state = { collections: added, lastKey: null, maxKey: null, correlationId: id };
      this.progress.start([]);
    }
    this.progress.add(added.map((x) => x.id));
    await this.loadEstimates().catch((err: unknown) => this.c.logger.warn({ err }, 'Cannot read table row estimates'));
  }

  private stop(patterns: string[] | null): void {
    if (!this.state) return;
    const current = this.state.collections[0]?.id;
    const stopped =
      patterns === null
        ? this.state.collections.map((x) => x.id)
        : this.state.collections.filter((x) => matchesAny(patterns, x.id)).map((x) => x.id);
    if (stopped.length === 0) return;
    this.c.logger.info({ stopped }, 'Incremental snapshot stopped for tables');
    this.state.collections = this.state.collections.filter((x) => !stopped.includes(x.id));
    this.progress.remove(stopped);
    if (current !== undefined && stopped.includes(current)) {
      this.voidChunk();
      this.state.lastKey = null;
      this.state.maxKey = null;
    }
    if (this.state.collections.length === 0) this.finish();
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
    return this.state !== null && this.chunk === null && !this.paused && !this.reading && Date.now() >= this.retryAt;
  }

  private async connection(): Promise<Connection> {
    if (this.conn) return this.conn;
    const conn = await mysqlPromise.createConnection({
      ...this.c.connection,
      charset: 'utf8mb4',
      typeCast: (field, next) => (field.type === 'NULL' ? next() : field.buffer()),
    });
    conn.on('error', () => {
      if (this.conn === conn) this.conn = null;
    });
    await conn.query("SET SESSION time_zone = '+00:00'");
    this.conn = conn;
    return conn;
  }

  /** Fails the start when the signal table is missing or lacks the id, type and data columns. */
  async verifySignalTable(): Promise<void> {
    const { database, table } = this.c.settings.signalTable!;
    const conn = await this.connection();
    const [rows] = (await conn.query(
      {
        sql: 'SELECT COLUMN_NAME FROM information_schema.columns WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
        rowsAsArray: true,
      },
      [database, table],
    )) as unknown as [Array<[Buffer]>];
    const cols = rows.map((r) => r[0].toString('utf8').toLowerCase());
    const fix = `create it as CREATE TABLE ${this.signalIdent} (id VARCHAR(64) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL) and grant the connector user INSERT on it`;
    if (cols.length === 0)
      throw new ConnectException(
        `signal.data.collection=${database}.${table}: the table does not exist (or the connector user cannot see it); ${fix}`,
      );
    if (cols.length < 3 || cols[0] !== 'id' || cols[1] !== 'type' || cols[2] !== 'data') {
      throw new ConnectException(
        `signal.data.collection=${database}.${table}: the table has columns (${cols.join(', ')}); a signal table needs id, type, data in that order; ${fix}`,
      );
    }
  }

  private async loadEstimates(): Promise<void> {
    const missing = this.progress.withoutEstimate();
    if (missing.length === 0) return;
    const conn = await this.connection();
    for (const name of missing) {
      const i = name.indexOf('.');
      const [rows] = (await conn.query(
        {
          sql: 'SELECT TABLE_ROWS FROM information_schema.tables WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
          rowsAsArray: true,
        },
        [name.slice(0, i), name.slice(i + 1)],
      )) as unknown as [Array<[Buffer | null]>];
      const v = rows[0]?.[0];
      this.progress.estimate(name, v ? Number(v.toString('latin1')) : null);
    }
  }

  /** Inserts the open watermark, reads the next chunk into the buffer, inserts the close watermark. */
  async readChunk(): Promise<void> {
    if (!this.needsChunk) return;
    this.reading = true;
    try {
      await this.loadEstimates().catch(() => undefined);
      const conn = await this.connection();
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
        this.conn?.destroy();
        this.conn = null;
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
    if (!this.state) return;
    const done = this.state.collections.shift();
    if (done) this.progress.done(done.id);
    this.state.lastKey = null;
    this.state.maxKey = null;
    if (this.state.collections.length === 0) this.finish();
  }

  private finish(): void {
    if (this.state)
      this.c.logger.info(
        {
          tables: this.progress.snapshot('incremental').tablesDone,
          rows: this.progress.snapshot('incremental').rowsScanned,
        },
        'Incremental snapshot completed',
      );
    this.state = null;
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
    destroyConnection(this.conn);
    this.conn = null;
  }
}

class SchemaLag extends Error {}

/** Unknown column / table: the server is ahead of the stream's table structures. */
const isSchemaLag = (err: unknown): boolean => [1054, 1146].includes((err as { errno?: number }).errno ?? 0);

function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; fatal?: boolean };
  return (
    e?.fatal === true ||
    ['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'].includes(e?.code ?? '') ||
    e?.errno === 2013 ||
    e?.errno === 2006
  );
}

function isServerError(err: unknown): boolean {
  const e = err as { sqlState?: string; errno?: number; fatal?: boolean };
  return (
    typeof e?.sqlState === 'string' &&
    e.fatal !== true &&
    typeof e.errno === 'number' &&
    e.errno !== 2013 &&
    e.errno !== 2006
  );
}
