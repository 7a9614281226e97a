/**
 * Encodes a produce request of one record batch (Kafka's record-batch v2, DefaultRecordBatch) in
 * one pass into a buffer of its exact size: kafkajs's encoder grows and copies its buffers per
 * field, which made it the largest CPU cost of producing. Produce request versions 3–8 share this
 * body: transactional id, acks, timeout, then topics → partitions → record batch.
 */
import type { LogHeader } from './types.ts';

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) tables for slicing by 8 bytes. */
const CRC_TABLES = (() => {
  const t = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) for (let k = 1; k < 8; k++) t[k][n] = (t[k - 1][n] >>> 8) ^ t[0][t[k - 1][n] & 0xff];
  return t;
})();

/** The CRC-32C of `buf` (the checksum of a v2 record batch). */
export function crc32C(buf: Buffer): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC_TABLES;
  let crc = 0xffffffff;
  let i = 0;
  const end8 = buf.length - (buf.length % 8);
  for (; i < end8; i += 8) {
    const a = (crc ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))) >>> 0;
    crc =
      t7[a & 0xff] ^
      t6[(a >>> 8) & 0xff] ^
      t5[(a >>> 16) & 0xff] ^
      t4[a >>> 24] ^
      t3[buf[i + 4]] ^
      t2[buf[i + 5]] ^
      t1[buf[i + 6]] ^
      t0[buf[i + 7]];
  }
  for (; i < buf.length; i++) crc = t0[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

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

const RECORDS_AT = 61;

function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (v >= 0x80) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

function sizeOfVarlong(value: number): number {
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (z >= 0x80) {
    z = Math.floor(z / 0x80);
    bytes++;
  }
  return bytes;
}

function writeVarint(buf: Buffer, at: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

function writeVarlong(buf: Buffer, at: number, value: number): number {
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  while (z >= 0x80) {
    buf[at++] = (z % 0x80) | 0x80;
    z = Math.floor(z / 0x80);
  }
  buf[at++] = z;
  return at;
}

function writeBytes(buf: Buffer, at: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, at, -1);
  at = writeVarint(buf, at, b.length);
  b.copy(buf, at);
  return at + b.length;
}

/** Each record's body size (its length prefix excluded) and the bytes of all records with their prefixes. */
function recordsLayout(records: EncodableRecord[], baseTimestamp: number): { bodies: number[]; total: number } {
  const bodies = new Array<number>(records.length);
  let total = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    let body = 1 + sizeOfVarlong(r.timestamp - baseTimestamp) + sizeOfVarint(i);
    body += r.key === null ? 1 : sizeOfVarint(r.key.length) + r.key.length;
    body += r.value === null ? 1 : sizeOfVarint(r.value.length) + r.value.length;
    body += sizeOfVarint(r.headers.length);
    for (const h of r.headers) {
      const k = Buffer.byteLength(h.key);
      body += sizeOfVarint(k) + k + (h.value === null ? 1 : sizeOfVarint(h.value.length) + h.value.length);
    }
    bodies[i] = body;
    total += sizeOfVarint(body) + body;
  }
  return { bodies, total };
}

function writeRecords(buf: Buffer, at: number, records: EncodableRecord[], baseTimestamp: number, bodies: number[]) {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    at = writeVarint(buf, at, bodies[i]);
    buf[at++] = 0; // attributes
    at = writeVarlong(buf, at, r.timestamp - baseTimestamp);
    at = writeVarint(buf, at, i);
    at = writeBytes(buf, at, r.key);
    at = writeBytes(buf, at, r.value);
    at = writeVarint(buf, at, r.headers.length);
    for (const h of r.headers) {
      const k = Buffer.from(h.key);
      at = writeBytes(buf, at, k);
      at = writeBytes(buf, at, h.value);
    }
  }
}

/** The records of a batch, encoded back to back (what a compressed batch compresses). */
export function encodeRecords(records: EncodableRecord[], baseTimestamp: number): Buffer {
  const { bodies, total } = recordsLayout(records, baseTimestamp);
  const buf = Buffer.allocUnsafe(total);
  writeRecords(buf, 0, records, baseTimestamp, bodies);
  return buf;
}

/** The smallest and largest timestamps of the records (the batch's base and max timestamp). */
export function timestampRange(records: EncodableRecord[]): { base: number; max: number } {
  let base = Infinity;
  let max = -Infinity;
  for (const r of records) {
    if (r.timestamp < base) base = r.timestamp;
    if (r.timestamp > max) max = r.timestamp;
  }
  return { base, max };
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
 * A produce request body (v3–v8) carrying one batch for one partition; `recordsSection` is what
 * encodeRecords returned, compressed with `header.codec` when that is not 0.
 */
export function encodeProduceRequest(opts: ProduceRequestFields & { recordsSection: Buffer }): Buffer {
  const section = opts.recordsSection;
  return produceRequest(opts, section.length, (buf, at) => section.copy(buf, at));
}

/**
 * The same request for an uncompressed batch, its records written straight into the request (one
 * buffer per request instead of two: the producer's largest allocations after kafkajs's framing).
 */
export function encodeUncompressedProduceRequest(opts: ProduceRequestFields, records: EncodableRecord[]): Buffer {
  const { bodies, total } = recordsLayout(records, opts.baseTimestamp);
  return produceRequest(opts, total, (buf, at) => writeRecords(buf, at, records, opts.baseTimestamp, bodies));
}

function produceRequest(
  opts: ProduceRequestFields,
  sectionLength: number,
  writeSection: (buf: Buffer, at: number) => void,
): Buffer {
  const topicBytes = Buffer.byteLength(opts.topic);
  const batchLength = RECORDS_AT + sectionLength;
  const prefix = 2 + 2 + 4 + 4 + 2 + topicBytes + 4 + 4 + 4;
  const buf = Buffer.allocUnsafe(prefix + batchLength);
  let at = 0;
  at = buf.writeInt16BE(-1, at); // transactional id: null
  at = buf.writeInt16BE(opts.acks, at);
  at = buf.writeInt32BE(opts.timeoutMs, at);
  at = buf.writeInt32BE(1, at); // one topic
  at = buf.writeInt16BE(topicBytes, at);
  at += buf.write(opts.topic, at, 'utf8');
  at = buf.writeInt32BE(1, at); // one partition
  at = buf.writeInt32BE(opts.partition, at);
  at = buf.writeInt32BE(batchLength, at);
  const batch = at;
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
  at = buf.writeInt32BE(opts.count, at);
  writeSection(buf, at);
  buf.writeUInt32BE(crc32C(buf.subarray(crcAt + 4, batch + batchLength)) >>> 0, crcAt);
  return buf;
}
