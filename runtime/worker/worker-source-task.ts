/**
 * Runs a SourceTask: poll → transforms → converters → transport. Offsets become committable only
 * once the records they cover are durable. On the embedded log, records and offsets commit in one
 * transaction; on transports without atomic writes, offsets are flushed every
 * offset.flush.interval.ms for records already acknowledged (Kafka Connect's at-least-once).
 */
import type { SourceRecord } from '../data/records.ts';
import type { Converter, HeaderConverter } from '../spi/converter.ts';
import type { WorkerContext } from '../spi/connector.ts';
import type { SnapshotStatus, SourceTask } from '../spi/source.ts';
import type { TaskMetricsContext } from '../spi/metrics.ts';
import type { Logger } from '../logging.ts';
import type { DeliveredRecord, RecordSender, OutgoingRecord, StoreWrite } from '../transport/types.ts';
import type { TransformationChain } from './transformation-chain.ts';
import type { ToleranceOperator } from './error-handling.ts';
import type { SourceTaskMetrics, TaskMetrics } from './task-metrics.ts';
import type { SourceOffsetStore } from './offset-store.ts';
import { SourceOffsetTracker, type TrackedOffsets } from './source-offset-tracker.ts';
import { SubmittedBatches } from './submitted-batches.ts';
import { SourceRecordProcessor, describeSourceRecord, type OutputMark } from './source-record-processor.ts';
import { WorkerTask, type TaskStateListener, sleep } from './worker-task.ts';
import type { TaskId } from './task-state.ts';
import type { RecordMetadata } from '../spi/source.ts';
import { ConnectException } from '../errors.ts';
import { sendTolerating, type TolerantSendContext } from './tolerant-send.ts';
import { isRetriable } from './retriable.ts';
import {
  WorkerTransactionContext,
  transactionBoundaryManager,
  type TransactionBoundary,
  type TransactionBoundaryManager,
} from './transaction-boundary.ts';

export interface SourceTaskDeps {
  task: SourceTask;
  worker?: WorkerContext;
  taskConfig: Record<string, string>;
  chain: TransformationChain<SourceRecord>;
  keyConverter: Converter;
  valueConverter: Converter;
  headerConverter: HeaderConverter;
  sender: RecordSender;
  offsets: SourceOffsetStore;
  tolerance: ToleranceOperator;
  offsetFlushIntervalMs: number;
  metrics: { task: TaskMetrics; source: SourceTaskMetrics };
  onTopicUsed: (topic: string) => void;
  /** Where the task's own MBeans go (Debezium's snapshot/streaming beans). */
  connectorMetrics?: TaskMetricsContext;
  /** Exactly-once workers: where transactions end (transaction.boundary; interval defaults to offset.flush.interval.ms). */
  transactionBoundary?: { boundary: TransactionBoundary; intervalMs: number };
}

/** A batch handed to a non-pipelining sender and not yet settled (durable or failed). */
interface InFlightSend {
  attempt: Promise<DeliveredRecord[]>;
  outgoing: OutgoingRecord[];
  sent: SourceRecord[];
  filtered: SourceRecord[];
  writes: StoreWrite[] | undefined;
  outputMark: OutputMark | null;
}

/** A poll batch transformed and converted, not yet handed to the sender. */
interface ConvertedBatch {
  pipelined: boolean;
  outgoing: OutgoingRecord[];
  /** The records behind `outgoing` and the ones transforms dropped: empty when nothing needs them back. */
  sent: SourceRecord[];
  filtered: SourceRecord[];
  offsets: TrackedOffsets;
  /** The converters' output generation of this batch, released once its send has settled (non-pipelined sends). */
  outputMark: OutputMark | null;
}

/** Records sent in the open transaction, handed to commitRecord once it ends. */
interface TransactionRecords {
  records: SourceRecord[];
  metadata: Array<RecordMetadata | null>;
}

export class WorkerSourceTask extends WorkerTask {
  /** The task's snapshot progress for the connector status, when it reports one. */
  snapshotStatus(): SnapshotStatus | null {
    const p = this.deps.task.snapshotProgress?.() ?? null;
    if (!p || p.phase === 'none') return null;
    return {
      phase: p.phase,
      tablesTotal: p.tablesTotal,
      tablesDone: p.tablesDone,
      rowsScanned: p.rowsScanned,
      rowsEstimated: p.rowsEstimated,
      currentTable: p.currentTable,
    };
  }

  private readonly sourceOffsets: SourceOffsetTracker;
  /** Pipelining senders: poll batches submitted and not yet acknowledged. */
  private readonly submitted: SubmittedBatches;
  private readonly processor: SourceRecordProcessor;
  private lastFlush = Date.now();
  private uncommittedSinceFlush = false;
  /**
   * The last batch sent and not yet settled: the next batch is polled and converted while it
   * commits (the embedded log's writer thread, a Kafka transaction). At most one at a time, settled
   * before the next is sent and before offsets are flushed or the task is told to commit.
   */
  private inFlight: InFlightSend | null = null;

  /** Set for transaction.boundary interval / connector: transactions outlive a poll batch or end inside one. */
  private readonly spanning: {
    manager: TransactionBoundaryManager;
    context: WorkerTransactionContext | null;
    boundary: TransactionBoundary;
    inOpen: TransactionRecords;
  } | null = null;

  constructor(
    id: TaskId,
    logger: Logger,
    listener: TaskStateListener,
    private readonly deps: SourceTaskDeps,
  ) {
    super(id, logger, listener);
    this.sourceOffsets = new SourceOffsetTracker(id.connector);
    this.submitted = new SubmittedBatches(deps.task, this.sourceOffsets);
    this.processor = new SourceRecordProcessor(
      deps.chain,
      deps.keyConverter,
      deps.valueConverter,
      deps.headerConverter,
      deps.tolerance,
    );
    const tb = deps.transactionBoundary;
    if (tb && tb.boundary !== 'poll') {
      if (!deps.sender.transactions)
        throw new ConnectException(
          `transaction.boundary=${tb.boundary} needs a transactional producer (exactly.once.source.support=enabled on the worker)`,
        );
      const context = tb.boundary === 'connector' ? new WorkerTransactionContext() : null;
      this.spanning = {
        manager: transactionBoundaryManager(tb.boundary, tb.intervalMs, context),
        context,
        boundary: tb.boundary,
        inOpen: { records: [], metadata: [] },
      };
    }
  }

  protected async initializeAndStart(): Promise<void> {
    const { task, taskConfig, offsets, sender } = this.deps;
    // Exactly-once: initialising the transactional producer fences older instances of this task and
    // completes their pending transaction, so the offsets read next include everything they committed.
    if (sender.init) {
      await sender.init();
      await offsets.sync();
    }
    task.initialize({
      connectorName: this.id.connector,
      taskId: this.id.task,
      logger: this.logger,
      worker: this.deps.worker,
      offsetStorageReader: offsets.reader(this.id.connector),
      signal: this.abort.signal,
      configs: () => ({ ...taskConfig }),
      transactionContext: this.spanning?.context ?? null,
      metrics: this.deps.connectorMetrics,
    });
    await task.start({ ...taskConfig });
  }

  protected async execute(): Promise<void> {
    if (this.spanning) return this.executeSpanning();
    const { metrics } = this.deps;
    while (!this.stopping) {
      if (this.isPaused) {
        await this.submitted.awaitAcknowledged();
        await this.maybeFlushOffsets(true);
        await this.awaitUnpaused();
        continue;
      }
      const t0 = Date.now();
      let batch = await this.poll();
      if (this.stopping && (!batch || batch.length === 0)) break;
      if (!batch || batch.length === 0) {
        await this.settleInFlight();
        await this.submitted.completeAcknowledged();
        await this.maybeFlushOffsets(false);
        await sleep(5, this.abort.signal);
        continue;
      }
      metrics.source.pollTime.record(Date.now() - t0);
      metrics.source.polled.record(batch.length);
      metrics.task.batchSize.record(batch.length);
      const converted = await this.convertBatch(batch);
      // Nothing here refers to the polled records while the sender waits (for room in buffer.memory,
      // for the log write before): unless still wanted, they die young instead of being promoted.
      batch = null;
      await this.sendConverted(converted);
      await this.submitted.completeAcknowledged();
      await this.maybeFlushOffsets(false);
    }
    await this.submitted.awaitAcknowledged();
    await this.maybeFlushOffsets(true);
  }

  /**
   * The poll loop with transactions that span batches or end inside one. Offsets go only into
   * transactions (never written on their own): a transaction commits its records with the offsets
   * of every record handed over before its end.
   */
  private async executeSpanning(): Promise<void> {
    const { metrics } = this.deps;
    const { manager, boundary } = this.spanning!;
    manager.ended(Date.now());
    while (!this.stopping) {
      if (this.isPaused) {
        // A paused interval task would otherwise hold its transaction open until it times out.
        if (boundary === 'interval') await this.endTransaction('commit');
        await this.awaitUnpaused();
        continue;
      }
      const t0 = Date.now();
      const batch = await this.poll();
      if (this.stopping && (!batch || batch.length === 0)) break;
      if (!batch || batch.length === 0) {
        const decision = manager.afterBatch(Date.now());
        if (decision !== 'continue') await this.endTransaction(decision);
        await sleep(5, this.abort.signal);
        continue;
      }
      metrics.source.pollTime.record(Date.now() - t0);
      metrics.source.polled.record(batch.length);
      metrics.task.batchSize.record(batch.length);
      await this.sendInTransactions(batch);
    }
    const last = manager.final();
    if (last === 'discard') await this.discardTransaction();
    else await this.endTransaction(last);
  }

  /**
   * SourceTask.poll(), as Kafka Connect's AbstractWorkerSourceTask calls it: a RetriableException
   * (e.g. the source database is gone for a while) is logged and the poll is tried again (after a
   * backoff of 300 ms doubling up to 10 s, reset by a successful poll) instead of failing the task.
   */
  private async poll(): Promise<SourceRecord[] | null> {
    try {
      const batch = await this.deps.task.poll();
      this.pollBackoffMs = 0;
      return batch;
    } catch (err) {
      if (!isRetriable(err) || this.stopping) throw err;
      this.pollBackoffMs = Math.min(this.pollBackoffMs === 0 ? 300 : this.pollBackoffMs * 2, 10_000);
      this.logger.warn(
        { err: (err as Error).message, retryInMs: this.pollBackoffMs },
        `${this.id.connector}-${this.id.task} failed to poll records from SourceTask. Will retry operation.`,
      );
      await sleep(this.pollBackoffMs, this.abort.signal);
      return null;
    }
  }

  private pollBackoffMs = 0;

  private async sendInTransactions(batch: SourceRecord[]): Promise<void> {
    const { chain, tolerance, metrics } = this.deps;
    const { manager } = this.spanning!;
    metrics.source.active = batch.length;
    metrics.source.activeMax = Math.max(metrics.source.activeMax, batch.length);
    metrics.source.activeCount.record(batch.length);
    let segment: SourceRecord[] = [];
    let outgoing: Array<OutgoingRecord | null> = [];
    for (const record of batch) {
      this.sourceOffsets.track(record);
      const t = await tolerance.execute(
        'TRANSFORMATION',
        'transforms',
        () => chain.apply(record),
        () => describeSourceRecord(record),
      );
      segment.push(record);
      outgoing.push(!t.ok || t.value === null ? null : await this.processor.convert(t.value));
      const decision = manager.afterRecord(record);
      if (decision !== 'continue') {
        await this.sendSegment(segment, outgoing);
        await this.endTransaction(decision);
        segment = [];
        outgoing = [];
      }
    }
    await this.sendSegment(segment, outgoing);
    metrics.source.active = 0;
    const decision = manager.afterBatch(Date.now());
    if (decision !== 'continue') await this.endTransaction(decision);
  }

  /** Sends records into the open transaction; null entries were dropped by a transform or tolerated errors. */
  private async sendSegment(records: SourceRecord[], outgoing: Array<OutgoingRecord | null>): Promise<void> {
    const { sender, metrics } = this.deps;
    const toSend = outgoing.filter((o): o is OutgoingRecord => o !== null);
    const delivered = await sender.transactions!.send(toSend);
    metrics.source.written.record(toSend.length);
    this.noteTopics(toSend);
    const inOpen = this.spanning!.inOpen;
    let j = 0;
    for (let i = 0; i < records.length; i++) {
      inOpen.records.push(records[i]);
      inOpen.metadata.push(outgoing[i] === null ? null : delivered[j++]);
    }
  }

  /**
   * Ends the open transaction. An abort drops its records; either way the offsets of everything
   * handed over so far then commit (in a transaction of their own after an abort), as Kafka
   * Connect does, so the task is not given the aborted data again.
   */
  private async endTransaction(decision: 'commit' | 'abort'): Promise<void> {
    const { sender, metrics, task } = this.deps;
    const { inOpen, manager } = this.spanning!;
    const t0 = Date.now();
    try {
      if (decision === 'abort') {
        this.logger.info({ records: inOpen.records.length }, 'Aborting transaction as requested by the connector');
        await sender.transactions!.abort();
        inOpen.metadata.fill(null);
      }
      const writes = this.sourceOffsets.drainWrites();
      const hadWork = sender.transactions!.open || writes.length > 0;
      await sender.transactions!.commit(writes);
      manager.ended(Date.now());
      if (!hadWork && inOpen.records.length === 0) return;
      metrics.task.commitSuccess++;
      metrics.task.commitTime.record(Date.now() - t0);
    } catch (err) {
      metrics.task.commitFailure++;
      this.logger.error({ err: (err as Error).message }, 'Failed to commit the producer transaction');
      throw err;
    }
    const { records, metadata } = inOpen;
    this.spanning!.inOpen = { records: [], metadata: [] };
    if (task.commitRecord) for (let i = 0; i < records.length; i++) await task.commitRecord(records[i], metadata[i]);
    await task.commit?.();
  }

  /** Stopping with a connector-defined transaction the task never ended: its records and offsets are dropped. */
  private async discardTransaction(): Promise<void> {
    this.sourceOffsets.pending.clear();
    this.spanning!.inOpen = { records: [], metadata: [] };
    await this.deps.sender.transactions!.abort();
  }

  /**
   * Transforms and converts a poll batch, and tracks its offsets. The records themselves are kept
   * only for a task that wants them back (commitRecord) or for errors.tolerance=all (a record too
   * large for Kafka goes to the dead letter queue); else only their converted bytes wait for the
   * sender.
   */
  private async convertBatch(batch: SourceRecord[]): Promise<ConvertedBatch> {
    const { sender, metrics, task, tolerance } = this.deps;
    const outgoing: OutgoingRecord[] = [];
    const sent: SourceRecord[] = [];
    const filtered: SourceRecord[] = [];
    metrics.source.active = batch.length;
    metrics.source.activeMax = Math.max(metrics.source.activeMax, batch.length);
    metrics.source.activeCount.record(batch.length);
    const pipelined = sender.submit !== undefined && !sender.atomicStoreWrites;
    const keep = task.commitRecord !== undefined || tolerance.tolerant;
    const offsets: TrackedOffsets = pipelined ? new Map() : this.sourceOffsets.pending;
    for (const record of batch) {
      this.sourceOffsets.track(record, offsets);
      const fast = this.processor.processSync(record);
      const out = fast !== undefined ? fast : await this.processor.process(record);
      if (out === null) {
        if (keep) filtered.push(record);
        continue;
      }
      outgoing.push(out);
      if (keep) sent.push(record);
    }
    // Non-pipelined sends (the embedded log) keep the records until the write commits, and may send
    // them again: their converter memory is released in settleInFlight, generation by generation.
    const outputMark = pipelined ? null : this.processor.markOutput();
    return { pipelined, outgoing, sent, filtered, offsets, outputMark };
  }

  private async sendConverted(batch: ConvertedBatch): Promise<void> {
    const { sender, metrics } = this.deps;
    const { outgoing, sent, filtered } = batch;
    if (batch.pipelined) {
      const metadata = this.deps.task.commitRecord !== undefined;
      const submitted = await sendTolerating(this.tolerantSend(), outgoing, sent, filtered, (records) =>
        sender.submit!(records, { metadata }),
      );
      this.submitted.add(submitted.acked, sent, filtered, batch.offsets);
      // The producer copied the records into its batches: the converters' buffers are free again.
      this.processor.recycleOutput();
      metrics.source.written.record(outgoing.length);
      metrics.source.active = 0;
      this.noteTopics(outgoing);
      return;
    }
    // The previous batch first: sends are queued one at a time, in poll order.
    await this.settleInFlight();
    const writes = sender.atomicStoreWrites ? this.sourceOffsets.drainWrites() : undefined;
    const attempt = sender.send(outgoing, writes);
    attempt.catch(() => undefined); // awaited (and retried) in settleInFlight
    this.inFlight = { attempt, outgoing, sent, filtered, writes, outputMark: batch.outputMark };
    metrics.source.active = 0;
  }

  /** Tells the worker each topic a batch wrote to, once, in order of first use (no per-record set for the usual one topic). */
  private noteTopics(records: OutgoingRecord[]): void {
    let first: string | null = null;
    let others: Set<string> | null = null;
    for (const r of records) {
      if (r.topic === first) continue;
      if (first === null) first = r.topic;
      else (others ??= new Set()).add(r.topic);
    }
    if (first !== null) this.deps.onTopicUsed(first);
    if (others) for (const t of others) this.deps.onTopicUsed(t);
  }

  /** Waits for the batch in flight (retried as sendTolerating does), then commits its records to the task. */
  private async settleInFlight(): Promise<void> {
    const f = this.inFlight;
    if (!f) return;
    this.inFlight = null;
    const { sender, metrics, task } = this.deps;
    const delivered = await sendTolerating(
      this.tolerantSend(),
      f.outgoing,
      f.sent,
      f.filtered,
      (records) => sender.send(records, f.writes),
      f.attempt,
    );
    // Written and committed: nothing sends these records' bytes again.
    if (f.outputMark) this.processor.releaseOutput(f.outputMark);
    if (f.writes) this.uncommittedSinceFlush = true;
    metrics.source.written.record(f.outgoing.length);
    this.noteTopics(f.outgoing);
    if (task.commitRecord) {
      for (let i = 0; i < f.sent.length; i++) await task.commitRecord(f.sent[i], delivered[i]);
      for (const r of f.filtered) await task.commitRecord(r, null);
    }
  }

  private tolerantSend(): TolerantSendContext {
    return { sender: this.deps.sender, tolerance: this.deps.tolerance, logger: this.logger, signal: this.abort.signal };
  }

  /** Non-atomic transports: write acknowledged offsets every interval; then let the task commit upstream. */
  private async maybeFlushOffsets(force: boolean): Promise<void> {
    const due = force || Date.now() - this.lastFlush >= this.deps.offsetFlushIntervalMs;
    if (!due) return;
    // Everything polled so far must be durable before its offsets are written or the task commits upstream.
    await this.settleInFlight();
    const hasPending = this.sourceOffsets.pending.size > 0 || this.uncommittedSinceFlush;
    this.lastFlush = Date.now();
    if (!hasPending) return;
    const t0 = Date.now();
    try {
      const writes = this.sourceOffsets.drainWrites();
      // As Kafka Connect's WorkerSourceTask, at DEBUG (on the embedded log the offsets were written with their records).
      const tag = `WorkerSourceTask{id=${this.id.connector}-${this.id.task}}`;
      if (writes.length > 0) this.logger.debug(`${tag} Committing offsets for ${writes.length} source partition(s)`);
      if (writes.length > 0) await this.deps.offsets.write(writes);
      this.uncommittedSinceFlush = false;
      this.deps.metrics.task.commitSuccess++;
      this.deps.metrics.task.commitTime.record(Date.now() - t0);
      await this.deps.task.commit?.();
      this.logger.debug(`${tag} Finished commitOffsets successfully in ${Date.now() - t0} ms`);
    } catch (err) {
      this.deps.metrics.task.commitFailure++;
      this.logger.error({ err: (err as Error).message }, 'Failed to commit source offsets');
      throw err;
    }
  }

  protected async close(): Promise<void> {
    try {
      await this.deps.task.stop();
    } finally {
      this.deps.chain.close();
    }
  }
}
