/**
 * The initial snapshot: a consistent read of every captured table at a known binlog position.
 * minimal locking: FLUSH TABLES WITH READ LOCK while the transaction starts and the position and
 * schema are read; none: no lock (MariaDB still gets an exact position from binlog_snapshot_*).
 * Rows are streamed (mysql2 query streams, paused while the consumer is behind), so memory stays
 * bounded; each row becomes an `r` event with Debezium's snapshot markers.
 */
import mysql, { type Connection as CbConnection, type ConnectionOptions } from 'mysql2';
import type { Connection } from 'mysql2/promise';
import { SourceRecord, type Struct } from '../../sdk/data.ts';
import type { Logger } from '../../sdk/logging.ts';
import type { SnapshotMarker } from '../shared/debezium/index.ts';
import type { CapturedTable } from './captured-table.ts';
import type { ChangeRecords } from './change-records.ts';
import type { MysqlSourceSettings } from './config.ts';
import type { Filters } from './filters.ts';
import { type BinlogOffset, toSourceOffset } from './offsets.ts';
import type { HistoryPosition, HistoryRecord } from './schema/schema-history.ts';
import type { SchemaTracker } from './schema/schema-tracker.ts';
import { parseTableIdText } from './schema/table-changes.ts';
import { SnapshotRowDecoder } from './snapshot-decoder.ts';
import { QueryRows } from './query-rows.ts';
import { type Flavor, sourceStruct } from './source-info.ts';
import { tableKey, type TableDefinition } from './schema/table-definition.ts';
import type { SnapshotProgress } from '../shared/snapshot-progress.ts';
import { TableProgress } from '../shared/table-progress.ts';
import { destroyConnection } from './connection-close.ts';

export interface SnapshotPosition {
  file: string;
  pos: number;
  gtids: string | undefined;
}

export interface SnapshotContext {
  settings: MysqlSourceSettings;
  /** Flavor of the source block (from the connector class). */
  flavor: Flavor;
  /** Flavor of the server (position and GTID queries). */
  serverFlavor: Flavor;
  filters: Filters;
  schema: SchemaTracker;
  records: ChangeRecords;
  logger: Logger;
  connection: ConnectionOptions;
  gtidMode: boolean;
  /** Schema change record for a snapshot history record. */
  schemaChangeRecord: (rec: HistoryRecord, offset: BinlogOffset) => SourceRecord;
  signal: AbortSignal;
}

const q = (c: CbConnection, sql: string): Promise<unknown[]> =>
  new Promise((resolve, reject) => c.query(sql, (err, rows) => (err ? reject(err) : resolve(rows as unknown[]))));
/** Metadata values as text: the snapshot connection's typeCast hands every column over as a Buffer. */
const text = (v: unknown): string =>
  v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
const ident = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/** Reads the current binlog position and GTID state. */
export async function readBinlogPosition(
  c: CbConnection,
  flavor: Flavor,
  gtidMode: boolean,
  consistentMariadb: boolean,
): Promise<SnapshotPosition> {
  if (flavor === 'mariadb' && consistentMariadb) {
    const rows = (await q(c, "SHOW STATUS LIKE 'binlog_snapshot_%'")) as Array<{
      Variable_name: unknown;
      Value: unknown;
    }>;
    const file = text(rows.find((r) => text(r.Variable_name) === 'Binlog_snapshot_file')?.Value);
    const pos = Number(text(rows.find((r) => text(r.Variable_name) === 'Binlog_snapshot_position')?.Value));
    if (file && Number.isInteger(pos)) {
      const [g] = (await q(c, `SELECT BINLOG_GTID_POS(${mysql.escape(file)}, ${pos}) AS g`)) as Array<{ g: unknown }>;
      return { file, pos, gtids: text(g.g) };
    }
  }
  let rows: Array<Record<string, unknown>>;
  try {
    rows = (await q(c, 'SHOW MASTER STATUS')) as Array<Record<string, unknown>>;
  } catch {
    rows = (await q(c, 'SHOW BINARY LOG STATUS')) as Array<Record<string, unknown>>;
  }
  if (!rows[0]) throw new Error('The server has binary logging disabled (SHOW MASTER STATUS is empty); enable log_bin');
  const file = text(rows[0].File);
  const pos = Number(text(rows[0].Position));
  let gtids: string | undefined;
  if (flavor === 'mariadb') {
    const [g] = (await q(c, 'SELECT @@gtid_binlog_pos AS g')) as Array<{ g: unknown }>;
    gtids = text(g.g);
  } else if (gtidMode) {
    gtids = text(rows[0].Executed_Gtid_Set).replace(/\s+/g, '');
  }
  if (!file || !Number.isInteger(pos))
    throw new Error(`Cannot read the binlog position (SHOW MASTER STATUS gave ${JSON.stringify(rows[0])})`);
  return { file, pos, gtids };
}

interface PendingRow {
  table: TableDefinition;
  captured: CapturedTable;
  /** Connect values by column index (SnapshotRowDecoder's). */
  values: unknown[];
  firstInTable: boolean;
}

export class Snapshotter {
  private conn: CbConnection | null = null;
  position: SnapshotPosition | null = null;
  /** FLUSH TABLES WITH READ LOCK held (Debezium's HoldingGlobalLock). */
  holdingGlobalLock = false;
  private readonly tables: TableDefinition[] = [];
  private tableIndex = 0;
  private rows: QueryRows<Array<Buffer | null>> | null = null;
  /** `db.table` of the table being read. */
  private tableKeyText = '';
  /** The current table's decoder (its captured table, built once per table). */
  private decoder: SnapshotRowDecoder | null = null;
  private pending: PendingRow | null = null;
  private firstEmitted = false;
  private firstOfTable = false;
  private readonly schemaRecords: SourceRecord[] = [];
  done = false;
  rowsRead = 0;
  private readonly tableProgress = new TableProgress();

  constructor(
    private readonly c: SnapshotContext,
    private readonly withData: boolean,
  ) {}

  /** Locks (minimal), starts the consistent-snapshot transaction, reads the position and the schema. */
  async start(queryConn: Connection): Promise<SnapshotPosition> {
    const conn = mysql.createConnection({
      ...this.c.connection,
      charset: 'utf8mb4',
      typeCast: (field, next) => (field.type === 'NULL' ? next() : field.buffer()),
    });
    this.conn = conn;
    // A fatal error while no query is running is emitted on the connection; unhandled it would crash
    // the worker process. The snapshot's next query fails instead and the task reports it.
    conn.on('error', () => undefined);
    await q(conn, "SET SESSION time_zone = '+00:00'");
    await q(conn, 'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const lock = this.c.settings.snapshotLocking === 'minimal';
    if (lock) {
      await q(conn, 'FLUSH TABLES WITH READ LOCK');
      this.holdingGlobalLock = true;
    }
    try {
      await q(conn, 'START TRANSACTION WITH CONSISTENT SNAPSHOT');
      this.position = await readBinlogPosition(conn, this.c.serverFlavor, this.c.gtidMode, true);
      const hp: HistoryPosition = {
        file: this.position.file,
        pos: this.position.pos,
        ...(this.position.gtids ? { gtids: this.position.gtids } : {}),
        snapshot: true,
        ts_sec: Math.floor(Date.now() / 1000),
      };
      const history = await this.c.schema.snapshotSchema(queryConn, hp, Date.now());
      // Every record of the snapshot's schema is an event, as Debezium's snapshot dispatches them: its
      // scope (all databases, or the captured ones with store.only.captured.*.ddl) is the history's.
      if (this.c.settings.includeSchemaChanges)
        for (const rec of history) this.schemaRecords.push(this.snapshotSchemaRecord(rec));
    } finally {
      if (lock) {
        await q(conn, 'UNLOCK TABLES');
        this.holdingGlobalLock = false;
      }
    }
    for (const t of this.c.schema.tables.values())
      if (this.c.filters.tableIncluded(t.database, t.name)) this.tables.push(t);
    this.tables.sort((a, b) => tableKey(a.database, a.name).localeCompare(tableKey(b.database, b.name)));
    if (!this.withData) this.tables.length = 0;
    this.tableProgress.start(this.tables.map((t) => tableKey(t.database, t.name)));
    await this.readEstimates(queryConn).catch((err: unknown) =>
      this.c.logger.warn({ err }, 'Cannot read table row estimates'),
    );
    this.c.logger.info({ position: this.position, tables: this.tables.length }, 'Snapshot started');
    return this.position;
  }

  /** A snapshot schema change event; source.table names the table of a DROP or CREATE TABLE (Debezium's offset.event(tableId)). */
  private snapshotSchemaRecord(rec: HistoryRecord): SourceRecord {
    const record = this.c.schemaChangeRecord(rec, this.offset(true));
    const change = rec.tableChanges[0];
    if (change) (record.value as Struct).getStruct('source')?.put('table', parseTableIdText(change.id).table);
    return record;
  }

  /** information_schema's row estimates (InnoDB statistics: approximate). */
  private async readEstimates(conn: Connection): Promise<void> {
    const dbs = [...new Set(this.tables.map((t) => t.database))];
    if (dbs.length === 0) return;
    const [rows] = (await conn.query(
      `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS t, TABLE_ROWS AS n FROM information_schema.tables WHERE TABLE_SCHEMA IN (${dbs.map(() => '?').join(', ')})`,
      dbs,
    )) as unknown as [Array<{ db: string; t: string; n: number | string | null }>];
    for (const r of rows)
      this.tableProgress.estimate(tableKey(String(r.db), String(r.t)), r.n === null ? null : Number(r.n));
  }

  progress(): SnapshotProgress {
    const t = this.tables[this.tableIndex];
    return this.tableProgress.snapshot(
      this.done ? 'done' : 'initial',
      !this.done && t ? tableKey(t.database, t.name) : null,
    );
  }

  offset(inProgress: boolean): BinlogOffset {
    const p = this.position!;
    return {
      file: p.file,
      pos: p.pos,
      gtids: p.gtids || undefined,
      ts_sec: Math.floor(Date.now() / 1000),
      ...(inProgress ? { snapshot: 'INITIAL' } : {}),
    };
  }

  /** Up to `max` records; sets `done` after the last one (whose offset marks the snapshot complete). */
  async next(max: number): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    while (this.schemaRecords.length && out.length < max) out.push(this.schemaRecords.shift()!);
    while (out.length < max && !this.done) {
      let row = this.readRow();
      if (row instanceof Promise) row = await row;
      if (row === null) {
        if (this.pending) this.emit(this.pending, true, true, out);
        this.pending = null;
        await this.finish();
        if (out.length === 0) this.done = true;
        else {
          this.markComplete(out);
          this.done = true;
        }
        break;
      }
      if (this.pending) this.emit(this.pending, this.pending.table !== row.table, false, out);
      this.pending = row;
    }
    return out;
  }

  /** The last record of the snapshot carries the completed-snapshot offset. */
  private markComplete(out: SourceRecord[]): void {
    const last = out[out.length - 1];
    out[out.length - 1] = new SourceRecord({
      topic: last.topic,
      kafkaPartition: last.kafkaPartition,
      keySchema: last.keySchema,
      key: last.key,
      valueSchema: last.valueSchema,
      value: last.value,
      timestamp: last.timestamp,
      headers: last.headers,
      sourcePartition: last.sourcePartition,
      sourceOffset: toSourceOffset(this.offset(false)),
    });
  }

  private emit(row: PendingRow, lastInTable: boolean, lastOfAll: boolean, out: SourceRecord[]): void {
    let marker: SnapshotMarker = 'true';
    if (lastOfAll) marker = 'last';
    else if (!this.firstEmitted) marker = 'first';
    else if (lastInTable) marker = 'last_in_data_collection';
    else if (row.firstInTable) marker = 'first_in_data_collection';
    this.firstEmitted = true;
    const t = row.table;
    const table = row.captured;
    const now = BigInt(Date.now()) * 1000n;
    const source = sourceStruct({
      flavor: this.c.flavor,
      serverName: this.c.settings.topicPrefix,
      tsMicros: now,
      snapshot: marker,
      db: t.database,
      table: t.name,
      serverId: 0,
      gtid: null,
      file: this.position!.file,
      pos: this.position!.pos,
      row: 0,
      thread: null,
      query: null,
    });
    const records = this.c.records.rowRecords(
      table,
      'r',
      null,
      row.values,
      source,
      toSourceOffset(this.offset(true)),
      null,
      Number(now / 1000n),
      table.converted,
    );
    for (let i = 0; i < records.length; i++) out.push(records[i]);
    this.rowsRead++;
  }

  /** The next row: at once while rows are queued, else a promise of it; null after the last table. */
  private readRow(): PendingRow | null | Promise<PendingRow | null> {
    for (;;) {
      if (this.c.signal.aborted) return null;
      if (!this.rows) {
        if (this.tableIndex >= this.tables.length) return null;
        const t = this.tables[this.tableIndex];
        const stream = this.conn!.query({
          sql: `SELECT * FROM ${ident(t.database)}.${ident(t.name)}`,
          rowsAsArray: true,
          // each column's bytes (null for NULL), as the connection's typeCast gives them, without
          // its per-column call and closure
          typeCast: false,
        }).stream({ highWaterMark: 1000 });
        this.rows = new QueryRows(stream, 1000);
        this.decoder = null;
        this.firstOfTable = true;
      }
      const t = this.tables[this.tableIndex];
      const values = this.rows.take();
      if (values === undefined) return this.rows.ready().then(() => this.readRow());
      if (values === null) {
        this.rows = null;
        this.tableProgress.done(tableKey(t.database, t.name));
        this.tableIndex++;
        continue;
      }
      if (this.firstOfTable) this.tableKeyText = tableKey(t.database, t.name);
      this.tableProgress.scanned(this.tableKeyText, 1);
      const first = this.firstOfTable;
      this.firstOfTable = false;
      // built at the table's first row (a table without rows never needs its schemas)
      const decoder = (this.decoder ??= new SnapshotRowDecoder(this.c.records.captured(t, -1), this.c.settings));
      return { table: t, captured: decoder.table, values: decoder.row(values), firstInTable: first };
    }
  }

  private async finish(): Promise<void> {
    if (this.conn) {
      await q(this.conn, 'COMMIT').catch(() => undefined);
      this.conn.end();
      this.conn = null;
    }
    this.c.logger.info({ rows: this.rowsRead }, 'Snapshot completed');
  }

  close(): void {
    destroyConnection(this.conn);
    this.conn = null;
  }
}
