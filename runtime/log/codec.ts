/**
 * Binary layouts of the embedded log. Records are stored in batches ("chunks"), one LMDB entry per
 * chunk, like Kafka's record batches: an append of 500 records costs a few LMDB puts, not 500.
 *
 * Chunk (the value of a `records` entry, keyed by partition id + base offset), version 2:
 *   u8 magic 0x54 | u8 version 2 | u16 reserved | u32 crc | u32 count | f64 maxTimestamp | records...
 * `crc` is the CRC32C of everything after it (count, max timestamp, records), as in Kafka's record
 * batches; every read verifies it. Version 1 (stores written before checksums) has no crc:
 *   u8 magic 0x54 | u8 version 1 | u16 reserved | u32 count | f64 maxTimestamp | records...
 * and is still read: its framing is checked (the record lengths must add up to the batch), the
 * bytes cannot be. Version 3 is written only by the log cleaner (compaction), whose batches have
 * gaps, so each record carries its offset delta from the batch's base (Kafka's offsetDelta):
 *   u8 magic 0x54 | u8 version 3 | u16 reserved | u32 crc | u32 count | f64 maxTimestamp
 *   | u32 span | f64 deleteHorizonMs | per record: u32 offsetDelta | record
 * `span` is how many offsets the batch covers (the next batch starts at base + span, as Kafka's
 * lastOffsetDelta keeps a compacted batch's last offset); deltas are strictly increasing and below
 * the span. `deleteHorizonMs` (KIP-534): once the time passes, the cleaner drops the batch's
 * tombstones; -1 = none set. The crc covers everything after it, as in version 2.
 * Appends keep writing version 2: offsets there are dense (base + index), 4 bytes per record
 * smaller, and the framing does not depend on the offset, so chunks are encoded before the write
 * transaction assigns offsets.
 * Record (versions 1 and 2: offset = chunk base + index):
 *   u32 length of what follows | f64 timestamp | i32 keyLength (-1 = null) | key
 *   | i32 valueLength (-1 = null) | value | u32 headerCount
 *   | per header: u32 keyLength | key (UTF-8) | i32 valueLength (-1 = null) | value
 * All integers big-endian.
 */
import { crc32c } from './crc32c.ts';
import type { AppendRecord, LogHeader, LogRecord } from './types.ts';

export const CHUNK_MAGIC = 0x54;
export const CHUNK_VERSION = 2;
/** Header size of the current version. */
export const CHUNK_HEADER_BYTES = 20;
const V1_HEADER_BYTES = 16;
/** Header size of version 3 (compacted batches). */
export const V3_HEADER_BYTES = 32;
/** Version of the batches the log cleaner writes. */
export const COMPACTED_CHUNK_VERSION = 3;
/** Where the checksummed part of a version-2 chunk starts (after the crc field). */
const CRC_FROM = 8;
/** A chunk closes when adding the next record would make it bigger than this (a single bigger record gets a chunk of its own). */
export const MAX_CHUNK_BYTES = 256 * 1024;
/** ...or when it holds this many records. */
export const MAX_CHUNK_RECORDS = 4096;

const TWO_32 = 4294967296;

export interface EncodedChunk {
  /** Index of the first record of the chunk within the appended batch: its offset is base + first. */
  first: number;
  count: number;
  maxTimestamp: number;
  buf: Buffer;
}

function byteLen(b: Buffer | Uint8Array | null | undefined): number {
  return b == null ? 0 : b.length;
}

/** Encoded size of one record, framing included. */
export function recordSize(r: AppendRecord): number {
  let size = 4 + 8 + 4 + byteLen(r.key) + 4 + byteLen(r.value) + 4;
  const hs = r.headers;
  if (hs !== undefined) {
    for (let i = 0; i < hs.length; i++) size += 4 + Buffer.byteLength(hs[i].key, 'utf8') + 4 + byteLen(hs[i].value);
  }
  return size;
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
/** Whether the platform is little-endian (then the bytes of a double are reversed for big-endian). */
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function putU32(buf: Buffer, p: number, v: number): void {
  buf[p] = v >>> 24;
  buf[p + 1] = v >>> 16;
  buf[p + 2] = v >>> 8;
  buf[p + 3] = v;
}

function putF64(buf: Buffer, p: number, v: number): void {
  f64[0] = v;
  if (LE) {
    buf[p] = f64Bytes[7];
    buf[p + 1] = f64Bytes[6];
    buf[p + 2] = f64Bytes[5];
    buf[p + 3] = f64Bytes[4];
    buf[p + 4] = f64Bytes[3];
    buf[p + 5] = f64Bytes[2];
    buf[p + 6] = f64Bytes[1];
    buf[p + 7] = f64Bytes[0];
  } else {
    for (let i = 0; i < 8; i++) buf[p + i] = f64Bytes[i];
  }
}

/** Writes one record at `p` (`size` from recordSize), returns the position after it. Negative lengths (-1 = null) are written as two's complement. */
export function writeRecord(buf: Buffer, p: number, r: AppendRecord, size: number, timestamp: number): number {
  putU32(buf, p, size - 4);
  putF64(buf, p + 4, timestamp);
  p += 12;
  const k = r.key;
  if (k == null) {
    putU32(buf, p, 0xffffffff);
    p += 4;
  } else {
    putU32(buf, p, k.length);
    if (k.length > 0) buf.set(k, p + 4);
    p += 4 + k.length;
  }
  const v = r.value;
  if (v == null) {
    putU32(buf, p, 0xffffffff);
    p += 4;
  } else {
    putU32(buf, p, v.length);
    if (v.length > 0) buf.set(v, p + 4);
    p += 4 + v.length;
  }
  const hs = r.headers;
  const hn = hs === undefined ? 0 : hs.length;
  putU32(buf, p, hn);
  p += 4;
  for (let i = 0; i < hn; i++) {
    const h = hs![i];
    const kl = buf.write(h.key, p + 4, 'utf8');
    putU32(buf, p, kl);
    p += 4 + kl;
    const hv = h.value;
    if (hv == null) {
      putU32(buf, p, 0xffffffff);
      p += 4;
    } else {
      putU32(buf, p, hv.length);
      if (hv.length > 0) buf.set(hv, p + 4);
      p += 4 + hv.length;
    }
  }
  return p;
}

/**
 * Encodes `records` into chunks of at most MAX_CHUNK_BYTES / MAX_CHUNK_RECORDS. Records without a
 * timestamp get `now`. Throws on malformed input (so that nothing is written).
 */
export function encodeChunks(
  records: AppendRecord[],
  now: number,
  alloc: (size: number) => Buffer = allocChunk,
): EncodedChunk[] {
  const n = records.length;
  const sizes = new Array<number>(n);
  const out: EncodedChunk[] = [];
  let first = 0;
  let bytes = CHUNK_HEADER_BYTES;
  for (let i = 0; i <= n; i++) {
    let size = 0;
    if (i < n) {
      const r = records[i];
      validateRecord(r, i);
      size = recordSize(r);
      sizes[i] = size;
    }
    const count = i - first;
    if (i === n || (count > 0 && (bytes + size > MAX_CHUNK_BYTES || count >= MAX_CHUNK_RECORDS))) {
      if (count > 0) out.push(writeChunk(records, sizes, first, i, alloc(bytes), now));
      first = i;
      bytes = CHUNK_HEADER_BYTES;
    }
    bytes += size;
  }
  return out;
}

function allocChunk(size: number): Buffer {
  return Buffer.allocUnsafe(size);
}

/**
 * Recycles chunk buffers (MAX_CHUNK_BYTES each): `alloc` hands out a view of a pooled buffer for
 * chunks that fit, `release` returns them once the bytes are no longer needed (after the write
 * committed). Saves allocating (and page-faulting, and collecting) a fresh buffer per append.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly maxPooled = 64) {}

  alloc(size: number, taken: Buffer[]): Buffer {
    if (size > MAX_CHUNK_BYTES) return Buffer.allocUnsafe(size);
    const block = this.free.pop() ?? Buffer.allocUnsafeSlow(MAX_CHUNK_BYTES);
    taken.push(block);
    return block.subarray(0, size);
  }

  release(taken: Buffer[]): void {
    for (const b of taken) if (this.free.length < this.maxPooled) this.free.push(b);
    taken.length = 0;
  }
}

function writeChunk(
  records: AppendRecord[],
  sizes: number[],
  from: number,
  to: number,
  buf: Buffer,
  now: number,
): EncodedChunk {
  buf[0] = CHUNK_MAGIC;
  buf[1] = CHUNK_VERSION;
  buf.writeUInt16BE(0, 2);
  buf.writeUInt32BE(to - from, 8);
  let maxTs = -Infinity;
  let p = CHUNK_HEADER_BYTES;
  for (let i = from; i < to; i++) {
    const r = records[i];
    const ts = r.timestamp ?? now;
    if (ts > maxTs) maxTs = ts;
    p = writeRecord(buf, p, r, sizes[i], ts);
  }
  buf.writeDoubleBE(maxTs, 12);
  buf.writeUInt32BE(crc32c(buf, CRC_FROM, buf.length), 4);
  return { first: from, count: to - from, maxTimestamp: maxTs, buf };
}

function validateRecord(r: AppendRecord, i: number): void {
  if (r === null || typeof r !== 'object') throw new TypeError(`Record ${i} is not an object`);
  if (r.key != null && !(r.key instanceof Uint8Array)) throw new TypeError(`Record ${i}: key must be a Buffer or null`);
  if (r.value != null && !(r.value instanceof Uint8Array))
    throw new TypeError(`Record ${i}: value must be a Buffer or null`);
  if (r.timestamp !== undefined && !Number.isFinite(r.timestamp))
    throw new TypeError(`Record ${i}: timestamp must be a finite number`);
  const hs = r.headers;
  if (hs !== undefined) {
    if (!Array.isArray(hs)) throw new TypeError(`Record ${i}: headers must be an array`);
    for (const h of hs) {
      if (h === null || typeof h !== 'object' || typeof h.key !== 'string')
        throw new TypeError(`Record ${i}: header keys must be strings`);
      if (h.value != null && !(h.value instanceof Uint8Array))
        throw new TypeError(`Record ${i}: header values must be Buffers or null`);
    }
  }
}

/** A record batch whose bytes are not what was written: `reason` says how. */
export class CorruptChunkError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CorruptChunkError';
  }
}

export interface ChunkHeader {
  version: number;
  count: number;
  maxTimestamp: number;
  /** Where the first record starts. */
  dataStart: number;
  /** Offsets the batch covers (= count for versions 1 and 2, whose offsets are dense). */
  span: number;
  /** Version 3: when the cleaner may drop the batch's tombstones; -1: not set. */
  deleteHorizonMs: number;
}

/** Reads a chunk's header (either version); throws CorruptChunkError if it is not one. */
export function chunkHeader(buf: Buffer): ChunkHeader {
  if (buf.length < V1_HEADER_BYTES || buf[0] !== CHUNK_MAGIC)
    throw new CorruptChunkError(`not a record batch (magic 0x${(buf[0] ?? 0).toString(16)}, ${buf.length} bytes)`);
  const version = buf[1];
  if (version === 2) {
    if (buf.length < CHUNK_HEADER_BYTES)
      throw new CorruptChunkError(`record batch of ${buf.length} bytes is shorter than its header`);
    if (buf[2] !== 0 || buf[3] !== 0)
      throw new CorruptChunkError(`reserved header bytes are 0x${buf.readUInt16BE(2).toString(16)}, not 0`);
    const count = buf.readUInt32BE(8);
    return {
      version,
      count,
      maxTimestamp: buf.readDoubleBE(12),
      dataStart: CHUNK_HEADER_BYTES,
      span: count,
      deleteHorizonMs: -1,
    };
  }
  if (version === 3) {
    if (buf.length < V3_HEADER_BYTES)
      throw new CorruptChunkError(`record batch of ${buf.length} bytes is shorter than its header`);
    if (buf[2] !== 0 || buf[3] !== 0)
      throw new CorruptChunkError(`reserved header bytes are 0x${buf.readUInt16BE(2).toString(16)}, not 0`);
    const count = buf.readUInt32BE(8);
    const span = buf.readUInt32BE(20);
    if (count > span) throw new CorruptChunkError(`batch of ${count} records claims to cover only ${span} offsets`);
    return {
      version,
      count,
      maxTimestamp: buf.readDoubleBE(12),
      dataStart: V3_HEADER_BYTES,
      span,
      deleteHorizonMs: buf.readDoubleBE(24),
    };
  }
  if (version === 1) {
    const count = buf.readUInt32BE(4);
    return {
      version,
      count,
      maxTimestamp: buf.readDoubleBE(8),
      dataStart: V1_HEADER_BYTES,
      span: count,
      deleteHorizonMs: -1,
    };
  }
  throw new CorruptChunkError(`unknown record batch version ${version}`);
}

/** Checks a chunk's header; returns its record count. */
export function chunkCount(buf: Buffer): number {
  return chunkHeader(buf).count;
}

/**
 * Checks a whole chunk: the CRC32C of version 2, and for both versions that the record framing
 * adds up to the batch (so decoding can never read past it). Returns the header; throws
 * CorruptChunkError with what is wrong.
 */
export function verifyChunk(buf: Buffer): ChunkHeader {
  const h = chunkHeader(buf);
  if (h.version >= 2) {
    const stored = buf.readUInt32BE(4);
    const computed = crc32c(buf, CRC_FROM, buf.length);
    if (stored !== computed)
      throw new CorruptChunkError(
        `CRC32C mismatch (stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')})`,
      );
  }
  let p = h.dataStart;
  const withDelta = h.version === 3;
  let prevDelta = -1;
  for (let i = 0; i < h.count; i++) {
    if (withDelta) {
      if (p + 4 > buf.length)
        throw new CorruptChunkError(`record ${i} of ${h.count} starts past the end of the ${buf.length}-byte batch`);
      const delta = buf.readUInt32BE(p);
      if (delta <= prevDelta || delta >= h.span)
        throw new CorruptChunkError(
          `record ${i}: offset delta ${delta} is not above ${prevDelta} and below the batch's span ${h.span}`,
        );
      prevDelta = delta;
      p += 4;
    }
    if (p + 4 > buf.length)
      throw new CorruptChunkError(`record ${i} of ${h.count} starts past the end of the ${buf.length}-byte batch`);
    p += 4 + buf.readUInt32BE(p);
  }
  if (p !== buf.length) throw new CorruptChunkError(`record lengths add up to ${p} bytes, the batch has ${buf.length}`);
  return h;
}

export interface ReadBudget {
  /** Records still wanted. */
  records: number;
  /** Bytes still wanted (record framing sizes); the first record of a read is returned whatever its size. */
  bytes: number;
}

/**
 * Decodes the records of the chunk at `base` whose offsets are in [from, until) into `out`, within
 * `budget` (decremented). Returns false once the budget is exhausted. Keys, values and header values
 * are views on `buf` (which lmdb-js hands out as a private copy).
 */
export function decodeChunkInto(
  buf: Buffer,
  base: number,
  from: number,
  until: number,
  topic: string,
  partition: number,
  out: LogRecord[],
  budget: ReadBudget,
): boolean {
  const h = verifyChunk(buf);
  const before = out.length;
  try {
    return decodeRecords(buf, h, base, from, until, topic, partition, out, budget);
  } catch (err) {
    // Framing inside a record (key/value/header lengths) that does not fit: only a version-1
    // batch can get here, since a version-2 batch passed its checksum.
    out.length = before;
    if (err instanceof RangeError) throw new CorruptChunkError(`record framing runs past the batch (${err.message})`);
    throw err;
  }
}

function decodeRecords(
  buf: Buffer,
  h: ChunkHeader,
  base: number,
  from: number,
  until: number,
  topic: string,
  partition: number,
  out: LogRecord[],
  budget: ReadBudget,
): boolean {
  let p = h.dataStart;
  const withDelta = h.version === 3;
  for (let i = 0; i < h.count; i++) {
    let off = base + i;
    if (withDelta) {
      off = base + buf.readUInt32BE(p);
      p += 4;
    }
    if (off >= until) break;
    const len = buf.readUInt32BE(p);
    if (off < from) {
      p += 4 + len;
      continue;
    }
    const size = len + 4;
    if (budget.records <= 0 || (size > budget.bytes && out.length > 0)) return false;
    const recordEnd = p + size;
    const timestamp = buf.readDoubleBE(p + 4);
    p += 12;
    let key: Buffer | null = null;
    const kl = buf.readInt32BE(p);
    p += 4;
    if (kl >= 0) {
      key = buf.subarray(p, p + kl);
      p += kl;
    }
    let value: Buffer | null = null;
    const vl = buf.readInt32BE(p);
    p += 4;
    if (vl >= 0) {
      value = buf.subarray(p, p + vl);
      p += vl;
    }
    const hn = buf.readUInt32BE(p);
    p += 4;
    // each header takes at least 8 bytes: a count beyond that is garbage, not an allocation to make
    if (hn > (recordEnd - p) / 8)
      throw new CorruptChunkError(`record at offset ${off}: header count ${hn} does not fit its ${size} bytes`);
    const headers: LogHeader[] = hn > 0 ? new Array<LogHeader>(hn) : [];
    if (hn > 0) {
      for (let h = 0; h < hn; h++) {
        const hkl = buf.readUInt32BE(p);
        const hkey = buf.toString('utf8', p + 4, p + 4 + hkl);
        p += 4 + hkl;
        const hvl = buf.readInt32BE(p);
        p += 4;
        let hval: Buffer | null = null;
        if (hvl >= 0) {
          hval = buf.subarray(p, p + hvl);
          p += hvl;
        }
        headers[h] = { key: hkey, value: hval };
      }
    }
    if (p !== recordEnd)
      throw new CorruptChunkError(
        `record at offset ${off}: its fields take ${p - recordEnd + size} bytes, its length says ${size}`,
      );
    out.push({ topic, partition, offset: off, timestamp, key, value, headers });
    budget.records--;
    budget.bytes -= size;
  }
  return true;
}

/** First offset in [from, until) of the chunk at `base` whose timestamp is >= target, or null. */
export function findTimestampInChunk(
  buf: Buffer,
  base: number,
  from: number,
  until: number,
  target: number,
): number | null {
  const { count, dataStart, version } = verifyChunk(buf);
  let p = dataStart;
  for (let i = 0; i < count; i++) {
    let off = base + i;
    if (version === 3) {
      off = base + buf.readUInt32BE(p);
      p += 4;
    }
    if (off >= until) break;
    const len = buf.readUInt32BE(p);
    if (off >= from && buf.readDoubleBE(p + 4) >= target) return off;
    p += 4 + len;
  }
  return null;
}

/** A record as the cleaner keeps it: its original offset and fields. */
export interface CompactedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: LogHeader[];
}

/**
 * Encodes the records the cleaner kept from the batches covering [base, base + span) as one
 * version-3 batch (offsets kept as deltas from `base`). `emptyMaxTimestamp` is the max timestamp
 * recorded for a batch left without records (it still covers its offsets, so retention by time
 * and the batch sequence work as before).
 */
export function encodeCompactedChunk(
  base: number,
  span: number,
  records: CompactedRecord[],
  deleteHorizonMs: number,
  emptyMaxTimestamp: number,
): Buffer {
  if (!(span >= 1 && span < TWO_32)) throw new RangeError(`a compacted batch covers 1..2^32-1 offsets, not ${span}`);
  let size = V3_HEADER_BYTES;
  const sizes = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) {
    sizes[i] = recordSize(records[i]);
    size += 4 + sizes[i];
  }
  const buf = Buffer.alloc(size);
  buf[0] = CHUNK_MAGIC;
  buf[1] = COMPACTED_CHUNK_VERSION;
  buf.writeUInt32BE(records.length, 8);
  buf.writeUInt32BE(span, 20);
  buf.writeDoubleBE(deleteHorizonMs, 24);
  let maxTs = records.length === 0 ? emptyMaxTimestamp : -Infinity;
  let p = V3_HEADER_BYTES;
  let prev = -1;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const delta = r.offset - base;
    if (!(delta > prev && delta < span))
      throw new RangeError(`record offset ${r.offset} out of order or outside [${base}, ${base + span})`);
    prev = delta;
    putU32(buf, p, delta);
    if (r.timestamp > maxTs) maxTs = r.timestamp;
    p = writeRecord(buf, p + 4, r, sizes[i], r.timestamp);
  }
  buf.writeDoubleBE(maxTs, 12);
  buf.writeUInt32BE(crc32c(buf, CRC_FROM, buf.length), 4);
  return buf;
}

// ---- chunk index ----------------------------------------------------------------------------

/** What the `chunks` index holds per batch (retention and timestamp lookups never load record data). */
export interface ChunkInfo {
  count: number;
  bytes: number;
  maxTs: number;
  /** Offsets the batch covers: the next batch starts at base + span (= count unless compacted). */
  span: number;
}

/** u32 count | u32 bytes | f64 max timestamp [| u32 span, only when it differs from count: compacted batches]. */
export function encodeChunkInfo(count: number, bytes: number, maxTs: number, span: number = count): Buffer {
  const b = Buffer.allocUnsafe(span === count ? 16 : 20);
  b.writeUInt32BE(count, 0);
  b.writeUInt32BE(bytes, 4);
  b.writeDoubleBE(maxTs, 8);
  if (span !== count) b.writeUInt32BE(span, 16);
  return b;
}

export function decodeChunkInfo(b: Buffer): ChunkInfo {
  const count = b.readUInt32BE(0);
  return {
    count,
    bytes: b.readUInt32BE(4),
    maxTs: b.readDoubleBE(8),
    span: b.length >= 20 ? b.readUInt32BE(16) : count,
  };
}
