/**
 * The embedded log: Kafka's model (topics, partitions, offsets, consumer groups, retention, compaction)
 * on one LMDB environment, so atomicity, durability and crash recovery come from the engine.
 *
 * Storage (named sub-databases of the environment in `dir`):
 * - `records`:   (partition id u32, base offset u64) -> record batch ("chunk", see chunk-format.ts)
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
 * Appends (log-append.ts): offsets are assigned in JS, synchronously, from a write-side view of the partition
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
import path from 'node:path';
import type { open } from 'lmdb';
import { ConnectException } from '../errors.ts';
import { LogAppender } from './log-append.ts';
import { createTopic, deleteTopic } from './log-topics.ts';
import { DATA_FILE, StoreRefusedError, acquireDirLock, describeStorageError, type DirLock } from './store-guard.ts';
import { CLEANER_PASS_BYTES } from './log-cleaner.ts';
import { FILE_CHECK_MS, LogStorage } from './log-storage.ts';
import { LogState, type LogContext } from './log-state.ts';
import { checkStore, lmdbOptionsFor, settingsFor, settleIdentity, storageFailure } from './log-open.ts';
import { offsetForTimestamp, readRecords } from './log-read.ts';
import { recoverPartition, verify as verifyLog } from './log-verify.ts';
import { compact, enforceRetention } from './log-retention.ts';
import { commitOffsets, committedOffsets, deleteGroup, kvEntries, kvGet, kvPut, listGroups } from './log-groups.ts';
import {
  FENCE_KEY,
  FENCE_VALUE,
  toSpec,
  type CompactionSummary,
  type LogSettings,
  type PartitionVerification,
  type RecoveryResult,
} from './log-model.ts';
import type {
  AppendBatch,
  EmbeddedLogOptions,
  KeyValueWrite,
  LogRecord,
  PartitionStats,
  SyncPolicy,
  TopicPartition,
  TopicSpec,
} from './types.ts';

export type {
  AppendBatch,
  AppendRecord,
  CleanupPolicy,
  EmbeddedLogOptions,
  KeyValueWrite,
  LogHeader,
  LogRecord,
  PartitionStats,
  SyncPolicy,
  TopicPartition,
  TopicSpec,
} from './types.ts';
export { CorruptRecordBatchError, DEFAULT_READ_MAX_BYTES, DEFAULT_RETENTION_MS } from './log-model.ts';
export type { CompactionSummary, PartitionVerification, RecoveryResult } from './log-model.ts';

/** Directories open in this process (one EmbeddedLog per directory: the caches are per instance). */
const openDirs = new Set<string>();

export class EmbeddedLog {
  private closing: Promise<void> | undefined;
  private retentionTimer: ReturnType<typeof setInterval> | undefined;
  private retentionRunning = false;
  private readonly appender: LogAppender;
  private readonly storage: LogStorage;
  private readonly state: LogState;
  private readonly ctx: LogContext;

  private constructor(
    lmdbOptions: Parameters<typeof open>[0],
    realDir: string,
    private readonly lock: DirLock,
    private readonly opts: LogSettings,
  ) {
    this.storage = new LogStorage(lmdbOptions, realDir, opts.logger);
    this.state = new LogState(this.storage, opts);
    this.ctx = { storage: this.storage, state: this.state, opts };
    this.appender = new LogAppender(this.ctx);
    this.storage.reload = () => {
      this.state.loadWriteView();
      this.state.loadCommitted();
    };
  }

  /**
   * Opens (creating if needed) the log in `opts.dir`. Takes the directory's lock and validates the
   * files first (see store-guard.ts): a damaged, foreign or vanished store is refused with a
   * StoreRefusedError naming the file, never mapped.
   */
  static async open(opts: EmbeddedLogOptions): Promise<EmbeddedLog> {
    const sync: SyncPolicy = opts.sync ?? 'durable';
    if (sync !== 'durable' && sync !== 'os')
      throw new ConnectException(`Unknown sync policy '${String(sync)}'`, { code: 'TRIB_ERR_CONFIG' });
    try {
      fs.mkdirSync(opts.dir, { recursive: true });
      fs.accessSync(opts.dir, fs.constants.W_OK | fs.constants.R_OK);
    } catch (err) {
      throw new StoreRefusedError(
        `The data directory ${path.resolve(opts.dir)} is not usable: ${describeStorageError(err, path.resolve(opts.dir))}`,
      );
    }
    const realDir = fs.realpathSync(opts.dir);
    if (openDirs.has(realDir))
      throw new ConnectException(`The embedded log in ${opts.dir} is already open in this process`, {
        code: 'TRIB_ERR_LOG_IN_USE',
      });
    openDirs.add(realDir);
    let lock: DirLock | undefined;
    let log: EmbeddedLog | undefined;
    try {
      lock = acquireDirLock(realDir);
      const identity = checkStore(realDir, opts.allowReinit ?? false);
      log = await EmbeddedLog.openIn(opts, realDir, sync, lock);
      await settleIdentity(log.storage, identity, opts.allowReinit ?? false);
      return log;
    } catch (err) {
      if (log) await log.close().catch(() => undefined);
      lock?.release();
      openDirs.delete(realDir);
      throw storageFailure(err, realDir);
    }
  }

  private static async openIn(
    opts: EmbeddedLogOptions,
    realDir: string,
    sync: SyncPolicy,
    lock: DirLock,
  ): Promise<EmbeddedLog> {
    const log = new EmbeddedLog(lmdbOptionsFor(opts, sync), realDir, lock, settingsFor(opts, sync));
    const storage = log.storage;
    if (storage.fenceDb.getEntry(FENCE_KEY) === undefined)
      await storage.openWrite(storage.fenceDb.put(FENCE_KEY, FENCE_VALUE, 0));
    storage.space.start();
    log.state.loadCommitted();
    log.state.loadWriteView();
    storage.fileCheckTimer = setInterval(() => storage.checkDataFileStillThere(), FILE_CHECK_MS);
    storage.fileCheckTimer.unref();
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
      this.storage.closed = true;
      if (this.retentionTimer) clearInterval(this.retentionTimer);
      if (this.storage.fileCheckTimer) clearInterval(this.storage.fileCheckTimer);
      for (const set of this.state.waiters.values()) for (const w of [...set]) w.done(false);
      this.state.waiters.clear();
      this.closing = (async () => {
        while (this.storage.inflight.size > 0) await Promise.allSettled([...this.storage.inflight]);
        try {
          await this.storage.root.close();
        } finally {
          this.lock.release();
          openDirs.delete(this.storage.realDir);
        }
      })();
    }
    return this.closing;
  }

  /** Creates a topic; false if it already existed (its settings are left unchanged). */
  createTopic(spec: TopicSpec): Promise<boolean> {
    return createTopic(this.ctx, spec);
  }

  /** Deletes a topic and its records. A topic created later with the same name starts again at offset 0. */
  deleteTopic(name: string): Promise<void> {
    return deleteTopic(this.ctx, name);
  }

  describeTopic(name: string): TopicSpec | undefined {
    const m = this.state.topics.get(name);
    return m ? toSpec(m, this.opts) : undefined;
  }

  listTopics(): TopicSpec[] {
    return [...this.state.topics.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((m) => toSpec(m, this.opts));
  }

  /**
   * Appends the batches and the optional key-value writes in one LMDB transaction; resolves with the
   * base offset of each batch once the transaction is durable per the sync policy. Unknown topics are
   * auto-created (when enabled) with max(defaultPartitions, highest partition appended + 1) partitions.
   * Rejects with a RetriableException (nothing written) if the commit failed. See log-append.ts.
   */
  append(batches: AppendBatch[], kv?: KeyValueWrite[]): Promise<number[]> {
    return this.appender.append(batches, kv);
  }

  /**
   * Records of a partition from `fromOffset` (clamped to the log start offset), in offset order,
   * up to the high watermark. Defaults: no record limit, maxBytes 16 MiB (the first record is
   * returned whatever its size). Unknown topics/partitions read as empty.
   */
  read(tp: TopicPartition, fromOffset: number, opts: { maxRecords?: number; maxBytes?: number } = {}): LogRecord[] {
    return readRecords(this.ctx, tp, fromOffset, opts);
  }

  /** Corrupt batches found by reads since the log was opened (a metric). */
  get corruptBatchesDetected(): number {
    return this.state.corruptSeen;
  }

  /** Bytes the data directory takes on disk (allocated blocks of its files, the space reserved ahead included): the worker's data-dir size metric. */
  diskUsageBytes(): number {
    return this.storage.diskUsageBytes();
  }

  /** The path of the data file (for messages). */
  get dataFile(): string {
    return path.join(this.storage.realDir, DATA_FILE);
  }

  /** Log start offset: the earliest retained offset (0 for unknown partitions). */
  startOffset(tp: TopicPartition): number {
    const loc = this.state.locate(tp);
    return loc ? loc.st.start : 0;
  }

  /** Log end offset / high watermark: the next offset to be written (0 for unknown partitions). */
  endOffset(tp: TopicPartition): number {
    const loc = this.state.locate(tp);
    return loc ? loc.st.next : 0;
  }

  /**
   * Kafka ListOffsets by timestamp: the earliest retained offset whose timestamp is >= timestampMs,
   * or null if there is none. Uses the time index (max timestamp so far -> chunk), then scans.
   */
  offsetForTimestamp(tp: TopicPartition, timestampMs: number): number | null {
    return offsetForTimestamp(this.ctx, tp, timestampMs);
  }

  /**
   * Long poll: resolves true as soon as the partition holds a record with an offset greater than
   * `afterOffset` (the last offset the caller has seen, i.e. its position - 1), that is once
   * endOffset(tp) > afterOffset + 1; false on timeout, abort or close. Works for topics that do not
   * exist yet. Wake-ups are in-process (appends through this instance).
   */
  waitForAppend(tp: TopicPartition, afterOffset: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.state.waitForAppend(tp, afterOffset, timeoutMs, signal);
  }

  stats(tp: TopicPartition): PartitionStats {
    const loc = this.state.locate(tp);
    return loc
      ? { records: loc.st.next - loc.st.start, bytes: loc.st.appended - loc.st.deleted }
      : { records: 0, bytes: 0 };
  }

  // ---- verification and recovery (log-verify.ts) ---------------------------------------------

  /**
   * Reads and checks every retained batch of every partition (of `topic` only, if given): the
   * CRC32C of each batch, its framing, and that batches follow each other without gaps. The first
   * bad batch of a partition is reported (what follows it is not trusted either).
   */
  verify(opts: { topic?: string } = {}): PartitionVerification[] {
    return verifyLog(this.ctx, opts);
  }

  /** Truncates a partition at its last valid batch (the operator's decision, with the worker stopped); see log-verify.ts. */
  recoverPartition(tp: TopicPartition): Promise<RecoveryResult> {
    return recoverPartition(this.ctx, tp);
  }

  // ---- retention and compaction (log-retention.ts) --------------------------------------------

  /** Deletes whole record batches, oldest first, by time or size; returns records deleted. */
  enforceRetention(nowMs: number = Date.now()): Promise<number> {
    return enforceRetention(this.ctx, nowMs);
  }

  /** One pass of the log cleaner over the partitions of compacting topics. */
  compact(nowMs: number = Date.now(), budgetBytes: number = CLEANER_PASS_BYTES): Promise<CompactionSummary> {
    return compact(this.ctx, nowMs, budgetBytes);
  }

  // ---- consumer groups and key-value namespaces (log-groups.ts) -------------------------------

  commitOffsets(groupId: string, offsets: Array<TopicPartition & { offset: number }>): Promise<void> {
    return commitOffsets(this.ctx, groupId, offsets);
  }

  committedOffsets(groupId: string): Array<TopicPartition & { offset: number }> {
    return committedOffsets(this.ctx, groupId);
  }

  listGroups(): string[] {
    return listGroups(this.ctx);
  }

  deleteGroup(groupId: string): Promise<void> {
    return deleteGroup(this.ctx, groupId);
  }

  /** Applies the writes atomically (null values delete). */
  kvPut(writes: KeyValueWrite[]): Promise<void> {
    return kvPut(this.ctx, writes);
  }

  kvGet(namespace: string, key: string): string | undefined {
    return kvGet(this.ctx, namespace, key);
  }

  kvEntries(namespace: string, keyPrefix = ''): Array<{ key: string; value: string }> {
    return kvEntries(this.ctx, namespace, keyPrefix);
  }

  // ---- storage faults (log-storage.ts) --------------------------------------------------------

  /** The storage failure of the last failed or refused write (null once a write succeeded again), or a data file lost under the process: the worker's health. */
  get storageFault(): { reason: string; since: number } | null {
    return this.storage.storageFault;
  }

  /** Set while the device is full but writes still go into the space reserved ahead (see space-reserve.ts): the worker is degraded. */
  get spaceWarning(): string | null {
    return this.storage.spaceWarning;
  }

  /** False (and writes refused from then on) once data.mdb was deleted or replaced under the running process. */
  checkDataFileStillThere(): boolean {
    return this.storage.checkDataFileStillThere();
  }

  private backgroundRetention(): void {
    if (this.retentionRunning || this.storage.closed || this.storage.recovering || this.storage.reopening) return;
    this.retentionRunning = true;
    this.enforceRetention()
      .then(async (n) => {
        if (n > 0) this.opts.logger?.debug({ deleted: n }, 'embedded log retention deleted records');
        const c = await this.compact();
        if (c.removedRecords > 0) this.opts.logger?.debug({ ...c }, 'embedded log compaction removed records');
      })
      .catch((err: unknown) => {
        if (!this.storage.closed) this.opts.logger?.warn({ err }, 'embedded log retention failed');
      })
      .finally(() => {
        this.retentionRunning = false;
      });
  }
}
