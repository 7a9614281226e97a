/**
 * Turns the pgoutput stream into records: tracks relations and transactions, converts tuples,
 * keeps the current stream position (the offset every record carries), skips what a previous
 * run already emitted, and handles keepalives. One instance per replication session.
 */
import { StreamingStats } from '../shared/streaming-metrics.ts';
import type pg from 'pg';
import { SourceRecord, Struct } from '../../sdk/data.ts';
import type { Logger } from '../../sdk/logging.ts';
import { ConnectException } from '../../sdk/errors.ts';
import {
  TransactionContext,
  transactionBeginValue,
  transactionEndValue,
  transactionKey,
  transactionTopic,
  TRANSACTION_KEY_SCHEMA,
  TRANSACTION_VALUE_SCHEMA,
} from '../shared/debezium/index.ts';
import { isMessagePrefixCaptured, isTableCaptured, type PostgresConnectorSettings } from './config.ts';
import { MessageEvents } from './message-events.ts';
import { splitCollection, type IncrementalSnapshot } from './incremental-snapshot.ts';
import type {
  DeleteMessage,
  InsertMessage,
  LogicalMessage,
  TruncateMessage,
  UpdateMessage,
} from './protocol/pgoutput-messages.ts';
import { metaFromRelation, tableMeta } from './catalog.ts';
import { TableSchema, textTuple } from './table-schema.ts';
import type { TypeRegistry } from './type-registry.ts';
import { blankSourceValues, postgresSourceSchema, postgresSource, type PostgresSourceValues } from './source-info.ts';
import {
  createRecords,
  deleteRecords,
  reusableEventContext,
  truncateRecord,
  updateRecords,
  type EventContext,
} from './change-events.ts';
import { sourcePartition, streamingOffset, type StreamPosition } from './offsets.ts';
import { parsePgOutputMessage, PgOutputParseError } from './protocol/pgoutput-parser.ts';
import { formatLsn } from './protocol/lsn.ts';
import type { RelationMessage } from './protocol/pgoutput-messages.ts';
import type { ReplicationFrame } from './protocol/replication-frames.ts';

interface OpenTransaction {
  xid: number;
  beginLsn: bigint;
  finalLsn: bigint;
  commitTimeMicros: bigint;
  commitTimeMs: number;
  /** Change messages seen so far in this transaction. */
  index: number;
  /** Change messages to drop because a previous run emitted them. */
  skip: number;
  /** Whole transaction already emitted (committed before the resume point). */
  skipAll: boolean;
  metadata: TransactionContext | null;
}

const MESSAGE_TYPES = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE', truncate: 'TRUNCATE' } as const;
const OPS = { insert: 'c', update: 'u', delete: 'd', truncate: 't' } as const;
const noTransactionBlock = (): null => null;

export class ChangeStreamer {
  private readonly relations = new Map<number, { rel: RelationMessage; schema: TableSchema | null }>();
  private tx: OpenTransaction | null = null;
  /** The offset state after everything processed so far. */
  position: StreamPosition;
  private resumeSkip: { txId: number; count: number } | null;
  /** End LSN of the last COMMIT seen (source.sequence[0]); the resume position may run ahead of it on keepalives. */
  private lastCommitLsn: bigint | null;
  private readonly partition;
  private readonly messages: MessageEvents;
  /** Commit time of the last BEGIN: Debezium stamps non-transactional messages with it. */
  private lastBeginCommitMicros: bigint | null = null;
  /** Distinguishes the per-message data collections of the transaction metadata. */
  private messageSerial = 0;
  /** Reused by each change: postgresSource copies what it keeps, the records take the context's parts. */
  private readonly sourceValues: PostgresSourceValues;
  private readonly context: EventContext;

  constructor(
    private readonly sql: pg.Client,
    private readonly settings: PostgresConnectorSettings,
    private readonly types: TypeRegistry,
    private readonly logger: Logger,
    start: StreamPosition,
    private readonly incremental: IncrementalSnapshot | null = null,
    private readonly stats: StreamingStats = new StreamingStats(),
  ) {
    this.position = { ...start };
    // Right after a snapshot (no streaming offset yet) Debezium has no commit LSN: sequence[0] is null.
    this.lastCommitLsn = start.lsnCommit > 0n && start.messageType !== null ? start.lsnCommit : null;
    this.resumeSkip =
      start.txId !== null && start.txEventsEmitted > 0 ? { txId: start.txId, count: start.txEventsEmitted } : null;
    this.partition = sourcePartition(settings.topicPrefix);
    this.messages = new MessageEvents(settings);
    this.sourceValues = blankSourceValues(settings.topicPrefix, settings.dbname);
    this.context = reusableEventContext(this.partition, settings, postgresSource(this.sourceValues, settings.layout));
  }

  /** pg_logical_emit_message: transactional ones count as events of their transaction; others stand alone. */
  private onMessage(lsn: bigint, msg: LogicalMessage, out: SourceRecord[]): void {
    const tx = msg.transactional ? this.tx : null;
    if (tx) {
      if (tx.skipAll) return;
      tx.index++;
      if (tx.index <= tx.skip) return;
      this.position = {
        lsnCommit: this.position.lsnCommit,
        lsn,
        txId: tx.xid,
        txEventsEmitted: tx.index,
        tsUsec: tx.commitTimeMicros,
        messageType: 'MESSAGE',
      };
    } else {
      // Re-sent after a restart unless the resume point moves past it; every transaction before it was already handled.
      if (msg.lsn < this.position.lsnCommit) return;
      const next = msg.lsn + 1n;
      this.position = {
        lsnCommit: next,
        lsn: msg.lsn,
        txId: null,
        txEventsEmitted: 0,
        tsUsec: BigInt(Date.now()) * 1000n,
        messageType: 'MESSAGE',
      };
    }
    if (!isMessagePrefixCaptured(this.settings, msg.prefix)) return;
    // Debezium handles a non-transactional message as a transaction of its own: it moves the commit LSN.
    if (!tx) this.lastCommitLsn = msg.lsn;
    const source = postgresSource(
      {
        serverName: this.settings.topicPrefix,
        db: this.settings.dbname,
        schema: '',
        table: '',
        tsMicros: tx ? tx.commitTimeMicros : (this.lastBeginCommitMicros ?? BigInt(Date.now()) * 1000n),
        txId: tx ? tx.xid : null,
        lsn: msg.lsn,
        lastCommitLsn: this.lastCommitLsn,
      },
      this.settings.layout,
    );
    const offset = this.currentOffset();
    let transaction: Struct | null = null;
    if (tx && this.settings.provideTransactionMetadata) {
      // Debezium counts each message under its own data collection, named by a LogicalDecodingMessageId object (identity hash).
      const collection = `io.debezium.connector.postgresql.LogicalDecodingMessageMonitor$LogicalDecodingMessageId@${(++this.messageSerial).toString(16)}`;
      transaction = this.beginTransaction(tx, msg.lsn, offset, out)
        .nextEventBlock(collection)
        .put('id', `${tx.xid}:${msg.lsn}`);
    }
    out.push(
      this.messages.record({
        partition: this.partition,
        offset,
        source,
        prefix: msg.prefix,
        content: msg.content,
        transaction,
      }),
    );
  }

  /** Transaction metadata starts at the first event Debezium dispatches: BEGIN carries `<xid>:<its LSN>`. */
  private beginTransaction(
    tx: OpenTransaction,
    lsn: bigint,
    offset: Record<string, unknown>,
    out: SourceRecord[],
  ): TransactionContext {
    if (!tx.metadata) {
      tx.metadata = new TransactionContext(`${tx.xid}:${lsn}`);
      out.push(
        this.transactionRecord(
          transactionBeginValue(tx.metadata.id, Number(tx.commitTimeMicros / 1000n)),
          tx.metadata.id,
          offset,
        ),
      );
    }
    return tx.metadata;
  }

  /** The offset of the current position, with incremental snapshot progress when one runs. */
  currentOffset(): Record<string, unknown> {
    const o = streamingOffset(this.position);
    return this.incremental?.active ? { ...o, ...this.incremental.offsetKeys() } : o;
  }

  /** Tables seen in Relation messages that are captured (`schema.table`). */
  capturedTables(): string[] {
    const out: string[] = [];
    for (const r of this.relations.values()) if (r.schema) out.push(r.schema.dataCollection);
    return out;
  }

  get inTransaction(): boolean {
    return this.tx !== null;
  }

  /**
   * Handles one frame, appending the records it produces. Synchronous for row changes (the hot
   * path); returns a promise only when catalog queries or a signal need the database.
   */
  handle(frame: ReplicationFrame, out: SourceRecord[]): void | Promise<void> {
    if (frame.type === 'keepalive') {
      // Everything up to walEnd was sent; with no transaction open, it is all processed.
      if (this.tx === null && frame.walEnd > this.position.lsnCommit) {
        this.position = {
          ...this.position,
          lsnCommit: frame.walEnd,
          lsn: frame.walEnd,
          txId: null,
          txEventsEmitted: 0,
        };
      }
      return;
    }
    const lsn = frame.startLsn;
    let msg;
    try {
      msg = parsePgOutputMessage(frame.data);
    } catch (err) {
      if (!(err instanceof PgOutputParseError)) throw err;
      throw new ConnectException(`Cannot decode the pgoutput message at LSN ${formatLsn(lsn)}: ${err.message}`, {
        cause: err,
      });
    }
    switch (msg.tag) {
      case 'begin': {
        const skipAll = msg.finalLsn < this.position.lsnCommit;
        let skip = 0;
        if (this.resumeSkip && this.resumeSkip.txId === msg.xid) skip = this.resumeSkip.count;
        this.resumeSkip = null;
        this.tx = {
          xid: msg.xid,
          beginLsn: lsn,
          finalLsn: msg.finalLsn,
          commitTimeMicros: msg.commitTimeMicros,
          commitTimeMs: Number(msg.commitTimeMicros / 1000n),
          index: 0,
          skip,
          skipAll,
          metadata: null,
        };
        this.lastBeginCommitMicros = msg.commitTimeMicros;
        return;
      }
      case 'commit': {
        const tx = this.tx;
        this.tx = null;
        if (tx && tx.skipAll) return;
        this.lastCommitLsn = msg.endLsn;
        if (tx) this.stats.commit(String(tx.xid));
        this.position = {
          lsnCommit: msg.endLsn,
          lsn: msg.endLsn,
          txId: tx?.xid ?? null,
          txEventsEmitted: 0,
          tsUsec: msg.commitTimeMicros,
          messageType: 'COMMIT',
        };
        if (tx?.metadata) {
          // END is identified by the commit's LSN (Debezium's offset when the COMMIT arrives), BEGIN by the first event's.
          const endId = `${tx.xid}:${msg.endLsn}`;
          out.push(
            this.transactionRecord(
              transactionEndValue(tx.metadata, Number(msg.commitTimeMicros / 1000n)).put('id', endId),
              endId,
            ),
          );
        }
        return;
      }
      case 'relation':
        return this.onRelation(msg);
      case 'type':
        if (!this.types.has(msg.typeOid)) return this.types.load(this.sql);
        return;
      case 'origin':
        return;
      case 'insert':
      case 'update':
      case 'delete':
      case 'truncate':
        return this.onChange(lsn, msg, out);
      case 'message':
        this.onMessage(lsn, msg, out);
        return;
      default:
        throw new ConnectException(
          `Unexpected pgoutput message "${msg.tag}" (streaming and two-phase are not requested)`,
        );
    }
  }

  private async onRelation(rel: RelationMessage): Promise<void> {
    if (!isTableCaptured(this.settings, rel.namespace, rel.name)) {
      this.relations.set(rel.relationOid, { rel, schema: null });
      return;
    }
    if (rel.columns.some((c) => !this.types.has(c.typeOid))) await this.types.load(this.sql);
    const meta = await tableMeta(this.sql, rel.relationOid).catch((err: Error) => {
      // Dropped since this change was written: describe the table from the Relation message alone.
      this.logger.warn(
        { table: `${rel.namespace}.${rel.name}`, err: err.message },
        'Table metadata unavailable; using the Relation message',
      );
      return metaFromRelation(rel);
    });
    const schema = new TableSchema(
      meta,
      rel.columns.map((c) => ({ name: c.name, typeOid: c.typeOid, typmod: c.typeModifier })),
      this.types,
      this.settings,
      postgresSourceSchema(this.settings.layout),
    );
    this.relations.set(rel.relationOid, { rel, schema });
  }

  private relation(oid: number): TableSchema | null {
    const r = this.relations.get(oid);
    if (!r) throw new ConnectException(`pgoutput sent a change for relation ${oid} before its Relation message`);
    return r.schema;
  }

  private onChange(
    lsn: bigint,
    msg: InsertMessage | UpdateMessage | DeleteMessage | TruncateMessage,
    out: SourceRecord[],
  ): void | Promise<void> {
    const tx = this.tx;
    if (!tx) throw new ConnectException(`pgoutput sent a ${msg.tag} outside a transaction`);
    if (tx.skipAll) return;
    tx.index++;
    if (tx.index <= tx.skip) return;
    this.position = {
      lsnCommit: this.position.lsnCommit,
      lsn,
      txId: tx.xid,
      txEventsEmitted: tx.index,
      tsUsec: tx.commitTimeMicros,
      messageType: MESSAGE_TYPES[msg.tag],
    };
    if (this.incremental && msg.tag === 'insert' && this.isSignal(msg))
      return this.maybeSignal(msg, out).then(() => this.stats.guard(() => this.emitChange(lsn, msg, out)));
    try {
      this.emitChange(lsn, msg, out);
    } catch (err) {
      this.stats.erroneous++; // as StreamingStats.guard, without a closure per change
      throw err;
    }
  }

  private emitChange(
    lsn: bigint,
    msg: InsertMessage | UpdateMessage | DeleteMessage | TruncateMessage,
    out: SourceRecord[],
  ): void {
    const offset = this.currentOffset();
    if (msg.tag !== 'truncate') this.emitTableChange(this.relation(msg.relationOid), lsn, msg, offset, out);
    else for (const oid of msg.relationOids) this.emitTableChange(this.relation(oid), lsn, msg, offset, out);
  }

  private emitTableChange(
    t: TableSchema | null,
    lsn: bigint,
    msg: InsertMessage | UpdateMessage | DeleteMessage | TruncateMessage,
    offset: Record<string, unknown>,
    out: SourceRecord[],
  ): void {
    if (!t) return;
    const first = out.length;
    const op = OPS[msg.tag];
    const ctx = this.eventContext(t, lsn, offset, out, this.settings.skippedOperations.has(op));
    if (msg.tag === 'insert') {
      createRecords(t, ctx, t.row(textTuple(msg.newTuple), true), out);
    } else if (msg.tag === 'update') {
      const after = t.row(textTuple(msg.newTuple), true);
      const before = msg.oldTuple
        ? t.row(textTuple(msg.oldTuple), true)
        : msg.keyTuple
          ? t.row(textTuple(msg.keyTuple), true, true)
          : null;
      updateRecords(t, ctx, before, after, out);
    } else if (msg.tag === 'delete') {
      const before = msg.oldTuple ? t.row(textTuple(msg.oldTuple), true) : t.row(textTuple(msg.keyTuple!), true, true);
      deleteRecords(t, ctx, before, out);
    } else {
      truncateRecord(t, ctx, out);
    }
    if (this.incremental?.active) {
      for (let i = first; i < out.length; i++)
        if (out[i].topic === t.topic) this.incremental.onChange(t, out[i].key as Struct | null);
    }
    if (out.length === first) this.stats.filtered++;
    else {
      this.stats.change(op, this.tx!.commitTimeMs);
      this.stats.describeLazily(lsnPosition, lsn, out[out.length - 1].key);
    }
  }

  private isSignal(msg: InsertMessage): boolean {
    const r = this.relations.get(msg.relationOid);
    if (!r) return false;
    const [schema, table] = splitCollection(this.settings.signalDataCollection!);
    return r.rel.namespace === schema && r.rel.name === table;
  }

  /** An insert into signal.data.collection: hand it to the incremental snapshot. */
  private async maybeSignal(msg: InsertMessage, out: SourceRecord[]): Promise<void> {
    const r = this.relations.get(msg.relationOid);
    if (!r) return;
    const col = (name: string): string | null => {
      const i = r.rel.columns.findIndex((c) => c.name === name);
      const v = i < 0 ? undefined : msg.newTuple[i];
      return typeof v === 'string' ? v : null;
    };
    const id = col('id');
    const type = col('type');
    if (id === null || type === null) return;
    try {
      await this.incremental!.onSignal(id, type, col('data'), out, () => this.currentOffset());
    } catch (err) {
      this.logger.warn({ id, type, err: (err as Error).message }, 'Signal could not be processed');
    }
  }

  /**
   * `opSkipped`: the change's own operation is in skipped.operations, so Debezium does not dispatch
   * it and no transaction starts; a key-changing update still starts one even when its delete and
   * create are both skipped (END then counts 0 events).
   */
  private eventContext(
    t: TableSchema,
    lsn: bigint,
    offset: Record<string, unknown>,
    out: SourceRecord[],
    opSkipped: boolean,
  ): EventContext {
    const tx = this.tx!;
    const v = this.sourceValues;
    v.schema = t.meta.schema;
    v.table = t.meta.table;
    v.tsMicros = tx.commitTimeMicros;
    v.txId = tx.xid;
    v.lsn = lsn;
    v.lastCommitLsn = this.lastCommitLsn;
    const ctx = this.context;
    ctx.offset = offset;
    ctx.source = postgresSource(v, this.settings.layout);
    ctx.transactionBlock = noTransactionBlock;
    if (this.settings.provideTransactionMetadata && (tx.metadata || !opSkipped)) {
      const meta = this.beginTransaction(tx, lsn, offset, out);
      // Each event's block names its own LSN (Debezium's transaction id is read from the event's offset).
      ctx.transactionBlock = () => meta.nextEventBlock(t.dataCollection).put('id', `${tx.xid}:${lsn}`);
    }
    return ctx;
  }

  private transactionRecord(
    value: Struct,
    id: string,
    offset: Record<string, unknown> = this.currentOffset(),
  ): SourceRecord {
    return new SourceRecord({
      topic: transactionTopic(
        this.settings.topicPrefix,
        this.settings.transactionTopicSuffix,
        this.settings.topicDelimiter,
      ),
      sourcePartition: this.partition,
      sourceOffset: offset,
      keySchema: TRANSACTION_KEY_SCHEMA,
      key: transactionKey(id),
      valueSchema: TRANSACTION_VALUE_SCHEMA,
      value,
      timestamp: Date.now(),
    });
  }
}

/** Debezium's SourceEventPosition of a change: its LSN. */
const lsnPosition = (lsn: bigint): Record<string, string> => ({ lsn: lsn.toString() });
