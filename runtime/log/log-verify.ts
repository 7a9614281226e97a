/**
 * Verification and recovery of the embedded log's partitions: every retained batch read and checked
 * (CRC32C, framing, batches following each other without gaps), and the operator's truncation of a
 * partition at its last valid batch (`tributary log verify` / `tributary log recover`).
 */
import { ConnectException } from '../errors.ts';
import { CorruptChunkError, verifyChunk } from './chunk-decoder.ts';
import { decodeChunkInfo } from './chunk-index.ts';
import { keyOffset, offsetKey, pidKey, u64 } from './store-keys.ts';
import type { CleanerCheckpoint } from './log-cleaner.ts';
import { rangeGrowthOf } from './log-retention.ts';
import type { LogContext } from './log-state.ts';
import {
  cleanerKey,
  decodeTail,
  encodeHead,
  encodeTail,
  unknownPartition,
  type PartitionVerification,
  type RecoveryResult,
  type TopicMeta,
} from './log-model.ts';
import type { TopicPartition } from './types.ts';

/**
 * Reads and checks every retained batch of every partition (of `topic` only, if given): the
 * CRC32C of each batch, its framing, and that batches follow each other without gaps. The first
 * bad batch of a partition is reported (what follows it is not trusted either).
 */
export function verify(ctx: LogContext, opts: { topic?: string } = {}): PartitionVerification[] {
  ctx.storage.ensureOpen();
  const out: PartitionVerification[] = [];
  const topics =
    opts.topic === undefined
      ? [...ctx.state.topics.values()]
      : [ctx.state.topics.get(opts.topic)].filter((m): m is TopicMeta => m !== undefined);
  if (opts.topic !== undefined && topics.length === 0)
    throw new ConnectException(`Topic ${opts.topic} does not exist in the embedded log ${ctx.state.dataFile}`, {
      code: 'TRIB_ERR_LOG_UNKNOWN_TOPIC',
    });
  for (const meta of topics) {
    for (let partition = 0; partition < meta.partitions; partition++) out.push(verifyPartition(ctx, meta, partition));
  }
  return out;
}

function verifyPartition(ctx: LogContext, meta: TopicMeta, partition: number): PartitionVerification {
  const pid = meta.pids[partition];
  const st = ctx.state.parts.get(pid) ?? { next: 0, start: 0, appended: 0, deleted: 0 };
  const r: PartitionVerification = {
    topic: meta.name,
    partition,
    startOffset: st.start,
    endOffset: st.next,
    batches: 0,
    records: 0,
    unverifiedBatches: 0,
    compactedBatches: 0,
    corrupt: null,
  };
  const first = ctx.state.chunkBaseFor(pid, st.start);
  let expected = -1;
  let at = first;
  try {
    for (const { key, value } of ctx.storage.recordsDb.getRange({
      start: offsetKey(pid, first),
      end: offsetKey(pid, st.next),
    })) {
      at = keyOffset(key);
      if (expected >= 0 && at !== expected)
        throw new CorruptChunkError(`batch expected at offset ${expected} is missing (next batch starts at ${at})`);
      const h = verifyChunk(value);
      const info = ctx.storage.chunksDb.get(key);
      if (info && decodeChunkInfo(info).count !== h.count)
        throw new CorruptChunkError(
          `batch holds ${h.count} records, its index entry says ${decodeChunkInfo(info).count}`,
        );
      if (info && decodeChunkInfo(info).span !== h.span)
        throw new CorruptChunkError(
          `batch covers ${h.span} offsets, its index entry says ${decodeChunkInfo(info).span}`,
        );
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
    if (!(err instanceof CorruptChunkError)) throw ctx.state.readFailure(err, { topic: meta.name, partition }, at);
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
export async function recoverPartition(ctx: LogContext, tp: TopicPartition): Promise<RecoveryResult> {
  ctx.storage.ensureOpen();
  const meta = ctx.state.topics.get(tp.topic);
  if (!meta)
    throw new ConnectException(`Topic ${tp.topic} does not exist in the embedded log ${ctx.state.dataFile}`, {
      code: 'TRIB_ERR_LOG_UNKNOWN_TOPIC',
    });
  if (!(tp.partition >= 0 && tp.partition < meta.partitions))
    throw unknownPartition(tp.topic, tp.partition, meta.partitions);
  const check = verifyPartition(ctx, meta, tp.partition);
  const result: RecoveryResult = {
    topic: tp.topic,
    partition: tp.partition,
    truncatedTo: check.endOffset,
    previousEndOffset: check.endOffset,
    removedRecords: 0,
    groupsRewound: [],
  };
  if (!check.corrupt) return result;
  const cut = check.corrupt.offset;
  const pid = meta.pids[tp.partition];
  if (ctx.storage.recovering || ctx.storage.reopening) await ctx.storage.writable();
  await ctx.storage.transaction(ctx.storage.claimSpace(rangeGrowthOf(ctx, pid, cut)), () => {
    const range = { start: offsetKey(pid, cut), end: offsetKey(pid + 1, 0) };
    for (const db of [ctx.storage.recordsDb, ctx.storage.chunksDb])
      for (const k of Array.from(db.getKeys(range))) db.remove(k);
    let keptBytes = 0;
    for (const { value } of ctx.storage.chunksDb.getRange({ start: offsetKey(pid, 0), end: offsetKey(pid + 1, 0) }))
      keptBytes += decodeChunkInfo(value).bytes;
    // time index: drop entries pointing at removed batches; the indexed max timestamp is recomputed
    let indexedTs = -1;
    for (const { key, value } of Array.from(
      ctx.storage.timeDb.getRange({ start: offsetKey(pid, 0), end: offsetKey(pid + 1, 0) }),
    )) {
      if (value.readDoubleBE(0) >= cut) ctx.storage.timeDb.remove(key);
      else indexedTs = keyOffset(key);
    }
    const tail = decodeTail(ctx.storage.tailsDb.get(pidKey(pid)));
    ctx.storage.headsDb.put(pidKey(pid), encodeHead({ next: cut, appended: tail.deleted + keptBytes, indexedTs }));
    // what is appended after the cut is not cleaned yet
    const cleaner = ctx.storage.metaDb.get(cleanerKey(pid)) as CleanerCheckpoint | undefined;
    if (cleaner && cleaner.cleanedTo > cut) ctx.storage.metaDb.put(cleanerKey(pid), { ...cleaner, cleanedTo: cut });
    if (tail.start > cut) ctx.storage.tailsDb.put(pidKey(pid), encodeTail({ start: cut, deleted: tail.deleted }));
    for (const { key, value } of Array.from(ctx.storage.groupsDb.getRange({}))) {
      const sep = key.indexOf(0);
      const rest = key.subarray(sep + 1);
      const sep2 = rest.indexOf(0);
      if (rest.toString('utf8', 0, sep2) !== tp.topic || rest.readUInt32BE(sep2 + 1) !== tp.partition) continue;
      if (value.readDoubleBE(0) > cut) {
        ctx.storage.groupsDb.put(key, u64(cut));
        result.groupsRewound.push(key.toString('utf8', 0, sep));
      }
    }
  });
  // Reload the caches: the head moved back, which the append path never does.
  ctx.storage.reload();
  result.truncatedTo = cut;
  result.removedRecords = check.endOffset - cut;
  return result;
}
