/**
 * The embedded log's data model: what is stored per topic and partition (topic metadata, heads and
 * tails), the queued-write unit, validation of names and topic settings, and the errors and result
 * types of the log's API. Shared by the modules of embedded-log.ts; no state of its own.
 */
import type { Database } from 'lmdb';
import { ConnectException } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { EncodedChunk } from './chunk-encoder.ts';
import { joinKey } from './store-keys.ts';
import { DEFAULT_DELETE_RETENTION_MS } from './log-cleaner.ts';
import type { CompactionSettings } from './log-cleaner.ts';
import type { AppendBatch, CleanupPolicy, EmbeddedLogOptions, TopicSpec } from './types.ts';

/** Kafka's default retention.ms. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A stored record batch whose bytes are not what was written (checksum or framing). Names the
 * file, topic, partition and the batch's base offset; not retriable: the same bytes fail again.
 */
export class CorruptRecordBatchError extends ConnectException {
  constructor(
    readonly file: string,
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `Corrupt record batch in the embedded log ${file}: topic ${topic} partition ${partition} offset ${offset}: ${reason}. ` +
        `Check the store with \`tributary log verify --topic ${topic}\`; \`tributary log recover --topic ${topic} --partition ${partition}\` (worker stopped) truncates the partition at the last valid batch.`,
      { code: 'TRIB_ERR_LOG_CORRUPT' },
    );
  }
}

/** What one compaction pass did. */
export interface CompactionSummary {
  /** Partitions rewritten. */
  partitions: number;
  removedRecords: number;
  removedTombstones: number;
  savedBytes: number;
}

/** `meta` key of a partition's cleaner checkpoint. */
export function cleanerKey(pid: number): string {
  return `cleaner:${pid}`;
}

/** What `verify` found in one partition. */
export interface PartitionVerification {
  topic: string;
  partition: number;
  startOffset: number;
  endOffset: number;
  batches: number;
  records: number;
  /** Batches written before checksums (version 1): framing checked, bytes not verifiable. */
  unverifiedBatches: number;
  /** Batches rewritten by the log cleaner (version 3: records keep their offsets, with gaps). */
  compactedBatches: number;
  /** Base offset of the first bad batch and what is wrong with it, if any. */
  corrupt: { offset: number; reason: string } | null;
}

export interface RecoveryResult {
  topic: string;
  partition: number;
  /** The new end offset (base offset of the first bad batch), or the old one if nothing was wrong. */
  truncatedTo: number;
  previousEndOffset: number;
  removedRecords: number;
  /** Consumer groups whose committed offset was past the new end and was moved back to it. */
  groupsRewound: string[];
}

export const DEFAULT_MAP_SIZE = 1024 ** 3;

export const DEFAULT_RETENTION_CHECK_MS = 5 * 60 * 1000;

/** Default `maxBytes` of `read` (the first record is returned whatever its size). */
export const DEFAULT_READ_MAX_BYTES = 16 * 1024 * 1024;

/** LMDB's key size limit in lmdb-js builds (1978 bytes); keys of groups and kv entries must fit. */
export const MAX_KEY_BYTES = 1978;

export const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export const FENCE_KEY = Buffer.from('fence');

export const FENCE_VALUE = Buffer.alloc(0);

export interface TopicMeta {
  name: string;
  partitions: number;
  retentionMs: number;
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  /** Compacting topics (stored from when compaction exists; older ones take the defaults). */
  deleteRetentionMs?: number;
  minCompactionLagMs?: number;
  /**
   * Which retention settings the topic set itself (Kafka's per-topic overrides); the others follow
   * the log's defaults (log.retention.ms / log.retention.bytes), now and after they change. Topics
   * stored before this existed follow the defaults for both.
   */
  explicitRetention?: { ms: boolean; bytes: boolean };
  /** Partition ids (keys of the storage), index = partition number. Never reused. */
  pids: number[];
  createdAt: number;
}

export type TopicSettings = Omit<TopicMeta, 'pids' | 'createdAt'>;

/** Written by appends only. */
export interface Head {
  /** Next offset to assign (log end offset). */
  next: number;
  /** Bytes of all chunks ever appended. */
  appended: number;
  /** floor(max timestamp) recorded in the time index so far; -1 initially. */
  indexedTs: number;
}

/** Written by retention only. */
export interface Tail {
  /** Log start offset (earliest retained). */
  start: number;
  /** Bytes of all chunks ever deleted. */
  deleted: number;
}

/** Committed state of a partition, as readers see it. */
export interface PartState {
  next: number;
  start: number;
  /** Bytes ever appended / deleted: retained bytes = appended - deleted. */
  appended: number;
  deleted: number;
}

export interface Waiter {
  after: number;
  done(result: boolean): void;
}

export interface PreparedBatch {
  topic: string;
  partition: number;
  count: number;
  chunks: EncodedChunk[];
}

/** A queued write: put (value defined) or remove. */
export interface Op {
  /** Resolved when the write is queued: the environment may have been reopened since the op was built. */
  db: OpDb;
  key: Buffer | string;
  value?: unknown;
  version?: number;
}

export type BinDb = Database<Buffer, Buffer>;

export type OpDb = 'records' | 'chunks' | 'timeindex' | 'heads' | 'meta' | 'groups' | 'kv';

export const ZERO_HEAD: Head = { next: 0, appended: 0, indexedTs: -1 };

export const ZERO_TAIL: Tail = { start: 0, deleted: 0 };

export function encodeHead(h: Head): Buffer {
  const b = Buffer.allocUnsafe(24);
  b.writeDoubleBE(h.next, 0);
  b.writeDoubleBE(h.appended, 8);
  b.writeDoubleBE(h.indexedTs, 16);
  return b;
}

export function decodeHead(b: Buffer | undefined): Head {
  return b ? { next: b.readDoubleBE(0), appended: b.readDoubleBE(8), indexedTs: b.readDoubleBE(16) } : { ...ZERO_HEAD };
}

export function encodeTail(t: Tail): Buffer {
  const b = Buffer.allocUnsafe(16);
  b.writeDoubleBE(t.start, 0);
  b.writeDoubleBE(t.deleted, 8);
  return b;
}

export function decodeTail(b: Buffer | undefined): Tail {
  return b ? { start: b.readDoubleBE(0), deleted: b.readDoubleBE(8) } : { ...ZERO_TAIL };
}

export const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export function checkPart(s: string, what: string): void {
  if (typeof s !== 'string') throw new ConnectException(`${what} must be a string`, { code: 'TRIB_ERR_LOG_INVALID' });
  if (s.includes('\u0000'))
    throw new ConnectException(`${what} must not contain NUL characters`, { code: 'TRIB_ERR_LOG_INVALID' });
}

export function checkTopicName(name: string): void {
  if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new ConnectException(
      `Invalid topic name '${name}': Kafka topic names are 1-249 characters of [a-zA-Z0-9._-]`,
      { code: 'TRIB_ERR_LOG_INVALID_TOPIC' },
    );
  }
}

export function checkPartition(p: number): void {
  if (!Number.isInteger(p) || p < 0)
    throw new ConnectException(`Invalid partition ${p}`, { code: 'TRIB_ERR_LOG_INVALID' });
}

export interface RetentionDefaults {
  retentionMs: number;
  retentionBytes: number;
}

export function normalizeSpec(spec: TopicSpec, defaults: RetentionDefaults): TopicSettings {
  checkTopicName(spec.name);
  if (!Number.isInteger(spec.partitions) || spec.partitions < 1)
    throw new ConnectException(`Topic ${spec.name}: partitions must be a positive integer`, {
      code: 'TRIB_ERR_LOG_INVALID',
    });
  const retentionMs = spec.retentionMs ?? defaults.retentionMs;
  const retentionBytes = spec.retentionBytes ?? defaults.retentionBytes;
  if (!Number.isFinite(retentionMs) || !Number.isFinite(retentionBytes))
    throw new ConnectException(`Topic ${spec.name}: retention settings must be numbers`, {
      code: 'TRIB_ERR_LOG_INVALID',
    });
  const cleanupPolicy = spec.cleanupPolicy ?? 'delete';
  if (cleanupPolicy !== 'delete' && cleanupPolicy !== 'compact' && cleanupPolicy !== 'compact,delete') {
    throw new ConnectException(
      `Topic ${spec.name}: cleanupPolicy '${String(cleanupPolicy)}' is not valid; use 'delete', 'compact' or 'compact,delete'`,
      { code: 'TRIB_ERR_LOG_INVALID' },
    );
  }
  const norm: TopicSettings = {
    name: spec.name,
    partitions: spec.partitions,
    retentionMs,
    retentionBytes,
    cleanupPolicy,
    explicitRetention: { ms: spec.retentionMs !== undefined, bytes: spec.retentionBytes !== undefined },
  };
  if (compacts(cleanupPolicy)) {
    const c = compactionOf(spec);
    for (const [key, v] of [
      ['deleteRetentionMs', c.deleteRetentionMs],
      ['minCompactionLagMs', c.minCompactionLagMs],
    ] as const) {
      if (!Number.isInteger(v) || v < 0)
        throw new ConnectException(`Topic ${spec.name}: ${key} must be an integer >= 0, not ${v}`, {
          code: 'TRIB_ERR_LOG_INVALID',
        });
    }
    Object.assign(norm, c);
  }
  return norm;
}

export function compacts(policy: CleanupPolicy): boolean {
  return policy !== 'delete';
}

/** Compaction settings of a topic (Kafka's defaults for what it does not set). */
export function compactionOf(m: { deleteRetentionMs?: number; minCompactionLagMs?: number }): CompactionSettings {
  return {
    deleteRetentionMs: m.deleteRetentionMs ?? DEFAULT_DELETE_RETENTION_MS,
    minCompactionLagMs: m.minCompactionLagMs ?? 0,
  };
}

/** The retention a topic has now: its own settings, or the log's defaults. */
export function effectiveRetention(m: TopicMeta, defaults: RetentionDefaults): RetentionDefaults {
  return {
    retentionMs: m.explicitRetention?.ms ? m.retentionMs : defaults.retentionMs,
    retentionBytes: m.explicitRetention?.bytes ? m.retentionBytes : defaults.retentionBytes,
  };
}

export function toSpec(m: TopicMeta, defaults: RetentionDefaults): TopicSpec {
  const spec: TopicSpec = {
    name: m.name,
    partitions: m.partitions,
    ...effectiveRetention(m, defaults),
    cleanupPolicy: m.cleanupPolicy,
  };
  return compacts(m.cleanupPolicy) ? { ...spec, ...compactionOf(m) } : spec;
}

export function indexTs(ts: number): number {
  return ts <= 0 ? 0 : Math.min(Math.floor(ts), Number.MAX_SAFE_INTEGER);
}

/** As Kafka's broker: a compacted topic keeps the latest record per key, so a record without one is refused. */
export function checkKeyed(b: AppendBatch, policy: CleanupPolicy): void {
  const i = b.records.findIndex((r) => r != null && r.key == null);
  if (i < 0) return;
  throw new ConnectException(
    `Topic ${b.topic} has cleanup.policy=${policy}: record ${i} for partition ${b.partition} has no key, and a compacted topic keeps the latest record per key ` +
      "(Kafka's broker refuses such records too). Give the records a key (e.g. with the ValueToKey transform) or create the topic with cleanup.policy=delete",
    { code: 'TRIB_ERR_LOG_NO_KEY' },
  );
}

export function groupKey(groupId: string, topic: string, partition: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(partition, 0);
  return joinKey([groupId, topic], p);
}

export function checkKeySize(k: Buffer): Buffer {
  if (k.length > MAX_KEY_BYTES)
    throw new ConnectException(`Key too long for the embedded log (${k.length} bytes, at most ${MAX_KEY_BYTES})`, {
      code: 'TRIB_ERR_LOG_INVALID',
    });
  return k;
}

export function unknownTopic(topic: string): ConnectException {
  return new ConnectException(`Topic ${topic} does not exist (autoCreateTopics is off)`, {
    code: 'TRIB_ERR_LOG_UNKNOWN_TOPIC',
  });
}

export function unknownPartition(topic: string, partition: number, partitions: number): ConnectException {
  return new ConnectException(`Partition ${partition} does not exist for topic ${topic} (it has ${partitions})`, {
    code: 'TRIB_ERR_LOG_UNKNOWN_PARTITION',
  });
}

/** Bytes an op writes (deletes: 0). */
export function valueSize(op: Op): number {
  const v = op.value;
  if (v === undefined) return 0;
  if (Buffer.isBuffer(v)) return v.length;
  if (typeof v === 'string') return v.length * 3;
  return JSON.stringify(v).length * 3;
}

/** The settings an open log runs with (EmbeddedLogOptions with the defaults applied). */
export type LogSettings = Required<Omit<EmbeddedLogOptions, 'mapSizeBytes' | 'logger' | 'allowReinit'>> & {
  logger?: Logger;
};
