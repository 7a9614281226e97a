/**
 * zstd record batches: a plain zstd frame (zstd-jni's ZstdOutputStream reads and writes those).
 * Compressed by zstd's WebAssembly build, decompressed by fzstd (pure JavaScript). Loaded on the
 * first zstd batch (kafka-compression.ts): the WebAssembly module reserves 16 MiB of memory.
 */
import { decompress } from 'fzstd';
import { init as zstdInit, compress as zstdCompress } from '@bokuweb/zstd-wasm';

let zstdReady: Promise<void> | null = null;

export async function zstdCompressAsync(data: Buffer): Promise<Buffer> {
  zstdReady ??= zstdInit();
  await zstdReady;
  return Buffer.from(zstdCompress(data, 3));
}

export function zstdDecompress(data: Buffer): Buffer {
  return Buffer.from(decompress(data));
}
