/**
 * `parquet.codec` (Confluent's values) → the Parquet compression codec, its page compressor and the
 * object key extension (parquet-mr's CompressionCodecName extensions: `.snappy.parquet`, `.gz.parquet`…).
 * LZ4 is Parquet's deprecated LZ4 codec as parquet-mr writes it: Hadoop's Lz4Codec framing (big-endian
 * uncompressed length, compressed length, then one raw LZ4 block).
 */
import zlib from 'node:zlib';
import { init as zstdInit, compress as zstdCompress } from '@bokuweb/zstd-wasm';
import type { CompressionCodec } from 'hyparquet';
import { ConfigException } from '../../../sdk/errors.ts';

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
  const body = lz4Block(page);
  const out = new Uint8Array(8 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, page.length);
  view.setUint32(4, body.length);
  out.set(body, 8);
  return out;
}

const MIN_MATCH = 4;
/** The LZ4 block format's end rules: the last match starts 12 bytes or more before the end, the last 5 bytes are literals. */
const MF_LIMIT = 12;
const LAST_LITERALS = 5;

/**
 * One raw LZ4 block (greedy, 64K-entry hash table). lz4js's compressBlock can start a match
 * closer to the end than the format allows, which Arrow's strict decoder rejects as corrupt.
 */
export function lz4Block(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(n + Math.ceil(n / 255) + 16);
  const table = new Int32Array(1 << 16).fill(-1);
  const read32 = (at: number) => (src[at] | (src[at + 1] << 8) | (src[at + 2] << 16) | (src[at + 3] << 24)) >>> 0;
  let o = 0;
  let anchor = 0;
  const writeLength = (rest: number) => {
    for (; rest >= 255; rest -= 255) out[o++] = 255;
    out[o++] = rest;
  };
  const emit = (literalEnd: number, offset: number, matchLength: number) => {
    const literals = literalEnd - anchor;
    const token = o++;
    out[token] = (Math.min(literals, 15) << 4) | (matchLength ? Math.min(matchLength - MIN_MATCH, 15) : 0);
    if (literals >= 15) writeLength(literals - 15);
    out.set(src.subarray(anchor, literalEnd), o);
    o += literals;
    if (!matchLength) return;
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
    if (matchLength - MIN_MATCH >= 15) writeLength(matchLength - MIN_MATCH - 15);
  };
  let i = 0;
  while (i <= n - MF_LIMIT) {
    const seq = read32(i);
    const hash = Math.imul(seq, 2654435761) >>> 16;
    const ref = table[hash];
    table[hash] = i;
    if (ref < 0 || i - ref > 0xffff || read32(ref) !== seq) {
      i++;
      continue;
    }
    let length = MIN_MATCH;
    while (i + length < n - LAST_LITERALS && src[ref + length] === src[i + length]) length++;
    emit(i, i - ref, length);
    i += length;
    anchor = i;
  }
  emit(n, 0, 0);
  return out.subarray(0, o);
}

const CODECS: Record<string, ParquetCodec> = {
  none: { configValue: 'none', codec: 'UNCOMPRESSED', extension: '.parquet' },
  uncompressed: { configValue: 'uncompressed', codec: 'UNCOMPRESSED', extension: '.parquet' },
  snappy: { configValue: 'snappy', codec: 'SNAPPY', extension: '.snappy.parquet' },
  gzip: { configValue: 'gzip', codec: 'GZIP', compress: (p) => zlib.gzipSync(p), extension: '.gz.parquet' },
  zstd: {
    configValue: 'zstd',
    codec: 'ZSTD',
    compress: (p) => zstdCompress(p, ZSTD_LEVEL),
    extension: '.zstd.parquet',
  },
  brotli: {
    configValue: 'brotli',
    codec: 'BROTLI',
    compress: (p) => zlib.brotliCompressSync(p),
    extension: '.br.parquet',
  },
  lz4: { configValue: 'lz4', codec: 'LZ4', compress: hadoopLz4, extension: '.lz4.parquet' },
};

/** The codec for a `parquet.codec` value; ConfigException naming key, value and the accepted values otherwise. */
export function parquetCodec(value: string | undefined): ParquetCodec {
  const name = (value ?? 'snappy').trim().toLowerCase();
  const codec = CODECS[name];
  if (codec) return codec;
  const hint = name === 'lzo' ? ' (LZO has no JavaScript implementation here)' : '';
  throw new ConfigException(
    `Invalid value ${value} for configuration parquet.codec${hint}: use one of none, snappy, gzip, zstd, brotli or lz4`,
    { key: 'parquet.codec' },
  );
}
