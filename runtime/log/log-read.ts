/**
 * Reading the embedded log: records of a partition from an offset within a record and byte budget
 * (a corrupt batch fails the read naming its position, after the valid batches before it), and
 * Kafka's offset lookup by timestamp through the time index.
 */
import { ConnectException } from '../errors.ts';
import { CorruptChunkError, decodeChunkInto, findTimestampInChunk, type ReadBudget } from './chunk-decoder.ts';
import { keyOffset, keyPid, offsetKey, timeKey } from './store-keys.ts';
import type { LogContext } from './log-state.ts';
import { DEFAULT_READ_MAX_BYTES, indexTs } from './log-model.ts';
import type { LogRecord, TopicPartition } from './types.ts';

/**
 * Records of a partition from `fromOffset` (clamped to the log start offset), in offset order,
 * up to the high watermark. Defaults: no record limit, maxBytes 16 MiB (the first record is
 * returned whatever its size). Unknown topics/partitions read as empty.
 */
export function readRecords(
  ctx: LogContext,
  tp: TopicPartition,
  fromOffset: number,
  opts: { maxRecords?: number; maxBytes?: number } = {},
): LogRecord[] {
  ctx.storage.ensureOpen();
  if (!Number.isFinite(fromOffset))
    throw new ConnectException(`Invalid offset ${fromOffset}`, { code: 'TRIB_ERR_LOG_INVALID' });
  const loc = ctx.state.locate(tp);
  if (!loc || ctx.storage.reopening) return [];
  const { pid, st } = loc;
  const until = st.next;
  const from = Math.max(Math.floor(fromOffset), st.start);
  const out: LogRecord[] = [];
  const budget: ReadBudget = { records: opts.maxRecords ?? Infinity, bytes: opts.maxBytes ?? DEFAULT_READ_MAX_BYTES };
  if (from >= until || budget.records <= 0) return out;
  const base = ctx.state.chunkBaseFor(pid, from);
  let at = base;
  try {
    for (const { key, value } of ctx.storage.recordsDb.getRange({
      start: offsetKey(pid, base),
      end: offsetKey(pid, until),
    })) {
      at = keyOffset(key);
      if (!decodeChunkInto(value, at, from, until, tp.topic, tp.partition, out, budget) || budget.records <= 0) break;
    }
  } catch (err) {
    // As Kafka's fetcher: the records of the valid batches before a corrupt one are returned
    // first; the next read, starting at the corrupt batch, throws.
    if (err instanceof CorruptChunkError && out.length > 0) return out;
    throw ctx.state.readFailure(err, tp, at);
  }
  return out;
}

/**
 * Kafka ListOffsets by timestamp: the earliest retained offset whose timestamp is >= timestampMs,
 * or null if there is none. Uses the time index (max timestamp so far -> chunk), then scans.
 */
export function offsetForTimestamp(ctx: LogContext, tp: TopicPartition, timestampMs: number): number | null {
  ctx.storage.ensureOpen();
  const loc = ctx.state.locate(tp);
  if (!loc) return null;
  const { pid, st } = loc;
  if (st.next <= st.start) return null;
  let from = -1;
  for (const { key, value } of ctx.storage.timeDb.getRange({
    start: timeKey(pid, indexTs(timestampMs)),
    end: offsetKey(pid + 1, 0),
    limit: 1,
  })) {
    if (keyPid(key) === pid) from = value.readDoubleBE(0);
  }
  if (from < 0 || from >= st.next) return null;
  from = Math.max(from, st.start);
  for (const { key, value } of ctx.storage.chunksDb.getRange({
    start: offsetKey(pid, ctx.state.chunkBaseFor(pid, from)),
    end: offsetKey(pid, st.next),
  })) {
    if (value.readDoubleBE(8) < timestampMs) continue;
    const buf = ctx.storage.recordsDb.get(key);
    if (!buf) continue;
    let off: number | null;
    try {
      off = findTimestampInChunk(buf, keyOffset(key), st.start, st.next, timestampMs);
    } catch (err) {
      throw ctx.state.readFailure(err, tp, keyOffset(key));
    }
    if (off !== null) return off;
  }
  return null;
}
