/**
 * What the worker needs from a transport, implemented by the embedded log and (later) Kafka.
 * The shapes follow Kafka's model: topics, partitions, offsets, timestamps, keys, headers,
 * consumer groups with committed offsets.
 */
import type { LogHeader, LogRecord, TopicPartition } from '../log/types.ts';

export type { LogHeader, LogRecord, TopicPartition };

export interface OutgoingRecord {
  topic: string;
  /** Null: the partitioner chooses (murmur2 of the key, round-robin for null keys). */
  partition: number | null;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers: LogHeader[];
}

export interface DeliveredRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
}

/** A key/value write into one of the transport's internal stores (e.g. source offsets). */
export interface StoreWrite {
  namespace: string;
  key: string;
  value: string | null;
}

export interface SubmitOptions {
  /**
   * false: `acked` resolves to an empty list, and the sender keeps nothing per record until then
   * (the worker wants each record's offset only for a task's commitRecord). Default true.
   */
  metadata?: boolean;
}

/** Records a sender accepted: `acked` resolves once all of them are durable (or rejects with why not). */
export interface SubmittedRecords {
  acked: Promise<DeliveredRecord[]>;
}

export interface RecordSender {
  /**
   * Sends records and resolves once they are durable. When `storeWrites` is given and the
   * transport supports atomic writes, they commit in the same transaction as the records.
   */
  send(records: OutgoingRecord[], storeWrites?: StoreWrite[]): Promise<DeliveredRecord[]>;
  readonly atomicStoreWrites: boolean;
  /**
   * Pipelining senders (Kafka, non-transactional): resolves once the records are accepted
   * (checked against the limits, buffered within buffer.memory), before they are acknowledged, so
   * the task can poll the next batch meanwhile. Their acknowledgements come in submission order.
   * Once it resolves, the sender holds no reference to the records' keys, values or headers (their
   * bytes were copied into its batches): the worker lets its converters reuse that memory.
   */
  submit?(records: OutgoingRecord[], options?: SubmitOptions): Promise<SubmittedRecords>;
  /** Kafka senders: connect before the first send; a transactional one thereby fences older producers with its id. */
  init?(): Promise<void>;
  /** Transactional senders: transactions spanning several sends (transaction.boundary interval / connector). */
  readonly transactions?: SenderTransactions;
  close(): Promise<void>;
}

/** A transaction left open across sends, ended by commit() or abort(). */
export interface SenderTransactions {
  /** True between the first send() or commit() of a transaction and its end. */
  readonly open: boolean;
  /** Sends records inside the open transaction (opening one); resolves once the brokers hold them, uncommitted. */
  send(records: OutgoingRecord[]): Promise<DeliveredRecord[]>;
  /** Adds the store writes to the open transaction (opening one for them when none is) and commits it. */
  commit(storeWrites: StoreWrite[]): Promise<void>;
  /** Aborts the open transaction, if any: read_committed consumers never see its records. */
  abort(): Promise<void>;
}

/** What a sink consumes: a list of topics and/or a regex (`topics` / `topics.regex`). */
export interface Subscription {
  topics: string[];
  regex: RegExp | null;
}

/**
 * Partition ownership changes, called from inside poll() before any record of a newly assigned
 * partition is returned (as Kafka's ConsumerRebalanceListener): `revoked` first, so the task can
 * commit what it consumed, then `assigned`.
 */
export interface RebalanceListener {
  revoked(partitions: TopicPartition[]): Promise<void>;
  assigned(partitions: TopicPartition[]): Promise<void>;
}

export interface RecordReceiver {
  /** Joins the group for these topics; partitions start at the group's committed offsets (or the start position). */
  subscribe(subscription: Subscription, listener: RebalanceListener): Promise<void>;
  assignment(): TopicPartition[];
  poll(maxRecords: number, timeoutMs: number, signal?: AbortSignal): Promise<LogRecord[]>;
  seek(tp: TopicPartition, offset: number): void;
  position(tp: TopicPartition): number;
  /**
   * Up to maxRecords records already fetched, without waiting and without applying a pending
   * rebalance (none while one is pending): for a task preparing its next batch while put() runs.
   */
  takeQueued?(maxRecords: number): LogRecord[];
  /** The partition's end offset as the receiver last saw it (a fetch's high watermark), if it tracks one. */
  endOffsetHint?(tp: TopicPartition): number | undefined;
  pause(tps: TopicPartition[]): void;
  resume(tps: TopicPartition[]): void;
  commit(offsets: Array<TopicPartition & { offset: number }>): Promise<void>;
  close(): Promise<void>;
}

export interface TopicInfo {
  name: string;
  partitions: number;
}

export interface TransportAdmin {
  createTopic(name: string, partitions: number, configs?: Record<string, string>): Promise<boolean>;
  listTopics(): Promise<TopicInfo[]>;
  describeTopic(name: string): Promise<TopicInfo | undefined>;
  endOffset(tp: TopicPartition): Promise<number>;
  startOffset(tp: TopicPartition): Promise<number>;
  offsetForTimestamp(tp: TopicPartition, timestampMs: number): Promise<number | null>;
  groupOffsets(groupId: string): Promise<Array<TopicPartition & { offset: number }>>;
  alterGroupOffsets(groupId: string, offsets: Array<TopicPartition & { offset: number | null }>): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
}

/** Durable key/value namespaces: connector configs, target states, source offsets, statuses. */
export interface KeyValueStore {
  get(namespace: string, key: string): string | undefined;
  entries(namespace: string, keyPrefix?: string): Array<{ key: string; value: string }>;
  put(writes: StoreWrite[]): Promise<void>;
  /** Stores shared with other processes: resolves once every write committed before the call is visible. */
  sync?(): Promise<void>;
}

export interface ReceiverOptions {
  /** The connector's `consumer.override.*` settings, prefix stripped. */
  overrides?: Record<string, string>;
  /** This consumer's place among the connector's tasks; the embedded log spreads partitions by it (Kafka's group protocol does so itself). */
  member?: { index: number; count: number };
  /** Where to start a partition that has no committed offset (Kafka's auto.offset.reset). Default earliest. */
  autoOffsetReset?: 'earliest' | 'latest';
  /** Overrides autoOffsetReset: start uncommitted partitions at the first record at or after this time (epoch ms). */
  startTimestampMs?: number;
}

/** How a source connector's new topics are created (Kafka Connect's topic.creation.*); -1 = broker default. */
export interface TopicCreationSpec {
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface SenderOptions {
  /** The connector's `producer.override.*` settings, prefix stripped. */
  overrides?: Record<string, string>;
  /** For topics that do not exist yet; without it they are created with the transport's defaults. */
  topicCreation?: (topic: string) => TopicCreationSpec;
  /**
   * Kafka only: send through a transactional producer with this id. Each send() is one
   * transaction holding the records and the store writes (the transport must know the topic of
   * each store namespace); a newer producer with the same id fences this one.
   */
  transactionalId?: string;
  /** Transactional senders: how long the broker lets a transaction stay open (Kafka's transaction.timeout.ms, default 60 s). */
  transactionTimeoutMs?: number;
}

export interface Transport {
  readonly kind: 'embedded' | 'kafka';
  createSender(clientId: string, opts?: SenderOptions): RecordSender;
  createReceiver(groupId: string, clientId: string, opts?: ReceiverOptions): RecordReceiver;
  readonly admin: TransportAdmin;
  close(): Promise<void>;
}
