/**
 * Reads record batches (every version of `chunk-format.ts`): header parsing, full verification
 * (CRC32C and framing) before any record is decoded, record decoding within a read budget, and
 * the search for the first record at or after a timestamp.
 */
import { crc32c } from '../util/crc32c.ts';
import type { LogHeader, LogRecord } from './types.ts';
import { CHUNK_HEADER_BYTES, CHUNK_MAGIC, CRC_FROM, V1_HEADER_BYTES, V3_HEADER_BYTES } from './chunk-format.ts';

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
