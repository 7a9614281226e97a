/**
 * The PostgreSQL source task: prepares publication and slot, runs the snapshot the
 * snapshot.mode asks for, then streams pgoutput changes. The slot's confirmed_flush_lsn is
 * advanced only in commit(), which the worker calls after the polled records are durable, to
 * the resume position of the last record polled — never ahead of what is durable.
 */
import type pg from 'pg';
import type { SourceRecord } from '../../sdk/data.ts';
import type { SourceTask, SourceTaskContext } from '../../sdk/spi.ts';
import { ConnectException } from '../../sdk/errors.ts';
import { sleep } from '../../sdk/internal/worker-support.ts';
import { heartbeatRecord, heartbeatTopic } from '../shared/debezium/index.ts';
import { parseSettings, type PostgresConnectorSettings } from './config.ts';
import { openSqlClient } from './connection.ts';
import { ensurePublication, slotState } from './catalog.ts';
import { ReplicationConnection, type ReplicationStream } from './replication-client.ts';
import { Snapshotter } from './snapshotter.ts';
import { ChangeStreamer } from './streamer.ts';
import { TypeRegistry } from './type-registry.ts';
import { readStoredOffset, sourcePartition, type StreamPosition } from './offsets.ts';
import { IncrementalSnapshot } from './incremental-snapshot.ts';
import {
  StreamingStats,
  pgQueueMetrics,
  registerStreamingMetrics,
  snapshotQueueMetrics,
} from '../shared/streaming-metrics.ts';
import {
  NO_SNAPSHOT,
  SnapshotClock,
  registerSnapshotMetrics,
  type SnapshotProgress,
} from '../shared/snapshot-progress.ts';
import { formatLsn } from './protocol/lsn.ts';

export const POSTGRES_CONNECTOR_VERSION = '1.0.0';
const BATCH_LINGER_MS = 5;

type Phase = 'snapshot' | 'streaming' | 'idle';

export class PostgresSourceTask implements SourceTask {
  private context!: SourceTaskContext;
  private settings!: PostgresConnectorSettings;
  private sql: pg.Client | null = null;
  private replication: ReplicationConnection | null = null;
  private stream: ReplicationStream | null = null;
  private snapshotter: Snapshotter | null = null;
  private streamer: ChangeStreamer | null = null;
  private readonly types = new TypeRegistry();
  private phase: Phase = 'idle';
  private streamAfterSnapshot = true;
  private startPosition: StreamPosition | null = null;
  /** Resume position (lsn_commit) of the last record handed to the worker. */
  private polledResumeLsn = 0n;
  /** What the slot has been told it may release. */
  private confirmedLsn = 0n;
  private lastStatusAt = 0;
  private lastHeartbeatAt = Date.now();
  private reconnectAttempts = 0;
  private lastStreamError: Error | null = null;
  private serverVersion = 0;
  private incremental: IncrementalSnapshot | null = null;
  /** The initial snapshot's progress, kept after it completed. */
  private initialProgress: SnapshotProgress = NO_SNAPSHOT;
  /** Snapshot start/end for SnapshotDurationInSeconds, initial and incremental alike (as the MySQL task). */
  private readonly snapshotClock = new SnapshotClock();
  private readonly streamingStats = new StreamingStats();

  version(): string {
    return POSTGRES_CONNECTOR_VERSION;
  }
  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  async start(props: Record<string, string>): Promise<void> {
    this.settings = parseSettings(props);
    const s = this.settings;
    const log = this.context.logger;
    registerSnapshotMetrics(
      this.context.metrics,
      'postgres',
      s.topicPrefix,
      () => this.snapshotProgress(),
      () => {
        this.snapshotClock.observe(this.snapshotProgress());
        return this.snapshotClock;
      },
      snapshotQueueMetrics(s.snapshotFetchSize, () => this.snapshotter?.pendingRows ?? 0),
    );
    registerStreamingMetrics(
      this.context.metrics,
      'postgres',
      s.topicPrefix,
      this.streamingStats,
      () => this.streamer?.capturedTables() ?? [],
      pgQueueMetrics(s.maxQueueSize, () => this.stream?.queue ?? null),
    );
    this.sql = await openSqlClient(s);
    this.serverVersion = Number(
      (await this.sql.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v,
    );
    if (this.serverVersion < 100000)
      throw new ConnectException(
        `PostgreSQL ${this.serverVersion} is not supported: pgoutput needs PostgreSQL 10 or later`,
      );
    await this.types.load(this.sql);
    await ensurePublication(this.sql, s);

    const storedRaw = this.context.offsetStorageReader.offset(sourcePartition(s.topicPrefix));
    const stored = storedRaw ? readStoredOffset(storedRaw) : null;
    const slot = await slotState(this.sql, s.slotName);
    if (slot.exists) {
      if (slot.plugin !== 'pgoutput')
        throw new ConnectException(
          `Replication slot "${s.slotName}" uses plugin ${slot.plugin}, not pgoutput; drop it or choose another slot.name`,
        );
      if (slot.database !== s.dbname)
        throw new ConnectException(
          `Replication slot "${s.slotName}" belongs to database ${slot.database}, not ${s.dbname}; choose another slot.name`,
        );
      if (slot.active)
        throw new ConnectException(
          `Replication slot "${s.slotName}" is in use by another process; stop it or choose another slot.name`,
        );
      this.confirmedLsn = slot.confirmedFlushLsn ?? 0n;
    } else if (
      stored &&
      !stored.snapshotIncomplete &&
      s.snapshotMode !== 'when_needed' &&
      s.snapshotMode !== 'always'
    ) {
      log.warn(
        { slot: s.slotName },
        'Offsets exist but the replication slot is missing: creating it; changes made while it was missing are lost (use snapshot.mode=when_needed to re-snapshot)',
      );
    }

    if (s.signalDataCollection) {
      this.incremental = new IncrementalSnapshot(
        () => this.sql!,
        s,
        this.types,
        log,
        storedRaw && !stored?.snapshotIncomplete ? IncrementalSnapshot.fromOffset(storedRaw) : null,
      );
    }
    const noOffset = stored === null || stored.snapshotIncomplete;
    let snapshot: boolean;
    switch (s.snapshotMode) {
      case 'initial':
        snapshot = noOffset;
        break;
      case 'initial_only':
        snapshot = noOffset;
        this.streamAfterSnapshot = false;
        break;
      case 'no_data':
        snapshot = false;
        break;
      case 'when_needed':
        snapshot = noOffset || !slot.exists;
        break;
      case 'always':
        snapshot = true;
        break;
    }

    this.replication = await ReplicationConnection.open(s);
    let exported: { snapshotName: string; lsn: bigint } | null = null;
    let slotStart: bigint | null = null;
    if (!slot.exists) {
      const created = await this.replication.createSlot(s.slotName, snapshot);
      log.info({ slot: s.slotName, consistentPoint: formatLsn(created.consistentPoint) }, 'Created replication slot');
      slotStart = created.consistentPoint;
      if (snapshot && created.snapshotName)
        exported = { snapshotName: created.snapshotName, lsn: created.consistentPoint };
    } else {
      slotStart = slot.confirmedFlushLsn ?? 0n;
    }

    if (snapshot) {
      this.snapshotter = new Snapshotter(this.sql, s, this.types);
      await this.snapshotter.begin(exported);
      this.initialProgress = this.snapshotter.progress;
      this.snapshotClock.observe(this.initialProgress);
      this.phase = 'snapshot';
      log.info(
        {
          tables: this.snapshotter.progress.tablesTotal,
          lsn: formatLsn(this.snapshotter.lsn),
          exported: exported !== null,
        },
        'Snapshot started',
      );
    } else if (s.snapshotMode === 'initial_only') {
      this.phase = 'idle';
    } else {
      const resume = stored && !stored.snapshotIncomplete ? stored.resume : null;
      this.startPosition = resume ?? {
        lsnCommit: slotStart ?? 0n,
        lsn: slotStart ?? 0n,
        txId: null,
        txEventsEmitted: 0,
        tsUsec: 0n,
        messageType: null,
      };
      this.startStreaming();
    }
  }

  private startStreaming(): void {
    const pos = this.startPosition!;
    this.stream = this.replication!.startReplication(
      this.settings.slotName,
      pos.lsnCommit,
      this.settings.publicationName,
      this.serverVersion >= 140000,
      this.settings.maxQueueSize,
    );
    this.streamer = new ChangeStreamer(
      this.sql!,
      this.settings,
      this.types,
      this.context.logger,
      pos,
      this.incremental,
      this.streamingStats,
    );
    this.phase = 'streaming';
    this.streamingStats.connected = true;
    this.lastStatusAt = Date.now();
    this.context.logger.info({ slot: this.settings.slotName, from: formatLsn(pos.lsnCommit) }, 'Streaming started');
  }

  async poll(): Promise<SourceRecord[] | null> {
    this.snapshotClock.observe(this.snapshotProgress());
    switch (this.phase) {
      case 'snapshot':
        return this.pollSnapshot();
      case 'streaming':
        return this.pollStream();
      case 'idle':
        await sleep(this.settings.pollIntervalMs, this.context.signal);
        return null;
    }
  }

  /** The running snapshot's progress: an incremental one when it ran last, else the initial one. */
  snapshotProgress(): SnapshotProgress {
    const inc = this.incremental?.progress;
    return inc && inc.phase !== 'none' ? inc : this.initialProgress;
  }

  private async pollSnapshot(): Promise<SourceRecord[] | null> {
    const records = await this.snapshotter!.next(this.settings.maxBatchSize);
    if (records !== null) return records;
    const lsn = this.snapshotter!.lsn;
    this.context.logger.info(
      { rows: this.snapshotter!.progress.rowsScanned, tables: this.snapshotter!.progress.tablesDone },
      'Snapshot completed',
    );
    this.snapshotClock.observe(this.snapshotProgress());
    this.snapshotter = null;
    if (!this.streamAfterSnapshot) {
      this.phase = 'idle';
      return null;
    }
    this.startPosition = { lsnCommit: lsn, lsn, txId: null, txEventsEmitted: 0, tsUsec: 0n, messageType: null };
    this.startStreaming();
    return null;
  }

  private async pollStream(): Promise<SourceRecord[] | null> {
    if (!this.stream) {
      await this.reconnect(this.lastStreamError ?? new Error('replication stream closed'));
      if (!this.stream) return null;
    }
    const out: SourceRecord[] = [];
    const deadline = Date.now() + this.settings.pollIntervalMs;
    const signal = this.context.signal;
    let lingered = false;
    let streamFailure: Error | null = null;
    while (out.length < this.settings.maxBatchSize && !signal.aborted) {
      if (this.incremental?.needsChunk) await this.incremental.readChunk();
      let frame;
      try {
        frame = this.stream!.read();
      } catch (err) {
        streamFailure = err as Error;
        break;
      }
      if (frame === null) {
        const left = deadline - Date.now();
        if (left <= 0 || lingered) break;
        this.maybeSendStatus();
        // With records in hand, wait only briefly for more: bigger batches, bounded latency.
        if (out.length > 0) lingered = true;
        await this.stream!.waitReadable(
          out.length > 0 ? Math.min(left, BATCH_LINGER_MS) : Math.min(left, 1000),
          signal,
        );
        continue;
      }
      this.reconnectAttempts = 0;
      if (frame.type === 'keepalive' && frame.replyRequested) this.sendStatus();
      // Decoding and conversion errors are not connection problems: they fail the task.
      const pending = this.streamer!.handle(frame, out);
      if (pending) await pending;
    }
    if (streamFailure) {
      // Records decoded before the failure are returned; the new session resumes after them.
      this.lastStreamError = streamFailure;
      await this.reconnect(streamFailure);
    }
    this.maybeSendStatus();
    await this.maybeHeartbeat(out);
    if (out.length > 0) this.notePolled(out);
    return out.length > 0 ? out : null;
  }

  private notePolled(records: SourceRecord[]): void {
    const last = records[records.length - 1].sourceOffset;
    const lsnCommit = last.lsn_commit;
    if (typeof lsnCommit === 'number') this.polledResumeLsn = BigInt(lsnCommit);
  }

  private async maybeHeartbeat(out: SourceRecord[]): Promise<void> {
    const s = this.settings;
    if (s.heartbeatIntervalMs <= 0 || Date.now() - this.lastHeartbeatAt < s.heartbeatIntervalMs) return;
    this.lastHeartbeatAt = Date.now();
    if (s.heartbeatActionQuery) {
      try {
        await this.sql!.query(s.heartbeatActionQuery);
      } catch (err) {
        this.context.logger.warn({ err: (err as Error).message }, 'heartbeat.action.query failed');
      }
    }
    out.push(
      heartbeatRecord({
        topic: heartbeatTopic(s.topicPrefix, s.heartbeatTopicPrefix, s.topicDelimiter),
        serverName: s.topicPrefix,
        partition: sourcePartition(s.topicPrefix),
        offset: this.streamer!.currentOffset(),
      }),
    );
  }

  private maybeSendStatus(): void {
    if (Date.now() - this.lastStatusAt >= this.settings.statusUpdateIntervalMs) this.sendStatus();
  }

  /** Standby status update with the confirmed position (0 = "nothing confirmed yet", ignored by the server). */
  private sendStatus(): void {
    this.lastStatusAt = Date.now();
    this.stream?.sendStatus(this.confirmedLsn);
  }

  /** Called after the records polled so far are durable: let the slot release WAL up to them. */
  commit(): void {
    if (!this.settings.flushLsn || this.phase !== 'streaming') return;
    if (this.polledResumeLsn > this.confirmedLsn) {
      this.confirmedLsn = this.polledResumeLsn;
      this.sendStatus();
      this.context.logger.debug({ lsn: formatLsn(this.confirmedLsn) }, 'Confirmed flush position');
    }
  }

  private async reconnect(cause: Error): Promise<void> {
    const s = this.settings;
    if (this.context.signal.aborted) return;
    this.reconnectAttempts++;
    if (this.reconnectAttempts > s.slotMaxRetries)
      throw new ConnectException(
        `Replication stream failed after ${s.slotMaxRetries} reconnection attempts: ${cause.message}`,
        { cause },
      );
    const delay = Math.min(s.slotRetryDelayMs * 2 ** (this.reconnectAttempts - 1), 60_000);
    this.context.logger.warn(
      { err: cause.message, attempt: this.reconnectAttempts, delayMs: delay },
      'Replication stream failed; reconnecting',
    );
    await this.closeReplication();
    await sleep(delay, this.context.signal);
    if (this.context.signal.aborted) return;
    try {
      await this.sql?.end().catch(() => undefined);
      this.sql = await openSqlClient(s);
      this.replication = await ReplicationConnection.open(s);
      this.startPosition = this.streamer!.position;
      this.startStreaming();
    } catch (err) {
      this.context.logger.warn({ err: (err as Error).message }, 'Reconnection failed');
      this.lastStreamError = err as Error;
      await this.closeReplication();
    }
  }

  private async closeReplication(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    this.streamingStats.connected = false;
    if (stream) await stream.end(2000).catch(() => undefined);
    await this.replication?.close();
    this.replication = null;
  }

  /** slot.drop.on.stop: waits (bounded) for the walsender to release the slot, then drops it. */
  private async dropSlot(sql: pg.Client): Promise<void> {
    const name = this.settings.slotName;
    try {
      for (let i = 0; i < 50; i++) {
        const r = await sql.query<{ active: string }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [
          name,
        ]);
        if (r.rows.length === 0) return;
        if (r.rows[0].active !== 't') {
          await sql.query('SELECT pg_drop_replication_slot($1)', [name]);
          this.context.logger.info({ slot: name }, 'Dropped replication slot (slot.drop.on.stop)');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      this.context.logger.warn({ slot: name }, 'Replication slot still active: not dropped');
    } catch (err) {
      this.context.logger.warn({ err: (err as Error).message, slot: name }, 'Could not drop the replication slot');
    }
  }

  async stop(): Promise<void> {
    await this.snapshotter?.abort();
    await this.closeReplication();
    if (this.settings?.slotDropOnStop && this.sql) await this.dropSlot(this.sql);
    await this.sql?.end().catch(() => undefined);
    this.sql = null;
  }
}
