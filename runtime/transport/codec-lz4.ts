/**
 * lz4 record batches: the LZ4 frame format with independent 64 KB blocks, as Kafka's
 * KafkaLZ4BlockOutputStream writes them. Loaded on the first lz4 batch (kafka-compression.ts): lz4js
 * allocates a 5 MiB block buffer when imported.
 */
import lz4 from 'lz4js';
import xxh32 from 'lz4js/xxh32.js';

const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK = 64 * 1024;
/** FLG: version 01, independent blocks, no checksums; BD: 64 KB blocks (as KafkaLZ4BlockOutputStream). */
const LZ4_FLG = 0x60;
const LZ4_BD = 0x40;

export function lz4Compress(data: Buffer): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt32LE(LZ4_MAGIC, 0);
  header[4] = LZ4_FLG;
  header[5] = LZ4_BD;
  header[6] = (lz4Hash(header.subarray(4, 6)) >>> 8) & 0xff;
  const parts: Buffer[] = [header];
  const hashTable = new Uint32Array(1 << 16);
  const out = new Uint8Array(lz4.compressBound(LZ4_BLOCK));
  for (let at = 0; at < data.length; at += LZ4_BLOCK) {
    const block = data.subarray(at, at + LZ4_BLOCK);
    hashTable.fill(0);
    const size = lz4.compressBlock(block, out, 0, block.length, hashTable);
    const len = Buffer.alloc(4);
    if (size === 0 || size >= block.length) {
      len.writeUInt32LE((0x80000000 | block.length) >>> 0);
      parts.push(len, Buffer.from(block));
    } else {
      len.writeUInt32LE(size);
      parts.push(len, Buffer.from(out.subarray(0, size)));
    }
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

export function lz4Decompress(data: Buffer): Buffer {
  return Buffer.from(lz4.decompress(data));
}

function lz4Hash(bytes: Buffer): number {
  return xxh32.hash(0, bytes, 0, bytes.length);
}
