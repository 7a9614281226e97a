/** The value of a `chunks` index entry: a batch's count, size, max timestamp and span, without its records. */
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
