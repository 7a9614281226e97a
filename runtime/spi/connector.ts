/**
 * Connector SPI, shaped after Kafka Connect's: a connector validates its config, splits work into
 * task configs and is restarted by the worker when it asks for reconfiguration. Methods may be
 * async; the worker awaits them.
 */
import type { ConfigDef, ConfigValue } from '../config/config-def.ts';
import type { Logger } from '../logging.ts';
import type { SourceTask } from './source.ts';
import type { SinkTask } from './sink.ts';
import type { SourcePartition, SourceOffset } from '../data/records.ts';

/** A value or a promise of it: the worker awaits only when a promise is returned. */
export type MaybePromise<T> = T | Promise<T>;

/** What the worker config lets plugins touch (worker settings, not connector settings). */
export interface WorkerContext {
  /** The worker's `file.allowed.paths`: directories file-based connectors may read and write (empty: none). */
  readonly fileAllowedPaths: readonly string[];
}

/** What the worker gives a connector: its name, a logger, the worker settings it may read, and calls back to the worker. */
export interface ConnectorContext {
  readonly connectorName: string;
  readonly logger: Logger;
  readonly worker?: WorkerContext;
  /** Ask the worker to call taskConfigs() again and restart the tasks (e.g. new tables appeared). */
  requestTaskReconfiguration(): void;
  /** Fail the connector from a background activity of its own. */
  raiseError(err: Error): void;
}

interface ConnectorBase {
  version(): string;
  /** The keys this connector understands, for validation, `/config` listing and secret masking. */
  config(): ConfigDef;
  /** Optional extra validation across keys; the default validates against config(). */
  validate?(props: Record<string, string>, worker?: WorkerContext): ConfigValue[];
  initialize?(context: ConnectorContext): void;
  start(props: Record<string, string>): MaybePromise<void>;
  taskConfigs(maxTasks: number): MaybePromise<Array<Record<string, string>>>;
  stop(): MaybePromise<void>;
}

/** A source connector: validates its configuration and splits the work into task configurations; its tasks read the external system. */
export interface SourceConnector extends ConnectorBase {
  readonly type: 'source';
  createTask(): SourceTask;
  /** KIP-618: whether this connector can provide exactly-once delivery with its config. */
  exactlyOnceSupport?(props: Record<string, string>): 'SUPPORTED' | 'UNSUPPORTED';
  /** KIP-618: whether its tasks can mark transaction boundaries (required by transaction.boundary=connector). */
  canDefineTransactionBoundaries?(props: Record<string, string>): 'SUPPORTED' | 'UNSUPPORTED';
  /** KIP-875 hook: veto or apply offset changes made through the REST API; return true when handled. */
  alterOffsets?(
    props: Record<string, string>,
    offsets: Map<SourcePartition, SourceOffset | null>,
  ): MaybePromise<boolean>;
  /**
   * Tributary: what stays on the source system once the connector is deleted or stopped (e.g. a
   * replication slot that pins WAL) and how to remove it, or null. The worker logs it as a warning
   * and returns it in the response's Warning header.
   */
  leftBehind?(props: Record<string, string>, action: 'deleted' | 'stopped'): string | null;
  /**
   * Tributary: offsets from which the tasks re-read the source's own history (e.g. the MySQL
   * binlog) from a point in time on, for PATCH /connectors/<name>/offsets {"timestamp": …}.
   */
  offsetsForTimestamp?(props: Record<string, string>, timestampMs: number): Promise<SourceReplayPlan>;
}

/** What re-reading a source from a point in time involves (PATCH /connectors/<name>/offsets with a timestamp). */
export interface SourceReplayPlan {
  offsets: Array<{ partition: SourcePartition; offset: SourceOffset }>;
  /** How much will be read again, per partition (e.g. transactions and rows events), for the answer. */
  reread: Array<Record<string, unknown>>;
  /** Totals in words, e.g. "12 transaction(s), 40 rows event(s)". */
  summary: string;
  /** What the answer should warn about, e.g. history that no longer reaches back to the timestamp. */
  warning?: string;
}

/** A sink connector: validates its configuration and splits the topics' partitions over its tasks, which write to the external system. */
export interface SinkConnector extends ConnectorBase {
  readonly type: 'sink';
  createTask(): SinkTask;
  alterOffsets?(
    props: Record<string, string>,
    offsets: Array<{ topic: string; partition: number; offset: number | null }>,
  ): MaybePromise<boolean>;
}

/** A source or a sink connector. */
export type Connector = SourceConnector | SinkConnector;
