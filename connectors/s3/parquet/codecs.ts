/**
 * `parquet.codec` (Confluent's values) → the Parquet compression codec, its page compressor and the
 * object key extension (parquet-mr's CompressionCodecName extensions: `.snappy.parquet`, `.gz.parquet`…).
 * LZ4 is Parquet's deprecated LZ4 codec as parquet-mr writes it: Hadoop's Lz4Codec framing (big-endian
 * uncompressed length, compressed length, then one raw LZ4 block).
 */
import zlib from 'node:zlib';
import lz4 from 'lz4js';
import { init as zstdInit, compress as zstdCompress } from '@bokuweb/zstd-wasm';
import type { CompressionCodec } from 'hyparquet';
import { ConfigException } from '../../../runtime/errors.ts';

export interface ParquetCodec {
  /** The `parquet.codec` value it was chosen by. */
  readonly configValue: string;
  readonly codec: CompressionCodec;
  /** Compresses one page; absent for UNCOMPRESSED and SNAPPY (hyparquet-writer's own snappy). */
  readonly compress?: (page: Uint8Array) => Uint8Array;
  /** Object key extension, e.g. `.snappy.parquet`. */
  readonly extension: string;
}

const ZSTD_LEVEL = 3;
await zstdInit();

function hadoopLz4(page: Uint8Array): Uint8Array {
  const block = new Uint8Array(lz4.compressBound(page.length));
  const size = page.length === 0 ? 0 : lz4.compressBlock(page, block, 0, page.length, new Uint32Array(1 << 16));
  // lz4js returns 0 when the block does not compress; a literal-only block is still valid LZ4
  const body = size > 0 ? block.subarray(0, size) : literalBlock(page);
  const out = new Uint8Array(8 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, page.length);
  view.setUint32(4, body.length);
  out.set(body, 8);
  return out;
}

/** One LZ4 sequence holding every byte as literals (the format's way to store incompressible data). */
function literalBlock(data: Uint8Array): Uint8Array {
  const extra = data.length >= 15 ? Math.floor((data.length - 15) / 255) + 1 : 0;
  const out = new Uint8Array(1 + extra + data.length);
  let at = 0;
  if (data.length < 15) out[at++] = data.length << 4;
  else {
    out[at++] = 0xf0;
    let rest = data.length - 15;
    while (rest >= 255) { out[at++] = 255; rest -= 255; }
    out[at++] = rest;
  }
  out.set(data, at);
  return out;
}

const CODECS: Record<string, ParquetCodec> = {
  none: { configValue: 'none', codec: 'UNCOMPRESSED', extension: '.parquet' },
  uncompressed: { configValue: 'uncompressed', codec: 'UNCOMPRESSED', extension: '.parquet' },
  snappy: { configValue: 'snappy', codec: 'SNAPPY', extension: '.snappy.parquet' },
  gzip: { configValue: 'gzip', codec: 'GZIP', compress: (p) => zlib.gzipSync(p), extension: '.gz.parquet' },
  zstd: { configValue: 'zstd', codec: 'ZSTD', compress: (p) => zstdCompress(p, ZSTD_LEVEL), extension: '.zstd.parquet' },
  brotli: { configValue: 'brotli', codec: 'BROTLI', compress: (p) => zlib.brotliCompressSync(p), extension: '.br.parquet' },
  lz4: { configValue: 'lz4', codec: 'LZ4', compress: hadoopLz4, extension: '.lz4.parquet' },
};

/** The codec for a `parquet.codec` value; ConfigException naming key, value and the accepted values otherwise. */
export function parquetCodec(value: string | undefined): ParquetCodec {
  const name = (value ?? 'snappy').trim().toLowerCase();
  const codec = CODECS[name];
  if (codec) return codec;
  const hint = name === 'lzo' ? ' (LZO has no JavaScript implementation here)' : '';
  throw new ConfigException(`Invalid value ${value} for configuration parquet.codec${hint}: use one of none, snappy, gzip, zstd, brotli or lz4`, { key: 'parquet.codec' });
}
