/**
 * Kafka's record-batch v2 (DefaultRecordBatch) and the produce request around one batch, written
 * into buffers of their exact size (kafkajs's encoder grows and copies its buffers per field, which
 * made it the largest CPU cost of producing); the records themselves are written by
 * RecordBatchBuilder as they are appended. Produce request versions 3–8 share this body:
 * transactional id, acks, timeout, then topics → partitions → record batch.
 */
import type { LogHeader } from './types.ts';
import { crc32c } from '../util/crc32c.ts';

export interface EncodableRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: LogHeader[];
  timestamp: number;
}

export interface BatchHeader {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  /** Kafka's codec id in the batch attributes (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  codec: number;
}

/** Where the records start in a record batch: after its 61-byte header. */
export const RECORDS_AT = 61;

export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (v >= 0x80) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

export function sizeOfVarlong(value: number): number {
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (z >= 0x80) {
    z = Math.floor(z / 0x80);
    bytes++;
  }
  return bytes;
}

export function writeVarint(buf: Buffer, at: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

export function writeVarlong(buf: Buffer, at: number, value: number): number {
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  while (z >= 0x80) {
    buf[at++] = (z % 0x80) | 0x80;
    z = Math.floor(z / 0x80);
  }
  buf[at++] = z;
  return at;
}

export interface ProduceRequestFields {
  acks: number;
  timeoutMs: number;
  topic: string;
  partition: number;
  count: number;
  baseTimestamp: number;
  maxTimestamp: number;
  header: BatchHeader;
}

/**
 * A produce request body (v3–v8) carrying one batch for one partition; `recordsSection` is the
 * batch's records (RecordBatchBuilder.records()), compressed with `header.codec` when that is not 0.
 */
export function encodeProduceRequest(opts: ProduceRequestFields & { recordsSection: Buffer }): Buffer {
  const section = opts.recordsSection;
  const batchLength = RECORDS_AT + section.length;
  const prefix = produceRequestPrefixSize(opts.topic);
  const buf = Buffer.allocUnsafe(prefix + batchLength);
  writeProduceRequestPrefix(buf, opts, batchLength);
  section.copy(buf, prefix + RECORDS_AT);
  writeBatchHeader(buf, prefix, batchLength, opts);
  return buf;
}

/** The request's bytes before its record batch: transactional id, acks, timeout, topic, partition, batch length. */
export function produceRequestPrefix(
  opts: Pick<ProduceRequestFields, 'acks' | 'timeoutMs' | 'topic' | 'partition'>,
  batchLength: number,
): Buffer {
  const buf = Buffer.allocUnsafe(produceRequestPrefixSize(opts.topic));
  writeProduceRequestPrefix(buf, opts, batchLength);
  return buf;
}

function produceRequestPrefixSize(topic: string): number {
  return 2 + 2 + 4 + 4 + 2 + Buffer.byteLength(topic) + 4 + 4 + 4;
}

function writeProduceRequestPrefix(
  buf: Buffer,
  opts: Pick<ProduceRequestFields, 'acks' | 'timeoutMs' | 'topic' | 'partition'>,
  batchLength: number,
): void {
  let at = 0;
  at = buf.writeInt16BE(-1, at); // transactional id: null
  at = buf.writeInt16BE(opts.acks, at);
  at = buf.writeInt32BE(opts.timeoutMs, at);
  at = buf.writeInt32BE(1, at); // one topic
  at = buf.writeInt16BE(Buffer.byteLength(opts.topic), at);
  at += buf.write(opts.topic, at, 'utf8');
  at = buf.writeInt32BE(1, at); // one partition
  at = buf.writeInt32BE(opts.partition, at);
  buf.writeInt32BE(batchLength, at);
}

/**
 * Writes the 61-byte header of the record batch at `batch` (its records follow it in `buf`, up
 * to batch + batchLength) and its checksum, the CRC-32C of attributes to the end.
 */
export function writeBatchHeader(
  buf: Buffer,
  batch: number,
  batchLength: number,
  opts: Pick<ProduceRequestFields, 'count' | 'baseTimestamp' | 'maxTimestamp' | 'header'>,
): void {
  let at = batch;
  at = buf.writeBigInt64BE(0n, at); // base offset
  at = buf.writeInt32BE(batchLength - 12, at);
  at = buf.writeInt32BE(-1, at); // partition leader epoch
  at = buf.writeInt8(2, at); // magic
  const crcAt = at;
  at += 4;
  at = buf.writeInt16BE(opts.header.codec & 0x7, at); // attributes: codec, create time, not transactional
  at = buf.writeInt32BE(opts.count - 1, at); // last offset delta
  at = buf.writeBigInt64BE(BigInt(opts.baseTimestamp), at);
  at = buf.writeBigInt64BE(BigInt(opts.maxTimestamp), at);
  at = buf.writeBigInt64BE(opts.header.producerId, at);
  at = buf.writeInt16BE(opts.header.producerEpoch, at);
  at = buf.writeInt32BE(opts.header.baseSequence, at);
  buf.writeInt32BE(opts.count, at);
  buf.writeUInt32BE(crc32c(buf, crcAt + 4, batch + batchLength), crcAt);
}
