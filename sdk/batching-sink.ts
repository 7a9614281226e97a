/**
 * BatchingSinkTask: the common shape of a sink task that writes records to an external system in
 * batches. The subclass implements `writeBatch()`; the base class buffers, cuts batches of
 * `batch.size`, retries a batch after a retriable error with exponential backoff, reports the
 * records named by a {@link RecordFailures} to the errant-record reporter (dead letter queue), and
 * writes out everything buffered when the worker flushes before committing offsets.
 */
import { ConfigDef, ParsedConfig, Validators } from '../runtime/config/config-def.ts';
import { ConnectException } from '../runtime/errors.ts';
import type { SinkRecord } from '../runtime/data/records.ts';
import type { MaybePromise } from '../runtime/spi/connector.ts';
import type { SinkTask, SinkTaskContext, TopicPartitionOffset } from '../runtime/spi/sink.ts';
import { backoffDelay, clockOf, type Clock } from './clock.ts';
import { isRetriable, RecordFailures } from './errors.ts';
import { pick } from './polling-source.ts';

/** Keys read by BatchingSinkTask; merge them into the connector's ConfigDef with `.merge(BATCHING_SINK_CONFIG)`. */
export const BATCHING_SINK_CONFIG = new ConfigDef()
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 500,
    validator: Validators.atLeast(1),
    importance: 'MEDIUM',
    documentation: 'Records per writeBatch() call at most.',
  })
  .define({
    name: 'max.retries',
    type: 'INT',
    defaultValue: 10,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    documentation: 'Retries of a batch after a retriable failure before the task fails.',
  })
  .define({
    name: 'retry.backoff.ms',
    type: 'LONG',
    defaultValue: 100,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'Wait after the first retriable failure; doubled after each further failure.',
  })
  .define({
    name: 'retry.backoff.max.ms',
    type: 'LONG',
    defaultValue: 10_000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'Upper bound of the wait between retries.',
  });

/** The settings BatchingSinkTask runs with (from BATCHING_SINK_CONFIG). */
export interface BatchingSettings {
  batchSize: number;
  maxRetries: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
}

/**
 * A sink task built from one method, {@link BatchingSinkTask.writeBatch}.
 *
 * Threading: the worker calls put(), flush()/preCommit(), open() and close() one at a time, never
 * concurrently. Offsets: the worker commits a partition's offsets only after flush() resolved, so
 * a record is acknowledged only once writeBatch() returned for it (or it went to the dead letter
 * queue); after a crash, uncommitted records are delivered again — make writes idempotent (upserts)
 * when duplicates matter.
 */
export abstract class BatchingSinkTask implements SinkTask {
  protected context!: SinkTaskContext;
  /** The task's configuration, as given to start(). */
  protected props: Record<string, string> = {};
  protected settings: BatchingSettings = {
    batchSize: 500,
    maxRetries: 10,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 10_000,
  };
  private buffer: SinkRecord[] = [];

  abstract version(): string;

  /**
   * Writes a batch. Throw a RetriableException to have the same batch retried after a backoff;
   * throw {@link RecordFailures} when some records were rejected and the others written; anything
   * else fails the task.
   */
  protected abstract writeBatch(records: SinkRecord[]): Promise<void>;

  /** Opens connections etc.; `this.props` and `this.settings` are set. */
  protected onStart(): MaybePromise<void> {}

  /** Releases what onStart opened (the buffer was flushed by the worker before, unless the task failed). */
  protected onStop(): MaybePromise<void> {}

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  async start(props: Record<string, string>): Promise<void> {
    this.props = props;
    const parsed = new ParsedConfig(BATCHING_SINK_CONFIG, pick(props, BATCHING_SINK_CONFIG));
    this.settings = {
      batchSize: parsed.values['batch.size'] as number,
      maxRetries: parsed.values['max.retries'] as number,
      retryBackoffMs: parsed.values['retry.backoff.ms'] as number,
      retryBackoffMaxMs: parsed.values['retry.backoff.max.ms'] as number,
    };
    this.buffer = [];
    await this.onStart();
  }

  /** The clock to use for waits (the test kit's manual clock in tests). */
  protected get clock(): Clock {
    return clockOf(this.context);
  }

  /** Records put but not yet written. */
  protected get buffered(): number {
    return this.buffer.length;
  }

  async put(records: SinkRecord[]): Promise<void> {
    this.buffer.push(...records);
    while (this.buffer.length >= this.settings.batchSize)
      await this.write(this.buffer.splice(0, this.settings.batchSize));
  }

  async flush(_offsets: TopicPartitionOffset[]): Promise<void> {
    while (this.buffer.length > 0) await this.write(this.buffer.splice(0, this.settings.batchSize));
  }

  async stop(): Promise<void> {
    this.buffer = [];
    await this.onStop();
  }

  private async write(batch: SinkRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.writeBatch(batch);
        return;
      } catch (err) {
        if (err instanceof RecordFailures) return this.reportFailures(err);
        if (!isRetriable(err) || this.context.signal.aborted) throw err;
        if (attempt > this.settings.maxRetries) {
          throw new ConnectException(
            `Giving up on a batch of ${batch.length} record(s) after ${this.settings.maxRetries} retries (max.retries): ${(err as Error).message}`,
            { cause: err },
          );
        }
        const delay = backoffDelay(attempt, this.settings.retryBackoffMs, this.settings.retryBackoffMaxMs);
        this.context.logger.warn(
          { err, attempt, delayMs: delay },
          `Retriable failure writing ${batch.length} record(s); retrying in ${delay} ms`,
        );
        await this.clock.sleep(delay, this.context.signal);
      }
    }
  }

  private async reportFailures(err: RecordFailures): Promise<void> {
    const reporter = this.context.errantRecordReporter();
    if (!reporter)
      throw new ConnectException(
        `${err.message} (set errors.tolerance=all and errors.deadletterqueue.topic.name to route such records to a dead letter queue)`,
        { cause: err },
      );
    for (const f of err.failures) await reporter.report(f.record, f.error);
  }
}
