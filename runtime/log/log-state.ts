/**
 * The embedded log's caches: the committed state readers see (topics, partition start/end offsets,
 * advanced only once a write committed) and the write-side view appends assign offsets from
 * (committed state plus everything queued), the long-poll waiters woken by committed appends, and
 * how a failed read is reported (a corrupt batch names file, topic, partition and offset).
 */
import path from 'node:path';
import { ConnectException } from '../errors.ts';
import { CorruptChunkError } from './chunk-decoder.ts';
import { keyOffset, keyPid, offsetKey, pidKey } from './store-keys.ts';
import { DATA_FILE, describeStorageError } from './store-guard.ts';
import type { LogStorage } from './log-storage.ts';
import {
  CorruptRecordBatchError,
  FENCE_KEY,
  ZERO_HEAD,
  decodeHead,
  decodeTail,
  encodeHead,
  tpKey,
  type Head,
  type LogSettings,
  type Op,
  type PartState,
  type TopicMeta,
  type TopicSettings,
  type Waiter,
} from './log-model.ts';
import type { TopicPartition } from './types.ts';

/** What the modules of the log work on: its storage, its caches, its settings. */
export interface LogContext {
  storage: LogStorage;
  state: LogState;
  opts: LogSettings;
}

export class LogState {
  // committed state, for readers
  readonly topics = new Map<string, TopicMeta>();
  readonly parts = new Map<number, PartState>();
  /** partition id -> waiter key (topic NUL partition) */
  readonly pidTp = new Map<number, string>();
  // write-side view: committed state plus everything queued
  readonly wTopics = new Map<string, TopicMeta>();
  readonly wHeads = new Map<number, Head>();
  wNextPid = 1;
  readonly waiters = new Map<string, Set<Waiter>>();
  /** Topic name -> settles once the queued write creating it has committed (and the caches know it). */
  readonly creating = new Map<string, Promise<void>>();
  corruptSeen = 0;

  constructor(
    private readonly storage: LogStorage,
    private readonly opts: LogSettings,
  ) {}

  /** The path of the data file (for messages). */
  get dataFile(): string {
    return path.join(this.storage.realDir, DATA_FILE);
  }

  readFailure(err: unknown, tp: TopicPartition, offset: number): Error {
    if (err instanceof CorruptChunkError) {
      this.corruptSeen++;
      const e = new CorruptRecordBatchError(this.dataFile, tp.topic, tp.partition, offset, err.reason);
      this.opts.logger?.error(
        { file: this.dataFile, topic: tp.topic, partition: tp.partition, offset, reason: err.reason },
        'Corrupt record batch in the embedded log',
      );
      return e;
    }
    if (err instanceof ConnectException) return err;
    return new ConnectException(
      `Reading ${tp.topic}-${tp.partition} at offset ${offset} from the embedded log failed: ${describeStorageError(err, this.dataFile)}`,
      { code: 'TRIB_ERR_LOG_READ', cause: err },
    );
  }

  /** Registers topics whose creation is queued in `commit`, for createTopic calls that find them in the write view meanwhile. */
  async whileCreating(names: Iterable<string>, commit: Promise<void>): Promise<void> {
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

  /** Queues the creation of a topic (write view updated now). */
  planTopic(norm: TopicSettings, ops: Op[]): TopicMeta {
    const pids = Array.from({ length: norm.partitions }, (_, i) => this.wNextPid + i);
    this.wNextPid += norm.partitions;
    const meta: TopicMeta = { ...norm, pids, createdAt: Date.now() };
    this.wTopics.set(norm.name, meta);
    ops.push(
      { db: 'meta', key: 'nextPid', value: this.wNextPid },
      { db: 'meta', key: `topic:${norm.name}`, value: meta },
    );
    const zero = encodeHead(ZERO_HEAD);
    for (const pid of pids) {
      this.wHeads.set(pid, { ...ZERO_HEAD });
      ops.push({ db: 'heads', key: pidKey(pid), value: zero });
    }
    return meta;
  }

  loadWriteView(): void {
    this.wTopics.clear();
    this.wHeads.clear();
    this.wNextPid = (this.storage.metaDb.get('nextPid') as number | undefined) ?? 1;
    for (const { value } of this.storage.metaDb.getRange({ start: 'topic:', end: 'topic;' })) {
      const meta = value as TopicMeta;
      this.wTopics.set(meta.name, meta);
      for (const pid of meta.pids) this.wHeads.set(pid, decodeHead(this.storage.headsDb.get(pidKey(pid))));
    }
    const entry = this.storage.fenceDb.getEntry(FENCE_KEY);
    this.storage.fence = entry?.version ?? 0;
  }

  loadCommitted(): void {
    this.topics.clear();
    this.parts.clear();
    this.pidTp.clear();
    for (const { value } of this.storage.metaDb.getRange({ start: 'topic:', end: 'topic;' })) {
      const meta = value as TopicMeta;
      this.cacheTopic(meta);
      for (const pid of meta.pids) this.parts.set(pid, this.readPart(pid));
    }
  }

  readPart(pid: number): PartState {
    const head = decodeHead(this.storage.headsDb.get(pidKey(pid)));
    const tail = decodeTail(this.storage.tailsDb.get(pidKey(pid)));
    return { next: head.next, start: tail.start, appended: head.appended, deleted: tail.deleted };
  }

  cacheTopic(meta: TopicMeta): void {
    this.topics.set(meta.name, meta);
    meta.pids.forEach((pid, i) => this.pidTp.set(pid, tpKey(meta.name, i)));
  }

  /** Re-reads committed topic metadata into the cache. */
  refreshTopic(name: string): void {
    if (this.storage.closed) return; // closing: no reader may use the caches any more, and the environment may be gone
    const meta = this.storage.metaDb.get(`topic:${name}`) as TopicMeta | undefined;
    if (!meta) return;
    this.cacheTopic(meta);
    this.refreshPartitions(meta.pids);
  }

  /** Re-reads committed partition states into the cache and wakes long-polls. */
  refreshPartitions(pids: Iterable<number>): void {
    if (this.storage.closed) return;
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
  advanceHead(pid: number, next: number, appended: number): void {
    const cur = this.parts.get(pid);
    if (!cur || next <= cur.next) return;
    cur.next = next;
    cur.appended = appended;
    const k = this.pidTp.get(pid);
    if (k !== undefined) this.notify(k);
  }

  notify(k: string): void {
    const set = this.waiters.get(k);
    if (!set) return;
    const sep = k.lastIndexOf('\u0000');
    const end = this.endOffset({ topic: k.slice(0, sep), partition: Number(k.slice(sep + 1)) });
    for (const w of [...set]) if (end > w.after + 1) w.done(true);
  }

  /**
   * Long poll: resolves true as soon as the partition holds a record with an offset greater than
   * `afterOffset` (the last offset the caller has seen, i.e. its position - 1), that is once
   * endOffset(tp) > afterOffset + 1; false on timeout, abort or close. Works for topics that do not
   * exist yet. Wake-ups are in-process (appends through this instance).
   */
  waitForAppend(tp: TopicPartition, afterOffset: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.storage.closed || signal?.aborted) return Promise.resolve(false);
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

  locate(tp: TopicPartition): { pid: number; st: PartState } | undefined {
    const meta = this.topics.get(tp.topic);
    if (!meta || !(tp.partition >= 0 && tp.partition < meta.partitions)) return undefined;
    const pid = meta.pids[tp.partition];
    const st = this.parts.get(pid);
    return st ? { pid, st } : undefined;
  }

  /** Base offset of the chunk that holds `offset` (or `offset` itself if none is found). */
  chunkBaseFor(pid: number, offset: number): number {
    for (const key of this.storage.chunksDb.getKeys({ start: offsetKey(pid, offset), reverse: true, limit: 1 })) {
      if (keyPid(key) === pid) return keyOffset(key);
    }
    return offset;
  }

  /** Log end offset of a partition (0 for unknown ones). */
  endOffset(tp: TopicPartition): number {
    const loc = this.locate(tp);
    return loc ? loc.st.next : 0;
  }
}
