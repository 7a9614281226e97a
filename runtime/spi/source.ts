import type { SourceRecord, SourcePartition, SourceOffset } from '../data/records.ts';
import type { Logger } from '../logging.ts';
import type { MaybePromise } from './connector.ts';

export interface OffsetStorageReader {
  /** The last committed offset of a source partition, or null when none was committed. */
  offset(partition: SourcePartition): SourceOffset | null;
  offsets(partitions: SourcePartition[]): Map<SourcePartition, SourceOffset | null>;
}

/** Where a record landed, passed to commitRecord (null when an SMT filtered it out or errors were tolerated). */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
}

export interface SourceTaskContext {
  readonly connectorName: string;
  readonly taskId: number;
  readonly logger: Logger;
  readonly offsetStorageReader: OffsetStorageReader;
  /** Aborted when the task is being stopped: a poll waiting for data should return promptly. */
  readonly signal: AbortSignal;
  configs(): Record<string, string>;
}

/**
 * A source task reads from the external system. `poll` resolves with a batch (or null/[] when
 * nothing arrived within a short wait); the worker calls it again after handing the batch on.
 * Offsets are committed only for records that are durable in the log.
 */
export interface SourceTask {
  version(): string;
  initialize(context: SourceTaskContext): void;
  start(props: Record<string, string>): MaybePromise<void>;
  poll(): Promise<SourceRecord[] | null>;
  /** Called after offsets were committed (e.g. acknowledge upstream). */
  commit?(): MaybePromise<void>;
  commitRecord?(record: SourceRecord, metadata: RecordMetadata | null): MaybePromise<void>;
  stop(): MaybePromise<void>;
}
