/**
 * Runs a SinkTask: transport poll → converters → transforms → put. Consumed offsets are committed
 * to the connector's group (`connect-<name>`) only after preCommit/flush says the records are
 * durable in the destination, every offset.flush.interval.ms (0: after every put), on request,
 * and on stop.
 */
import { ConnectException, RetriableException } from '../errors.ts';
import type { SinkRecord } from '../data/records.ts';
import type { Converter, HeaderConverter } from '../spi/converter.ts';
import type { WorkerContext } from '../spi/connector.ts';
import type { SinkTask, TopicPartition, TopicPartitionOffset } from '../spi/sink.ts';
import type { Logger } from '../logging.ts';
import type { LogRecord, RecordReceiver, Subscription } from '../transport/types.ts';
import type { TransformationChain } from './transformation-chain.ts';
import type { Stage, ToleranceOperator } from './error-handling.ts';
import type { DeadLetterQueueReporter } from './dead-letter-queue.ts';
import type { SinkTaskMetrics, TaskMetrics } from './task-metrics.ts';
import { WorkerTask, type TaskStateListener, sleep } from './worker-task.ts';
import { describeRecord, SinkRecordPreparer, type PreparedBatch } from './sink-record-preparer.ts';
import type { TaskId } from './task-state.ts';

export interface SinkTaskDeps {
  task: SinkTask;
  worker?: WorkerContext;
  taskConfig: Record<string, string>;
  chain: TransformationChain<SinkRecord>;
  keyConverter: Converter;
  valueConverter: Converter;
  headerConverter: HeaderConverter;
  receiver: RecordReceiver;
  tolerance: ToleranceOperator;
  /** Null unless errors.deadletterqueue.topic.name is set. */
  dlq: DeadLetterQueueReporter | null;
  offsetFlushIntervalMs: number;
  maxPollRecords: number;
  /** `topics` / `topics.regex` of the connector. */
  subscription: Subscription;
  endOffset: (tp: TopicPartition) => Promise<number>;
  metrics: { task: TaskMetrics; sink: SinkTaskMetrics };
  onTopicUsed: (topic: string) => void;
}

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

export class WorkerSinkTask extends WorkerTask {
  /** Next offset to consume per partition, as far as put() has been handed records. */
  private readonly current = new Map<string, TopicPartitionOffset>();
  private readonly lastCommitted = new Map<string, number>();
  private lastCommit = Date.now();
  private commitRequested = false;
  private backoffMs = 0;
  private assigned: TopicPartition[] = [];
  /** The raw records of the batch being put, for the errant record reporter. */
  private inFlight: LogRecord[] = [];
  private readonly preparer: SinkRecordPreparer;
  /** Partitions the task sought (SinkTaskContext.offset) while a put() ran, and where to. */
  private readonly seekedDuringPut = new Map<string, number>();
  /** The task sought, paused or resumed partitions while a put() ran. */
  private disturbedDuringPut = false;

  constructor(
    id: TaskId,
    logger: Logger,
    listener: TaskStateListener,
    private readonly deps: SinkTaskDeps,
  ) {
    super(id, logger, listener);
    this.preparer = new SinkRecordPreparer({ ...deps, deadLetter: (...a) => this.deadLetter(...a) });
  }

  protected async initializeAndStart(): Promise<void> {
    const { task, taskConfig, receiver } = this.deps;
    task.initialize({
      connectorName: this.id.connector,
      taskId: this.id.task,
      logger: this.logger,
      worker: this.deps.worker,
      signal: this.abort.signal,
      configs: () => ({ ...taskConfig }),
      assignment: () => receiver.assignment(),
      offset: (tp, offset) => {
        this.disturbedDuringPut = true;
        this.seekedDuringPut.set(tpKey(tp), offset);
        receiver.seek(tp, offset);
      },
      timeout: (ms) => {
        this.backoffMs = ms;
      },
      pause: (...tps) => {
        this.disturbedDuringPut = true;
        receiver.pause(tps);
      },
      resume: (...tps) => {
        this.disturbedDuringPut = true;
        receiver.resume(tps);
      },
      requestCommit: () => {
        this.commitRequested = true;
      },
      errantRecordReporter: () => ({ report: (record, error) => this.reportErrant(record, error) }),
    });
    await task.start({ ...taskConfig });
    await receiver.subscribe(this.deps.subscription, {
      revoked: (tps) => this.onRevoked(tps),
      assigned: (tps) => this.onAssigned(tps),
    });
  }

  private async onRevoked(revoked: TopicPartition[]): Promise<void> {
    await this.commitOffsets(true);
    await this.deps.task.close?.(revoked);
    const gone = new Set(revoked.map(tpKey));
    for (const tp of revoked) this.current.delete(tpKey(tp));
    this.assigned = this.assigned.filter((tp) => !gone.has(tpKey(tp)));
    this.deps.metrics.sink.partitions = this.assigned.length;
  }

  private async onAssigned(added: TopicPartition[]): Promise<void> {
    for (const tp of added) {
      this.lastCommitted.set(tpKey(tp), this.deps.receiver.position(tp));
      this.deps.onTopicUsed(tp.topic);
    }
    this.assigned = [...this.assigned, ...added];
    this.deps.metrics.sink.partitions = this.assigned.length;
    await this.deps.task.open?.(added);
  }

  protected async execute(): Promise<void> {
    const { receiver, maxPollRecords } = this.deps;
    let ready: PreparedBatch | null = null;
    while (!this.stopping) {
      if (this.isPaused) {
        await this.awaitUnpaused();
        continue;
      }
      if (ready === null) {
        const polled = await receiver.poll(maxPollRecords, 500, this.abort.signal);
        if (polled.length > 0) ready = await this.preparer.prepare(polled);
      }
      if (ready !== null) {
        const batch = ready;
        ready = null;
        // The next batch already fetched is converted while put() waits on the destination; it is
        // put next unless the task moved or paused partitions meanwhile (then it is fetched again).
        this.seekedDuringPut.clear();
        this.disturbedDuringPut = false;
        const putting = this.deliver(batch);
        const following = receiver.takeQueued ? this.prepareQueued(receiver.takeQueued.bind(receiver)) : null;
        try {
          await putting;
        } finally {
          const next = following && (await following);
          if (next && (this.disturbedDuringPut || this.stopping)) this.rewind(next.polled, this.seekedDuringPut);
          else ready = next;
        }
      }
      if (this.commitDue()) await this.commitOffsets(false);
    }
    await this.commitOffsets(true);
  }

  /** Takes and prepares the records already fetched, after put() has sent its first request. */
  private async prepareQueued(take: (max: number) => LogRecord[]): Promise<PreparedBatch | null> {
    await new Promise<void>((r) => setImmediate(r));
    if (this.stopping) return null;
    const polled = take(this.deps.maxPollRecords);
    return polled.length > 0 ? this.preparer.prepare(polled, PREPARE_YIELD_EVERY) : null;
  }

  /**
   * Puts records back in the receiver: each partition to its first offset in `polled`, or to where
   * the task sought it (`sought`; the records may have been taken after that seek).
   */
  private rewind(polled: LogRecord[], sought: Map<string, number> = new Map()): void {
    const firsts = new Map<string, LogRecord>();
    for (const r of polled) if (!firsts.has(tpKey(r))) firsts.set(tpKey(r), r);
    for (const [k, r] of firsts) this.deps.receiver.seek(r, sought.get(k) ?? r.offset);
  }

  private commitDue(): boolean {
    return this.commitRequested || Date.now() - this.lastCommit >= this.deps.offsetFlushIntervalMs;
  }

  private async deliver({ polled, records }: PreparedBatch): Promise<void> {
    const { task, metrics, receiver } = this.deps;
    metrics.sink.read.record(polled.length);
    this.inFlight = polled;
    metrics.sink.active = records.length;
    metrics.sink.activeMax = Math.max(metrics.sink.activeMax, records.length);
    metrics.sink.activeCount.record(records.length);
    metrics.task.batchSize.record(records.length);
    for (;;) {
      const t0 = Date.now();
      try {
        await task.put(records);
        metrics.sink.putTime.record(Date.now() - t0);
        break;
      } catch (err) {
        if (!(err instanceof RetriableException) || this.stopping) throw err;
        // Kafka Connect: pause everything, redeliver the same batch after context.timeout().
        this.logger.warn({ err: err.message }, 'RetriableException from SinkTask.put(); redelivering the batch');
        await sleep(this.backoffMs || 1000, this.abort.signal);
        if (this.stopping) {
          // Not delivered: rewind so the next owner gets these records.
          this.rewind(polled);
          return;
        }
      }
    }
    metrics.sink.sent.record(records.length);
    metrics.sink.active = 0;
    // The last record of each run of one partition sets its next offset.
    for (let i = 0; i < polled.length; i++) {
      const raw = polled[i];
      const next = polled[i + 1];
      if (next && next.partition === raw.partition && next.topic === raw.topic) continue;
      this.current.set(tpKey(raw), { topic: raw.topic, partition: raw.partition, offset: raw.offset + 1 });
    }
    let lag = 0;
    for (const c of this.current.values()) {
      // The fetch's high watermark when the receiver has one (no round trip per batch).
      const end = receiver.endOffsetHint?.(c) ?? (await this.deps.endOffset(c));
      lag = Math.max(lag, end - c.offset);
    }
    metrics.sink.lagMax = lag;
  }

  private async deadLetter(raw: LogRecord, stage: Stage, className: string, error: Error): Promise<void> {
    if (this.deps.dlq) await this.deps.dlq.report(raw, stage, className, error);
  }

  /** SinkTaskContext.errantRecordReporter(): a record put() could not write. */
  private async reportErrant(record: SinkRecord, error: Error): Promise<void> {
    const raw = this.inFlight.find(
      (r) =>
        r.offset === record.originalKafkaOffset &&
        r.partition === record.originalKafkaPartition &&
        r.topic === record.originalTopic,
    );
    const className = this.deps.task.constructor?.name ?? 'SinkTask';
    const r = await this.deps.tolerance.execute(
      'TASK_PUT',
      className,
      () => {
        throw error;
      },
      () =>
        describeRecord(
          raw ??
            ({
              topic: record.topic,
              partition: record.kafkaPartition ?? -1,
              offset: record.kafkaOffset,
              timestamp: record.timestamp ?? 0,
            } as LogRecord),
        ),
    );
    if (r.ok) return;
    if (raw) await this.deadLetter(raw, 'TASK_PUT', className, error);
    else
      throw new ConnectException(
        `Errant record reporter: record ${record.topic}-${record.kafkaPartition}@${record.kafkaOffset} is not part of the batch being put`,
      );
  }

  private async commitOffsets(closing: boolean): Promise<void> {
    this.commitRequested = false;
    this.lastCommit = Date.now();
    const offsets = [...this.current.values()].filter((o) => this.lastCommitted.get(tpKey(o)) !== o.offset);
    if (offsets.length === 0) {
      this.deps.metrics.sink.commitSkips.record(1);
      return;
    }
    const t0 = Date.now();
    const { task, receiver, metrics } = this.deps;
    let toCommit: TopicPartitionOffset[];
    try {
      if (task.preCommit) toCommit = await task.preCommit(offsets.map((o) => ({ ...o })));
      else {
        await task.flush?.(offsets.map((o) => ({ ...o })));
        toCommit = offsets;
      }
    } catch (err) {
      metrics.task.commitFailure++;
      this.logger.error(
        { err: (err as Error).message },
        'Commit of offsets threw an unexpected exception; rewinding to the last committed offsets',
      );
      for (const o of offsets) receiver.seek(o, this.lastCommitted.get(tpKey(o)) ?? o.offset);
      for (const o of offsets) this.current.delete(tpKey(o));
      if (closing) return;
      return;
    }
    const valid = toCommit.filter((o) => {
      const cur = this.current.get(tpKey(o));
      return cur !== undefined && o.offset <= cur.offset;
    });
    if (valid.length === 0) {
      metrics.sink.commitSkips.record(1);
      return;
    }
    const describe = () => valid.map((o) => `${o.topic}-${o.partition}=${o.offset}`).join(', ');
    // As Kafka Connect's WorkerSinkTask (DEBUG): which offsets, under which sequence number.
    this.logger.debug(
      `WorkerSinkTask{id=${this.id.connector}-${this.id.task}} Committing offsets using sequence number ${metrics.sink.commitSeq + 1}: {${describe()}}`,
    );
    try {
      await receiver.commit(valid);
    } catch (err) {
      // E.g. refused during a consumer-group rebalance: nothing is lost, the records since the
      // last successful commit are delivered again (at-least-once); the next commit retries.
      metrics.task.commitFailure++;
      this.logger.warn({ err: (err as Error).message }, 'Offset commit failed; will retry at the next commit');
      return;
    }
    for (const o of valid) this.lastCommitted.set(tpKey(o), o.offset);
    this.logger.debug(
      `WorkerSinkTask{id=${this.id.connector}-${this.id.task}} Finished offset commit successfully in ${Date.now() - t0} ms for sequence number ${metrics.sink.commitSeq + 1}: {${describe()}}`,
    );
    metrics.task.commitSuccess++;
    metrics.task.commitTime.record(Date.now() - t0);
    metrics.sink.commits.record(1);
    metrics.sink.commitSeq++;
  }

  protected async close(): Promise<void> {
    try {
      if (this.assigned.length > 0) await this.deps.task.close?.(this.assigned);
      await this.deps.task.stop();
    } finally {
      this.deps.chain.close();
      await this.deps.receiver.close();
      await this.deps.dlq?.close();
    }
  }
}

/** Records prepared per event-loop turn while a put() is in flight. */
const PREPARE_YIELD_EVERY = 64;
