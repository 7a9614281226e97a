/**
 * The S3 sink task. open() finds each partition's position from the objects already in the bucket
 * and seeks there; put() hands each partition's records to its TopicPartitionWriter; preCommit()
 * runs due wall-clock rotations and returns the end of the last committed round per partition, so
 * the consumer offset never passes what is in the bucket. A transient S3 failure (server down,
 * 5xx, throttling) is retried: the batch is handed back with a RetriableException and a growing
 * backoff, and the writers pick up where they stopped; past tributary.s3.retry.timeout.ms the task
 * fails.
 */
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { ConnectException, RetriableException, TributaryError } from '../../sdk/errors.ts';
import type { SinkRecord } from '../../sdk/data.ts';
import type { SinkTask, SinkTaskContext, TopicPartition, TopicPartitionOffset } from '../../sdk/spi.ts';
import { resolveS3Settings, type S3SinkSettings } from './s3-sink-settings.ts';
import type { Format } from './format/format.ts';
import { formatFor } from './format/formats.ts';
import { createPartitioner, type S3Partitioner } from './partitioner/partitioner.ts';
import { findCommittedPosition, type ObjectNaming } from './storage/committed-objects.ts';
import { createS3Client, isTransientS3Error } from './storage/s3-client.ts';
import type { UploadTarget } from './storage/object-upload.ts';
import { TopicPartitionWriter } from './topic-partition-writer.ts';
import { S3_SINK_VERSION } from './version.ts';

const MAX_BACKOFF_MS = 30_000;

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

export class S3SinkTask implements SinkTask {
  private context!: SinkTaskContext;
  private settings!: S3SinkSettings;
  private format!: Format;
  private partitioner!: S3Partitioner;
  private client!: S3Client;
  private target!: UploadTarget;
  private naming!: ObjectNaming;
  private readonly writers = new Map<string, TopicPartitionWriter>();
  private failingSince: number | null = null;
  private failures = 0;
  private scheduleTimer: NodeJS.Timeout | null = null;

  version(): string {
    return S3_SINK_VERSION;
  }
  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  async start(props: Record<string, string>): Promise<void> {
    this.settings = resolveS3Settings(props);
    this.format = formatFor(this.settings.formatClass);
    this.format.validate(this.settings.format);
    this.partitioner = createPartitioner(this.settings.partitionerClass, this.settings.parsed);
    if (this.settings.rotateIntervalMs > 0 && !this.partitioner.timestampExtractor) {
      this.context.logger.warn(
        { partitioner: this.settings.partitionerClass },
        "rotate.interval.ms is set but the partitioner is not time-based: it is ignored (as in Confluent's S3 sink); use rotate.schedule.interval.ms or a TimeBasedPartitioner",
      );
    }
    this.client = createS3Client(this.settings);
    const s = this.settings;
    this.target = {
      client: this.client,
      bucket: s.bucket,
      partSize: s.partSize,
      cannedAcl: s.cannedAcl,
      sseAlgorithm: s.sseAlgorithm,
      sseKmsKeyId: s.sseKmsKeyId,
    };
    this.naming = {
      topicsDir: s.topicsDir,
      directoryDelim: s.directoryDelim,
      fileDelim: s.fileDelim,
      offsetPadWidth: s.offsetPadWidth,
      extension: this.format.extension(s.format),
    };
    await this.retrying('checking the bucket', () => this.checkBucket());
  }

  private async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
    } catch (err) {
      if (isTransientS3Error(err)) throw err;
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404)
        throw new ConnectException(
          `S3 bucket ${this.settings.bucket} does not exist${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ''}: create it, or fix s3.bucket.name`,
        );
      if (status === 403) return; // exists, not ours to inspect (Confluent treats it the same)
      throw new ConnectException(`S3 bucket ${this.settings.bucket} cannot be checked: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Runs an S3 step at start/open, retrying transient failures with backoff until the retry timeout. */
  private async retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const timeout = this.settings.retryTimeoutMs;
        if (!isTransientS3Error(err) || (timeout >= 0 && Date.now() - started > timeout) || this.context.signal.aborted)
          throw this.describe(err, what);
        const backoff = Math.min(this.settings.retryBackoffMs * 2 ** attempt, MAX_BACKOFF_MS);
        this.context.logger.warn(
          { err: (err as Error).message, backoffMs: backoff },
          `S3 sink: ${what} failed; retrying`,
        );
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }

  private describe(err: unknown, what: string): Error {
    // Data and config errors already name the record or key and the fix.
    if (err instanceof TributaryError) return err;
    return new ConnectException(
      `S3 sink: ${what} failed (bucket ${this.settings.bucket}${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ''}): ${(err as Error).message}`,
      { cause: err },
    );
  }

  async open(partitions: TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      const writer = new TopicPartitionWriter(tp, {
        settings: this.settings,
        format: this.format,
        partitioner: this.partitioner,
        target: this.target,
        naming: this.naming,
        logger: this.context.logger,
        now: () => Date.now(),
        onBadRecord: (r, e) => this.badRecord(r, e),
      });
      const pos = await this.retrying(`listing the objects of ${tp.topic}-${tp.partition}`, () =>
        findCommittedPosition(this.client, this.settings.bucket, this.naming, tp.topic, tp.partition),
      );
      if (pos.nextOffset !== null) {
        writer.startAt(pos.nextOffset);
        this.context.offset(tp, pos.nextOffset);
        this.context.logger.info(
          { topic: tp.topic, partition: tp.partition, offset: pos.nextOffset, objects: pos.objects },
          'S3 sink: resuming after the last object in the bucket',
        );
      }
      this.writers.set(tpKey(tp), writer);
    }
  }

  private async badRecord(record: SinkRecord, err: Error): Promise<void> {
    const reporter = this.context.errantRecordReporter();
    if (!reporter)
      throw err instanceof ConnectException
        ? err
        : new ConnectException(
            `S3 sink cannot write the record at topic=${record.topic} partition=${record.kafkaPartition} offset=${record.kafkaOffset}: ${err.message}. Fix the data or set errors.tolerance=all with a dead letter queue to skip such records`,
            { cause: err },
          );
    await reporter.report(record, err);
  }

  async put(records: SinkRecord[]): Promise<void> {
    const byTp = new Map<string, SinkRecord[]>();
    for (const r of records) {
      const k = tpKey({ topic: r.topic, partition: r.kafkaPartition ?? 0 });
      let list = byTp.get(k);
      if (!list) byTp.set(k, (list = []));
      list.push(r);
    }
    try {
      for (const [k, list] of byTp) {
        let w = this.writers.get(k);
        if (!w) {
          // Transforms may route records to a topic the task was not assigned; give it a writer too.
          await this.open([{ topic: list[0].topic, partition: list[0].kafkaPartition ?? 0 }]);
          w = this.writers.get(k)!;
        }
        await w.write(list);
      }
      this.succeeded();
    } catch (err) {
      this.failed(err, 'writing to S3');
    }
    this.armScheduleTimer();
  }

  private succeeded(): void {
    if (this.failingSince !== null)
      this.context.logger.info({ failures: this.failures }, 'S3 sink: S3 writes succeed again');
    this.failingSince = null;
    this.failures = 0;
  }

  /** A transient failure becomes a RetriableException with backoff (the batch is redelivered); anything else fails the task. */
  private failed(err: unknown, what: string): never {
    if (!isTransientS3Error(err)) throw this.describe(err, what);
    const now = Date.now();
    this.failingSince ??= now;
    const timeout = this.settings.retryTimeoutMs;
    if (timeout >= 0 && now - this.failingSince > timeout) {
      throw new ConnectException(
        `S3 sink: ${what} has failed for ${Math.round((now - this.failingSince) / 1000)} s (tributary.s3.retry.timeout.ms=${timeout}): ${(err as Error).message}`,
        { cause: err },
      );
    }
    const backoff = Math.min(
      this.settings.retryBackoffMs * 2 ** this.failures,
      this.settings.retryBackoffMaxMs,
      MAX_BACKOFF_MS,
    );
    this.failures++;
    this.context.timeout(Math.max(backoff, 1));
    this.context.logger.warn(
      { err: (err as Error).message, failures: this.failures, backoffMs: backoff },
      `S3 sink: ${what} failed; the batch will be retried`,
    );
    throw new RetriableException(`S3 sink: ${what} failed, retrying in ${backoff} ms: ${(err as Error).message}`, {
      cause: err,
    });
  }

  /** Wakes the worker for a commit when a wall-clock rotation falls due while no records arrive. */
  private armScheduleTimer(): void {
    if (this.settings.rotateScheduleIntervalMs <= 0) return;
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    let due = Infinity;
    for (const w of this.writers.values()) due = Math.min(due, w.msUntilScheduledRotation());
    if (due === Infinity) return;
    this.scheduleTimer = setTimeout(() => {
      this.scheduleTimer = null;
      this.context.requestCommit();
    }, due + 5);
    this.scheduleTimer.unref();
  }

  async preCommit(offsets: TopicPartitionOffset[]): Promise<TopicPartitionOffset[]> {
    try {
      for (const w of this.writers.values()) await w.rotateOnTimeIfDue();
      if (this.writers.size > 0) this.succeeded();
    } catch (err) {
      // Not fatal here: the rotation is retried by the next put or preCommit.
      if (!isTransientS3Error(err)) throw this.describe(err, 'rotating files');
      this.context.logger.warn({ err: (err as Error).message }, 'S3 sink: scheduled rotation failed; retrying later');
    }
    this.armScheduleTimer();
    const out: TopicPartitionOffset[] = [];
    for (const o of offsets) {
      const end = this.writers.get(tpKey(o))?.offsetToCommit();
      if (end !== null && end !== undefined)
        out.push({ topic: o.topic, partition: o.partition, offset: Math.min(end, o.offset) });
    }
    return out;
  }

  async close(partitions: TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      const w = this.writers.get(tpKey(tp));
      this.writers.delete(tpKey(tp));
      await w?.close();
    }
  }

  /** Bytes held by the open files of all partitions. */
  bufferedBytes(): number {
    let n = 0;
    for (const w of this.writers.values()) n += w.bufferedBytes();
    return n;
  }

  async stop(): Promise<void> {
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    for (const w of this.writers.values()) await w.close();
    this.writers.clear();
    this.client?.destroy();
  }
}
