/**
 * The embedded log: Kafka's model (topics, partitions, offsets, consumer groups, retention, compaction)
 * on one LMDB environment, so atomicity, durability and crash recovery come from the engine.
 *
 * Storage (named sub-databases of the environment in `dir`):
 * - `records`:   (partition id u32, base offset u64) -> record batch ("chunk", see codec.ts)
 * - `chunks`:    same key -> u32 count | u32 bytes | f64 max timestamp [| u32 span, compacted batches]
 *                (retention and timestamp lookups never load record data)
 * - `timeindex`: (partition id, floor(max timestamp so far)) -> base offset of the first chunk that
 *                reached it: Kafka's time index, one entry each time a partition's max timestamp grows
 * - `heads`:     partition id -> next offset | bytes appended | indexed max timestamp (written by appends)
 * - `tails`:     partition id -> log start offset | bytes deleted (written by retention and compaction)
 * - `meta`:      'topic:<name>' -> topic spec + partition ids; 'nextPid' -> next partition id;
 *                'cleaner:<pid>' -> the log cleaner's checkpoint of a compacted partition
 * - `groups`:    group NUL topic NUL u32 partition -> committed offset
 * - `kv`:        namespace NUL key -> string value
 * - `fence`:     one entry whose version counts the appends/topic creations ever committed
 *
 * Appends: offsets are assigned in JS, synchronously, from a write-side view of the partition
 * heads (committed state + everything queued), and all writes of one `append` call (records, chunk
 * index, time index, head, key-value writes, auto-created topic) are queued as one lmdb-js
 * conditional block, conditional on the fence entry having the version this call expects (and
 * bumping it). lmdb-js executes queued writes in order on its writer thread; whatever is queued
 * while a commit (fsync) runs goes into the next LMDB transaction (group commit: concurrent appends
 * share one commit and one fsync), and no JS round trip sits on the hot path. If a commit ever fails, every block queued after it fails its condition
 * instead of committing on top of offsets that do not exist: no gap, no reuse; the failed calls
 * reject with a RetriableException and the write view is reloaded from the database.
 *
 * Retention, compaction (log-cleaner.ts) and topic deletion run as lmdb-js transaction callbacks
 * (inside the write transaction, reading what they rewrite or delete) and only touch tails, cleaner
 * checkpoints, chunks other than a partition's newest and deleted partitions, so they never
 * conflict with appends.
 *
 * Durability: with sync 'durable' the environment is opened with overlappingSync off, so a commit
 * returns only after LMDB's fsync, and `append` resolves after that. With 'os', noSync: the commit
 * is in the OS page cache (safe against a process crash, not against a power loss).
 *
 * Readers use a committed-state cache (topics, start/end offsets), advanced only once a write has
 * committed, so they never see an offset that is not committed (and fsynced in durable mode).
 * One process at a time may open a directory (the caches are per process).
 */
import fs from 'node:fs';
import { open } from 'lmdb';
import type { Database, RootDatabase } from 'lmdb';
import { ConnectException, RetriableException } from '../errors.ts';
import type { Logger } from '../logging.ts';
import path from 'node:path';
import {
  ChunkPool, CorruptChunkError, decodeChunkInfo, decodeChunkInto, encodeChunkInfo, encodeChunks, findTimestampInChunk, joinKey, keyOffset, keyPid, offsetKey, pidKey, prefixEnd, timeKey, u64, verifyChunk,
} from './codec.ts';
import {
  DATA_FILE, MARKER_FILE, StoreRefusedError, acquireDirLock, checkDataFile, describeStorageError, newStoreId, readMarker, storageCondition, writeMarker, type DirLock, type StoreMarker,
} from './store-guard.ts';
import type { EncodedChunk, ReadBudget } from './codec.ts';
import { SpaceReserve, opsGrowth, rangeGrowth, type SpaceClaim } from './space-reserve.ts';
import { CLEANER_PASS_BYTES, CorruptBatchInPass, DEFAULT_DELETE_RETENTION_MS, cleanPartition, needsCleaning } from './log-cleaner.ts';
import type { CleanerCheckpoint, CompactionSettings, PartitionCleaning } from './log-cleaner.ts';
import type {
  AppendBatch, CleanupPolicy, EmbeddedLogOptions, KeyValueWrite, LogRecord, PartitionStats, SyncPolicy, TopicPartition, TopicSpec,
} from './types.ts';

export type {
  AppendBatch, AppendRecord, CleanupPolicy, EmbeddedLogOptions, KeyValueWrite, LogHeader, LogRecord, PartitionStats, SyncPolicy, TopicPartition, TopicSpec,
} from './types.ts';

/** Kafka's default retention.ms. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A stored record batch whose bytes are not what was written (checksum or framing). Names the
 * file, topic, partition and the batch's base offset; not retriable: the same bytes fail again.
 */
export class CorruptRecordBatchError extends ConnectException {
  constructor(readonly file: string, readonly topic: string, readonly partition: number, readonly offset: number, readonly reason: string) {
    super(
      `Corrupt record batch in the embedded log ${file}: topic ${topic} partition ${partition} offset ${offset}: ${reason}. `
      + `Check the store with \`tributary log verify --topic ${topic}\`; \`tributary log recover --topic ${topic} --partition ${partition}\` (worker stopped) truncates the partition at the last valid batch.`,
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
function cleanerKey(pid: number): string {
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
const DEFAULT_MAP_SIZE = 1024 ** 3;
const DEFAULT_RETENTION_CHECK_MS = 5 * 60 * 1000;
/** Default `maxBytes` of `read` (the first record is returned whatever its size). */
export const DEFAULT_READ_MAX_BYTES = 16 * 1024 * 1024;
/** LMDB's key size limit in lmdb-js builds (1978 bytes); keys of groups and kv entries must fit. */
const MAX_KEY_BYTES = 1978;
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const FENCE_KEY = Buffer.from('fence');
const FENCE_VALUE = Buffer.alloc(0);

interface TopicMeta {
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

type TopicSettings = Omit<TopicMeta, 'pids' | 'createdAt'>;

/** Written by appends only. */
interface Head {
  /** Next offset to assign (log end offset). */
  next: number;
  /** Bytes of all chunks ever appended. */
  appended: number;
  /** floor(max timestamp) recorded in the time index so far; -1 initially. */
  indexedTs: number;
}

/** Written by retention only. */
interface Tail {
  /** Log start offset (earliest retained). */
  start: number;
  /** Bytes of all chunks ever deleted. */
  deleted: number;
}

/** Committed state of a partition, as readers see it. */
interface PartState {
  next: number;
  start: number;
  /** Bytes ever appended / deleted: retained bytes = appended - deleted. */
  appended: number;
  deleted: number;
}

interface Waiter {
  after: number;
  done(result: boolean): void;
}

interface PreparedBatch {
  topic: string;
  partition: number;
  count: number;
  chunks: EncodedChunk[];
}

/** A queued write: put (value defined) or remove. */
interface Op {
  /** Resolved when the write is queued: the environment may have been reopened since the op was built. */
  db: OpDb;
  key: Buffer | string;
  value?: unknown;
  version?: number;
}

type BinDb = Database<Buffer, Buffer>;
type OpDb = 'records' | 'chunks' | 'timeindex' | 'heads' | 'meta' | 'groups' | 'kv';

const ZERO_HEAD: Head = { next: 0, appended: 0, indexedTs: -1 };
const ZERO_TAIL: Tail = { start: 0, deleted: 0 };

function encodeHead(h: Head): Buffer {
  const b = Buffer.allocUnsafe(24);
  b.writeDoubleBE(h.next, 0);
  b.writeDoubleBE(h.appended, 8);
  b.writeDoubleBE(h.indexedTs, 16);
  return b;
}

function decodeHead(b: Buffer | undefined): Head {
  return b ? { next: b.readDoubleBE(0), appended: b.readDoubleBE(8), indexedTs: b.readDoubleBE(16) } : { ...ZERO_HEAD };
}

function encodeTail(t: Tail): Buffer {
  const b = Buffer.allocUnsafe(16);
  b.writeDoubleBE(t.start, 0);
  b.writeDoubleBE(t.deleted, 8);
  return b;
}

function decodeTail(b: Buffer | undefined): Tail {
  return b ? { start: b.readDoubleBE(0), deleted: b.readDoubleBE(8) } : { ...ZERO_TAIL };
}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function checkPart(s: string, what: string): void {
  if (typeof s !== 'string') throw new ConnectException(`${what} must be a string`, { code: 'TRIB_ERR_LOG_INVALID' });
  if (s.includes('\u0000')) throw new ConnectException(`${what} must not contain NUL characters`, { code: 'TRIB_ERR_LOG_INVALID' });
}

function checkTopicName(name: string): void {
  if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new ConnectException(`Invalid topic name '${name}': Kafka topic names are 1-249 characters of [a-zA-Z0-9._-]`, { code: 'TRIB_ERR_LOG_INVALID_TOPIC' });
  }
}

function checkPartition(p: number): void {
  if (!Number.isInteger(p) || p < 0) throw new ConnectException(`Invalid partition ${p}`, { code: 'TRIB_ERR_LOG_INVALID' });
}

interface RetentionDefaults {
  retentionMs: number;
  retentionBytes: number;
}

function normalizeSpec(spec: TopicSpec, defaults: RetentionDefaults): TopicSettings {
  checkTopicName(spec.name);
  if (!Number.isInteger(spec.partitions) || spec.partitions < 1) throw new ConnectException(`Topic ${spec.name}: partitions must be a positive integer`, { code: 'TRIB_ERR_LOG_INVALID' });
  const retentionMs = spec.retentionMs ?? defaults.retentionMs;
  const retentionBytes = spec.retentionBytes ?? defaults.retentionBytes;
  if (!Number.isFinite(retentionMs) || !Number.isFinite(retentionBytes)) throw new ConnectException(`Topic ${spec.name}: retention settings must be numbers`, { code: 'TRIB_ERR_LOG_INVALID' });
  const cleanupPolicy = spec.cleanupPolicy ?? 'delete';
  if (cleanupPolicy !== 'delete' && cleanupPolicy !== 'compact' && cleanupPolicy !== 'compact,delete') {
    throw new ConnectException(`Topic ${spec.name}: cleanupPolicy '${String(cleanupPolicy)}' is not valid; use 'delete', 'compact' or 'compact,delete'`, { code: 'TRIB_ERR_LOG_INVALID' });
  }
  const norm: TopicSettings = {
    name: spec.name, partitions: spec.partitions, retentionMs, retentionBytes, cleanupPolicy,
    explicitRetention: { ms: spec.retentionMs !== undefined, bytes: spec.retentionBytes !== undefined },
  };
  if (compacts(cleanupPolicy)) {
    const c = compactionOf(spec);
    for (const [key, v] of [['deleteRetentionMs', c.deleteRetentionMs], ['minCompactionLagMs', c.minCompactionLagMs]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new ConnectException(`Topic ${spec.name}: ${key} must be an integer >= 0, not ${v}`, { code: 'TRIB_ERR_LOG_INVALID' });
    }
    Object.assign(norm, c);
  }
  return norm;
}

function compacts(policy: CleanupPolicy): boolean {
  return policy !== 'delete';
}

/** Compaction settings of a topic (Kafka's defaults for what it does not set). */
function compactionOf(m: { deleteRetentionMs?: number; minCompactionLagMs?: number }): CompactionSettings {
  return { deleteRetentionMs: m.deleteRetentionMs ?? DEFAULT_DELETE_RETENTION_MS, minCompactionLagMs: m.minCompactionLagMs ?? 0 };
}

/** The retention a topic has now: its own settings, or the log's defaults. */
function effectiveRetention(m: TopicMeta, defaults: RetentionDefaults): RetentionDefaults {
  return {
    retentionMs: m.explicitRetention?.ms ? m.retentionMs : defaults.retentionMs,
    retentionBytes: m.explicitRetention?.bytes ? m.retentionBytes : defaults.retentionBytes,
  };
}

function toSpec(m: TopicMeta, defaults: RetentionDefaults): TopicSpec {
  const spec: TopicSpec = { name: m.name, partitions: m.partitions, ...effectiveRetention(m, defaults), cleanupPolicy: m.cleanupPolicy };
  return compacts(m.cleanupPolicy) ? { ...spec, ...compactionOf(m) } : spec;
}

/** Directories open in this process (one EmbeddedLog per directory: the caches are per instance). */
const openDirs = new Set<string>();

export class EmbeddedLog {
  // committed state, for readers
  private readonly topics = new Map<string, TopicMeta>();
  private readonly parts = new Map<number, PartState>();
  /** partition id -> waiter key (topic NUL partition) */
  private readonly pidTp = new Map<number, string>();
  // write-side view: committed state plus everything queued
  private readonly wTopics = new Map<string, TopicMeta>();
  private readonly wHeads = new Map<number, Head>();
  private wNextPid = 1;
  /** Version the fence entry will have when everything queued so far has committed. */
  private fence = 0;
  /** Set while the write view is being reloaded after a failed commit. */
  private recovering: Promise<void> | undefined;

  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Topic name -> settles once the queued write creating it has committed (and the caches know it). */
  private readonly creating = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;
  private closing: Promise<void> | undefined;
  private retentionTimer: ReturnType<typeof setInterval> | undefined;
  private retentionRunning = false;
  private readonly pool = new ChunkPool();
  private corruptSeen = 0;

  // the LMDB environment and its databases: replaced when the environment is reopened after a storage fault
  private root!: RootDatabase;
  private recordsDb!: BinDb;
  private chunksDb!: BinDb;
  private timeDb!: BinDb;
  private headsDb!: BinDb;
  private tailsDb!: BinDb;
  private metaDb!: Database<any, string>;
  private groupsDb!: BinDb;
  private kvDb!: Database<string, Buffer>;
  private fenceDb!: BinDb;
  /** Set while the environment is being reopened (reads answer as if nothing was there yet). */
  private reopening = false;
  /** The storage failure of the last failed commit, until a commit succeeds again. */
  private fault: { reason: string; since: number } | null = null;
  /** Set once data.mdb was deleted or replaced under the open environment (not cleared). */
  private lostFile: { reason: string; since: number } | null = null;
  private dataIno = 0;
  private fileCheckTimer: ReturnType<typeof setInterval> | undefined;
  /** The wording of a failed commit while its cause is being read. */
  private noting: Promise<string> | undefined;
  /** Disk space reserved ahead of LMDB; every write claims its growth first (see space-reserve.ts). */
  private space!: SpaceReserve;

  private constructor(
    private readonly lmdbOptions: Parameters<typeof open>[0],
    private readonly realDir: string,
    private readonly lock: DirLock,
    private readonly opts: Required<Omit<EmbeddedLogOptions, 'mapSizeBytes' | 'logger' | 'allowReinit'>> & { logger?: Logger },
  ) {
    this.bindEnv();
  }

  /** Opens the environment and its named databases. */
  private bindEnv(): void {
    const root = open(this.lmdbOptions);
    this.dataIno = fs.statSync(path.join(this.realDir, DATA_FILE)).ino;
    const bin = (name: string, extra: { useVersions?: boolean } = {}) => root.openDB<Buffer, Buffer>({ name, encoding: 'binary', keyEncoding: 'binary', ...extra });
    this.root = root;
    this.recordsDb = bin('records');
    this.chunksDb = bin('chunks');
    this.timeDb = bin('timeindex');
    this.headsDb = bin('heads');
    this.tailsDb = bin('tails');
    this.metaDb = root.openDB<any, string>({ name: 'meta', encoding: 'json' });
    this.groupsDb = bin('groups');
    this.kvDb = root.openDB<string, Buffer>({ name: 'kv', encoding: 'string', keyEncoding: 'binary' });
    this.fenceDb = bin('fence', { useVersions: true });
  }

  /**
   * Opens (creating if needed) the log in `opts.dir`. Takes the directory's lock and validates the
   * files first (see store-guard.ts): a damaged, foreign or vanished store is refused with a
   * StoreRefusedError naming the file, never mapped.
   */
  static async open(opts: EmbeddedLogOptions): Promise<EmbeddedLog> {
    const sync: SyncPolicy = opts.sync ?? 'durable';
    if (sync !== 'durable' && sync !== 'os') throw new ConnectException(`Unknown sync policy '${String(sync)}'`, { code: 'TRIB_ERR_CONFIG' });
    try {
      fs.mkdirSync(opts.dir, { recursive: true });
      fs.accessSync(opts.dir, fs.constants.W_OK | fs.constants.R_OK);
    } catch (err) {
      throw new StoreRefusedError(`The data directory ${path.resolve(opts.dir)} is not usable: ${describeStorageError(err, path.resolve(opts.dir))}`);
    }
    const realDir = fs.realpathSync(opts.dir);
    if (openDirs.has(realDir)) throw new ConnectException(`The embedded log in ${opts.dir} is already open in this process`, { code: 'TRIB_ERR_LOG_IN_USE' });
    openDirs.add(realDir);
    let lock: DirLock | undefined;
    let log: EmbeddedLog | undefined;
    try {
      lock = acquireDirLock(realDir);
      const identity = EmbeddedLog.checkStore(realDir, opts.allowReinit ?? false);
      log = await EmbeddedLog.openIn(opts, realDir, sync, lock);
      await log.settleIdentity(identity, opts.allowReinit ?? false);
      return log;
    } catch (err) {
      if (log) await log.close().catch(() => undefined);
      lock?.release();
      openDirs.delete(realDir);
      throw storageFailure(err, realDir);
    }
  }

  /** Before mapping: the data file must be sound, and present wherever the marker says a store lives. */
  private static checkStore(dir: string, allowReinit: boolean): StoreMarker | null {
    const state = checkDataFile(dir);
    const marker = readMarker(dir);
    if (marker && state !== 'present' && !allowReinit) {
      const file = path.join(dir, DATA_FILE);
      throw new StoreRefusedError(
        `The embedded log ${file} is ${state === 'missing' ? 'missing' : 'empty (0 bytes)'}, but ${path.join(dir, MARKER_FILE)} says store ${marker.storeId} (created ${marker.createdAt}) lives here: `
        + 'its connectors, offsets and records are gone. Restore data.mdb from a backup, or start a new empty store with tributary.data.allow.reinit=true',
      );
    }
    return marker;
  }

  /** A write while opening: a failure (e.g. a full disk) refuses the open, worded, with lmdb-js's commitError handled. */
  private async openWrite(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      throw new StoreRefusedError(`Cannot initialise the embedded log in ${this.realDir}: ${await this.noteWriteFailure(err)}`);
    }
  }

  /** After opening: the store's id (in `meta`) must match the marker; a new store gets both. */
  private async settleIdentity(marker: StoreMarker | null, allowReinit: boolean): Promise<void> {
    const stored = this.metaDb.get('storeId') as string | undefined;
    if (marker && stored !== undefined && stored !== marker.storeId && !allowReinit) {
      throw new StoreRefusedError(
        `The embedded log ${path.join(this.realDir, DATA_FILE)} is store ${stored}, but ${path.join(this.realDir, MARKER_FILE)} says store ${marker.storeId} lives here: `
        + 'the data file was replaced. Put the right data.mdb back, or accept this one with tributary.data.allow.reinit=true',
      );
    }
    if (marker && stored === undefined && !allowReinit && (this.metaDb.get('nextPid') !== undefined || this.kvDb.getKeysCount() > 0)) {
      // A store written before markers existed but with a marker from elsewhere: refuse as replaced.
      throw new StoreRefusedError(`The embedded log ${path.join(this.realDir, DATA_FILE)} has no store id, but ${path.join(this.realDir, MARKER_FILE)} says store ${marker.storeId} lives here; accept it with tributary.data.allow.reinit=true`);
    }
    let id = stored;
    if (id === undefined) {
      id = marker && !allowReinit ? marker.storeId : newStoreId();
      await this.openWrite(this.metaDb.put('storeId', id));
    }
    if (!marker || marker.storeId !== id) writeMarker(this.realDir, { storeId: id, createdAt: new Date().toISOString() });
  }

  private static async openIn(opts: EmbeddedLogOptions, realDir: string, sync: SyncPolicy, lock: DirLock): Promise<EmbeddedLog> {
    const lmdbOptions = {
      path: opts.dir,
      noSubdir: false,
      maxDbs: 16,
      mapSize: opts.mapSizeBytes ?? DEFAULT_MAP_SIZE,
      // 'durable': the commit itself fsyncs (overlappingSync would resolve writes before the flush).
      overlappingSync: false,
      noSync: sync === 'os',
      // Start a transaction as soon as a write is queued instead of at the end of the event turn:
      // the writer thread copies one append while JS encodes the next, and whatever is queued while
      // a commit (fsync) runs goes into the next transaction (group commit). Every unit that must be
      // atomic is an explicit block (conditional block, batch or transaction callback).
      eventTurnBatching: false,
      txnStartThreshold: 1,
      commitDelay: 0,
    };
    const log = new EmbeddedLog(
      lmdbOptions,
      realDir,
      lock,
      {
        dir: opts.dir,
        sync,
        defaultPartitions: opts.defaultPartitions ?? 1,
        autoCreateTopics: opts.autoCreateTopics ?? true,
        retentionCheckIntervalMs: opts.retentionCheckIntervalMs ?? DEFAULT_RETENTION_CHECK_MS,
        retentionMs: opts.retentionMs ?? DEFAULT_RETENTION_MS,
        retentionBytes: opts.retentionBytes ?? -1,
        logger: opts.logger,
      },
    );
    if (log.fenceDb.getEntry(FENCE_KEY) === undefined) await log.openWrite(log.fenceDb.put(FENCE_KEY, FENCE_VALUE, 0));
    log.space = new SpaceReserve(path.join(realDir, DATA_FILE), realDir, opts.logger);
    log.space.start();
    log.loadCommitted();
    log.loadWriteView();
    log.fileCheckTimer = setInterval(() => log.checkDataFileStillThere(), FILE_CHECK_MS);
    log.fileCheckTimer.unref();
    const every = log.opts.retentionCheckIntervalMs;
    if (every > 0) {
      log.retentionTimer = setInterval(() => log.backgroundRetention(), every);
      log.retentionTimer.unref();
    }
    return log;
  }

  /** Waits for in-flight writes, then closes the environment. Pending `waitForAppend` calls resolve false. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      if (this.retentionTimer) clearInterval(this.retentionTimer);
      if (this.fileCheckTimer) clearInterval(this.fileCheckTimer);
      for (const set of this.waiters.values()) for (const w of [...set]) w.done(false);
      this.waiters.clear();
      this.closing = (async () => {
        while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
        try {
          await this.root.close();
        } finally {
          this.lock.release();
          openDirs.delete(this.realDir);
        }
      })();
    }
    return this.closing;
  }

  // ---- topics ------------------------------------------------------------------------------

  /** Creates a topic; false if it already existed (its settings are left unchanged). */
  async createTopic(spec: TopicSpec): Promise<boolean> {
    this.ensureWritable();
    const norm = normalizeSpec(spec, this.opts);
    if (this.recovering || this.reopening) await this.writable(); // (no await otherwise: calls are queued in call order)
    if (this.wTopics.has(norm.name)) {
      // queued by another call but maybe not committed yet: return once readers can see it
      await this.creating.get(norm.name);
      return false;
    }
    const claim = this.claimSpace(topicGrowth(norm.partitions));
    try {
      const ops: Op[] = [];
      this.planTopic(norm, ops);
      await this.whileCreating([norm.name], this.fenced(ops));
    } finally {
      this.space.release(claim);
    }
    this.refreshTopic(norm.name);
    return true;
  }

  /** Registers topics whose creation is queued in `commit`, for createTopic calls that find them in the write view meanwhile. */
  private async whileCreating(names: Iterable<string>, commit: Promise<void>): Promise<void> {
    const list = [...names];
    const settled = commit.then(
      () => {
        for (const name of list) this.refreshTopic(name);
      },
      () => undefined,
    );
    for (const name of list) this.creating.set(name, settled);
    try {
      await commit;
    } finally {
      for (const name of list) if (this.creating.get(name) === settled) this.creating.delete(name);
    }
  }

  /** Deletes a topic and its records. A topic created later with the same name starts again at offset 0. */
  async deleteTopic(name: string): Promise<void> {
    this.ensureWritable();
    if (this.recovering || this.reopening) await this.writable();
    const meta = this.wTopics.get(name);
    if (!meta) return;
    // From now on appends to `name` go to a new topic (new partition ids); the callback below runs
    // after everything queued before it, so it sees and deletes every chunk of the old partitions.
    const pids = meta.pids;
    const growth = pids.reduce((sum, pid) => sum + this.rangeGrowthOf(pid, 0), 0);
    const claim = this.claimSpace(growth);
    this.wTopics.delete(name);
    for (const pid of meta.pids) this.wHeads.delete(pid);
    await this.transaction(claim, () => {
      for (const pid of pids) {
        const range = { start: offsetKey(pid, 0), end: offsetKey(pid + 1, 0) };
        for (const db of [this.recordsDb, this.chunksDb, this.timeDb]) {
          for (const k of Array.from(db.getKeys(range))) db.remove(k);
        }
        this.headsDb.remove(pidKey(pid));
        this.tailsDb.remove(pidKey(pid));
        this.metaDb.remove(cleanerKey(pid));
      }
      const current = this.metaDb.get(`topic:${name}`) as TopicMeta | undefined;
      if (current && current.pids[0] === pids[0]) this.metaDb.remove(`topic:${name}`);
    });
    const cached = this.topics.get(name);
    if (cached && cached.pids[0] === pids[0]) this.topics.delete(name);
    for (const pid of pids) {
      this.parts.delete(pid);
      this.pidTp.delete(pid);
    }
  }

  describeTopic(name: string): TopicSpec | undefined {
    const m = this.topics.get(name);
    return m ? toSpec(m, this.opts) : undefined;
  }

  listTopics(): TopicSpec[] {
    return [...this.topics.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((m) => toSpec(m, this.opts));
  }

  // ---- records -----------------------------------------------------------------------------

  /**
   * Appends the batches and the optional key-value writes in one LMDB transaction; resolves with the
   * base offset of each batch once the transaction is durable per the sync policy. Unknown topics are
   * auto-created (when enabled) with max(defaultPartitions, highest partition appended + 1) partitions.
   * Rejects with a RetriableException (nothing written) if the commit failed.
   */
  async append(batches: AppendBatch[], kv?: KeyValueWrite[]): Promise<number[]> {
    this.ensureWritable();
    if (!Array.isArray(batches)) throw new TypeError('append: batches must be an array');
    const now = Date.now();
    const prepared: PreparedBatch[] = new Array(batches.length);
    // pooled chunk buffers: lmdb-js reads them on its writer thread until the write has committed
    const taken: Buffer[] = [];
    try {
      const alloc = (size: number) => this.pool.alloc(size, taken);
      for (let i = 0; i < batches.length; i++) {
        const b = batches[i];
        checkTopicName(b.topic);
        checkPartition(b.partition);
        if (!Array.isArray(b.records)) throw new TypeError(`append: records of ${b.topic}-${b.partition} must be an array`);
        const meta = this.wTopics.get(b.topic);
        if (meta && compacts(meta.cleanupPolicy)) checkKeyed(b, meta.cleanupPolicy);
        prepared[i] = { topic: b.topic, partition: b.partition, count: b.records.length, chunks: encodeChunks(b.records, now, alloc) };
      }
      return await this.appendPrepared(prepared, kv);
    } finally {
      this.pool.release(taken);
    }
  }

  private async appendPrepared(prepared: PreparedBatch[], kv: KeyValueWrite[] | undefined): Promise<number[]> {
    const kvOps = kv && kv.length > 0 ? this.prepareKv(kv) : undefined;
    if (prepared.length === 0 && !kvOps) return [];
    if (this.recovering || this.reopening) await this.writable();

    // From here to the fenced() call everything is synchronous: offsets are assigned in queue order.
    const claim = this.claimSpace(this.appendGrowth(prepared, kvOps));
    try {
      return await this.appendClaimed(prepared, kvOps);
    } finally {
      this.space.release(claim);
    }
  }

  private async appendClaimed(prepared: PreparedBatch[], kvOps: Op[] | undefined): Promise<number[]> {
    // Validate against the write view first, so that nothing is assigned if the call is refused.
    const newTopics = new Map<string, number>();
    for (const b of prepared) {
      const meta = this.wTopics.get(b.topic);
      if (meta) {
        if (b.partition >= meta.partitions) throw unknownPartition(b.topic, b.partition, meta.partitions);
      } else {
        if (!this.opts.autoCreateTopics) throw unknownTopic(b.topic);
        newTopics.set(b.topic, Math.max(newTopics.get(b.topic) ?? this.opts.defaultPartitions, b.partition + 1));
      }
    }
    const ops: Op[] = [];
    for (const [name, partitions] of newTopics) {
      this.planTopic(normalizeSpec({ name, partitions }, this.opts), ops);
    }
    const bases = new Array<number>(prepared.length);
    const touched = new Map<number, Head>();
    const committed: Array<{ pid: number; next: number; appended: number }> = [];
    for (let i = 0; i < prepared.length; i++) {
      const b = prepared[i];
      const pid = this.wTopics.get(b.topic)!.pids[b.partition];
      const head = this.wHeads.get(pid)!;
      const base = head.next;
      for (const c of b.chunks) {
        const off = base + c.first;
        const k = offsetKey(pid, off);
        ops.push({ db: 'records', key: k, value: c.buf }, { db: 'chunks', key: k, value: encodeChunkInfo(c.count, c.buf.length, c.maxTimestamp) });
        const its = indexTs(c.maxTimestamp);
        if (its > head.indexedTs) {
          ops.push({ db: 'timeindex', key: timeKey(pid, its), value: u64(off) });
          head.indexedTs = its;
        }
        head.appended += c.buf.length;
      }
      head.next = base + b.count;
      bases[i] = base;
      touched.set(pid, head);
    }
    for (const [pid, head] of touched) {
      ops.push({ db: 'heads', key: pidKey(pid), value: encodeHead(head) });
      committed.push({ pid, next: head.next, appended: head.appended });
    }
    if (kvOps) ops.push(...kvOps);
    if (newTopics.size > 0) await this.whileCreating(newTopics.keys(), this.fenced(ops));
    else await this.fenced(ops);
    for (const name of newTopics.keys()) this.refreshTopic(name);
    // Blocks commit in queue order, so once this one has, these heads are committed: no need to re-read them.
    for (const c of committed) this.advanceHead(c.pid, c.next, c.appended);
    return bases;
  }

  /**
   * Records of a partition from `fromOffset` (clamped to the log start offset), in offset order,
   * up to the high watermark. Defaults: no record limit, maxBytes 16 MiB (the first record is
   * returned whatever its size). Unknown topics/partitions read as empty.
   */
  read(tp: TopicPartition, fromOffset: number, opts: { maxRecords?: number; maxBytes?: number } = {}): LogRecord[] {
    this.ensureOpen();
    if (!Number.isFinite(fromOffset)) throw new ConnectException(`Invalid offset ${fromOffset}`, { code: 'TRIB_ERR_LOG_INVALID' });
    const loc = this.locate(tp);
    if (!loc || this.reopening) return [];
    const { pid, st } = loc;
    const until = st.next;
    const from = Math.max(Math.floor(fromOffset), st.start);
    const out: LogRecord[] = [];
    const budget: ReadBudget = { records: opts.maxRecords ?? Infinity, bytes: opts.maxBytes ?? DEFAULT_READ_MAX_BYTES };
    if (from >= until || budget.records <= 0) return out;
    const base = this.chunkBaseFor(pid, from);
    let at = base;
    try {
      for (const { key, value } of this.recordsDb.getRange({ start: offsetKey(pid, base), end: offsetKey(pid, until) })) {
        at = keyOffset(key);
        if (!decodeChunkInto(value, at, from, until, tp.topic, tp.partition, out, budget) || budget.records <= 0) break;
      }
    } catch (err) {
      // As Kafka's fetcher: the records of the valid batches before a corrupt one are returned
      // first; the next read, starting at the corrupt batch, throws.
      if (err instanceof CorruptChunkError && out.length > 0) return out;
      throw this.readFailure(err, tp, at);
    }
    return out;
  }

  /** Corrupt batches found by reads since the log was opened (a metric). */
  get corruptBatchesDetected(): number {
    return this.corruptSeen;
  }

  /** Bytes the data directory takes on disk (allocated blocks of its files): the worker's data-dir size metric. */
  diskUsageBytes(): number {
    let total = 0;
    for (const name of fs.readdirSync(this.realDir)) {
      try {
        const st = fs.statSync(path.join(this.realDir, name));
        if (st.isFile()) total += st.blocks * 512;
      } catch {
        // removed meanwhile
      }
    }
    return total;
  }

  /** The path of the data file (for messages). */
  get dataFile(): string {
    return path.join(this.realDir, DATA_FILE);
  }

  private readFailure(err: unknown, tp: TopicPartition, offset: number): Error {
    if (err instanceof CorruptChunkError) {
      this.corruptSeen++;
      const e = new CorruptRecordBatchError(this.dataFile, tp.topic, tp.partition, offset, err.reason);
      this.opts.logger?.error({ file: this.dataFile, topic: tp.topic, partition: tp.partition, offset, reason: err.reason }, 'Corrupt record batch in the embedded log');
      return e;
    }
    if (err instanceof ConnectException) return err;
    return new ConnectException(`Reading ${tp.topic}-${tp.partition} at offset ${offset} from the embedded log failed: ${describeStorageError(err, this.dataFile)}`, { code: 'TRIB_ERR_LOG_READ', cause: err });
  }

  /** Log start offset: the earliest retained offset (0 for unknown partitions). */
  startOffset(tp: TopicPartition): number {
    const loc = this.locate(tp);
    return loc ? loc.st.start : 0;
  }

  /** Log end offset / high watermark: the next offset to be written (0 for unknown partitions). */
  endOffset(tp: TopicPartition): number {
    const loc = this.locate(tp);
    return loc ? loc.st.next : 0;
  }

  /**
   * Kafka ListOffsets by timestamp: the earliest retained offset whose timestamp is >= timestampMs,
   * or null if there is none. Uses the time index (max timestamp so far -> chunk), then scans.
   */
  offsetForTimestamp(tp: TopicPartition, timestampMs: number): number | null {
    this.ensureOpen();
    const loc = this.locate(tp);
    if (!loc) return null;
    const { pid, st } = loc;
    if (st.next <= st.start) return null;
    let from = -1;
    for (const { key, value } of this.timeDb.getRange({ start: timeKey(pid, indexTs(timestampMs)), end: offsetKey(pid + 1, 0), limit: 1 })) {
      if (keyPid(key) === pid) from = value.readDoubleBE(0);
    }
    if (from < 0 || from >= st.next) return null;
    from = Math.max(from, st.start);
    for (const { key, value } of this.chunksDb.getRange({ start: offsetKey(pid, this.chunkBaseFor(pid, from)), end: offsetKey(pid, st.next) })) {
      if (value.readDoubleBE(8) < timestampMs) continue;
      const buf = this.recordsDb.get(key);
      if (!buf) continue;
      let off: number | null;
      try {
        off = findTimestampInChunk(buf, keyOffset(key), st.start, st.next, timestampMs);
      } catch (err) {
        throw this.readFailure(err, tp, keyOffset(key));
      }
      if (off !== null) return off;
    }
    return null;
  }

  /**
   * Long poll: resolves true as soon as the partition holds a record with an offset greater than
   * `afterOffset` (the last offset the caller has seen, i.e. its position - 1), that is once
   * endOffset(tp) > afterOffset + 1; false on timeout, abort or close. Works for topics that do not
   * exist yet. Wake-ups are in-process (appends through this instance).
   */
  waitForAppend(tp: TopicPartition, afterOffset: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed || signal?.aborted) return Promise.resolve(false);
    if (this.endOffset(tp) > afterOffset + 1) return Promise.resolve(true);
    if (!(timeoutMs > 0)) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const k = tpKey(tp.topic, tp.partition);
      let set = this.waiters.get(k);
      if (!set) {
        set = new Set();
        this.waiters.set(k, set);
      }
      const waiters = set;
      const onAbort = () => w.done(false);
      const timer = setTimeout(onAbort, Math.min(timeoutMs, 2 ** 31 - 1));
      const w: Waiter = {
        after: afterOffset,
        done: (result) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiters.delete(w);
          if (waiters.size === 0 && this.waiters.get(k) === waiters) this.waiters.delete(k);
          resolve(result);
        },
      };
      waiters.add(w);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  stats(tp: TopicPartition): PartitionStats {
    const loc = this.locate(tp);
    return loc ? { records: loc.st.next - loc.st.start, bytes: loc.st.appended - loc.st.deleted } : { records: 0, bytes: 0 };
  }

  // ---- verification and recovery -----------------------------------------------------------

  /**
   * Reads and checks every retained batch of every partition (of `topic` only, if given): the
   * CRC32C of each batch, its framing, and that batches follow each other without gaps. The first
   * bad batch of a partition is reported (what follows it is not trusted either).
   */
  verify(opts: { topic?: string } = {}): PartitionVerification[] {
    this.ensureOpen();
    const out: PartitionVerification[] = [];
    const topics = opts.topic === undefined ? [...this.topics.values()] : [this.topics.get(opts.topic)].filter((m): m is TopicMeta => m !== undefined);
    if (opts.topic !== undefined && topics.length === 0) throw new ConnectException(`Topic ${opts.topic} does not exist in the embedded log ${this.dataFile}`, { code: 'TRIB_ERR_LOG_UNKNOWN_TOPIC' });
    for (const meta of topics) {
      for (let partition = 0; partition < meta.partitions; partition++) out.push(this.verifyPartition(meta, partition));
    }
    return out;
  }

  private verifyPartition(meta: TopicMeta, partition: number): PartitionVerification {
    const pid = meta.pids[partition];
    const st = this.parts.get(pid) ?? { next: 0, start: 0, appended: 0, deleted: 0 };
    const r: PartitionVerification = { topic: meta.name, partition, startOffset: st.start, endOffset: st.next, batches: 0, records: 0, unverifiedBatches: 0, compactedBatches: 0, corrupt: null };
    const first = this.chunkBaseFor(pid, st.start);
    let expected = -1;
    let at = first;
    try {
      for (const { key, value } of this.recordsDb.getRange({ start: offsetKey(pid, first), end: offsetKey(pid, st.next) })) {
        at = keyOffset(key);
        if (expected >= 0 && at !== expected) throw new CorruptChunkError(`batch expected at offset ${expected} is missing (next batch starts at ${at})`);
        const h = verifyChunk(value);
        const info = this.chunksDb.get(key);
        if (info && decodeChunkInfo(info).count !== h.count) throw new CorruptChunkError(`batch holds ${h.count} records, its index entry says ${decodeChunkInfo(info).count}`);
        if (info && decodeChunkInfo(info).span !== h.span) throw new CorruptChunkError(`batch covers ${h.span} offsets, its index entry says ${decodeChunkInfo(info).span}`);
        r.batches++;
        r.records += h.count;
        if (h.version === 1) r.unverifiedBatches++;
        if (h.version === 3) r.compactedBatches++;
        expected = at + h.span;
      }
      if (st.next > st.start && expected >= 0 && expected !== st.next) {
        at = expected;
        throw new CorruptChunkError(`the partition ends at offset ${expected}, its head says ${st.next}`);
      }
      if (st.next > st.start && expected < 0) {
        at = st.start;
        throw new CorruptChunkError(`no batch found for offsets ${st.start}..${st.next - 1}`);
      }
    } catch (err) {
      if (!(err instanceof CorruptChunkError)) throw this.readFailure(err, { topic: meta.name, partition }, at);
      r.corrupt = { offset: at, reason: err.reason };
    }
    return r;
  }

  /**
   * Truncates a partition at its last valid batch (the operator's decision, with the worker
   * stopped): every batch from the first bad one on is deleted and the log end offset moves back
   * to its base offset, as Kafka's log recovery truncates a segment. Consumer groups committed
   * past the new end are moved back to it, so they read what is appended next.
   */
  async recoverPartition(tp: TopicPartition): Promise<RecoveryResult> {
    this.ensureOpen();
    const meta = this.topics.get(tp.topic);
    if (!meta) throw new ConnectException(`Topic ${tp.topic} does not exist in the embedded log ${this.dataFile}`, { code: 'TRIB_ERR_LOG_UNKNOWN_TOPIC' });
    if (!(tp.partition >= 0 && tp.partition < meta.partitions)) throw unknownPartition(tp.topic, tp.partition, meta.partitions);
    const check = this.verifyPartition(meta, tp.partition);
    const result: RecoveryResult = { topic: tp.topic, partition: tp.partition, truncatedTo: check.endOffset, previousEndOffset: check.endOffset, removedRecords: 0, groupsRewound: [] };
    if (!check.corrupt) return result;
    const cut = check.corrupt.offset;
    const pid = meta.pids[tp.partition];
    if (this.recovering || this.reopening) await this.writable();
    await this.transaction(this.claimSpace(this.rangeGrowthOf(pid, cut)), () => {
      const range = { start: offsetKey(pid, cut), end: offsetKey(pid + 1, 0) };
      for (const db of [this.recordsDb, this.chunksDb]) for (const k of Array.from(db.getKeys(range))) db.remove(k);
      let keptBytes = 0;
      for (const { value } of this.chunksDb.getRange({ start: offsetKey(pid, 0), end: offsetKey(pid + 1, 0) })) keptBytes += decodeChunkInfo(value).bytes;
      // time index: drop entries pointing at removed batches; the indexed max timestamp is recomputed
      let indexedTs = -1;
      for (const { key, value } of Array.from(this.timeDb.getRange({ start: offsetKey(pid, 0), end: offsetKey(pid + 1, 0) }))) {
        if (value.readDoubleBE(0) >= cut) this.timeDb.remove(key);
        else indexedTs = keyOffset(key);
      }
      const tail = decodeTail(this.tailsDb.get(pidKey(pid)));
      this.headsDb.put(pidKey(pid), encodeHead({ next: cut, appended: tail.deleted + keptBytes, indexedTs }));
      // what is appended after the cut is not cleaned yet
      const cleaner = this.metaDb.get(cleanerKey(pid)) as CleanerCheckpoint | undefined;
      if (cleaner && cleaner.cleanedTo > cut) this.metaDb.put(cleanerKey(pid), { ...cleaner, cleanedTo: cut });
      if (tail.start > cut) this.tailsDb.put(pidKey(pid), encodeTail({ start: cut, deleted: tail.deleted }));
      for (const { key, value } of Array.from(this.groupsDb.getRange({}))) {
        const sep = key.indexOf(0);
        const rest = key.subarray(sep + 1);
        const sep2 = rest.indexOf(0);
        if (rest.toString('utf8', 0, sep2) !== tp.topic || rest.readUInt32BE(sep2 + 1) !== tp.partition) continue;
        if (value.readDoubleBE(0) > cut) {
          this.groupsDb.put(key, u64(cut));
          result.groupsRewound.push(key.toString('utf8', 0, sep));
        }
      }
    });
    // Reload the caches: the head moved back, which the append path never does.
    this.loadWriteView();
    this.loadCommitted();
    result.truncatedTo = cut;
    result.removedRecords = check.endOffset - cut;
    return result;
  }

  // ---- retention ---------------------------------------------------------------------------

  /**
   * Deletes whole record batches, oldest first: by time (a batch whose newest record is older than
   * nowMs - retentionMs) and by size (while the partition holds more than retentionBytes). The log
   * start offset moves, the end offset stays. 'compact' topics are skipped. Returns records deleted.
   */
  async enforceRetention(nowMs: number = Date.now()): Promise<number> {
    this.ensureOpen();
    const touched = new Set<number>();
    if (this.recovering || this.reopening) await this.writable();
    const deleted = await this.transaction(this.claimSpace(this.retentionGrowth(nowMs)), () => {
      let total = 0;
      for (const { value } of this.metaDb.getRange({ start: 'topic:', end: 'topic;' })) {
        const meta = value as TopicMeta;
        const { retentionMs, retentionBytes } = effectiveRetention(meta, this.opts);
        if (meta.cleanupPolicy === 'compact' || (retentionMs < 0 && retentionBytes < 0)) continue; // 'compact,delete' does both
        for (const pid of meta.pids) {
          const n = this.retainPartitionTxn(pid, retentionMs, retentionBytes, nowMs);
          if (n > 0) {
            touched.add(pid);
            total += n;
          }
        }
      }
      return total;
    });
    this.refreshPartitions(touched);
    return deleted;
  }

  /** Runs inside the write transaction: sees every chunk committed or queued before it. */
  private retainPartitionTxn(pid: number, retentionMs: number, retentionBytes: number, nowMs: number): number {
    const head = decodeHead(this.headsDb.get(pidKey(pid)));
    const tail = decodeTail(this.tailsDb.get(pidKey(pid)));
    const { keys: victims, bytes: victimBytes, records: removed, start } = retentionVictims(this.chunksDb, pid, { start: tail.start, next: head.next, appended: head.appended, deleted: tail.deleted }, retentionMs, retentionBytes, nowMs);
    if (victims.length === 0) return 0;
    const bytes = head.appended - tail.deleted - victimBytes;
    for (const k of victims) {
      this.recordsDb.remove(k);
      this.chunksDb.remove(k);
    }
    // Time-index entries pointing below the new start: drop all but the last (lookups clamp it to the start).
    const stale: Buffer[] = [];
    for (const { key, value } of this.timeDb.getRange({ start: offsetKey(pid, 0), end: offsetKey(pid + 1, 0) })) {
      if (value.readDoubleBE(0) >= start) break;
      stale.push(key);
    }
    stale.pop();
    for (const k of stale) this.timeDb.remove(k);
    this.tailsDb.put(pidKey(pid), encodeTail({ start, deleted: head.appended - bytes }));
    return removed;
  }

  // ---- compaction --------------------------------------------------------------------------

  /**
   * One pass of the log cleaner over the partitions of compacting topics (see log-cleaner.ts):
   * each partition in its own write transaction, at most `budgetBytes` of dirty batches read in the
   * pass (at least one batch). Returns what it removed.
   */
  async compact(nowMs: number = Date.now(), budgetBytes: number = CLEANER_PASS_BYTES): Promise<CompactionSummary> {
    this.ensureOpen();
    const summary: CompactionSummary = { partitions: 0, removedRecords: 0, removedTombstones: 0, savedBytes: 0 };
    let budget = budgetBytes;
    for (const meta of [...this.topics.values()]) {
      if (!compacts(meta.cleanupPolicy)) continue;
      const settings = compactionOf(meta);
      for (let partition = 0; partition < meta.partitions && budget > 0; partition++) {
        const pid = meta.pids[partition];
        if (this.closed) return summary;
        const st = this.parts.get(pid);
        const checkpoint = (this.metaDb.get(cleanerKey(pid)) as CleanerCheckpoint | undefined) ?? { cleanedTo: 0, horizon: -1 };
        // idle partitions cost no write transaction (the transaction checks again on its own view)
        if (!st || this.reopening || !needsCleaning(this.chunksDb, pid, st.start, st.next, checkpoint, settings, nowMs)) continue;
        if (this.recovering || this.reopening) await this.writable();
        const claim = this.claimSpace(this.rangeGrowthOf(pid, 0, true));
        const done = await this.transaction(claim, () => this.cleanPartitionTxn(pid, settings, nowMs, budget));
        if (done instanceof CorruptBatchInPass) throw this.readFailure(done.corruption, { topic: meta.name, partition }, done.offset);
        if (!done) continue;
        budget -= done.dirtyBytes;
        summary.partitions++;
        summary.removedRecords += done.removedRecords;
        summary.removedTombstones += done.removedTombstones;
        summary.savedBytes += done.savedBytes;
        this.refreshPartitions([pid]);
      }
    }
    return summary;
  }

  /** Runs inside the write transaction: the partition is rewritten with its checkpoint and byte count, or not at all. */
  private cleanPartitionTxn(pid: number, settings: CompactionSettings, nowMs: number, budget: number): PartitionCleaning | CorruptBatchInPass | null {
    const head = decodeHead(this.headsDb.get(pidKey(pid)));
    const tail = decodeTail(this.tailsDb.get(pidKey(pid)));
    if (head.next <= tail.start) return null; // empty, or the topic was deleted meanwhile
    const checkpoint = (this.metaDb.get(cleanerKey(pid)) as CleanerCheckpoint | undefined) ?? { cleanedTo: 0, horizon: -1 };
    let done: PartitionCleaning | null;
    try {
      done = cleanPartition(this.recordsDb, this.chunksDb, pid, tail.start, head.next, checkpoint, settings, nowMs, budget);
    } catch (err) {
      // thrown before the cleaner wrote anything: returned, so that the (empty) transaction commits
      if (err instanceof CorruptBatchInPass) return err;
      throw err;
    }
    if (!done) return null;
    this.metaDb.put(cleanerKey(pid), done.checkpoint);
    if (done.savedBytes !== 0) this.tailsDb.put(pidKey(pid), encodeTail({ start: tail.start, deleted: tail.deleted + done.savedBytes }));
    return done;
  }

  private backgroundRetention(): void {
    if (this.retentionRunning || this.closed || this.recovering || this.reopening) return;
    this.retentionRunning = true;
    this.enforceRetention()
      .then(async (n) => {
        if (n > 0) this.opts.logger?.debug({ deleted: n }, 'embedded log retention deleted records');
        const c = await this.compact();
        if (c.removedRecords > 0) this.opts.logger?.debug({ ...c }, 'embedded log compaction removed records');
      })
      .catch((err: unknown) => {
        if (!this.closed) this.opts.logger?.warn({ err }, 'embedded log retention failed');
      })
      .finally(() => {
        this.retentionRunning = false;
      });
  }

  // ---- consumer groups ---------------------------------------------------------------------

  /** Stores committed offsets (Kafka semantics: the next offset to read) of a group, atomically. */
  async commitOffsets(groupId: string, offsets: Array<TopicPartition & { offset: number }>): Promise<void> {
    this.ensureWritable();
    checkPart(groupId, 'Group id');
    const ops: Op[] = offsets.map((o) => {
      checkPart(o.topic, 'Topic');
      checkPartition(o.partition);
      if (!Number.isInteger(o.offset) || o.offset < 0) throw new ConnectException(`Invalid offset ${o.offset} for ${o.topic}-${o.partition}`, { code: 'TRIB_ERR_LOG_INVALID' });
      return { db: 'groups', key: checkKeySize(groupKey(groupId, o.topic, o.partition)), value: u64(o.offset) };
    });
    await this.batch(ops);
  }

  committedOffsets(groupId: string): Array<TopicPartition & { offset: number }> {
    this.ensureReadable();
    checkPart(groupId, 'Group id');
    const prefix = Buffer.concat([Buffer.from(groupId, 'utf8'), Buffer.from([0])]);
    const out: Array<TopicPartition & { offset: number }> = [];
    for (const { key, value } of this.groupsDb.getRange({ start: prefix, end: prefixEnd(prefix) })) {
      const rest = key.subarray(prefix.length);
      const sep = rest.indexOf(0);
      out.push({ topic: rest.toString('utf8', 0, sep), partition: rest.readUInt32BE(sep + 1), offset: value.readDoubleBE(0) });
    }
    return out;
  }

  listGroups(): string[] {
    this.ensureReadable();
    const out: string[] = [];
    let start: Buffer | undefined = undefined;
    for (;;) {
      let found: Buffer | undefined;
      for (const key of this.groupsDb.getKeys(start ? { start, limit: 1 } : { limit: 1 })) found = key;
      if (!found) return out;
      const group = found.subarray(0, found.indexOf(0));
      out.push(group.toString('utf8'));
      start = prefixEnd(Buffer.concat([group, Buffer.from([0])]));
    }
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.ensureWritable();
    checkPart(groupId, 'Group id');
    const prefix = Buffer.concat([Buffer.from(groupId, 'utf8'), Buffer.from([0])]);
    if (this.recovering || this.reopening) await this.writable();
    const count = this.groupsDb.getKeysCount({ start: prefix, end: prefixEnd(prefix) });
    await this.transaction(this.claimSpace(rangeGrowth(count, 0, 0)), () => {
      for (const k of Array.from(this.groupsDb.getKeys({ start: prefix, end: prefixEnd(prefix) }))) this.groupsDb.remove(k);
    });
  }

  // ---- key-value namespaces ----------------------------------------------------------------

  /** Applies the writes atomically (null values delete). */
  async kvPut(writes: KeyValueWrite[]): Promise<void> {
    this.ensureWritable();
    await this.batch(this.prepareKv(writes));
  }

  kvGet(namespace: string, key: string): string | undefined {
    this.ensureReadable();
    checkPart(namespace, 'Namespace');
    checkPart(key, 'Key');
    return this.kvDb.get(joinKey([namespace, key]));
  }

  /** Entries of a namespace (optionally only keys starting with keyPrefix), ordered by key (UTF-8 byte order). */
  kvEntries(namespace: string, keyPrefix = ''): Array<{ key: string; value: string }> {
    this.ensureReadable();
    checkPart(namespace, 'Namespace');
    checkPart(keyPrefix, 'Key prefix');
    const nsLen = Buffer.byteLength(namespace, 'utf8') + 1;
    const prefix = joinKey([namespace, keyPrefix]);
    const out: Array<{ key: string; value: string }> = [];
    for (const { key, value } of this.kvDb.getRange({ start: prefix, end: prefixEnd(prefix) })) {
      out.push({ key: key.toString('utf8', nsLen), value });
    }
    return out;
  }

  private prepareKv(writes: KeyValueWrite[]): Op[] {
    if (!Array.isArray(writes)) throw new TypeError('Key-value writes must be an array');
    return writes.map((w) => {
      checkPart(w.namespace, 'Namespace');
      checkPart(w.key, 'Key');
      if (w.value !== null && typeof w.value !== 'string') throw new TypeError(`Value of ${w.namespace}/${w.key} must be a string or null`);
      const key = checkKeySize(joinKey([w.namespace, w.key]));
      return w.value === null ? { db: 'kv', key } : { db: 'kv', key, value: w.value };
    });
  }

  // ---- writing -----------------------------------------------------------------------------

  private ensureOpen(): void {
    if (this.closed) throw new ConnectException('The embedded log is closed', { code: 'TRIB_ERR_LOG_CLOSED' });
  }

  /** Writes only: not into a data file that was deleted or replaced. */
  private ensureWritable(): void {
    this.ensureOpen();
    if (this.lostFile || !this.checkDataFileStillThere()) throw new RetriableException(`Embedded log write refused; nothing was written: ${this.lostFile!.reason}`);
  }

  /** For direct reads of the environment (key-value, groups): not while it is being reopened. */
  private ensureReadable(): void {
    this.ensureOpen();
    if (this.reopening) throw new RetriableException(`The embedded log in ${this.realDir} is being reopened after a failed write${this.fault ? ` (${this.fault.reason})` : ''}; retry`);
  }

  /** Waits until the write view is usable (not being reloaded after a failed commit). */
  private async writable(): Promise<void> {
    while (this.recovering) await this.recovering;
    this.ensureOpen();
    if (this.reopening) {
      try {
        this.bindEnv();
        this.reopening = false;
        this.loadWriteView();
        this.loadCommitted();
      } catch (err) {
        throw new RetriableException(`The embedded log cannot be reopened: ${describeWriteFailure(err, this.realDir)}`, { cause: err });
      }
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const untrack = () => {
      this.inflight.delete(p);
    };
    p.then(untrack, untrack);
    return p;
  }

  private applyOps(ops: Op[]): void {
    const dbs: Record<OpDb, Database<any, any>> = {
      records: this.recordsDb, chunks: this.chunksDb, timeindex: this.timeDb, heads: this.headsDb, meta: this.metaDb, groups: this.groupsDb, kv: this.kvDb,
    };
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const db = dbs[op.db];
      if (op.value === undefined) db.remove(op.key);
      else if (op.version === undefined) db.put(op.key, op.value);
      else db.put(op.key, op.value, op.version);
    }
  }

  /**
   * Queues `ops` as one conditional block on the fence (see the header comment); resolves once
   * committed. Must be called synchronously after the write view was updated for these ops.
   */
  private async fenced(ops: Op[]): Promise<void> {
    const expected = this.fence++;
    let p: Promise<boolean>;
    try {
      // The fence bump comes last: should a put throw halfway (it cannot with validated input), the
      // partial block would not bump the fence, every later block would fail, and recovery reloads.
      p = this.track(
        this.fenceDb.ifVersion(FENCE_KEY, expected, () => {
          this.applyOps(ops);
          this.fenceDb.put(FENCE_KEY, FENCE_VALUE, expected + 1);
        }),
      );
    } catch (err) {
      this.recover();
      // part of the block may be queued: let it settle before the caller recycles its buffers
      await this.recovering;
      throw err;
    }
    let ok: boolean;
    try {
      ok = await p;
    } catch (err) {
      const reason = await this.noteWriteFailure(err);
      this.recover();
      throw new RetriableException(`Embedded log write failed to commit; nothing was written: ${reason}`, { cause: err });
    }
    if (!ok) {
      this.recover();
      const reason = this.fault?.reason ?? (this.noting ? await this.noting : undefined);
      throw new RetriableException(`Embedded log write was not committed because an earlier commit failed; nothing was written${reason ? `: ${reason}` : ''}`);
    }
    this.fault = null;
  }

  /** Unconditional atomic block of plain writes (key-value, groups). */
  private async batch(ops: Op[]): Promise<void> {
    if (ops.length === 0) return;
    if (this.recovering || this.reopening) await this.writable();
    const claim = this.claimSpace(opsGrowth(ops.map(valueSize)));
    try {
      await this.committing(this.track(this.root.batch(() => this.applyOps(ops))));
    } finally {
      this.space.release(claim);
    }
  }

  /**
   * Runs `fn` inside the write transaction, after everything queued before it. `fn` must not throw
   * after writing. `claim`: the space it may grow the file by, claimed synchronously before this call
   * (after `writable()`); released once the transaction settled.
   */
  private async transaction<T>(claim: SpaceClaim, fn: () => T): Promise<T> {
    try {
      if (this.recovering || this.reopening) await this.writable();
      return await this.committing(this.track(this.root.transaction(fn)));
    } finally {
      this.space.release(claim);
    }
  }

  /** Claims disk space for a write about to be queued; refused (nothing queued) when the disk cannot hold it. */
  private claimSpace(bytes: number): SpaceClaim {
    const claim = this.space.claim(bytes);
    if (typeof claim !== 'string') return claim;
    if (!this.fault) this.opts.logger?.error({ dir: this.realDir, reason: claim }, 'Embedded log write refused; writes fail (retriably) until space is freed');
    this.fault = { reason: claim, since: this.fault?.since ?? Date.now() };
    throw new RetriableException(`Embedded log write refused; nothing was written: ${claim}`);
  }

  /** Growth bound of an append: its chunks, their index entries, heads, key-value writes, topics it may create. */
  private appendGrowth(prepared: PreparedBatch[], kvOps: Op[] | undefined): number {
    const sizes: number[] = [];
    for (const b of prepared) {
      for (const c of b.chunks) sizes.push(c.buf.length, 20, 8);
      sizes.push(24);
      if (!this.wTopics.has(b.topic)) sizes.push(4096, ...new Array<number>(Math.max(this.opts.defaultPartitions, b.partition + 1)).fill(24));
    }
    if (kvOps) for (const op of kvOps) sizes.push(valueSize(op));
    return opsGrowth(sizes);
  }

  /** Growth bound of removing partition `pid`'s chunks from `from` on, or of rewriting all of them (`rewrite`: a compaction pass), from committed state. */
  private rangeGrowthOf(pid: number, from: number, rewrite = false): number {
    const st = this.parts.get(pid);
    const bytes = st ? st.appended - st.deleted : 0;
    const chunks = this.chunksDb.getKeysCount({ start: offsetKey(pid, from), end: offsetKey(pid + 1, 0) });
    return rangeGrowth(chunks, rewrite ? bytes : 0, bytes);
  }

  /** Growth bound of a retention pass: the batches it would delete now, from committed state. */
  private retentionGrowth(nowMs: number): number {
    let chunks = 0;
    let bytes = 0;
    for (const meta of this.topics.values()) {
      const { retentionMs, retentionBytes } = effectiveRetention(meta, this.opts);
      if (meta.cleanupPolicy === 'compact' || (retentionMs < 0 && retentionBytes < 0)) continue;
      for (const pid of meta.pids) {
        const v = retentionVictims(this.chunksDb, pid, this.parts.get(pid), retentionMs, retentionBytes, nowMs);
        chunks += v.keys.length;
        bytes += v.bytes;
      }
    }
    // appends committed between this estimate and the transaction may add victims: a margin
    return rangeGrowth(Math.ceil(chunks * 1.25) + 64, 0, bytes * 1.25);
  }

  /** Awaits a write; a failed commit is worded with its storage cause and starts recovery. */
  private async committing<T>(p: Promise<T>): Promise<T> {
    try {
      const r = await p;
      this.fault = null;
      return r;
    } catch (err) {
      if (err instanceof TypeError || err instanceof RangeError) throw err; // invalid input, not storage
      const reason = await this.noteWriteFailure(err);
      this.recover();
      throw new RetriableException(`Embedded log write failed to commit; nothing was written: ${reason}`, { cause: err });
    }
  }

  /**
   * lmdb-js rejects every write of a failed transaction with "Commit failed (see commitError for
   * details)" and the real error in a separate promise (`commitError`): handle that one (left
   * alone it is an unhandled rejection, which ends the process) and word its cause with the path.
   */
  private noteWriteFailure(err: unknown): Promise<string> {
    const noting = this.describeWriteFailure(err);
    this.noting = noting;
    void noting.finally(() => {
      if (this.noting === noting) this.noting = undefined;
    });
    return noting;
  }

  private async describeWriteFailure(err: unknown): Promise<string> {
    let cause: unknown = err;
    const commitError = (err as { commitError?: Promise<unknown> } | null)?.commitError;
    if (commitError && typeof commitError.then === 'function') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      cause = await Promise.race([
        commitError.then(() => err, (e: unknown) => e),
        new Promise((resolve) => { timer = setTimeout(() => resolve(err), 200); }),
      ]);
      clearTimeout(timer);
    }
    const reason = describeWriteFailure(cause, this.realDir);
    if (!this.fault) this.opts.logger?.error({ dir: this.realDir, reason }, 'Embedded log write failed; writes fail (retriably) until the cause is gone');
    this.fault = { reason, since: this.fault?.since ?? Date.now() };
    return reason;
  }

  /** Set while the device is full but writes still go into the space reserved ahead (see space-reserve.ts): the worker is degraded. */
  get spaceWarning(): string | null {
    return this.closed ? null : this.space.warning();
  }

  /** The storage failure of the last failed commit (null once a commit succeeded again): the worker's health. */
  get storageFault(): { reason: string; since: number } | null {
    return this.lostFile ?? this.fault;
  }

  /**
   * data.mdb deleted or replaced under the running worker: LMDB would go on writing into a file
   * nobody can open again (lost at the next restart). Writes are refused from then on, so nothing
   * is acknowledged that would vanish; the message says how to save what the process still holds.
   */
  checkDataFileStillThere(): boolean {
    if (this.closed || this.lostFile || this.reopening) return this.lostFile === null;
    const file = path.join(this.realDir, DATA_FILE);
    let ino: number | null = null;
    try {
      ino = fs.statSync(file).ino;
    } catch {
      // missing
    }
    if (ino === this.dataIno) return true;
    const fd = openDescriptorOf(file);
    const reason = `${file} was ${ino === null ? 'deleted' : 'replaced'} while the worker runs: writes are refused (they would be lost at the next restart). `
      + `The data lives on only in this process${fd ? ` (${fd}): copy it back to ${file} before stopping the worker` : ''}`;
    this.lostFile = { reason, since: Date.now() };
    this.opts.logger?.error({ file }, reason);
    return false;
  }

  /**
   * After a failed commit: wait for everything in flight, reopen the environment (after a failed
   * transaction lmdb-js's writer can stall the next write; a fresh environment cannot), then reload
   * the write view from the database.
   */
  private recover(): void {
    if (this.recovering) return;
    this.recovering = (async () => {
      try {
        while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
        if (this.closed) return;
        await this.reopenEnv();
        this.loadWriteView();
        this.loadCommitted();
      } catch (err) {
        this.opts.logger?.error({ dir: this.realDir, err: (err as Error).message }, 'Embedded log could not recover after a failed commit; the next write retries');
      } finally {
        this.recovering = undefined;
      }
    })();
  }

  private async reopenEnv(): Promise<void> {
    this.reopening = true;
    try {
      await this.root.close();
    } catch (err) {
      this.opts.logger?.warn({ err: (err as Error).message }, 'Closing the embedded log environment after a failed commit failed');
    }
    this.bindEnv(); // throws if the files cannot be opened: `reopening` stays set and the next write retries
    this.reopening = false;
  }

  /** Queues the creation of a topic (write view updated now). */
  private planTopic(norm: TopicSettings, ops: Op[]): TopicMeta {
    const pids = Array.from({ length: norm.partitions }, (_, i) => this.wNextPid + i);
    this.wNextPid += norm.partitions;
    const meta: TopicMeta = { ...norm, pids, createdAt: Date.now() };
    this.wTopics.set(norm.name, meta);
    ops.push({ db: 'meta', key: 'nextPid', value: this.wNextPid }, { db: 'meta', key: `topic:${norm.name}`, value: meta });
    const zero = encodeHead(ZERO_HEAD);
    for (const pid of pids) {
      this.wHeads.set(pid, { ...ZERO_HEAD });
      ops.push({ db: 'heads', key: pidKey(pid), value: zero });
    }
    return meta;
  }

  // ---- state -------------------------------------------------------------------------------

  private loadWriteView(): void {
    this.wTopics.clear();
    this.wHeads.clear();
    this.wNextPid = (this.metaDb.get('nextPid') as number | undefined) ?? 1;
    for (const { value } of this.metaDb.getRange({ start: 'topic:', end: 'topic;' })) {
      const meta = value as TopicMeta;
      this.wTopics.set(meta.name, meta);
      for (const pid of meta.pids) this.wHeads.set(pid, decodeHead(this.headsDb.get(pidKey(pid))));
    }
    const entry = this.fenceDb.getEntry(FENCE_KEY);
    this.fence = entry?.version ?? 0;
  }

  private loadCommitted(): void {
    this.topics.clear();
    this.parts.clear();
    this.pidTp.clear();
    for (const { value } of this.metaDb.getRange({ start: 'topic:', end: 'topic;' })) {
      const meta = value as TopicMeta;
      this.cacheTopic(meta);
      for (const pid of meta.pids) this.parts.set(pid, this.readPart(pid));
    }
  }

  private readPart(pid: number): PartState {
    const head = decodeHead(this.headsDb.get(pidKey(pid)));
    const tail = decodeTail(this.tailsDb.get(pidKey(pid)));
    return { next: head.next, start: tail.start, appended: head.appended, deleted: tail.deleted };
  }

  private cacheTopic(meta: TopicMeta): void {
    this.topics.set(meta.name, meta);
    meta.pids.forEach((pid, i) => this.pidTp.set(pid, tpKey(meta.name, i)));
  }

  /** Re-reads committed topic metadata into the cache. */
  private refreshTopic(name: string): void {
    if (this.closed) return; // closing: no reader may use the caches any more, and the environment may be gone
    const meta = this.metaDb.get(`topic:${name}`) as TopicMeta | undefined;
    if (!meta) return;
    this.cacheTopic(meta);
    this.refreshPartitions(meta.pids);
  }

  /** Re-reads committed partition states into the cache and wakes long-polls. */
  private refreshPartitions(pids: Iterable<number>): void {
    if (this.closed) return;
    for (const pid of pids) {
      if (!this.pidTp.has(pid)) continue; // deleted meanwhile
      const st = this.readPart(pid);
      const cur = this.parts.get(pid);
      if (!cur) {
        this.parts.set(pid, st);
        if (st.next > 0) this.notify(this.pidTp.get(pid)!);
      } else {
        if (st.start > cur.start) cur.start = st.start;
        if (st.deleted > cur.deleted) cur.deleted = st.deleted; // retention or compaction
        if (st.next > cur.next) this.advanceHead(pid, st.next, st.appended);
      }
    }
  }

  /** Records a committed head (ignoring stale ones) and wakes long-polls. */
  private advanceHead(pid: number, next: number, appended: number): void {
    const cur = this.parts.get(pid);
    if (!cur || next <= cur.next) return;
    cur.next = next;
    cur.appended = appended;
    const k = this.pidTp.get(pid);
    if (k !== undefined) this.notify(k);
  }

  private notify(k: string): void {
    const set = this.waiters.get(k);
    if (!set) return;
    const sep = k.lastIndexOf('\u0000');
    const end = this.endOffset({ topic: k.slice(0, sep), partition: Number(k.slice(sep + 1)) });
    for (const w of [...set]) if (end > w.after + 1) w.done(true);
  }

  private locate(tp: TopicPartition): { pid: number; st: PartState } | undefined {
    const meta = this.topics.get(tp.topic);
    if (!meta || !(tp.partition >= 0 && tp.partition < meta.partitions)) return undefined;
    const pid = meta.pids[tp.partition];
    const st = this.parts.get(pid);
    return st ? { pid, st } : undefined;
  }

  /** Base offset of the chunk that holds `offset` (or `offset` itself if none is found). */
  private chunkBaseFor(pid: number, offset: number): number {
    for (const key of this.chunksDb.getKeys({ start: offsetKey(pid, offset), reverse: true, limit: 1 })) {
      if (keyPid(key) === pid) return keyOffset(key);
    }
    return offset;
  }
}

/** A failed write's cause with the path; disk-full conditions LMDB reports as EIO are named as such. */
function describeWriteFailure(err: unknown, dir: string): string {
  const cond = storageCondition(err);
  if (cond === 'EIO' || cond === 'ENOSPC' || cond === 'MDB_MAP_FULL' || cond === undefined) {
    const free = freeBytes(dir);
    if (free !== null && free < LOW_SPACE_BYTES) {
      return `no space left on device at ${dir} (${free} bytes free; ${cond ?? 'the write'} ${cond ? 'reported by LMDB' : `failed: ${(err as Error)?.message ?? String(err)}`})`;
    }
  }
  return describeStorageError(err, dir);
}

/** How often an open log checks that its data.mdb is still the file it mapped. */
const FILE_CHECK_MS = 5000;

/** /proc/self/fd/<n> of the open (deleted) file, where its bytes can still be copied from (Linux). */
function openDescriptorOf(file: string): string | null {
  try {
    for (const fd of fs.readdirSync('/proc/self/fd')) {
      const link = `/proc/self/fd/${fd}`;
      try {
        if (fs.readlinkSync(link).replace(/ \(deleted\)$/, '') === file) return `/proc/${process.pid}/fd/${fd}`;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return null;
}

/** Below this much free space a failed write is reported as a full disk (LMDB often says EIO). */
const LOW_SPACE_BYTES = 16 * 1024 * 1024;

function freeBytes(dir: string): number | null {
  try {
    const st = fs.statfsSync(dir);
    return st.bavail * st.bsize;
  } catch {
    return null;
  }
}

/** Errors of opening: refusals as they are, storage conditions worded with the path. */
function storageFailure(err: unknown, dir: string): unknown {
  if (err instanceof ConnectException) return err;
  return new StoreRefusedError(`Cannot open the embedded log in ${dir}: ${describeStorageError(err, dir)}`);
}

/** The oldest batches of a partition that retention deletes now (by time or by size), and where the log then starts. */
function retentionVictims(chunksDb: BinDb, pid: number, st: PartState | undefined, retentionMs: number, retentionBytes: number, nowMs: number): { keys: Buffer[]; bytes: number; records: number; start: number } {
  const out = { keys: [] as Buffer[], bytes: 0, records: 0, start: st?.start ?? 0 };
  if (!st || st.next <= st.start) return out;
  let retained = st.appended - st.deleted;
  for (const { key, value } of chunksDb.getRange({ start: offsetKey(pid, st.start), end: offsetKey(pid, st.next) })) {
    const info = decodeChunkInfo(value);
    const byTime = retentionMs >= 0 && nowMs - info.maxTs > retentionMs;
    const bySize = retentionBytes >= 0 && retained > retentionBytes;
    if (!byTime && !bySize) break;
    out.keys.push(key);
    retained -= info.bytes;
    out.bytes += info.bytes;
    out.records += info.count;
    out.start = keyOffset(key) + info.span;
  }
  return out;
}

/** Growth bound of creating a topic: its spec, the partition counter and one head per partition. */
function topicGrowth(partitions: number): number {
  return opsGrowth([4096, 16, ...new Array<number>(partitions).fill(24)]);
}

/** Bytes an op writes (deletes: 0). */
function valueSize(op: Op): number {
  const v = op.value;
  if (v === undefined) return 0;
  if (Buffer.isBuffer(v)) return v.length;
  if (typeof v === 'string') return v.length * 3;
  return JSON.stringify(v).length * 3;
}

function indexTs(ts: number): number {
  return ts <= 0 ? 0 : Math.min(Math.floor(ts), Number.MAX_SAFE_INTEGER);
}

/** As Kafka's broker: a compacted topic keeps the latest record per key, so a record without one is refused. */
function checkKeyed(b: AppendBatch, policy: CleanupPolicy): void {
  const i = b.records.findIndex((r) => r != null && r.key == null);
  if (i < 0) return;
  throw new ConnectException(
    `Topic ${b.topic} has cleanup.policy=${policy}: record ${i} for partition ${b.partition} has no key, and a compacted topic keeps the latest record per key `
    + '(Kafka\'s broker refuses such records too). Give the records a key (e.g. with the ValueToKey transform) or create the topic with cleanup.policy=delete',
    { code: 'TRIB_ERR_LOG_NO_KEY' },
  );
}

function groupKey(groupId: string, topic: string, partition: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(partition, 0);
  return joinKey([groupId, topic], p);
}

function checkKeySize(k: Buffer): Buffer {
  if (k.length > MAX_KEY_BYTES) throw new ConnectException(`Key too long for the embedded log (${k.length} bytes, at most ${MAX_KEY_BYTES})`, { code: 'TRIB_ERR_LOG_INVALID' });
  return k;
}

function unknownTopic(topic: string): ConnectException {
  return new ConnectException(`Topic ${topic} does not exist (autoCreateTopics is off)`, { code: 'TRIB_ERR_LOG_UNKNOWN_TOPIC' });
}

function unknownPartition(topic: string, partition: number, partitions: number): ConnectException {
  return new ConnectException(`Partition ${partition} does not exist for topic ${topic} (it has ${partitions})`, { code: 'TRIB_ERR_LOG_UNKNOWN_PARTITION' });
}
