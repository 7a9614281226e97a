/**
 * Encodes appended records into version-2 record batches (layout in `chunk-format.ts`): record
 * framing, chunking by size and count, CRC32C, and a pool that recycles the chunk buffers.
 */
import { crc32c } from '../util/crc32c.ts';
import type { AppendRecord, LogHeader } from './types.ts';
import {
  CHUNK_HEADER_BYTES,
  CHUNK_MAGIC,
  CHUNK_VERSION,
  CRC_FROM,
  MAX_CHUNK_BYTES,
  MAX_CHUNK_RECORDS,
} from './chunk-format.ts';

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
  return 4 + 8 + 4 + byteLen(r.key) + 4 + byteLen(r.value) + headersSize(r.headers);
}

/** Encoded size of a record's header section: the count and each header. */
function headersSize(hs: LogHeader[] | undefined): number {
  let size = 4;
  if (hs !== undefined) {
    for (let i = 0; i < hs.length; i++) size += 4 + Buffer.byteLength(hs[i].key, 'utf8') + 4 + byteLen(hs[i].value);
  }
  return size;
}

/**
 * Within one chunk: where the header section of the last headers array written lies, copied for
 * the next record carrying the same array (a source task hands its records one converted array
 * of Debezium's context headers). Arrays cannot change during the synchronous encode.
 */
interface HeaderCopy {
  hs: LogHeader[] | undefined;
  start: number;
  end: number;
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
/** Whether the platform is little-endian (then the bytes of a double are reversed for big-endian). */
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function putU32(buf: Buffer, p: number, v: number): void {
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
export function writeRecord(
  buf: Buffer,
  p: number,
  r: AppendRecord,
  size: number,
  timestamp: number,
  copy?: HeaderCopy,
): number {
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
  if (copy !== undefined && hs !== undefined && hs === copy.hs) {
    buf.copyWithin(p, copy.start, copy.end);
    return p + (copy.end - copy.start);
  }
  const start = p;
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
  if (copy !== undefined && hs !== undefined) {
    copy.hs = hs;
    copy.start = start;
    copy.end = p;
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
  // The headers array of the record before, validated and sized once.
  let lastHs: LogHeader[] | undefined;
  let lastHsSize = 4;
  for (let i = 0; i <= n; i++) {
    let size = 0;
    if (i < n) {
      const r = records[i];
      validateRecord(r, i, lastHs);
      const hs = r.headers;
      if (hs !== lastHs && hs !== undefined) {
        lastHs = hs;
        lastHsSize = headersSize(hs);
      }
      size = 4 + 8 + 4 + byteLen(r.key) + 4 + byteLen(r.value) + (hs === undefined ? 4 : lastHsSize);
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
  const copy: HeaderCopy = { hs: undefined, start: 0, end: 0 };
  for (let i = from; i < to; i++) {
    const r = records[i];
    const ts = r.timestamp ?? now;
    if (ts > maxTs) maxTs = ts;
    p = writeRecord(buf, p, r, sizes[i], ts, copy);
  }
  buf.writeDoubleBE(maxTs, 12);
  buf.writeUInt32BE(crc32c(buf, CRC_FROM, buf.length), 4);
  return { first: from, count: to - from, maxTimestamp: maxTs, buf };
}

/** `validHs`: a headers array already validated in this call (not checked again). */
function validateRecord(r: AppendRecord, i: number, validHs: LogHeader[] | undefined): void {
  if (r === null || typeof r !== 'object') throw new TypeError(`Record ${i} is not an object`);
  if (r.key != null && !(r.key instanceof Uint8Array)) throw new TypeError(`Record ${i}: key must be a Buffer or null`);
  if (r.value != null && !(r.value instanceof Uint8Array))
    throw new TypeError(`Record ${i}: value must be a Buffer or null`);
  if (r.timestamp !== undefined && !Number.isFinite(r.timestamp))
    throw new TypeError(`Record ${i}: timestamp must be a finite number`);
  const hs = r.headers;
  if (hs !== undefined && hs !== validHs) {
    if (!Array.isArray(hs)) throw new TypeError(`Record ${i}: headers must be an array`);
    for (const h of hs) {
      if (h === null || typeof h !== 'object' || typeof h.key !== 'string')
        throw new TypeError(`Record ${i}: header keys must be strings`);
      if (h.value != null && !(h.value instanceof Uint8Array))
        throw new TypeError(`Record ${i}: header values must be Buffers or null`);
    }
  }
}
