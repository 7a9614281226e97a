/** The log cleaner's version-3 record batch (layout in `chunk-format.ts`): kept records with offset deltas. */
import { crc32c } from '../util/crc32c.ts';
import type { LogHeader } from './types.ts';
import { CHUNK_MAGIC, COMPACTED_CHUNK_VERSION, CRC_FROM, V3_HEADER_BYTES } from './chunk-format.ts';
import { putU32, recordSize, writeRecord } from './chunk-encoder.ts';

const TWO_32 = 4294967296;

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
