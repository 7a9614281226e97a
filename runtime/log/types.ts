/**
 * Public types of the embedded log: the default transport when no Kafka cluster is configured.
 * The model is Kafka's: topics split into partitions, each an append-only sequence of records with
 * dense offsets; consumer groups with committed offsets; retention by time and by size.
 */
import type { Logger } from '../logging.ts';

/** A record header. Kafka header keys are strings, values are bytes (or null). */
export interface LogHeader {
  key: string;
  value: Buffer | null;
}

/** A record to append. */
export interface AppendRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** Milliseconds since the epoch; defaults to Date.now() at append time. */
  timestamp?: number;
  headers?: LogHeader[];
}

/** A record read back from the log. */
export interface LogRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: LogHeader[];
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** -1 keeps records forever; unset: the log's default (7 days unless configured), like Kafka's retention.ms. */
  retentionMs?: number;
  /** -1 means no size limit; unset: the log's default (-1 unless configured), like Kafka's retention.bytes. */
  retentionBytes?: number;
  /**
   * Kafka's cleanup.policy: 'delete' (default) deletes old batches by time and size; 'compact'
   * keeps the latest record per key (the log cleaner, in the background) and deletes nothing by
   * time or size; 'compact,delete' does both.
   */
  cleanupPolicy?: CleanupPolicy;
  /** Compacted topics: how long a tombstone (null value) is kept after the cleaner first saw it (Kafka's delete.retention.ms); default 86400000. */
  deleteRetentionMs?: number;
  /** Compacted topics: records younger than this are not compacted (Kafka's min.compaction.lag.ms); default 0. */
  minCompactionLagMs?: number;
}

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface AppendBatch {
  topic: string;
  partition: number;
  records: AppendRecord[];
}

export interface KeyValueWrite {
  namespace: string;
  key: string;
  /** null deletes the key. */
  value: string | null;
}

/**
 * 'durable': `append` resolves once the commit is fsynced (concurrent appends share one commit and one fsync).
 * 'os': no fsync; the data is in the OS page cache when `append` resolves (survives a process crash, not a power loss).
 */
export type SyncPolicy = 'durable' | 'os';

export interface EmbeddedLogOptions {
  /** Directory of the LMDB environment; created if missing. */
  dir: string;
  /** Default 'durable'. */
  sync?: SyncPolicy;
  /** Initial LMDB map size (address space reserved for the data file); it grows as needed. Default 1 GiB. */
  mapSizeBytes?: number;
  /** Partition count of auto-created topics; default 1. */
  defaultPartitions?: number;
  /** Create unknown topics on first append; default true. */
  autoCreateTopics?: boolean;
  /** How often retention and compaction run while the log is open; default 5 minutes; 0 disables the timer. */
  retentionCheckIntervalMs?: number;
  /** Retention of topics that do not set their own (Kafka's log.retention.ms): default 7 days; -1 keeps records forever. */
  retentionMs?: number;
  /** Size bound per partition of topics that do not set their own (Kafka's log.retention.bytes): default -1, none. */
  retentionBytes?: number;
  /** Where background retention reports what it did (debug) and failures (warn). */
  logger?: Logger;
  /**
   * Open even when the store marker says data should be here but data.mdb is missing, empty or
   * another store (the worker's tributary.data.allow.reinit). Default false: such a store is refused.
   */
  allowReinit?: boolean;
}

export interface PartitionStats {
  /** Offsets retained (endOffset - startOffset); on a compacted topic fewer records remain (compaction leaves gaps). */
  records: number;
  /** Bytes of retained record batches, as stored (framing included). */
  bytes: number;
}
