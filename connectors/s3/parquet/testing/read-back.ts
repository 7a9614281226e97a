/**
 * Reads a Parquet file written by the S3 sink back with readers other than its writer
 * (hyparquet-writer): hyparquet (JavaScript) and parquet-wasm (Rust's parquet crate), and turns
 * the rows into the plain form of `expectedJson` so they compare value for value.
 */
import zlib from 'node:zlib';
import lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';
import { parquetMetadata, parquetReadObjects, type FileMetaData } from 'hyparquet';
import * as parquetWasm from 'parquet-wasm/node';
import * as arrow from 'apache-arrow';
import {
  type Schema,
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  twosComplementToBigint,
} from '../../../../sdk/data.ts';

const MILLIS_PER_DAY = 86_400_000;

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Hadoop-framed LZ4 (parquet-mr's LZ4 codec): [uncompressed BE u32][compressed BE u32][raw block]… */
function hadoopLz4Decompress(input: Uint8Array, outputLength: number): Uint8Array {
  const out = new Uint8Array(outputLength);
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  let at = 0;
  let written = 0;
  while (at < input.length) {
    const compressed = view.getUint32(at + 4);
    const block = input.subarray(at + 8, at + 8 + compressed);
    written = (
      lz4 as unknown as {
        decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
      }
    ).decompressBlock(block, out, 0, block.length, written);
    at += 8 + compressed;
  }
  return out;
}

const DECOMPRESSORS = {
  GZIP: (input: Uint8Array) => new Uint8Array(zlib.gunzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(zlib.brotliDecompressSync(input)),
  ZSTD: (input: Uint8Array) => zstdDecompress(input),
  LZ4: hadoopLz4Decompress,
};

/** hyparquet's rows; DECIMAL annotations are dropped first so the unscaled bytes come back exact (hyparquet would give a float). */
export async function readWithHyparquet(
  bytes: Uint8Array,
): Promise<{ metadata: FileMetaData; rows: Record<string, unknown>[] }> {
  const file = arrayBufferOf(bytes);
  const metadata = parquetMetadata(file);
  const raw: FileMetaData = {
    ...metadata,
    schema: metadata.schema.map((e) =>
      e.converted_type === 'DECIMAL' ? { ...e, converted_type: undefined, logical_type: undefined } : e,
    ),
  };
  const rows = (await parquetReadObjects({
    file,
    metadata: raw,
    utf8: false,
    compressors: DECOMPRESSORS,
    parsers: { dateFromDays: (d: number) => d, timestampFromMilliseconds: (ms: bigint) => Number(ms) },
  })) as Record<string, unknown>[];
  return { metadata, rows };
}

/** A hyparquet value of a column of `schema` in expectedJson form. */
export function fromHyparquet(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return new BigDecimal(twosComplementToBigint(value as Uint8Array), Decimal.scaleOf(schema)).toString();
    case ConnectDate.LOGICAL_NAME:
    case ConnectTime.LOGICAL_NAME:
    case ConnectTimestamp.LOGICAL_NAME:
      return Number(value);
  }
  switch (schema.type) {
    case 'int64':
      return String(value);
    case 'string':
      return typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString('utf8');
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('hex');
    case 'struct':
      return Object.fromEntries(
        schema.fields.map((f) => [f.name, fromHyparquet(f.schema, (value as Record<string, unknown>)[f.name])]),
      );
    case 'array':
      return (value as unknown[]).map((x) => fromHyparquet(schema.valueSchema!, x));
    case 'map': {
      const entries = Array.isArray(value)
        ? (value as Array<{ key: unknown; value: unknown }>).map((e) => [e.key, e.value] as [unknown, unknown])
        : Object.entries(value as Record<string, unknown>);
      return entries
        .map(([k, v]) => [fromHyparquet(schema.keySchema!, k), fromHyparquet(schema.valueSchema!, v)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    }
    default:
      return value;
  }
}

/** parquet-wasm's rows (through Arrow), in expectedJson form. */
export function readWithParquetWasm(bytes: Uint8Array, schema: Schema): unknown[] {
  const table = arrow.tableFromIPC(parquetWasm.readParquet(bytes).intoIPCStream());
  const out: unknown[] = [];
  for (const row of table) out.push(fromArrow(schema, row));
  return out;
}

function fromArrow(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME: {
      // arrow-js gives Decimal128/256 values as little-endian 32-bit words of the two's complement
      const words = value as Uint32Array;
      let v = 0n;
      for (let i = words.length - 1; i >= 0; i--) v = (v << 32n) | BigInt(words[i]);
      return new BigDecimal(BigInt.asIntN(words.length * 32, v), Decimal.scaleOf(schema)).toString();
    }
    case ConnectDate.LOGICAL_NAME:
      return Number(value) / MILLIS_PER_DAY;
    case ConnectTime.LOGICAL_NAME:
    case ConnectTimestamp.LOGICAL_NAME:
      return Number(value);
  }
  switch (schema.type) {
    case 'int64':
      return String(value);
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('hex');
    case 'struct': {
      const s = value as Record<string, unknown>;
      return Object.fromEntries(schema.fields.map((f) => [f.name, fromArrow(f.schema, s[f.name])]));
    }
    case 'array':
      return [...(value as Iterable<unknown>)].map((x) => fromArrow(schema.valueSchema!, x));
    case 'map': {
      // a string-key map is an Arrow Map (iterates [key, value]); other keys a list of {key, value} structs
      const entries: Array<[unknown, unknown]> =
        schema.keySchema!.type === 'string'
          ? [...(value as Iterable<[unknown, unknown]>)]
          : [...(value as Iterable<Record<string, unknown>>)].map((e) => [e.key, e.value]);
      return entries
        .map(([k, x]) => [fromArrow(schema.keySchema!, k), fromArrow(schema.valueSchema!, x)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    }
    default:
      return value;
  }
}

/** A value printed by read_parquet.py (pyarrow) in expectedJson form: ints come as strings there. */
export function fromPyarrow(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return value;
    case ConnectDate.LOGICAL_NAME:
    case ConnectTime.LOGICAL_NAME:
    case ConnectTimestamp.LOGICAL_NAME:
      return Number(value);
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return Number(value);
    case 'struct':
      return Object.fromEntries(
        schema.fields.map((f) => [f.name, fromPyarrow(f.schema, (value as Record<string, unknown>)[f.name])]),
      );
    case 'array':
      return (value as unknown[]).map((x) => fromPyarrow(schema.valueSchema!, x));
    case 'map': {
      // a Parquet MAP comes as [key, value] pairs, AvroData's list of MapEntry structs as {key, value}
      const entries = (value as unknown[]).map((e) =>
        Array.isArray(e) ? e : [(e as Record<string, unknown>).key, (e as Record<string, unknown>).value],
      );
      return entries
        .map(([k, v]) => [fromPyarrow(schema.keySchema!, k), fromPyarrow(schema.valueSchema!, v)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    }
    default:
      return value;
  }
}
