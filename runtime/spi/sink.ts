import type { SinkRecord } from '../data/records.ts';
import type { Logger } from '../logging.ts';
import type { MaybePromise, WorkerContext } from './connector.ts';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to consume (Kafka's committed-offset convention). */
  offset: number;
}

export interface ErrantRecordReporter {
  /** Sends a record that put() could not write to the dead letter queue; resolves once it is durable. */
  report(record: SinkRecord, error: Error): Promise<void>;
}

export interface SinkTaskContext {
  readonly connectorName: string;
  readonly taskId: number;
  readonly logger: Logger;
  readonly worker?: WorkerContext;
  readonly signal: AbortSignal;
  configs(): Record<string, string>;
  assignment(): TopicPartition[];
  /** Rewind or skip: the next records for this partition start at `offset`. */
  offset(tp: TopicPartition, offset: number): void;
  /** Backoff before redelivering after a RetriableException from put(). */
  timeout(ms: number): void;
  pause(...tps: TopicPartition[]): void;
  resume(...tps: TopicPartition[]): void;
  requestCommit(): void;
  /** Null unless errors.tolerance / a dead letter queue is configured. */
  errantRecordReporter(): ErrantRecordReporter | null;
}

export interface SinkTask {
  version(): string;
  initialize(context: SinkTaskContext): void;
  start(props: Record<string, string>): MaybePromise<void>;
  open?(partitions: TopicPartition[]): MaybePromise<void>;
  /** Write (or buffer) the records. Throw RetriableException to have the same batch redelivered. */
  put(records: SinkRecord[]): Promise<void>;
  /** Make everything put so far durable. */
  flush?(offsets: TopicPartitionOffset[]): MaybePromise<void>;
  /** Return the offsets safe to commit; default: flush(offsets) then offsets. */
  preCommit?(offsets: TopicPartitionOffset[]): MaybePromise<TopicPartitionOffset[]>;
  close?(partitions: TopicPartition[]): MaybePromise<void>;
  stop(): MaybePromise<void>;
}
