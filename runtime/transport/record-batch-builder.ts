/**
 * One partition's record batch built in place, as Kafka's MemoryRecordsBuilder builds it: each
 * record is serialised into the batch's buffer when it is appended (after room for the 61-byte
 * batch header, written once the batch's sequence number is known), so the producer holds the
 * records' bytes once, in buffers that buffer.memory bounds, and not the records themselves (nor
 * the converter buffers their keys and values are slices of).
 */
import {
  RECORDS_AT,
  sizeOfVarint,
  sizeOfVarlong,
  writeBatchHeader,
  writeVarint,
  writeVarlong,
  type BatchHeader,
  type EncodableRecord,
} from './record-batch-encoder.ts';

/** Bytes a record takes in a batch: its length prefix and body, with its timestamp and offset deltas. */
export function recordSizeInBatch(r: EncodableRecord, timestampDelta: number, offsetDelta: number): number {
  const body = recordBody(r, timestampDelta, offsetDelta);
  return sizeOfVarint(body) + body;
}

function recordBody(r: EncodableRecord, timestampDelta: number, offsetDelta: number): number {
  let body = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  body += r.key === null ? 1 : sizeOfVarint(r.key.length) + r.key.length;
  body += r.value === null ? 1 : sizeOfVarint(r.value.length) + r.value.length;
  body += sizeOfVarint(r.headers.length);
  for (const h of r.headers) {
    const k = Buffer.byteLength(h.key);
    body += sizeOfVarint(k) + k + (h.value === null ? 1 : sizeOfVarint(h.value.length) + h.value.length);
  }
  return body;
}

function writeBytes(buf: Buffer, at: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, at, -1);
  at = writeVarint(buf, at, b.length);
  // Small keys and values byte by byte: Buffer.copy's native call costs more than the loop below ~64 bytes.
  if (b.length < 64) {
    for (let i = 0; i < b.length; i++) buf[at + i] = b[i];
    return at + b.length;
  }
  b.copy(buf, at);
  return at + b.length;
}

export class RecordBatchBuilder {
  count = 0;
  /** The first record's timestamp: the other records' timestamps are deltas from it (as MemoryRecordsBuilder). */
  baseTimestamp = 0;
  maxTimestamp = -Infinity;
  private at = RECORDS_AT;

  /** `buffer` holds the batch (at least 61 bytes plus its first record); `cap` bounds its size. */
  constructor(
    readonly buffer: Buffer,
    private readonly cap: number,
  ) {}

  /** Bytes of the batch so far, its header included. */
  get bytes(): number {
    return this.at;
  }

  /** The buffer size a batch needs to hold this record first. */
  static sizeFor(r: EncodableRecord): number {
    return RECORDS_AT + recordSizeInBatch(r, 0, 0);
  }

  /** Appends the record when it fits within the cap and the buffer (the first one always must); false when it does not. */
  tryAppend(r: EncodableRecord): boolean {
    if (this.count === 0) this.baseTimestamp = r.timestamp;
    const tsDelta = r.timestamp - this.baseTimestamp;
    const body = recordBody(r, tsDelta, this.count);
    const size = sizeOfVarint(body) + body;
    if (this.count > 0 && (this.at + size > this.cap || this.at + size > this.buffer.length)) return false;
    if (this.at + size > this.buffer.length)
      throw new RangeError(`A record of ${size} bytes does not fit a batch buffer of ${this.buffer.length}`);
    const buf = this.buffer;
    let at = writeVarint(buf, this.at, body);
    buf[at++] = 0; // attributes
    at = writeVarlong(buf, at, tsDelta);
    at = writeVarint(buf, at, this.count);
    at = writeBytes(buf, at, r.key);
    at = writeBytes(buf, at, r.value);
    at = writeVarint(buf, at, r.headers.length);
    for (const h of r.headers) {
      const k = Buffer.byteLength(h.key);
      at = writeVarint(buf, at, k);
      at += buf.write(h.key, at, 'utf8');
      at = writeBytes(buf, at, h.value);
    }
    this.at = at;
    this.count++;
    if (r.timestamp > this.maxTimestamp) this.maxTimestamp = r.timestamp;
    return true;
  }

  /** Whether the batch is full: the smallest record (5 bytes) would not fit. */
  get full(): boolean {
    return this.at + 8 > Math.min(this.cap, this.buffer.length);
  }

  /** The records, back to back (what a compressed batch compresses). */
  records(): Buffer {
    return this.buffer.subarray(RECORDS_AT, this.at);
  }

  /** Writes the batch header (its sequence number known now) and checksum in place; returns the uncompressed batch. */
  close(header: BatchHeader): Buffer {
    writeBatchHeader(this.buffer, 0, this.at, {
      count: this.count,
      baseTimestamp: this.baseTimestamp,
      maxTimestamp: this.maxTimestamp,
      header,
    });
    return this.buffer.subarray(0, this.at);
  }
}
