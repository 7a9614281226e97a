/**
 * The log cleaner of the embedded log: Kafka's LogCleaner for one partition, run inside one LMDB
 * write transaction (so a partition is either rewritten completely or not at all).
 *
 * As Kafka's: the partition has a cleaned part (below the checkpoint `cleanedTo`) and a dirty part;
 * a pass builds a map key -> latest offset from the dirty batches (at most `budgetBytes` of them),
 * then rewrites every batch from the log start to the end of that dirty range, keeping a record
 * only if no later record of its key is in the map. The newest (active) batch is never cleaned,
 * nor are batches newer than min.compaction.lag.ms. Survivors keep their offsets (version-3
 * batches carry offset deltas), adjacent batches are merged up to the batch size limits, and
 * batches covering offsets but holding no record are kept empty, so the batch sequence, the log
 * start and the log end offsets do not change.
 *
 * Tombstones (key with a null value) as KIP-534: when a pass first keeps a tombstone, its batch
 * gets deleteHorizonMs = now + delete.retention.ms; a pass after that time drops it. Records
 * without a key are never removed (appends to compacted topics refuse them; older stores may hold
 * some).
 */
import type { Database } from 'lmdb';
import { CorruptChunkError, decodeChunkInto, verifyChunk } from './chunk-decoder.ts';
import { MAX_CHUNK_BYTES, MAX_CHUNK_RECORDS } from './chunk-format.ts';
import { decodeChunkInfo, encodeChunkInfo, type ChunkInfo } from './chunk-index.ts';
import { encodeCompactedChunk, type CompactedRecord } from './compacted-chunk.ts';
import { recordSize } from './chunk-encoder.ts';
import { keyOffset, offsetKey } from './store-keys.ts';
import type { LogRecord } from './types.ts';

type BinDb = Database<Buffer, Buffer>;

/** Kafka's delete.retention.ms default (1 day). */
export const DEFAULT_DELETE_RETENTION_MS = 86_400_000;
/** Dirty bytes one cleaner pass reads at most (over all partitions); at least one batch per partition. */
export const CLEANER_PASS_BYTES = 32 * 1024 * 1024;

/** Per-partition cleaner state (Kafka's cleaner-offset-checkpoint, plus the earliest tombstone horizon). */
export interface CleanerCheckpoint {
  /** Batches below this offset are cleaned. */
  cleanedTo: number;
  /** Earliest deleteHorizonMs of a cleaned batch that still holds tombstones; -1: none. */
  horizon: number;
}

export interface CompactionSettings {
  deleteRetentionMs: number;
  minCompactionLagMs: number;
}

export interface PartitionCleaning {
  checkpoint: CleanerCheckpoint;
  /** Records removed (superseded or expired tombstones). */
  removedRecords: number;
  removedTombstones: number;
  /** Stored bytes saved (old batches - new batches). */
  savedBytes: number;
  /** Dirty bytes read (counted against the pass budget). */
  dirtyBytes: number;
  rewrittenBatches: number;
}

/** A batch the cleaner could not read: its base offset and what is wrong (nothing was written). */
export class CorruptBatchInPass extends Error {
  constructor(
    readonly offset: number,
    readonly corruption: CorruptChunkError,
  ) {
    super(corruption.reason);
    this.name = 'CorruptBatchInPass';
  }
}

interface Batch extends ChunkInfo {
  base: number;
}

/** Output batch being assembled from adjacent input batches. */
interface Group {
  base: number;
  end: number;
  records: CompactedRecord[];
  bytes: number;
  horizon: number;
  emptyMaxTs: number;
  sources: Batch[];
  changed: boolean;
}

/** Index entries of the batches of partition `pid` in [start, end), oldest first. */
function listBatches(chunks: BinDb, pid: number, start: number, end: number): Batch[] {
  const batches: Batch[] = [];
  for (const { key, value } of chunks.getRange({ start: offsetKey(pid, start), end: offsetKey(pid, end) })) {
    batches.push({ base: keyOffset(key), ...decodeChunkInfo(value) });
  }
  return batches;
}

/** Where a pass would start and stop (batch indexes), or null if there is nothing to clean now. */
function planPass(
  batches: Batch[],
  checkpoint: CleanerCheckpoint,
  settings: CompactionSettings,
  nowMs: number,
): { dirty: number; uncleanable: number } | null {
  // the first uncleanable batch: the active one, or the first one younger than the compaction lag
  let uncleanable = batches.length - 1;
  if (settings.minCompactionLagMs > 0) {
    const newest = nowMs - settings.minCompactionLagMs;
    const young = batches.findIndex((b) => b.maxTs > newest);
    if (young >= 0 && young < uncleanable) uncleanable = young;
  }
  if (uncleanable <= 0) return null;
  let dirty = batches.findIndex((b) => b.base >= checkpoint.cleanedTo);
  if (dirty < 0) dirty = batches.length;
  const hasDirty = dirty < uncleanable;
  const tombstonesDue = checkpoint.horizon >= 0 && checkpoint.horizon <= nowMs;
  return hasDirty || tombstonesDue ? { dirty, uncleanable } : null;
}

/** Whether a pass over the partition would do anything (read-only; for skipping idle partitions without a write transaction). */
export function needsCleaning(
  chunks: BinDb,
  pid: number,
  start: number,
  end: number,
  checkpoint: CleanerCheckpoint,
  settings: CompactionSettings,
  nowMs: number,
): boolean {
  return end > start && planPass(listBatches(chunks, pid, start, end), checkpoint, settings, nowMs) !== null;
}

/**
 * Cleans partition `pid` (offsets [start, end)) once; must run inside the write transaction.
 * Returns null when there is nothing to do. Throws CorruptBatchInPass on a bad batch (before any
 * write: the partition stays as it was).
 */
export function cleanPartition(
  records: BinDb,
  chunks: BinDb,
  pid: number,
  start: number,
  end: number,
  checkpoint: CleanerCheckpoint,
  settings: CompactionSettings,
  nowMs: number,
  budgetBytes: number,
): PartitionCleaning | null {
  const batches = listBatches(chunks, pid, start, end);
  const plan = planPass(batches, checkpoint, settings, nowMs);
  if (!plan) return null;
  const { dirty, uncleanable } = plan;

  // dirty range of this pass: [dirty, passEnd), bounded by the budget (at least one batch)
  let passEnd = Math.min(dirty, uncleanable);
  let dirtyBytes = 0;
  while (passEnd < uncleanable && (passEnd === dirty || dirtyBytes + batches[passEnd].bytes <= budgetBytes)) {
    dirtyBytes += batches[passEnd].bytes;
    passEnd++;
  }
  const latest = new Map<string, number>();
  for (let i = dirty; i < passEnd; i++) {
    for (const r of readBatch(records, pid, batches[i]))
      if (r.key !== null) latest.set(r.key.toString('latin1'), r.offset);
  }

  const result: PartitionCleaning = {
    checkpoint: { cleanedTo: passEnd < batches.length ? batches[passEnd].base : end, horizon: -1 },
    removedRecords: 0,
    removedTombstones: 0,
    savedBytes: 0,
    dirtyBytes,
    rewrittenBatches: 0,
  };
  // Everything is read (and its checksum verified) before anything is written: a corrupt batch
  // throws with the partition untouched.
  const writes: Array<() => void> = [];
  let group: Group | null = null;
  const flush = (): void => {
    if (!group) return;
    const g = group;
    group = null;
    if (g.horizon >= 0 && (result.checkpoint.horizon < 0 || g.horizon < result.checkpoint.horizon))
      result.checkpoint.horizon = g.horizon;
    if (!g.changed && g.sources.length === 1) return;
    const buf = encodeCompactedChunk(g.base, g.end - g.base, g.records, g.horizon, g.emptyMaxTs);
    const k = offsetKey(pid, g.base);
    let maxTs = g.emptyMaxTs;
    if (g.records.length > 0) maxTs = Math.max(...g.records.map((r) => r.timestamp));
    const info = encodeChunkInfo(g.records.length, buf.length, maxTs, g.end - g.base);
    writes.push(() => {
      records.put(k, buf);
      chunks.put(k, info);
    });
    for (const s of g.sources) {
      result.savedBytes += s.bytes;
      if (s.base === g.base) continue;
      const gone = offsetKey(pid, s.base);
      writes.push(() => {
        records.remove(gone);
        chunks.remove(gone);
      });
    }
    result.savedBytes -= buf.length;
    result.rewrittenBatches++;
  };

  for (let i = 0; i < passEnd; i++) {
    const b = batches[i];
    const { header, records: all } = readBatchWithHeader(records, pid, b);
    const expired = header.deleteHorizonMs >= 0 && header.deleteHorizonMs <= nowMs;
    const kept: CompactedRecord[] = [];
    let keptTombstone = false;
    let keptBytes = 0;
    for (const r of all) {
      if (r.key !== null) {
        if ((latest.get(r.key.toString('latin1')) ?? -1) > r.offset) {
          result.removedRecords++;
          continue;
        }
        if (r.value === null) {
          if (expired) {
            result.removedRecords++;
            result.removedTombstones++;
            continue;
          }
          keptTombstone = true;
        }
      }
      kept.push(r);
      keptBytes += 4 + recordSize(r);
    }
    const horizon = !keptTombstone
      ? -1
      : header.deleteHorizonMs >= 0
        ? header.deleteHorizonMs
        : nowMs + settings.deleteRetentionMs;
    // rewritten if records go, or a tombstone needs its horizon stamped, or the horizon is stale
    const changed = kept.length < all.length || horizon !== header.deleteHorizonMs;
    const g = group as Group | null;
    const fits =
      g !== null &&
      g.bytes + keptBytes <= MAX_CHUNK_BYTES &&
      g.records.length + kept.length <= MAX_CHUNK_RECORDS &&
      b.base + b.span - g.base < 2 ** 32 &&
      (changed || g.changed);
    if (g !== null && fits) {
      for (const r of kept) g.records.push(r);
      g.bytes += keptBytes;
      g.end = b.base + b.span;
      g.horizon = Math.max(g.horizon, horizon);
      g.emptyMaxTs = Math.max(g.emptyMaxTs, b.maxTs);
      g.sources.push(b);
      g.changed = true;
    } else {
      flush();
      group = {
        base: b.base,
        end: b.base + b.span,
        records: kept,
        bytes: 32 + keptBytes,
        horizon,
        emptyMaxTs: b.maxTs,
        sources: [b],
        changed,
      };
    }
  }
  flush();
  for (const w of writes) w();
  return result;
}

function readBatchWithHeader(
  records: BinDb,
  pid: number,
  b: Batch,
): { header: ReturnType<typeof verifyChunk>; records: LogRecord[] } {
  const stored = records.get(offsetKey(pid, b.base));
  if (!stored)
    return {
      header: { version: 2, count: 0, maxTimestamp: b.maxTs, dataStart: 0, span: b.span, deleteHorizonMs: -1 },
      records: [],
    };
  // a private copy: the survivors are re-encoded after other reads of this transaction
  const buf = Buffer.from(stored);
  try {
    const header = verifyChunk(buf);
    const out: LogRecord[] = [];
    decodeChunkInto(buf, b.base, 0, Number.MAX_SAFE_INTEGER, '', 0, out, { records: Infinity, bytes: Infinity });
    return { header, records: out };
  } catch (err) {
    if (err instanceof CorruptChunkError) throw new CorruptBatchInPass(b.base, err);
    throw err;
  }
}

function readBatch(records: BinDb, pid: number, b: Batch): LogRecord[] {
  return readBatchWithHeader(records, pid, b).records;
}
