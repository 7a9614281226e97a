/**
 * The S3 sink's Parquet files read by a third, non-JavaScript reader: pyarrow (Arrow C++'s Parquet
 * reader, strict about the format), provisioned from PyPI by test/setup/pyarrow.ts. Every Connect
 * type value for value, the logical-type annotations as pyarrow reports them, every parquet.codec.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePyarrow } from '../../setup/pyarrow.ts';
import { ParquetRecordWriter } from '../../../connectors/s3/format/parquet-format.ts';
import { parquetCodec } from '../../../connectors/s3/parquet/codecs.ts';
import {
  ALL_TYPES_SCHEMA,
  ENVELOPE_SCHEMA,
  allTypesRecords,
  envelopeRow,
  expectedJson,
} from '../../../connectors/s3/parquet/testing/all-types.ts';
import { fromPyarrow } from '../../../connectors/s3/parquet/testing/read-back.ts';
import { SinkRecord } from '../../../runtime/data/records.ts';
import type { Schema } from '../../../runtime/data/schema.ts';

const READER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../connectors/s3/parquet/testing/read_parquet.py',
);
const CODECS = ['none', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'];

interface PyarrowFile {
  columns: Record<string, { physical: string; logical: string }>;
  codecs: string[];
  row_groups: number;
  rows: unknown[];
}

let python: string;
let dir: string;

beforeAll(async () => {
  python = await ensurePyarrow();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-parquet-pyarrow-'));
}, 900_000);

function writeFile(name: string, schema: Schema, records: SinkRecord[], codec: string): string {
  const writer = new ParquetRecordWriter(
    { topic: 't', kafkaPartition: 0, startOffset: 0, valueSchema: schema },
    parquetCodec(codec),
    { rowGroupMaxRows: 64 },
  );
  const chunks: Uint8Array[] = [];
  for (const r of records) {
    writer.write(r);
    chunks.push(...writer.drain());
  }
  chunks.push(...writer.finish());
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return file;
}

function readWithPyarrow(files: string[]): PyarrowFile[] {
  const out = execFileSync(python, [READER, ...files], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PyarrowFile);
}

describe('pyarrow reads the ParquetFormat files', () => {
  const records = allTypesRecords(200);
  const expected = records.map((r) => expectedJson(ALL_TYPES_SCHEMA, r.value));

  it('every type value for value, with every parquet.codec', () => {
    const files = CODECS.map((codec) =>
      writeFile(`all-types${parquetCodec(codec).extension}`, ALL_TYPES_SCHEMA, records, codec),
    );
    const read = readWithPyarrow(files);
    read.forEach((file, i) => {
      expect(file.codecs, CODECS[i]).toEqual([
        { none: 'UNCOMPRESSED', snappy: 'SNAPPY', gzip: 'GZIP', zstd: 'ZSTD', brotli: 'BROTLI', lz4: 'UNKNOWN' }[
          CODECS[i]
        ],
      ]); // pyarrow has no Python name for Parquet's LZ4 (its LZ4_HADOOP); hyparquet's check in the unit test reads codec 5
      expect(file.row_groups).toBe(4);
      expect(
        file.rows.map((row) => fromPyarrow(ALL_TYPES_SCHEMA, row)),
        CODECS[i],
      ).toEqual(expected);
    });
  });

  it('logical types as pyarrow reports them', () => {
    const [file] = readWithPyarrow([writeFile('types.parquet', ALL_TYPES_SCHEMA, records.slice(0, 5), 'snappy')]);
    const col = (p: string) => `${file.columns[p].physical} ${file.columns[p].logical}`;
    expect(col('price')).toBe('BYTE_ARRAY Decimal(precision=10, scale=2)');
    expect(col('big_decimal')).toBe('BYTE_ARRAY Decimal(precision=64, scale=5)');
    expect(col('day')).toBe('INT32 Date');
    expect(col('clock')).toBe('INT32 Time(isAdjustedToUTC=true, timeUnit=milliseconds)');
    expect(col('at')).toBe(
      'INT64 Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds, is_from_converted_type=false, force_set_converted_type=false)',
    );
    expect(col('micro_ts')).toBe('INT64 None');
    expect(col('id')).toBe('INT64 None');
    expect(col('name')).toBe('BYTE_ARRAY String');
    expect(col('tags.list.element')).toBe('BYTE_ARRAY String');
    expect(col('attrs.key_value.value')).toBe('INT64 None');
  });

  it('Debezium envelopes with nested before/after/source', () => {
    const envelopes = Array.from(
      { length: 100 },
      (_v, i) =>
        new SinkRecord({
          topic: 't',
          kafkaPartition: 0,
          kafkaOffset: i,
          valueSchema: ENVELOPE_SCHEMA,
          value: envelopeRow(i),
        }),
    );
    const [file] = readWithPyarrow([writeFile('envelope.snappy.parquet', ENVELOPE_SCHEMA, envelopes, 'snappy')]);
    expect(file.rows.map((row) => fromPyarrow(ENVELOPE_SCHEMA, row))).toEqual(
      envelopes.map((r) => expectedJson(ENVELOPE_SCHEMA, r.value)),
    );
  });
});
