/**
 * Sizes of Kafka's record-batch v2 encoding (DefaultRecordBatch / DefaultRecord), so batches and
 * requests can be bounded in bytes before they are built: a 61-byte batch header, then per record a
 * varint length and a body of attributes, varlong timestamp delta, varint offset delta, varint-
 * prefixed key and value (-1 for null), and varint-counted headers.
 */
import type { LogHeader } from './types.ts';

export const RECORD_BATCH_OVERHEAD = 61;

/** Bytes of a zigzag varint (int32, as Kafka's ByteUtils.sizeOfVarint). */
export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (v >= 0x80) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

/** Bytes of a zigzag varlong for a safe integer (as ByteUtils.sizeOfVarlong). */
export function sizeOfVarlong(value: number): number {
  let v = value >= 0 ? BigInt(value) * 2n : BigInt(-value) * 2n - 1n;
  let bytes = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    bytes++;
  }
  return bytes;
}

/** Varlong sizes by magnitude: cheaper than BigInt for the timestamp spans seen in practice. */
function sizeOfTimestampDelta(delta: number): number {
  return delta < 0x40 ? 1 : delta < 0x2000 ? 2 : delta < 0x100000 ? 3 : delta < 0x8000000 ? 4 : sizeOfVarlong(delta);
}

export interface SizedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: LogHeader[];
  timestamp: number;
}

/** Body bytes of a record without its timestamp delta and offset delta. */
export function recordBodyWithoutDeltas(r: SizedRecord): number {
  let size = 1; // attributes
  size += r.key === null ? 1 : sizeOfVarint(r.key.length) + r.key.length;
  size += r.value === null ? 1 : sizeOfVarint(r.value.length) + r.value.length;
  size += sizeOfVarint(r.headers.length);
  for (const h of r.headers) {
    const k = Buffer.byteLength(h.key);
    size += sizeOfVarint(k) + k;
    size += h.value === null ? 1 : sizeOfVarint(h.value.length) + h.value.length;
  }
  return size;
}

/** The encoded size of a batch holding only this record. */
export function singleRecordBatchSize(r: SizedRecord): number {
  const body = recordBodyWithoutDeltas(r) + 2; // timestamp delta 0 and offset delta 0: one byte each
  return RECORD_BATCH_OVERHEAD + sizeOfVarint(body) + body;
}

/**
 * The exact size of a growing record batch. Timestamp deltas are taken from the batch's smallest
 * timestamp (as kafkajs and Kafka's builder do); each record is counted with the largest delta's
 * size, an upper bound that only changes when the batch's time span crosses a varlong boundary.
 */
export class RecordBatchSizer {
  private readonly bodies: number[] = [];
  private minTs = Infinity;
  private maxTs = -Infinity;
  private tsBytes = 1;
  private recordsBytes = 0;

  get count(): number {
    return this.bodies.length;
  }

  get bytes(): number {
    return RECORD_BATCH_OVERHEAD + this.recordsBytes;
  }

  /** The batch's size if `r` were appended. */
  sizeWith(r: SizedRecord, body = recordBodyWithoutDeltas(r)): number {
    const minTs = Math.min(this.minTs, r.timestamp);
    const maxTs = Math.max(this.maxTs, r.timestamp);
    const tsBytes = sizeOfTimestampDelta(maxTs - minTs);
    const records = tsBytes === this.tsBytes ? this.recordsBytes : this.recordsAt(tsBytes);
    const full = body + tsBytes + sizeOfVarint(this.bodies.length);
    return RECORD_BATCH_OVERHEAD + records + sizeOfVarint(full) + full;
  }

  add(r: SizedRecord, body = recordBodyWithoutDeltas(r)): void {
    this.minTs = Math.min(this.minTs, r.timestamp);
    this.maxTs = Math.max(this.maxTs, r.timestamp);
    const tsBytes = sizeOfTimestampDelta(this.maxTs - this.minTs);
    if (tsBytes !== this.tsBytes) {
      this.recordsBytes = this.recordsAt(tsBytes);
      this.tsBytes = tsBytes;
    }
    const full = body + tsBytes + sizeOfVarint(this.bodies.length);
    this.bodies.push(body);
    this.recordsBytes += sizeOfVarint(full) + full;
  }

  private recordsAt(tsBytes: number): number {
    let total = 0;
    for (let i = 0; i < this.bodies.length; i++) {
      const full = this.bodies[i] + tsBytes + sizeOfVarint(i);
      total += sizeOfVarint(full) + full;
    }
    return total;
  }
}

/**
 * Bytes of a produce request (v3–v8, as kafkajs sends them) around one record batch of one
 * partition: request header with client id, transactional id, acks, timeout, topic and partition.
 */
export function produceRequestOverhead(clientId: string, transactionalId: string | null, topic: string): number {
  const header = 4 + 2 + 2 + 4 + 2 + Buffer.byteLength(clientId);
  const body =
    2 +
    (transactionalId === null ? 0 : Buffer.byteLength(transactionalId)) +
    2 +
    4 +
    4 +
    2 +
    Buffer.byteLength(topic) +
    4 +
    4 +
    4;
  return header + body;
}
