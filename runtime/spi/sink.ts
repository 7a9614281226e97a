import type { SinkRecord } from '../data/records.ts';
import type { Logger } from '../logging.ts';
import type { MaybePromise, WorkerContext } from './connector.ts';

/** A partition of a topic. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** A partition with an offset. */
export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to consume (Kafka's committed-offset convention). */
  offset: number;
}

/** Sends records a sink task could not write to the dead letter queue (Kafka Connect's ErrantRecordReporter). */
export interface ErrantRecordReporter {
  /** Sends a record that put() could not write to the dead letter queue; resolves once it is durable. */
  report(record: SinkRecord, error: Error): Promise<void>;
}

/** What the worker gives a sink task: its identity, a logger, an abort signal, and calls to rewind, pause, back off and report errant records. */
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

/** A sink task: receives records from put() in order per partition; the worker commits a partition's offsets after flush()/preCommit() says they are durable. */
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
