/**
 * Streaming: turns positioned binlog events into change records. Tracks transaction boundaries
 * (GTID / BEGIN … XID / COMMIT, DDL as its own transaction), the completed GTID set, the restart
 * offset of every record, schema changes, and the rows to skip in the first transaction after a
 * restart (offset `event`/`row`).
 */
import type { BinlogStreamingStats } from './binlog-metrics.ts';
import type { Connection } from 'mysql2/promise';
import { SourceRecord, type SourceOffset, Struct } from '../../sdk/data.ts';
import type { Logger } from '../../sdk/logging.ts';
import {
  transactionBeginValue,
  TransactionContext,
  transactionEndValue,
  transactionKey,
  TRANSACTION_KEY_SCHEMA,
  transactionTopic,
  TRANSACTION_VALUE_SCHEMA,
  type Operation,
} from '../shared/debezium/index.ts';
import type { PositionedEvent } from './binlog/binlog-stream.ts';
import type { BinlogEvent } from './binlog/event-parser.ts';
import type { RowsEvent } from './binlog/events/rows.ts';
import type { TableMapEvent } from './binlog/events/table-map.ts';
import { formatMariadbGtid, MariadbGtidPosition, MysqlGtidSet } from './binlog/gtid.ts';
import type { CapturedTable, ImageStructs } from './captured-table.ts';
import type { ChangeRecords } from './change-records.ts';
import type { SignalRow } from './incremental/incremental-snapshot.ts';
import type { MysqlSourceSettings } from './config.ts';
import type { Filters } from './filters.ts';
import { type BinlogOffset, toSourceOffset } from './offsets.ts';
import { decodedPathError, decodeRowsAt, deliverSignalRows } from './signal-rows.ts';
import { schemaChangeRecordOf } from './schema-change-records.ts';
import type { RecoveryWindow } from './recovery-window.ts';
import { isTransactionControl } from './schema/ddl.ts';
import type { HistoryRecord } from './schema/schema-history.ts';
import type { SchemaTracker } from './schema/schema-tracker.ts';
import { type Flavor, sourceStruct } from './source-info.ts';

interface OpenTransaction {
  file: string;
  pos: number;
  gtidsBefore: string | undefined;
  gtid: string | null;
  /** Index of the next rows event within the transaction. */
  rowsEvents: number;
  thread: number | null;
  tsMicros: bigint;
  /** Records take each event's own time (MariaDB, MySQL without GTIDs), not the MySQL GTID's: Debezium's setEventTimestamp. */
  eventTimestamps: boolean;
  metadata: TransactionContext | null;
  skip: { event: number; row: number } | null;
}

/** What the records of each row of one rows event share. */
interface RowContext {
  ev: PositionedEvent;
  tx: OpenTransaction | null;
  map: TableMapEvent;
  table: CapturedTable;
  op: Operation;
  eventIndex: number;
  tsMicros: bigint;
  tsMs: number;
  txMeta: TransactionContext | null;
  position: (row: number) => Record<string, string>;
  out: SourceRecord[];
}

export interface ReaderContext {
  settings: MysqlSourceSettings;
  /** Flavor of the source block (from the connector class). */
  flavor: Flavor;
  /** Flavor of the server (GTID format). */
  serverFlavor: Flavor;
  filters: Filters;
  schema: SchemaTracker;
  records: ChangeRecords;
  logger: Logger;
  /** A connection for information_schema reads after DDL. */
  queryConnection: () => Promise<Connection>;
  /** Entries added to every offset (incremental snapshot progress). */
  offsetExtras?: () => SourceOffset | null;
  /** The signal table and the receiver of the rows inserted into it. */
  signals?: {
    database: string;
    table: string;
    receive: (row: SignalRow) => void;
    noteTable: (table: CapturedTable) => void;
    /** A TRUNCATE seen in the stream (also when `t` events are skipped). */
    truncated: (database: string, table: string) => void;
  };
  /** Debezium's streaming MBean counters. */
  stats?: BinlogStreamingStats;
  /** After snapshot.mode=recovery: the binlog span whose DDL of captured tables makes the rebuilt history wrong. */
  recoveryWindow?: RecoveryWindow;
}

export class BinlogReader {
  private readonly tableMaps = new Map<number, TableMapEvent>();
  private tx: OpenTransaction | null = null;
  private pendingSkip: { event: number; row: number } | null;
  private mysqlGtids: MysqlGtidSet | null = null;
  private mariadbGtids: MariadbGtidPosition | null = null;
  private committed: { file: string; pos: number; tsSec: number; serverId: number };
  private lastQuery: string | null = null;
  readonly txTopic: string;

  constructor(
    private readonly c: ReaderContext,
    start: BinlogOffset,
    gtidMode: boolean,
  ) {
    this.committed = { file: start.file, pos: start.pos, tsSec: start.ts_sec ?? 0, serverId: start.server_id ?? 0 };
    this.pendingSkip =
      (start.event ?? 0) > 0 || (start.row ?? 0) > 0 ? { event: start.event ?? 0, row: start.row ?? 0 } : null;
    if (gtidMode) {
      if (c.serverFlavor === 'mariadb') this.mariadbGtids = MariadbGtidPosition.parse(start.gtids ?? '');
      else this.mysqlGtids = MysqlGtidSet.parse(start.gtids ?? '');
    }
    this.txTopic = transactionTopic(
      c.settings.topicPrefix,
      c.settings.transactionTopicSuffix,
      c.settings.topicDelimiter,
    );
  }

  get gtidsText(): string | undefined {
    return this.mariadbGtids?.toString() ?? this.mysqlGtids?.toString();
  }

  /** Offset of the position after the last completed transaction (heartbeats, DDL). */
  committedOffset(): BinlogOffset {
    return {
      file: this.committed.file,
      pos: this.committed.pos,
      gtids: this.gtidsText,
      ts_sec: this.committed.tsSec,
      server_id: this.committed.serverId,
    };
  }

  get inTransaction(): boolean {
    return this.tx !== null;
  }

  async handle(ev: PositionedEvent, out: SourceRecord[]): Promise<void> {
    await this.handleEvent(ev, out);
    this.c.stats?.position(ev.file, ev.nextPosition, this.gtidsText);
  }

  private async handleEvent(ev: PositionedEvent, out: SourceRecord[]): Promise<void> {
    const b = ev.body;
    switch (b.kind) {
      case 'rotate':
        if (!this.tx && b.nextFile) this.committed = { ...this.committed, file: b.nextFile, pos: b.position };
        return;
      case 'mariadbGtid':
        this.begin(ev, formatMariadbGtid(b.gtid), BigInt(ev.header.timestamp) * 1_000_000n, true);
        // Debezium's MariaDB connector starts a transaction (and writes its BEGIN) at every GTID
        // event, whatever the tables: a DDL's stays without END, a transaction of other tables has an empty END.
        if (this.c.flavor === 'mariadb') this.metadataFor(this.tx, ev, out, 0);
        return;
      case 'gtid':
        this.begin(ev, b.gtid, b.originalCommitTimestampUs ?? BigInt(ev.header.timestamp) * 1_000_000n, false);
        return;
      case 'query': {
        if (this.tx) this.tx.thread = b.threadId;
        const q = b.query.trim();
        if (/^BEGIN\b/i.test(q) || /^XA\s+START/i.test(q)) {
          if (!this.tx) this.begin(ev, null, BigInt(ev.header.timestamp) * 1_000_000n, true);
          return;
        }
        if (/^(COMMIT|XA\s+COMMIT|XA\s+END|XA\s+PREPARE)\b/i.test(q)) {
          if (/^(COMMIT|XA\s+COMMIT)/i.test(q)) this.commit(ev, out);
          return;
        }
        if (/^ROLLBACK\b/i.test(q)) {
          this.commit(ev, out, 'rollback');
          return;
        }
        if (isTransactionControl(q)) return;
        await this.ddl(ev, b.database, b.query, out);
        return;
      }
      case 'tableMap':
        this.tableMaps.set(b.tableId, b);
        return;
      case 'rowsQuery':
        this.lastQuery = b.query;
        return;
      case 'rows':
        if (this.c.stats) this.c.stats.guard(() => this.rows(ev, b, out));
        else this.rows(ev, b, out);
        return;
      case 'xid':
        this.commit(ev, out);
        return;
      case 'transactionPayload':
        for (const inner of b.events) await this.handleEvent(this.innerEvent(ev, inner), out);
        return;
      default:
        return;
    }
  }

  private innerEvent(outer: PositionedEvent, inner: BinlogEvent): PositionedEvent {
    return { ...inner, file: outer.file, position: outer.position, nextPosition: outer.nextPosition };
  }

  private eventTimeMicros(tx: OpenTransaction | null, ev: PositionedEvent): bigint {
    return tx && !tx.eventTimestamps ? tx.tsMicros : BigInt(ev.header.timestamp) * 1_000_000n;
  }

  private begin(ev: PositionedEvent, gtid: string | null, tsMicros: bigint, eventTimestamps: boolean): void {
    if (this.tx && this.c.stats) this.c.stats.notWellFormedTransactions++;
    this.tx = {
      file: ev.file,
      pos: ev.position,
      gtidsBefore: this.gtidsText,
      gtid,
      rowsEvents: 0,
      thread: null,
      tsMicros,
      eventTimestamps,
      metadata: null,
      skip: this.pendingSkip,
    };
    this.pendingSkip = null;
    this.lastQuery = null;
  }

  /** `ddl`: the end of a DDL statement's implicit transaction (not a commit in Debezium's counters). */
  private commit(ev: PositionedEvent, out: SourceRecord[], end: 'commit' | 'rollback' | 'ddl' = 'commit'): void {
    const tx = this.tx;
    const stats = this.c.stats;
    if (stats && end !== 'ddl') {
      if (!tx) stats.notWellFormedTransactions++;
      else if (end === 'rollback') stats.rollback();
      else stats.commit(tx.gtid ?? `${tx.file}:${tx.pos}`);
    }
    if (tx?.gtid) {
      if (this.mariadbGtids) {
        const m = /^(\d+)-(\d+)-(\d+)$/.exec(tx.gtid)!;
        this.mariadbGtids.advance({ domainId: Number(m[1]), serverId: Number(m[2]), sequence: BigInt(m[3]) });
      } else if (this.mysqlGtids) {
        const i = tx.gtid.lastIndexOf(':');
        const sid = tx.gtid.slice(0, i);
        const [uuid, tag = ''] = sid.split(':');
        this.mysqlGtids.add(uuid, BigInt(tx.gtid.slice(i + 1)), tag);
      }
    }
    this.committed = { file: ev.file, pos: ev.nextPosition, tsSec: ev.header.timestamp, serverId: ev.header.serverId };
    if (tx?.metadata) {
      const ts = Number(this.eventTimeMicros(tx, ev) / 1000n);
      out.push(
        new SourceRecord({
          topic: this.txTopic,
          sourcePartition: this.c.records.partition,
          sourceOffset: this.offsetOf(this.committedOffset()),
          keySchema: TRANSACTION_KEY_SCHEMA,
          key: transactionKey(tx.metadata.id),
          valueSchema: TRANSACTION_VALUE_SCHEMA,
          value: transactionEndValue(tx.metadata, ts),
          timestamp: ts,
        }),
      );
    }
    this.tx = null;
    this.lastQuery = null;
  }

  private rowOffset(tx: OpenTransaction | null, ev: PositionedEvent, eventIndex: number, row: number): SourceOffset {
    return this.offsetOf(this.rowPosition(tx, ev, eventIndex, row));
  }

  /** The restart position of a row: its transaction's start with the event and row index, or the event itself. */
  private rowPosition(tx: OpenTransaction | null, ev: PositionedEvent, eventIndex: number, row: number): BinlogOffset {
    return tx
      ? {
          file: tx.file,
          pos: tx.pos,
          gtids: tx.gtidsBefore,
          event: eventIndex,
          row,
          ts_sec: ev.header.timestamp,
          server_id: ev.header.serverId,
        }
      : {
          file: ev.file,
          pos: ev.position,
          gtids: this.gtidsText,
          row,
          ts_sec: ev.header.timestamp,
          server_id: ev.header.serverId,
        };
  }

  /** The record offset of a binlog position, with the incremental snapshot's entries. */
  offsetOf(o: BinlogOffset): SourceOffset {
    const base = toSourceOffset(o);
    const extras = this.c.offsetExtras?.();
    return extras ? Object.assign(base, extras) : base;
  }

  private rows(ev: PositionedEvent, b: RowsEvent, out: SourceRecord[]): void {
    const tx = this.tx;
    const eventIndex = tx ? tx.rowsEvents++ : 0;
    const map = this.tableMaps.get(b.tableId);
    if (!map) throw new Error(`rows event for table id ${b.tableId} without a preceding TABLE_MAP`);
    let skipRows = 0;
    if (tx?.skip) {
      if (eventIndex < tx.skip.event) {
        if (this.c.stats) this.c.stats.skippedEvents++;
        return;
      }
      if (eventIndex === tx.skip.event) skipRows = tx.skip.row;
    }
    const sig = this.c.signals;
    if (sig && b.operation === 'insert' && map.database === sig.database && map.table === sig.table)
      deliverSignalRows(
        this.c,
        sig,
        ev,
        b,
        map,
        skipRows,
        (r) => toSourceOffset(this.rowPosition(tx, ev, eventIndex, r)),
        { gtid: tx?.gtid ?? null, thread: tx?.thread ?? null },
      );
    const op: Operation = b.operation === 'insert' ? 'c' : b.operation === 'update' ? 'u' : 'd';
    if (!this.c.filters.tableIncluded(map.database, map.table) || this.c.records.isSkipped(op)) {
      if (this.c.stats) this.c.stats.filtered++;
      return;
    }
    const resolved = this.c.schema.resolve(map);
    const table = this.c.records.captured(resolved.definition, resolved.version);
    sig?.noteTable(table);
    const tsMicros = this.eventTimeMicros(tx, ev);
    const tsMs = Number(tsMicros / 1000n);
    const txMeta = this.metadataFor(tx, ev, out, eventIndex);
    // SourceEventPosition of a row of this event, made only when the metric is read.
    const position = (row: number): Record<string, string> => ({
      file: ev.file,
      pos: String(ev.position),
      row: String(row),
    });
    const row: RowContext = { ev, tx, map, table, op, eventIndex, tsMicros, tsMs, txMeta, position, out };
    const decoder = skipRows === 0 ? this.c.records.decoder(table, resolved.specs) : null;
    if (decoder?.accepts(b)) {
      const mark = out.length;
      try {
        decoder.begin(b);
        for (let r = 0; decoder.next(); r++)
          this.emitRow(row, r, op === 'c' ? null : decoder.before, op === 'd' ? null : decoder.after, table.converted);
      } catch (err) {
        out.length = mark;
        throw decodedPathError(ev, b, resolved.specs, table, op) ?? err;
      }
      return;
    }
    const changes = decodeRowsAt(ev, b, resolved.specs);
    for (let r = skipRows; r < changes.length; r++) this.emitRow(row, r, changes[r].before, changes[r].after, table);
  }

  /** The records of row `r` of a rows event. */
  private emitRow<I>(c: RowContext, r: number, before: I | null, after: I | null, images: ImageStructs<I>): void {
    const { ev, tx } = c;
    const source = sourceStruct({
      flavor: this.c.flavor,
      serverName: this.c.settings.topicPrefix,
      tsMicros: c.tsMicros,
      db: c.map.database,
      table: c.map.table,
      serverId: ev.header.serverId,
      gtid: tx?.gtid ?? null,
      file: ev.file,
      pos: ev.position,
      row: r,
      thread: tx?.thread ?? null,
      query: this.c.settings.includeQuery ? this.lastQuery : null,
    });
    const stats = this.c.stats;
    stats?.change(c.op, c.tsMs);
    const records = this.c.records.rowRecords(
      c.table,
      c.op,
      before,
      after,
      source,
      this.rowOffset(tx, ev, c.eventIndex, r + 1),
      c.txMeta,
      c.tsMs,
      images,
    );
    stats?.describeLazily(c.position, r, records[records.length - 1]?.key);
    for (let i = 0; i < records.length; i++) c.out.push(records[i]);
  }

  private metadataFor(
    tx: OpenTransaction | null,
    ev: PositionedEvent,
    out: SourceRecord[],
    eventIndex: number,
  ): TransactionContext | null {
    if (!tx || !this.c.settings.provideTransactionMetadata) return null;
    if (!tx.metadata) {
      const id = tx.gtid ?? `file=${tx.file},pos=${tx.pos}`;
      tx.metadata = new TransactionContext(id);
      const ts = Number(tx.tsMicros / 1000n);
      out.push(
        new SourceRecord({
          topic: this.txTopic,
          sourcePartition: this.c.records.partition,
          sourceOffset: this.rowOffset(tx, ev, eventIndex, 0),
          keySchema: TRANSACTION_KEY_SCHEMA,
          key: transactionKey(id),
          valueSchema: TRANSACTION_VALUE_SCHEMA,
          value: transactionBeginValue(id, ts),
          timestamp: ts,
        }),
      );
    }
    return tx.metadata;
  }

  private async ddl(ev: PositionedEvent, database: string, query: string, out: SourceRecord[]): Promise<void> {
    const tx = this.tx;
    // The DDL completes its transaction: the history position is the one after the statement.
    this.commit(ev, [], 'ddl');
    const position = { ...toSourceOffset(this.committedOffset()) } as unknown as HistoryRecord['position'];
    const conn = await this.c.queryConnection();
    const { events, statement } = await this.c.schema.applyDdl(conn, query, database, position, Date.now());
    this.c.recoveryWindow?.check({ file: ev.file, pos: ev.position }, query, statement, this.c.filters);
    const tsMicros = this.eventTimeMicros(tx, ev);
    if (statement.kind === 'truncate')
      for (const ch of statement.changes) this.c.signals?.truncated(ch.database, ch.table);
    if (statement.kind === 'truncate' && !this.c.records.isSkipped('t')) {
      const ch = statement.changes[0];
      if (this.c.filters.tableIncluded(ch.database, ch.table)) {
        const def = this.c.schema.tables.get(`${ch.database}.${ch.table}`);
        if (def) {
          const table = this.c.records.captured(def, 0);
          const source = this.source(ev, tx, tsMicros, ch.database, ch.table, query);
          out.push(
            new SourceRecord({
              topic: table.topic,
              sourcePartition: this.c.records.partition,
              sourceOffset: this.offsetOf(this.committedOffset()),
              keySchema: null,
              key: null,
              valueSchema: table.envelopeSchema,
              value: new Struct(table.envelopeSchema)
                .put('source', source)
                .put('op', 't')
                .put('ts_ms', Date.now())
                .put('ts_us', Date.now() * 1000)
                .put('ts_ns', BigInt(Date.now()) * 1_000_000n),
              timestamp: Number(tsMicros / 1000n),
            }),
          );
        }
      }
    }
    if (!this.c.settings.includeSchemaChanges) return;
    for (const { record, event } of events) {
      // Debezium's DDL events carry no thread id (it is set from a transaction's BEGIN, which DDL has not).
      const source = this.source(ev, tx, tsMicros, event.database, event.sourceTable ?? null, null).put('thread', null);
      out.push(
        schemaChangeRecordOf(this.c, record, source, Number(tsMicros / 1000n), this.offsetOf(this.committedOffset())),
      );
    }
  }

  private source(
    ev: PositionedEvent,
    tx: OpenTransaction | null,
    tsMicros: bigint,
    db: string,
    table: string | null,
    query: string | null,
  ): Struct {
    return sourceStruct({
      flavor: this.c.flavor,
      serverName: this.c.settings.topicPrefix,
      tsMicros,
      db,
      table,
      serverId: ev.header.serverId,
      gtid: tx?.gtid ?? null,
      file: ev.file,
      pos: ev.position,
      row: 0,
      thread: tx?.thread ?? null,
      query: this.c.settings.includeQuery ? query : null,
    });
  }
}
