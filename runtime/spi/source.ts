import type { SourceRecord, SourcePartition, SourceOffset } from '../data/records.ts';
import type { Logger } from '../logging.ts';
import type { MaybePromise, WorkerContext } from './connector.ts';
import type { TaskMetricsContext } from './metrics.ts';

/** Reads the committed source offsets (after a restart: where to resume). */
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

/**
 * Kafka Connect's TransactionContext: with `transaction.boundary=connector` on an exactly-once
 * worker, the task marks where transactions end. A record-less call applies to the batch the next
 * poll() returns (committed or aborted after that whole batch is sent); a call with a record ends
 * the transaction right after that record (which must be one of the records the task returns).
 * An aborted transaction drops its records but still commits their source offsets, so the task is
 * not handed the same data again.
 */
export interface TransactionContext {
  commitTransaction(record?: SourceRecord): void;
  abortTransaction(record?: SourceRecord): void;
}

/** What a source task tells about its snapshot (Debezium-style connectors: initial and incremental snapshots). */
export interface SnapshotStatus {
  phase: 'none' | 'initial' | 'incremental' | 'done';
  tablesTotal: number;
  tablesDone: number;
  rowsScanned: number;
  rowsEstimated: number | null;
  currentTable: string | null;
}

/** What the worker gives a source task: its identity, a logger, the offset reader, an abort signal, optional metrics and transaction contexts. */
export interface SourceTaskContext {
  readonly connectorName: string;
  readonly taskId: number;
  readonly logger: Logger;
  readonly worker?: WorkerContext;
  readonly offsetStorageReader: OffsetStorageReader;
  /** Aborted when the task is being stopped: a poll waiting for data should return promptly. */
  readonly signal: AbortSignal;
  configs(): Record<string, string>;
  /** Connector-defined MBeans (absent in contexts that collect no metrics, e.g. unit tests). */
  readonly metrics?: TaskMetricsContext;
  /** Set only for connector-defined transaction boundaries (transaction.boundary=connector on an exactly-once worker). */
  readonly transactionContext?: TransactionContext | null;
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
  /** Snapshot progress for the task's entry in the connector status (omitted while null or phase none). */
  snapshotProgress?(): SnapshotStatus | null;
  stop(): MaybePromise<void>;
}
