/**
 * Retention and compaction of the embedded log, run as write-transaction callbacks: whole batches
 * deleted oldest first by time or size (Kafka's retention.ms / retention.bytes), and passes of the
 * log cleaner (log-cleaner.ts) over compacting topics. Each transaction first claims an upper bound
 * of the space it can take (space-reserve.ts), estimated from committed state.
 */
import { decodeChunkInfo } from './chunk-index.ts';
import { keyOffset, offsetKey, pidKey } from './store-keys.ts';
import { CLEANER_PASS_BYTES, CorruptBatchInPass, cleanPartition, needsCleaning } from './log-cleaner.ts';
import type { CleanerCheckpoint, CompactionSettings, PartitionCleaning } from './log-cleaner.ts';
import { rangeGrowth } from './space-reserve.ts';
import type { LogContext } from './log-state.ts';
import {
  cleanerKey,
  compactionOf,
  compacts,
  decodeHead,
  decodeTail,
  effectiveRetention,
  encodeTail,
  type BinDb,
  type CompactionSummary,
  type PartState,
  type TopicMeta,
} from './log-model.ts';

/**
 * Deletes whole record batches, oldest first: by time (a batch whose newest record is older than
 * nowMs - retentionMs) and by size (while the partition holds more than retentionBytes). The log
 * start offset moves, the end offset stays. 'compact' topics are skipped. Returns records deleted.
 */
export async function enforceRetention(ctx: LogContext, nowMs: number = Date.now()): Promise<number> {
  ctx.storage.ensureOpen();
  const touched = new Set<number>();
  if (ctx.storage.recovering || ctx.storage.reopening) await ctx.storage.writable();
  const deleted = await ctx.storage.transaction(ctx.storage.claimSpace(retentionGrowth(ctx, nowMs)), () => {
    let total = 0;
    for (const { value } of ctx.storage.metaDb.getRange({ start: 'topic:', end: 'topic;' })) {
      const meta = value as TopicMeta;
      const { retentionMs, retentionBytes } = effectiveRetention(meta, ctx.opts);
      if (meta.cleanupPolicy === 'compact' || (retentionMs < 0 && retentionBytes < 0)) continue; // 'compact,delete' does both
      for (const pid of meta.pids) {
        const n = retainPartitionTxn(ctx, pid, retentionMs, retentionBytes, nowMs);
        if (n > 0) {
          touched.add(pid);
          total += n;
        }
      }
    }
    return total;
  });
  ctx.state.refreshPartitions(touched);
  return deleted;
}

/** Runs inside the write transaction: sees every chunk committed or queued before it. */
function retainPartitionTxn(
  ctx: LogContext,
  pid: number,
  retentionMs: number,
  retentionBytes: number,
  nowMs: number,
): number {
  const head = decodeHead(ctx.storage.headsDb.get(pidKey(pid)));
  const tail = decodeTail(ctx.storage.tailsDb.get(pidKey(pid)));
  const {
    keys: victims,
    bytes: victimBytes,
    records: removed,
    start,
  } = retentionVictims(
    ctx.storage.chunksDb,
    pid,
    { start: tail.start, next: head.next, appended: head.appended, deleted: tail.deleted },
    retentionMs,
    retentionBytes,
    nowMs,
  );
  if (victims.length === 0) return 0;
  const bytes = head.appended - tail.deleted - victimBytes;
  for (const k of victims) {
    ctx.storage.recordsDb.remove(k);
    ctx.storage.chunksDb.remove(k);
  }
  // Time-index entries pointing below the new start: drop all but the last (lookups clamp it to the start).
  const stale: Buffer[] = [];
  for (const { key, value } of ctx.storage.timeDb.getRange({ start: offsetKey(pid, 0), end: offsetKey(pid + 1, 0) })) {
    if (value.readDoubleBE(0) >= start) break;
    stale.push(key);
  }
  stale.pop();
  for (const k of stale) ctx.storage.timeDb.remove(k);
  ctx.storage.tailsDb.put(pidKey(pid), encodeTail({ start, deleted: head.appended - bytes }));
  return removed;
}

/**
 * One pass of the log cleaner over the partitions of compacting topics (see log-cleaner.ts):
 * each partition in its own write transaction, at most `budgetBytes` of dirty batches read in the
 * pass (at least one batch). Returns what it removed.
 */
export async function compact(
  ctx: LogContext,
  nowMs: number = Date.now(),
  budgetBytes: number = CLEANER_PASS_BYTES,
): Promise<CompactionSummary> {
  ctx.storage.ensureOpen();
  const summary: CompactionSummary = { partitions: 0, removedRecords: 0, removedTombstones: 0, savedBytes: 0 };
  let budget = budgetBytes;
  for (const meta of [...ctx.state.topics.values()]) {
    if (!compacts(meta.cleanupPolicy)) continue;
    const settings = compactionOf(meta);
    for (let partition = 0; partition < meta.partitions && budget > 0; partition++) {
      const pid = meta.pids[partition];
      if (ctx.storage.closed) return summary;
      const st = ctx.state.parts.get(pid);
      const checkpoint = (ctx.storage.metaDb.get(cleanerKey(pid)) as CleanerCheckpoint | undefined) ?? {
        cleanedTo: 0,
        horizon: -1,
      };
      // idle partitions cost no write transaction (the transaction checks again on its own view)
      if (
        !st ||
        ctx.storage.reopening ||
        !needsCleaning(ctx.storage.chunksDb, pid, st.start, st.next, checkpoint, settings, nowMs)
      )
        continue;
      if (ctx.storage.recovering || ctx.storage.reopening) await ctx.storage.writable();
      const claim = ctx.storage.claimSpace(rangeGrowthOf(ctx, pid, 0, true));
      const done = await ctx.storage.transaction(claim, () => cleanPartitionTxn(ctx, pid, settings, nowMs, budget));
      if (done instanceof CorruptBatchInPass)
        throw ctx.state.readFailure(done.corruption, { topic: meta.name, partition }, done.offset);
      if (!done) continue;
      budget -= done.dirtyBytes;
      summary.partitions++;
      summary.removedRecords += done.removedRecords;
      summary.removedTombstones += done.removedTombstones;
      summary.savedBytes += done.savedBytes;
      ctx.state.refreshPartitions([pid]);
    }
  }
  return summary;
}

/** Runs inside the write transaction: the partition is rewritten with its checkpoint and byte count, or not at all. */
function cleanPartitionTxn(
  ctx: LogContext,
  pid: number,
  settings: CompactionSettings,
  nowMs: number,
  budget: number,
): PartitionCleaning | CorruptBatchInPass | null {
  const head = decodeHead(ctx.storage.headsDb.get(pidKey(pid)));
  const tail = decodeTail(ctx.storage.tailsDb.get(pidKey(pid)));
  if (head.next <= tail.start) return null; // empty, or the topic was deleted meanwhile
  const checkpoint = (ctx.storage.metaDb.get(cleanerKey(pid)) as CleanerCheckpoint | undefined) ?? {
    cleanedTo: 0,
    horizon: -1,
  };
  let done: PartitionCleaning | null;
  try {
    done = cleanPartition(
      ctx.storage.recordsDb,
      ctx.storage.chunksDb,
      pid,
      tail.start,
      head.next,
      checkpoint,
      settings,
      nowMs,
      budget,
    );
  } catch (err) {
    // thrown before the cleaner wrote anything: returned, so that the (empty) transaction commits
    if (err instanceof CorruptBatchInPass) return err;
    throw err;
  }
  if (!done) return null;
  ctx.storage.metaDb.put(cleanerKey(pid), done.checkpoint);
  if (done.savedBytes !== 0)
    ctx.storage.tailsDb.put(pidKey(pid), encodeTail({ start: tail.start, deleted: tail.deleted + done.savedBytes }));
  return done;
}

/** Growth bound of removing partition `pid`'s chunks from `from` on, or of rewriting all of them (`rewrite`: a compaction pass), from committed state. */
export function rangeGrowthOf(ctx: LogContext, pid: number, from: number, rewrite = false): number {
  const st = ctx.state.parts.get(pid);
  const bytes = st ? st.appended - st.deleted : 0;
  const chunks = ctx.storage.chunksDb.getKeysCount({ start: offsetKey(pid, from), end: offsetKey(pid + 1, 0) });
  return rangeGrowth(chunks, rewrite ? bytes : 0, bytes);
}

/** Growth bound of a retention pass: the batches it would delete now, from committed state. */
function retentionGrowth(ctx: LogContext, nowMs: number): number {
  let chunks = 0;
  let bytes = 0;
  for (const meta of ctx.state.topics.values()) {
    const { retentionMs, retentionBytes } = effectiveRetention(meta, ctx.opts);
    if (meta.cleanupPolicy === 'compact' || (retentionMs < 0 && retentionBytes < 0)) continue;
    for (const pid of meta.pids) {
      const v = retentionVictims(
        ctx.storage.chunksDb,
        pid,
        ctx.state.parts.get(pid),
        retentionMs,
        retentionBytes,
        nowMs,
      );
      chunks += v.keys.length;
      bytes += v.bytes;
    }
  }
  // appends committed between this estimate and the transaction may add victims: a margin
  return rangeGrowth(Math.ceil(chunks * 1.25) + 64, 0, bytes * 1.25);
}

/** The oldest batches of a partition that retention deletes now (by time or by size), and where the log then starts. */
function retentionVictims(
  chunksDb: BinDb,
  pid: number,
  st: PartState | undefined,
  retentionMs: number,
  retentionBytes: number,
  nowMs: number,
): { keys: Buffer[]; bytes: number; records: number; start: number } {
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
