/**
 * One Fetch request (v4, read_committed) to a partition leader, outside any consumer group, on a
 * kafkajs broker connection. kafkajs's own response decoding drops record batches that hold no
 * record (a batch the log cleaner emptied, kept for its producer's state), so a reader positioned on
 * one could never get past it; this decoding keeps every batch, with the offset range it covers.
 * Fetch v4 is the first version with read_committed and is served by every broker since 0.11,
 * Kafka 4 included (KIP-896 removed only v0–v3).
 */
import { createRequire } from 'node:module';
import type { KafkajsBroker } from './kafkajs-internals.ts';
import { sendRequest } from './kafkajs-internals.ts';
import { crc32c } from '../util/crc32c.ts';

const require = createRequire(import.meta.url);

interface KafkajsDecoder {
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readString(): string;
  readBytes(n: number): Buffer;
  canReadBytes(n: number): boolean;
  readArray<T>(reader: (d: KafkajsDecoder) => T): T[];
}
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkajsDecoder;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  d: KafkajsDecoder,
) => Promise<KafkajsRecordBatch>;
const FETCH_V4_REQUEST = require('kafkajs/src/protocol/requests/fetch/v4/request') as (args: object) => {
  apiKey: number;
  apiVersion: number;
  apiName: string;
};

interface KafkajsRecordBatch {
  firstOffset: string;
  lastOffsetDelta: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  producerId: string;
  records: Array<{ offset: string; key: Buffer | null; value: Buffer | null }>;
}

const READ_COMMITTED = 1;
/** Fetch's api key, and the version this module encodes and decodes. */
const FETCH_API_KEY = 1;
const FETCH_VERSION = 4;
/** The record batch header up to and including its length field, and the magic byte's position. */
const BATCH_LENGTH_PREFIX = 12;
const MAGIC_OFFSET = 16;
/** The batch's CRC-32C, over everything after it. */
const CRC_OFFSET = 17;

export interface FetchedRecord {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

/** The records of a partition that a read_committed consumer sees, and where to fetch next. */
export interface FetchedPartition {
  topic: string;
  partition: number;
  /** The broker's error code for this partition, 0 when none. */
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  /** Committed data records, in offset order: control records and aborted transactions left out. */
  records: FetchedRecord[];
  /** The offset after the last whole batch returned (empty ones included); the fetch offset when none was. */
  nextOffset: number;
}

export interface FetchTarget {
  topic: string;
  partition: number;
  fetchOffset: number;
}

export interface FetchOptions {
  maxWaitMs: number;
  /** The response's bound; the first batch of the first partition is returned whole even past it. */
  maxBytes: number;
  partitionMaxBytes: number;
}

interface RawPartition {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  aborted: Array<{ producerId: string; firstOffset: number }>;
  recordSet: Buffer;
}

function decodeResponse(payload: Buffer): Array<{ topic: string; partitions: RawPartition[] }> {
  const d = new Decoder(payload);
  d.readInt32(); // throttle_time_ms
  return d.readArray((t) => ({
    topic: t.readString(),
    partitions: t.readArray((p) => {
      const partition = p.readInt32();
      const errorCode = p.readInt16();
      const highWatermark = Number(p.readInt64().toString());
      const lastStableOffset = Number(p.readInt64().toString());
      // A null array (length -1) reads as empty.
      const aborted = p.readArray((a) => ({
        producerId: a.readInt64().toString(),
        firstOffset: Number(a.readInt64().toString()),
      }));
      const size = p.readInt32();
      const recordSet = size > 0 ? p.readBytes(size) : Buffer.alloc(0);
      return { partition, errorCode, highWatermark, lastStableOffset, aborted, recordSet };
    }),
  }));
}

/**
 * The whole record batches at the start of `set` (a fetch may end in a partial one), each checked
 * against its CRC-32C as Kafka's consumer does with check.crcs=true: a corrupt batch is an error
 * naming where it is, never records read from damaged bytes.
 */
async function wholeBatches(set: Buffer, where: string): Promise<KafkajsRecordBatch[]> {
  const batches: KafkajsRecordBatch[] = [];
  let at = 0;
  while (at + BATCH_LENGTH_PREFIX <= set.length) {
    const length = set.readInt32BE(at + 8);
    const end = at + BATCH_LENGTH_PREFIX + length;
    if (end > set.length) break;
    const magic = set.readInt8(at + MAGIC_OFFSET);
    if (magic !== 2)
      throw new Error(`Fetched a message set of magic ${magic}; internal topics are read in record batches (magic 2)`);
    const stored = set.readUInt32BE(at + CRC_OFFSET);
    const computed = crc32c(set, at + CRC_OFFSET + 4, end);
    if (stored !== computed)
      throw new Error(
        `The record batch at offset ${set.readBigInt64BE(at)} of ${where} is corrupt: CRC-32C ${stored} stored, ${computed} computed`,
      );
    batches.push(await decodeRecordBatch(new Decoder(set.subarray(at, end))));
    at = end;
  }
  return batches;
}

/**
 * What Kafka's Java consumer hands out under read_committed: a batch of an aborted transaction is
 * skipped from its producer's first offset listed in `aborted` up to that producer's abort marker.
 */
function committedRecords(
  batches: KafkajsRecordBatch[],
  aborted: Array<{ producerId: string; firstOffset: number }>,
): FetchedRecord[] {
  const pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<string>();
  const out: FetchedRecord[] = [];
  for (const batch of batches) {
    const first = Number(batch.firstOffset);
    while (pending.length > 0 && pending[0].firstOffset <= first + batch.lastOffsetDelta)
      abortedProducers.add(pending.shift()!.producerId);
    if (batch.isControlBatch) {
      // Control record key: version (int16), type (int16, 0 = ABORT, 1 = COMMIT).
      const key = batch.records[0]?.key;
      if (key && key.length >= 4 && key.readInt16BE(2) === 0) abortedProducers.delete(batch.producerId);
      continue;
    }
    if (batch.inTransaction && abortedProducers.has(batch.producerId)) continue;
    for (const r of batch.records) out.push({ offset: Number(r.offset), key: r.key, value: r.value });
  }
  return out;
}

/**
 * The committed records of a partition's record set from `fetchOffset` on, and the offset after its
 * last whole batch (an empty batch moves it too; a partial batch at the end does not).
 */
export async function readRecordSet(
  set: Buffer,
  aborted: Array<{ producerId: string; firstOffset: number }>,
  fetchOffset: number,
  /** Where the set comes from, for errors. */
  where = 'the partition',
): Promise<{ records: FetchedRecord[]; nextOffset: number }> {
  const batches = await wholeBatches(set, where);
  const last = batches[batches.length - 1];
  const nextOffset = last ? Math.max(fetchOffset, Number(last.firstOffset) + last.lastOffsetDelta + 1) : fetchOffset;
  // A batch can start before the fetch offset (compressed batches are returned whole).
  const records = committedRecords(batches, aborted).filter((r) => r.offset >= fetchOffset);
  return { records, nextOffset };
}

/** Fetches `targets` (all led by `broker`) once, read_committed. */
export async function fetchPartitions(
  broker: KafkajsBroker,
  targets: FetchTarget[],
  opts: FetchOptions,
): Promise<FetchedPartition[]> {
  const byTopic = new Map<string, Array<{ partition: number; fetchOffset: string; maxBytes: number }>>();
  const fetchOffsets = new Map<string, number>();
  for (const t of targets) {
    const list = byTopic.get(t.topic) ?? [];
    list.push({ partition: t.partition, fetchOffset: String(t.fetchOffset), maxBytes: opts.partitionMaxBytes });
    byTopic.set(t.topic, list);
    fetchOffsets.set(`${t.topic}\u0000${t.partition}`, t.fetchOffset);
  }
  const request = FETCH_V4_REQUEST({
    replicaId: -1,
    isolationLevel: READ_COMMITTED,
    maxWaitTime: opts.maxWaitMs,
    minBytes: 1,
    maxBytes: opts.maxBytes,
    topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
  });
  if (request.apiKey !== FETCH_API_KEY || request.apiVersion !== FETCH_VERSION)
    throw new Error('kafkajs Fetch v4 request module changed');
  const raw = await sendRequest<Array<{ topic: string; partitions: RawPartition[] }>>(broker, {
    request,
    response: { decode: async (payload: Buffer) => decodeResponse(payload), parse: async (d: unknown) => d },
    // Fetch blocks up to maxWaitMs on the broker: time out only well after that.
    requestTimeout: opts.maxWaitMs + 30_000,
  });
  const out: FetchedPartition[] = [];
  for (const { topic, partitions } of raw) {
    for (const p of partitions) {
      const fetchOffset = fetchOffsets.get(`${topic}\u0000${p.partition}`) ?? 0;
      const base = { topic, partition: p.partition, highWatermark: p.highWatermark };
      if (p.errorCode !== 0) {
        out.push({
          ...base,
          errorCode: p.errorCode,
          lastStableOffset: p.lastStableOffset,
          records: [],
          nextOffset: fetchOffset,
        });
        continue;
      }
      const { records, nextOffset } = await readRecordSet(
        p.recordSet,
        p.aborted,
        fetchOffset,
        `topic ${topic} partition ${p.partition}`,
      );
      out.push({ ...base, errorCode: 0, lastStableOffset: p.lastStableOffset, records, nextOffset });
    }
  }
  return out;
}
