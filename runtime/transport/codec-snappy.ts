/**
 * snappy record batches in xerial's SnappyOutputStream framing (magic, version, then
 * length-prefixed raw snappy blocks of 32 KB), as Kafka's Java client writes them; raw unframed
 * snappy is read too (what other clients write). Loaded on the first snappy batch (kafka-compression.ts).
 */
import SnappyJS from 'snappyjs';

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
const XERIAL_BLOCK = 32 * 1024;

export function snappyCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])];
  for (let at = 0; at < data.length; at += XERIAL_BLOCK) {
    const block = Buffer.from(SnappyJS.compress(data.subarray(at, at + XERIAL_BLOCK)));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

export function snappyDecompress(data: Buffer): Buffer {
  if (data.length < XERIAL_HEADER_BYTES || !data.subarray(0, 8).equals(XERIAL_MAGIC))
    return Buffer.from(SnappyJS.uncompress(data));
  const parts: Buffer[] = [];
  for (let at = XERIAL_HEADER_BYTES; at < data.length;) {
    const len = data.readInt32BE(at);
    at += 4;
    parts.push(Buffer.from(SnappyJS.uncompress(data.subarray(at, at + len))));
    at += len;
  }
  return Buffer.concat(parts);
}
