/**
 * The record-batch codecs kafkajs lacks (it has gzip only), written in the framings Kafka's Java
 * client uses so its consumers read what we produce and we read what they produce (codec-snappy.ts,
 * codec-lz4.ts, codec-zstd.ts). All are pure JavaScript or bundled WebAssembly: nothing to build or
 * download at install time. Each is imported on the first batch of its type: a worker that never
 * meets lz4 or zstd does not hold lz4js's block buffer or zstd's WebAssembly memory.
 */
import { createRequire } from 'node:module';
import type { CompressionTypes } from 'kafkajs';
import { ConnectException } from '../errors.ts';

/** The record batch's compression codes (kafkajs's CompressionTypes; kafkajs itself is loaded only by registerKafkaCodecs). */
export const COMPRESSION_TYPES = {
  none: 0 as CompressionTypes.None,
  gzip: 1 as CompressionTypes.GZIP,
  snappy: 2 as CompressionTypes.Snappy,
  lz4: 3 as CompressionTypes.LZ4,
  zstd: 4 as CompressionTypes.ZSTD,
} as const;
export type CompressionName = keyof typeof COMPRESSION_TYPES;

interface Codec {
  compress(data: Buffer): Promise<Buffer> | Buffer;
  decompress(data: Buffer): Promise<Buffer> | Buffer;
}

/** Imports a codec module once; later calls get the module without another import(). */
function lazy(load: () => Promise<Codec>): () => Promise<Codec> | Codec {
  let loaded: Codec | null = null;
  let loading: Promise<Codec> | null = null;
  return () =>
    loaded ??
    (loading ??= load()
      .then((codec) => (loaded = codec))
      .finally(() => {
        loading = null;
      }));
}

const CODECS: Record<Exclude<CompressionName, 'none' | 'gzip'>, () => Promise<Codec> | Codec> = {
  snappy: lazy(async () => {
    const m = await import('./codec-snappy.js');
    return { compress: m.snappyCompress, decompress: m.snappyDecompress };
  }),
  lz4: lazy(async () => {
    const m = await import('./codec-lz4.js');
    return { compress: m.lz4Compress, decompress: m.lz4Decompress };
  }),
  zstd: lazy(async () => {
    const m = await import('./codec-zstd.js');
    return { compress: m.zstdCompressAsync, decompress: m.zstdDecompress };
  }),
};

/** Compresses `data` as `compression` (snappy, lz4 or zstd), loading the codec on first use. */
export async function compressAs(compression: keyof typeof CODECS, data: Buffer): Promise<Buffer> {
  return (await CODECS[compression]()).compress(data);
}

/** Decompresses `data` written as `compression` (snappy, lz4 or zstd), loading the codec on first use. */
export async function decompressAs(compression: keyof typeof CODECS, data: Buffer): Promise<Buffer> {
  return (await CODECS[compression]()).decompress(data);
}

let registered = false;

/** Installs the codecs into kafkajs (a process-wide table of codec factories); idempotent. */
export function registerKafkaCodecs(): void {
  if (registered) return;
  // Required here, not imported by the module: the worker's settings and its sender import this
  // module whether or not it talks to Kafka.
  const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');
  for (const name of ['snappy', 'lz4', 'zstd'] as const) {
    const codec = {
      compress: (encoder: { buffer: Buffer }) => compressAs(name, encoder.buffer),
      decompress: (buffer: Buffer) => decompressAs(name, buffer),
    };
    (kafkajs.CompressionCodecs as Record<number, () => typeof codec>)[COMPRESSION_TYPES[name]] = () => codec;
  }
  registered = true;
}

export function compressionTypeOf(value: string, key: string): CompressionName {
  const name = value.trim().toLowerCase();
  if (!(name in COMPRESSION_TYPES))
    throw new ConnectException(`Invalid value ${value} for configuration ${key}: use none, gzip, snappy, lz4 or zstd`);
  return name as CompressionName;
}
