/**
 * SinkTaskHarness: runs one sink task in-process as the worker does — records are written to a
 * topic of the embedded log, consumed from the committed position, converted with the
 * JsonConverter and handed to put(); a RetriableException redelivers the same batch after the
 * task's backoff (virtual time); flush/preCommit precede each offset commit; an errant-record
 * reporter writes to a dead letter queue topic. `rebalance` and `restart` move partitions and
 * simulate crashes (uncommitted records are delivered again).
 */
import { silentLogger, type Logger } from '../../runtime/logging.ts';
import type { WorkerContext } from '../../runtime/spi/connector.ts';
import { ConnectException } from '../../runtime/errors.ts';
import { SinkRecord } from '../../runtime/data/records.ts';
import type {
  ErrantRecordReporter,
  SinkTask,
  SinkTaskContext,
  TopicPartition,
  TopicPartitionOffset,
} from '../../runtime/spi/sink.ts';
import type { EmbeddedLog } from '../../runtime/log/embedded-log.ts';
import { isRetriable } from '../errors.ts';
import { ManualClock } from './manual-clock.ts';
import { openTempLog, type TempLog } from './embedded.ts';
import { jsonConverter, type JsonRecord } from './json-records.ts';

/** How SinkTaskHarness.start() runs the task. */
export interface SinkHarnessOptions {
  /** Makes a new task instance (called again on every restart). */
  task: () => SinkTask;
  /** The task config; `topics` (comma-separated) names the topics consumed unless `topics` is given. */
  config: Record<string, string>;
  topics?: string[];
  /** Partitions per topic (default 1). */
  partitions?: number;
  clock?: ManualClock;
  connectorName?: string;
  logger?: Logger;
  /** Worker settings the task may read (e.g. `fileAllowedPaths` for file-based connectors); default none. */
  worker?: WorkerContext;
  /** JsonConverter schemas.enable for keys and values (default false: plain JSON). */
  schemas?: boolean;
  /** A dead letter queue topic: errantRecordReporter() is non-null and writes there (default: none). */
  deadLetterQueue?: string;
  /** Redeliveries of one batch after RetriableExceptions before the task counts as failed (default 10). */
  maxRetries?: number;
  /** Records per put() call at most (default 500). */
  maxPollRecords?: number;
}

/** A record sent to the dead letter queue, with the error the task gave. */
export interface DeadLetter {
  record: SinkRecord;
  error: Error;
}

/** Runs one sink task in-process against the embedded log, as the worker does, with a manual clock (see the file comment). */
export class SinkTaskHarness {
  readonly clock: ManualClock;
  readonly deadLetters: DeadLetter[] = [];
  /** Batches redelivered after a RetriableException. */
  redeliveries = 0;
  private task!: SinkTask;
  private abort = new AbortController();
  private assigned: TopicPartition[] = [];
  private readonly position = new Map<string, number>();
  private timeoutMs = 0;
  private readonly group: string;

  private constructor(
    private readonly opts: SinkHarnessOptions,
    private readonly temp: TempLog,
  ) {
    this.clock = opts.clock ?? new ManualClock();
    this.group = `connect-${opts.connectorName ?? 'test-connector'}`;
  }

  /** Opens an embedded log, creates the topics, starts the task and assigns every partition. */
  static async start(opts: SinkHarnessOptions): Promise<SinkTaskHarness> {
    const topics =
      opts.topics ??
      (opts.config.topics ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
    if (topics.length === 0)
      throw new ConnectException('SinkTaskHarness needs the topics to consume: set config.topics or the topics option');
    const temp = await openTempLog();
    const h = new SinkTaskHarness(opts, temp);
    try {
      for (const topic of topics) await h.log.createTopic({ name: topic, partitions: opts.partitions ?? 1 });
      await h.startTask(
        topics.flatMap((topic) =>
          Array.from({ length: opts.partitions ?? 1 }, (_, partition) => ({ topic, partition })),
        ),
      );
    } catch (err) {
      await temp.close();
      throw err;
    }
    return h;
  }

  /** The embedded log the records are read from. */
  get log(): EmbeddedLog {
    return this.temp.log;
  }

  /** The partitions the task has now. */
  get assignment(): TopicPartition[] {
    return [...this.assigned];
  }

  private async startTask(assignment: TopicPartition[]): Promise<void> {
    this.abort = new AbortController();
    this.task = this.opts.task();
    const reporter: ErrantRecordReporter | null = this.opts.deadLetterQueue
      ? { report: (record, error) => this.report(record, error) }
      : null;
    const context: SinkTaskContext & { clock: ManualClock } = {
      connectorName: this.opts.connectorName ?? 'test-connector',
      taskId: 0,
      logger: this.opts.logger ?? silentLogger,
      signal: this.abort.signal,
      worker: this.opts.worker,
      configs: () => ({ ...this.opts.config }),
      assignment: () => this.assignment,
      offset: (tp, offset) => this.position.set(key(tp), offset),
      timeout: (ms) => {
        this.timeoutMs = ms;
      },
      pause: () => undefined,
      resume: () => undefined,
      requestCommit: () => undefined,
      errantRecordReporter: () => reporter,
      clock: this.clock,
    };
    this.task.initialize(context);
    await this.clock.run(Promise.resolve(this.task.start({ ...this.opts.config })));
    await this.assign(assignment);
  }

  private async assign(partitions: TopicPartition[]): Promise<void> {
    const committed = new Map(this.log.committedOffsets(this.group).map((o) => [key(o), o.offset]));
    for (const tp of partitions) this.position.set(key(tp), committed.get(key(tp)) ?? this.log.startOffset(tp));
    this.assigned = partitions;
    if (partitions.length) await this.clock.run(Promise.resolve(this.task.open?.(partitions)));
  }

  private async report(record: SinkRecord, error: Error): Promise<void> {
    this.deadLetters.push({ record, error });
    const raw = (record as SinkRecord & { raw?: { key: Buffer | null; value: Buffer | null } }).raw;
    await this.log.append([
      {
        topic: this.opts.deadLetterQueue!,
        partition: 0,
        records: [
          {
            key: raw?.key ?? null,
            value: raw?.value ?? null,
            headers: [
              { key: '__connect.errors.topic', value: Buffer.from(record.originalTopic) },
              { key: '__connect.errors.partition', value: Buffer.from(String(record.originalKafkaPartition)) },
              { key: '__connect.errors.offset', value: Buffer.from(String(record.originalKafkaOffset)) },
              { key: '__connect.errors.exception.class.name', value: Buffer.from(error.name) },
              { key: '__connect.errors.exception.message', value: Buffer.from(error.message) },
            ],
          },
        ],
      },
    ]);
  }

  /** Writes records (JSON keys and values; with `schemas`, `{schema, payload}` envelopes) to a topic of the log. */
  async send(topic: string, records: JsonRecord[]): Promise<void> {
    const bytes = (v: unknown) => (v === undefined || v === null ? null : Buffer.from(JSON.stringify(v)));
    const byPartition = new Map<number, JsonRecord[]>();
    for (const r of records) byPartition.set(r.partition ?? 0, [...(byPartition.get(r.partition ?? 0) ?? []), r]);
    await this.log.append(
      [...byPartition].map(([partition, rs]) => ({
        topic,
        partition,
        records: rs.map((r) => ({
          key: bytes(r.key),
          value: bytes(r.value),
          timestamp: r.timestamp ?? this.clock.now(),
          headers: Object.entries(r.headers ?? {}).map(([k, v]) => ({ key: k, value: Buffer.from(v) })),
        })),
      })),
    );
  }

  /**
   * Delivers every record not yet delivered to put(), in batches of maxPollRecords; after a
   * RetriableException the same batch is redelivered once the task's context.timeout() (virtual
   * time) has passed. Returns how many records were delivered.
   */
  async deliver(): Promise<number> {
    let delivered = 0;
    for (const tp of this.assigned) {
      for (;;) {
        const from = this.position.get(key(tp))!;
        const raw = this.log.read(tp, from, { maxRecords: this.opts.maxPollRecords ?? 500 });
        if (raw.length === 0) break;
        const batch = await Promise.all(
          raw.map(async (r) => {
            const converter = jsonConverter(this.opts.schemas ?? false);
            const k = await converter.toConnectData(r.topic, r.key);
            const v = await converter.toConnectData(r.topic, r.value);
            const record = new SinkRecord({
              topic: r.topic,
              kafkaPartition: r.partition,
              kafkaOffset: r.offset,
              keySchema: k.schema,
              key: k.value,
              valueSchema: v.schema,
              value: v.value,
              timestamp: r.timestamp,
            });
            Object.defineProperty(record, 'raw', { value: { key: r.key, value: r.value }, enumerable: false });
            return record;
          }),
        );
        await this.put(batch);
        delivered += batch.length;
        if (this.position.get(key(tp)) === from) this.position.set(key(tp), raw[raw.length - 1].offset + 1);
      }
    }
    return delivered;
  }

  private async put(batch: SinkRecord[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      this.timeoutMs = 0;
      try {
        await this.clock.run(this.task.put(batch));
        return;
      } catch (err) {
        if (!isRetriable(err)) throw err;
        if (attempt >= (this.opts.maxRetries ?? 10))
          throw new ConnectException(
            `put() kept failing with retriable errors after ${attempt} redeliveries: ${(err as Error).message}`,
            { cause: err },
          );
        this.redeliveries++;
        this.clock.advance(this.timeoutMs);
      }
    }
  }

  /** flush/preCommit, then commits the offsets the task returned (as the worker's offset commit). */
  async commit(): Promise<void> {
    const current: TopicPartitionOffset[] = this.assigned.map((tp) => ({ ...tp, offset: this.position.get(key(tp))! }));
    let safe: TopicPartitionOffset[];
    if (this.task.preCommit) safe = await this.clock.run(Promise.resolve(this.task.preCommit(current)));
    else {
      await this.clock.run(Promise.resolve(this.task.flush?.(current)));
      safe = current;
    }
    if (safe.length)
      await this.log.commitOffsets(
        this.group,
        safe.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
      );
  }

  /** The committed consumer offsets (the next offset to deliver, per partition). */
  committedOffsets(): TopicPartitionOffset[] {
    return this.log.committedOffsets(this.group).sort((a, b) => key(a).localeCompare(key(b)));
  }

  /** A rebalance: commits, closes the revoked partitions and opens the new ones. */
  async rebalance(assignment: TopicPartition[]): Promise<void> {
    await this.commit();
    const revoked = this.assigned.filter((tp) => !assignment.some((n) => key(n) === key(tp)));
    const added = assignment.filter((tp) => !this.assigned.some((o) => key(o) === key(tp)));
    if (revoked.length) await this.clock.run(Promise.resolve(this.task.close?.(revoked)));
    this.assigned = this.assigned.filter((tp) => !revoked.includes(tp));
    const kept = this.assigned;
    await this.assign(added);
    this.assigned = [...kept, ...added];
  }

  /**
   * Stops the task and starts a new instance on the same partitions. Graceful (default): commits
   * first; `{ crash: true }`: records delivered since the last commit are delivered again.
   */
  async restart(opts: { crash?: boolean } = {}): Promise<void> {
    const assignment = this.assignment;
    await this.stopTask(!opts.crash);
    await this.startTask(assignment);
  }

  private async stopTask(graceful: boolean): Promise<void> {
    if (graceful) await this.commit();
    if (this.assigned.length) await this.clock.run(Promise.resolve(this.task.close?.(this.assigned)));
    this.abort.abort();
    await this.clock.run(Promise.resolve(this.task.stop()));
    this.assigned = [];
  }

  /** Stops the task (committing first) and deletes the log. */
  async close(opts: { commit?: boolean } = {}): Promise<void> {
    try {
      await this.stopTask(opts.commit !== false);
    } finally {
      await this.temp.close();
    }
  }
}

function key(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
