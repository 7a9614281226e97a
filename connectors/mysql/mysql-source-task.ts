/**
 * The source task: checks the server's binlog settings, restores the schema history up to the
 * stored offset, runs the snapshot the snapshot mode asks for, then streams the binlog. Records
 * carry Debezium offsets; the worker commits them only once the records are durable. A lost
 * connection is retried with backoff from the last emitted offset; a corrupt event fails the task
 * with its file and position.
 */
import type { Connection } from 'mysql2/promise';
import type { SourceRecord } from '../../sdk/data.ts';
import { ConnectException } from '../../sdk/errors.ts';
import type { SourceTask, SourceTaskContext } from '../../sdk/spi.ts';
import { sleep } from '../../sdk/internal/worker-support.ts';
import { heartbeatRecord, heartbeatTopic, transactionTopic } from '../shared/debezium/index.ts';
import { BinlogEventStream, CorruptBinlogEventError } from './binlog/binlog-stream.ts';
import { BinlogServerError } from './binlog/binlog-client.ts';
import { MariadbGtidPosition, MysqlGtidSet } from './binlog/gtid.ts';
import { BinlogReader } from './binlog-reader.ts';
import { snapshotSchemaChangeRecord } from './schema-change-records.ts';
import { ChangeRecords } from './change-records.ts';
import { destroyConnection } from './connection-close.ts';
import { binlogNoLongerAvailable, ERRNO_BINLOG_UNAVAILABLE } from './binlog-availability.ts';
import { connectMysql, explainMysqlFailure } from '../shared/tls/mysql-tls.ts';
import { connectionOptions, MARIADB_CONNECTOR_CLASS, type MysqlSourceSettings, parseMysqlSettings } from './config.ts';
import { Filters } from './filters.ts';
import { IncrementalSnapshot } from './incremental/incremental-snapshot.ts';
import type { SnapshotProgress } from '../shared/snapshot-progress.ts';
import { type BinlogOffset, isSnapshotInProgress, parseOffset } from './offsets.ts';
import { openSchemaHistory } from './schema/schema-history-store.ts';
import { SchemaTracker } from './schema/schema-tracker.ts';
import { binlogEnd, RecoveryWindow } from './recovery-window.ts';
import { Snapshotter } from './snapshot.ts';
import { SnapshotClock, registerSnapshotMetrics } from '../shared/snapshot-progress.ts';
import { snapshotQueueMetrics } from '../shared/streaming-metrics.ts';
import {
  BinlogStreamingStats,
  SchemaHistoryStats,
  registerBinlogStreamingMetrics,
  registerSchemaHistoryMetrics,
} from './binlog-metrics.ts';
import type { Flavor } from './source-info.ts';
import { defaultLayout, WireLayout } from './wire-layout.ts';

export const CONNECTOR_VERSION = '1.0.0';

export class MysqlSourceTask implements SourceTask {
  private context!: SourceTaskContext;
  private s!: MysqlSourceSettings;
  private query: Connection | null = null;
  private serverFlavor: Flavor = 'mysql';
  private sourceFlavor: Flavor = 'mysql';
  private gtidMode = false;
  private schema!: SchemaTracker;
  private records!: ChangeRecords;
  private filters!: Filters;
  private snapshotter: Snapshotter | null = null;
  private incremental: IncrementalSnapshot | null = null;
  /** Progress of the last snapshot that ran (initial or incremental), kept after it completed. */
  private lastProgress: SnapshotProgress | null = null;
  private streamOnly = true;
  private stream: BinlogEventStream | null = null;
  private reader: BinlogReader | null = null;
  /** Where streaming (re)starts: the snapshot position, the stored offset, or the last emitted offset. */
  private resumeFrom: BinlogOffset | null = null;
  private recoveryWindow: RecoveryWindow | null = null;
  private lastHeartbeat = Date.now();
  private failures = 0;
  private stopped = false;
  private layout!: WireLayout;

  version(): string {
    return CONNECTOR_VERSION;
  }
  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  private get partition() {
    return { server: this.s.topicPrefix };
  }

  private readonly snapshotClock = new SnapshotClock();
  private readonly streamingStats = new BinlogStreamingStats();
  private readonly historyStats = new SchemaHistoryStats();

  async start(props: Record<string, string>): Promise<void> {
    this.s = parseMysqlSettings(props);
    this.filters = new Filters(this.s);
    const conn = await this.queryConnection();
    const [[info]] = (await conn.query(
      'SELECT VERSION() AS version, @@log_bin AS log_bin, @@binlog_format AS format, @@binlog_row_image AS image',
    )) as unknown as [Array<Record<string, string | number>>];
    this.serverFlavor = /mariadb/i.test(String(info.version)) ? 'mariadb' : 'mysql';
    const cls = props['connector.class'] ?? '';
    this.sourceFlavor =
      cls === MARIADB_CONNECTOR_CLASS || cls.endsWith('MariaDbConnector')
        ? 'mariadb'
        : cls.includes('MySqlConnector')
          ? 'mysql'
          : this.serverFlavor;
    this.layout = new WireLayout(
      this.s.layout ?? defaultLayout(this.sourceFlavor),
      this.sourceFlavor,
      this.s.topicPrefix,
      this.s.extendedHeaders,
      new Set([
        transactionTopic(this.s.topicPrefix, this.s.transactionTopicSuffix, this.s.topicDelimiter),
        heartbeatTopic(this.s.topicPrefix, this.s.heartbeatTopicPrefix, this.s.topicDelimiter),
      ]),
    );
    if (Number(info.log_bin) !== 1 && String(info.log_bin).toUpperCase() !== 'ON')
      throw new ConnectException('The server does not write a binary log; start it with log_bin enabled');
    if (String(info.format).toUpperCase() !== 'ROW')
      throw new ConnectException(
        `The server's binlog_format is ${info.format}; the connector needs binlog_format=ROW (SET GLOBAL binlog_format=ROW and in the server config)`,
      );
    const image = String(info.image).toUpperCase();
    // NOBLOB leaves unchanged BLOB/TEXT columns out: they become unavailable.value.placeholder, as in Debezium.
    if (image !== 'FULL' && image !== 'NOBLOB')
      throw new ConnectException(
        `The server's binlog_row_image is ${info.image}; the connector needs binlog_row_image=FULL or NOBLOB (a MINIMAL image lacks the columns Debezium's before/after carry): SET GLOBAL binlog_row_image=FULL and in the server config`,
      );
    registerSnapshotMetrics(
      this.context.metrics,
      this.sourceFlavor,
      this.s.topicPrefix,
      () => this.snapshotProgress(),
      () => {
        this.snapshotClock.observe(this.snapshotProgress());
        return this.snapshotClock;
      },
      {
        HoldingGlobalLock: () => this.snapshotter?.holdingGlobalLock ?? false,
        // The snapshot hands rows over as it reads them: nothing waits in a queue.
        ...snapshotQueueMetrics(this.s.maxQueueSize, () => 0, this.s.maxQueueSizeInBytes),
      },
    );
    registerBinlogStreamingMetrics(
      this.context.metrics,
      this.sourceFlavor,
      this.s.topicPrefix,
      this.streamingStats,
      () => this.gtidMode,
      {
        capacity: this.s.maxQueueSize,
        buffered: () => this.stream?.client.buffered ?? 0,
        maxBytes: this.s.maxQueueSizeInBytes,
        bufferedBytes: () => this.stream?.client.bufferedBytes ?? 0,
      },
      () =>
        this.schema
          ? [...this.schema.tables.values()]
              .filter((t) => this.filters.tableIncluded(t.database, t.name))
              .map((t) => `${t.database}.${t.name}`)
          : [],
    );
    registerSchemaHistoryMetrics(this.context.metrics, this.sourceFlavor, this.s.topicPrefix, this.historyStats);
    if (this.serverFlavor === 'mariadb') this.gtidMode = true;
    else {
      const [[g]] = (await conn.query('SELECT @@gtid_mode AS m')) as unknown as [Array<{ m: string }>];
      this.gtidMode = String(g.m).toUpperCase() === 'ON';
    }
    const history = await openSchemaHistory(this.s, this.context.connectorName, this.context.logger);
    this.schema = new SchemaTracker(
      history,
      this.filters,
      this.s.topicPrefix,
      {
        storeOnlyCapturedTables: this.s.storeOnlyCapturedTables,
        storeOnlyCapturedDatabases: this.s.storeOnlyCapturedDatabases,
        skipUnparseableDdl: this.s.skipUnparseableDdl,
      },
      this.context.logger,
      this.historyStats,
    );
    this.records = new ChangeRecords(this.s, this.sourceFlavor, this.filters, this.partition);

    const raw = this.context.offsetStorageReader.offset(this.partition);
    const offset = raw ? parseOffset(raw) : null;
    const mode = this.s.snapshotMode;
    let snapshot: 'data' | 'schema' | null = null;
    if (mode === 'recovery' && (!offset || isSnapshotInProgress(offset))) {
      throw new ConnectException(
        'snapshot.mode=recovery rebuilds the schema history of a connector that has streamed before, but there is no stored offset; use snapshot.mode=initial for a new connector',
      );
    }
    if (!offset || isSnapshotInProgress(offset)) {
      if (mode === 'never') snapshot = null;
      else snapshot = mode === 'no_data' ? 'schema' : 'data';
    } else if (mode === 'always') snapshot = 'data';
    else if (mode === 'when_needed' && !(await this.binlogFileExists(offset.file))) snapshot = 'data';
    if (offset && snapshot === null && !isSnapshotInProgress(offset)) await this.ensureBinlogAvailable(offset);
    this.streamOnly = mode !== 'initial_only';
    if (this.s.signalTable) {
      // A new initial snapshot covers everything: an incremental snapshot stored in the offsets is dropped.
      this.incremental = new IncrementalSnapshot(
        {
          settings: this.s,
          flavor: this.sourceFlavor,
          filters: this.filters,
          schema: this.schema,
          records: this.records,
          logger: this.context.logger,
          connection: connectionOptions(this.s),
        },
        snapshot === 'data' ? null : raw,
      );
      await this.incremental.verifySignalTable().catch((err: unknown) => {
        this.incremental?.close();
        throw err;
      });
    }

    if (snapshot) {
      await history.reset();
      this.snapshotter = new Snapshotter(
        {
          settings: this.s,
          flavor: this.sourceFlavor,
          serverFlavor: this.serverFlavor,
          filters: this.filters,
          schema: this.schema,
          records: this.records,
          logger: this.context.logger,
          connection: connectionOptions(this.s),
          gtidMode: this.gtidMode,
          signal: this.context.signal,
          schemaChangeRecord: (rec, off) =>
            snapshotSchemaChangeRecord({ settings: this.s, records: this.records }, this.sourceFlavor, rec, off),
        },
        snapshot === 'data',
      );
      const pos = await this.snapshotter.start(conn);
      this.resumeFrom = { file: pos.file, pos: pos.pos, gtids: pos.gtids || undefined };
    } else if (offset && mode === 'recovery') {
      // Debezium's recovery: the history is rebuilt from the current structures (SHOW CREATE TABLE) at the stored offset.
      await history.reset();
      await this.schema.snapshotSchema(
        conn,
        { file: offset.file, pos: offset.pos, ...(offset.gtids ? { gtids: offset.gtids } : {}), snapshot: true },
        Date.now(),
      );
      this.recoveryWindow = new RecoveryWindow(offset, await binlogEnd(conn));
      this.resumeFrom = offset;
    } else if (offset) {
      if (!this.schema.historyExists()) {
        this.context.logger.warn(
          { offset },
          'No schema history for the stored offset: table structures will come from the binlog table maps (binlog_row_metadata=FULL)',
        );
      }
      this.schema.recover({ file: offset.file, pos: offset.pos });
      this.resumeFrom = offset;
    } else {
      // snapshot.mode=never without an offset: from the first binlog file the server still has.
      const [logs] = (await conn.query('SHOW BINARY LOGS')) as unknown as [Array<{ Log_name: string }>];
      this.resumeFrom = { file: logs[0]?.Log_name ?? '', pos: 4 };
      this.schema.recover(null);
    }
    this.context.logger.info(
      { flavor: this.serverFlavor, gtidMode: this.gtidMode, snapshot, resumeFrom: this.resumeFrom },
      'MySQL source task started',
    );
  }

  private async queryConnection(): Promise<Connection> {
    if (this.query) return this.query;
    const c = await connectMysql({ ...connectionOptions(this.s), charset: 'utf8mb4' }, this.s.tls);
    c.on('error', () => {
      this.query = null;
    });
    this.query = c;
    return c;
  }

  private async binlogFileExists(file: string): Promise<boolean> {
    return (await this.binaryLogs()).includes(file);
  }

  private async binaryLogs(): Promise<string[]> {
    const conn = await this.queryConnection();
    const [logs] = (await conn.query('SHOW BINARY LOGS')) as unknown as [Array<{ Log_name: string }>];
    return logs.map((l) => l.Log_name);
  }

  /** Streaming resumes from a stored position: it must still be on the server. */
  private async ensureBinlogAvailable(offset: BinlogOffset): Promise<void> {
    const logs = await this.binaryLogs();
    if (!logs.includes(offset.file)) throw binlogNoLongerAvailable(offset, logs);
  }

  async poll(): Promise<SourceRecord[] | null> {
    this.snapshotClock.observe(this.snapshotProgress());
    if (this.snapshotter) {
      if (!this.snapshotter.done) {
        const out = await this.snapshotter.next(this.s.maxBatchSize);
        if (out.length) return this.layout.apply(out);
      }
      if (this.snapshotter.done) {
        this.lastProgress = this.snapshotter.progress();
        this.snapshotter = null;
      }
    }
    if (!this.streamOnly || this.stopped) {
      await sleep(this.s.pollIntervalMs, this.context.signal);
      return null;
    }
    try {
      const out = await this.pollStream();
      this.failures = 0;
      return out && this.layout.apply(out);
    } catch (err) {
      if (err instanceof CorruptBinlogEventError) throw new ConnectException(err.message, { cause: err });
      if (this.stopped || this.context.signal.aborted) return null;
      if (err instanceof BinlogServerError && err.errno === ERRNO_BINLOG_UNAVAILABLE && this.resumeFrom) {
        throw binlogNoLongerAvailable(this.resumeFrom, await this.binaryLogs().catch(() => []), err);
      }
      if (err instanceof BinlogServerError && err.errno !== undefined && err.errno !== 2013 && err.errno !== 2006) {
        throw new ConnectException(
          `The server refused the binlog dump from ${JSON.stringify(this.resumeFrom)}: ${err.message} (errno ${err.errno})`,
          { cause: err },
        );
      }
      if (!isConnectionError(err)) throw err;
      this.failures++;
      if (this.failures > this.s.maxAttempts)
        throw new ConnectException(`Binlog connection failed ${this.failures} times: ${(err as Error).message}`, {
          cause: err,
        });
      this.streamingStats.connected = false;
      this.streamingStats.disconnects++;
      this.context.logger.warn(
        { err, attempt: this.failures, resumeFrom: this.resumeFrom },
        'Binlog connection lost; reconnecting',
      );
      this.stream?.close();
      this.stream = null;
      this.reader = null;
      this.incremental?.streamRestarted();
      await sleep(Math.min(30_000, 200 * 2 ** this.failures), this.context.signal);
      return null;
    }
  }

  private async connectStream(): Promise<void> {
    const from = this.resumeFrom!;
    const start =
      this.gtidMode && from.gtids !== undefined
        ? this.serverFlavor === 'mariadb'
          ? { mariadbGtids: MariadbGtidPosition.parse(from.gtids), file: from.file, position: from.pos }
          : { mysqlGtids: MysqlGtidSet.parse(from.gtids), file: from.file, position: from.pos }
        : { file: from.file, position: from.pos };
    const stream = new BinlogEventStream({
      connection: connectionOptions(this.s),
      serverId: this.s.serverId,
      start,
      heartbeatIntervalMs: this.s.keepAliveMs,
      highWaterMark: this.s.maxQueueSize,
      ...(this.s.maxQueueSizeInBytes > 0 ? { highWaterMarkBytes: this.s.maxQueueSizeInBytes } : {}),
      annotateRows: this.s.includeQuery,
    });
    await stream.connect().catch((err: unknown) => {
      throw explainMysqlFailure(err, { host: this.s.host, port: this.s.port }, this.s.tls);
    });
    if (this.stopped) {
      // stop() ran while the dump connection was being set up: it must not outlive the task.
      stream.close();
      throw Object.assign(new Error('The task was stopped while connecting to the binlog'), { name: 'AbortError' });
    }
    this.stream = stream;
    this.streamingStats.connected = true;
    this.reader = new BinlogReader(
      {
        settings: this.s,
        flavor: this.sourceFlavor,
        serverFlavor: this.serverFlavor,
        filters: this.filters,
        schema: this.schema,
        records: this.records,
        logger: this.context.logger,
        queryConnection: () => this.queryConnection(),
        stats: this.streamingStats,
        recoveryWindow: this.recoveryWindow ?? undefined,
        offsetExtras: this.incremental ? () => this.incremental!.offsetKeys() : undefined,
        signals:
          this.incremental && this.s.signalTable
            ? {
                ...this.s.signalTable,
                receive: (row) => this.incremental!.receive(row),
                noteTable: (t) => this.incremental!.noteStreamTable(t),
                truncated: (db, table) => this.incremental!.truncated(db, table),
              }
            : undefined,
      },
      from,
      this.gtidMode,
    );
  }

  private async pollStream(): Promise<SourceRecord[] | null> {
    if (!this.stream) await this.connectStream();
    const stream = this.stream!;
    const reader = this.reader!;
    const out: SourceRecord[] = [];
    const deadline = Date.now() + this.s.pollIntervalMs;
    const incremental = this.incremental;
    while (out.length < this.s.maxBatchSize && !this.context.signal.aborted) {
      if (incremental?.needsChunk) await incremental.readChunk();
      // With records in hand, wait only briefly for more: a busy stream keeps the batch growing,
      // an idle one hands the batch over at once.
      const wait =
        out.length > 0 && stream.client.buffered === 0 ? Math.min(5, deadline - Date.now()) : deadline - Date.now();
      if (wait <= 0 && out.length > 0) break;
      const ev = await stream.next(Math.max(wait, 1), this.context.signal);
      if (ev === null) throw Object.assign(new Error('binlog stream ended'), { code: 'PROTOCOL_CONNECTION_LOST' });
      if (ev === undefined) {
        if (out.length > 0 || Date.now() >= deadline) break;
        continue;
      }
      const before = out.length;
      await reader.handle(ev, out);
      if (incremental) {
        incremental.observe(out, before);
        await incremental.processSignals(out);
      }
    }
    if (out.length) {
      const last = out[out.length - 1].sourceOffset;
      this.resumeFrom = parseOffset(last);
    } else if (!reader.inTransaction) {
      this.resumeFrom = reader.committedOffset();
    }
    if (
      this.s.heartbeatIntervalMs > 0 &&
      Date.now() - this.lastHeartbeat >= this.s.heartbeatIntervalMs &&
      !reader.inTransaction
    ) {
      this.lastHeartbeat = Date.now();
      out.push(
        heartbeatRecord({
          topic: heartbeatTopic(this.s.topicPrefix, this.s.heartbeatTopicPrefix, this.s.topicDelimiter),
          serverName: this.s.topicPrefix,
          partition: this.partition,
          offset: reader.offsetOf(reader.committedOffset()),
        }),
      );
    }
    return out.length ? out : null;
  }

  /** Progress of the initial snapshot or of the running (else last) incremental snapshot. */
  snapshotProgress(): SnapshotProgress {
    const initial = this.snapshotter?.progress();
    if (initial) return initial;
    const incremental = this.incremental?.snapshotProgress();
    if (incremental) return incremental;
    return (
      this.lastProgress ?? {
        phase: 'none',
        tablesTotal: 0,
        tablesDone: 0,
        rowsScanned: 0,
        rowsEstimated: null,
        currentTable: null,
        tables: [],
      }
    );
  }

  stop(): void {
    this.stopped = true;
    this.streamingStats.connected = false;
    this.incremental?.close();
    void this.schema?.close();
    this.snapshotter?.close();
    this.stream?.close();
    this.stream = null;
    const q = this.query;
    this.query = null;
    destroyConnection(q);
  }
}

function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; fatal?: boolean };
  return (
    e?.fatal === true ||
    ['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'].includes(e?.code ?? '') ||
    e?.errno === 2013 ||
    e?.errno === 2006 ||
    (err instanceof BinlogServerError && (err.cause as { fatal?: boolean })?.fatal === true)
  );
}
