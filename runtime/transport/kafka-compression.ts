/**
 * The record-batch codecs kafkajs lacks (it has gzip only), written in the framings Kafka's Java
 * client uses so its consumers read what we produce and we read what they produce:
 * - snappy: xerial's SnappyOutputStream framing (magic, version, then length-prefixed raw snappy
 *   blocks of 32 KB); raw unframed snappy is read too (what other clients write).
 * - lz4: the LZ4 frame format with independent 64 KB blocks, as KafkaLZ4BlockOutputStream.
 * - zstd: a plain zstd frame (zstd-jni's ZstdOutputStream reads and writes those).
 * All are pure JavaScript or bundled WebAssembly: nothing to build or download at install time.
 */
import kafkajs, { CompressionTypes } from 'kafkajs';
import SnappyJS from 'snappyjs';
import lz4 from 'lz4js';
import xxh32 from 'lz4js/xxh32.js';
import { decompress as zstdDecompress } from 'fzstd';
import { init as zstdInit, compress as zstdCompress } from '@bokuweb/zstd-wasm';
import { ConnectException } from '../errors.ts';

export const COMPRESSION_TYPES = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;
export type CompressionName = keyof typeof COMPRESSION_TYPES;

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

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

let zstdReady: Promise<void> | null = null;

export async function zstdCompressAsync(data: Buffer): Promise<Buffer> {
  zstdReady ??= zstdInit();
  await zstdReady;
  return Buffer.from(zstdCompress(data, 3));
}

const CODECS: Record<number, Codec> = {
  [CompressionTypes.Snappy]: {
    compress: async (e) => snappyCompress(e.buffer),
    decompress: async (b) => snappyDecompress(b),
  },
  [CompressionTypes.LZ4]: { compress: async (e) => lz4Compress(e.buffer), decompress: async (b) => lz4Decompress(b) },
  [CompressionTypes.ZSTD]: {
    compress: (e) => zstdCompressAsync(e.buffer),
    decompress: async (b) => Buffer.from(zstdDecompress(b)),
  },
};

let registered = false;

/** Installs the codecs into kafkajs (a process-wide table); idempotent. */
export function registerKafkaCodecs(): void {
  if (registered) return;
  for (const [type, codec] of Object.entries(CODECS))
    (kafkajs.CompressionCodecs as Record<number, () => Codec>)[Number(type)] = () => codec;
  registered = true;
}

export function compressionTypeOf(value: string, key: string): CompressionName {
  const name = value.trim().toLowerCase();
  if (!(name in COMPRESSION_TYPES))
    throw new ConnectException(`Invalid value ${value} for configuration ${key}: use none, gzip, snappy, lz4 or zstd`);
  return name as CompressionName;
}
