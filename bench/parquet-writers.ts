/**
 * The Parquet writer candidates for the S3 sink (hyparquet-writer, parquet-wasm via apache-arrow,
 * @dsnp/parquetjs) measured side by side in one run: records/s and MB/s writing Debezium-like rows,
 * unwrapped (ExtractNewRecordState) and as envelopes (nested before/after/source structs), snappy,
 * row groups of 100,000 rows. Type coverage: each writer writes one small file per Connect type
 * (Decimal, Date, Time, Timestamp, int64 beyond 2^53, bytes, optional, nested struct) and hyparquet
 * reads it back (parquet-wasm for hyparquet-writer's own file too): a type counts only when the
 * annotation and every value come back as written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ByteWriter, ParquetWriter as HyparquetWriter, type SchemaElement } from 'hyparquet-writer';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import * as arrow from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm/node';
import parquetjs from '@dsnp/parquetjs';

const ROW_GROUP = 100_000;
const MILLIS_PER_DAY = 86_400_000;

/** One Debezium-like row of an orders table, as Connect values (int64 as bigint, Decimal as unscaled bigint scale 2). */
export interface OrderRow {
  id: bigint;
  customer_id: number;
  name: string | null;
  amount: bigint | null;
  quantity: number;
  order_date: Date;
  order_time: Date;
  created_at: Date;
  updated_at: bigint;
  active: boolean;
  payload: Uint8Array | null;
  score: number | null;
}

export function orderRow(i: number): OrderRow {
  return {
    id: 9_007_199_254_740_993n + BigInt(i),
    customer_id: i % 50_000,
    name: i % 10 === 0 ? null : `customer ${i % 5000} order ${i}`,
    amount: i % 7 === 0 ? null : BigInt(i % 1_000_000) * 100n + BigInt(i % 100),
    quantity: i % 300,
    order_date: new Date((19_000 + (i % 2000)) * MILLIS_PER_DAY),
    order_time: new Date((i * 1000) % MILLIS_PER_DAY),
    created_at: new Date(1_700_000_000_000 + i),
    updated_at: 1_700_000_000_000_000n + BigInt(i) * 1000n + 7n,
    active: i % 3 === 0,
    payload: i % 4 === 0 ? null : Buffer.from([i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff]),
    score: i % 5 === 0 ? null : i / 7,
  };
}

const SOURCE = {
  version: '2.7.3.Final',
  connector: 'postgresql',
  name: 'bench',
  db: 'postgres',
  schema: 'public',
  table: 'orders',
};

interface Envelope {
  before: OrderRow | null;
  after: OrderRow;
  source: typeof SOURCE & { ts_ms: bigint; lsn: bigint };
  op: string;
  ts_ms: bigint;
}

function envelope(i: number): Envelope {
  return {
    before: i % 2 === 0 ? null : orderRow(i - 1),
    after: orderRow(i),
    source: { ...SOURCE, ts_ms: 1_700_000_000_000n + BigInt(i), lsn: 1_000_000n + BigInt(i) },
    op: i % 2 === 0 ? 'c' : 'u',
    ts_ms: 1_700_000_000_001n + BigInt(i),
  };
}

// ---------- hyparquet-writer ----------

function hyRowElements(): SchemaElement[] {
  const rep = (o: boolean): 'OPTIONAL' | 'REQUIRED' => (o ? 'OPTIONAL' : 'REQUIRED');
  return [
    { name: 'id', type: 'INT64', repetition_type: rep(false) },
    { name: 'customer_id', type: 'INT32', repetition_type: rep(false) },
    {
      name: 'name',
      type: 'BYTE_ARRAY',
      converted_type: 'UTF8',
      logical_type: { type: 'STRING' },
      repetition_type: rep(true),
    },
    {
      name: 'amount',
      type: 'BYTE_ARRAY',
      converted_type: 'DECIMAL',
      precision: 12,
      scale: 2,
      logical_type: { type: 'DECIMAL', precision: 12, scale: 2 },
      repetition_type: rep(true),
    },
    { name: 'quantity', type: 'INT32', repetition_type: rep(false) },
    {
      name: 'order_date',
      type: 'INT32',
      converted_type: 'DATE',
      logical_type: { type: 'DATE' },
      repetition_type: rep(false),
    },
    {
      name: 'order_time',
      type: 'INT32',
      converted_type: 'TIME_MILLIS',
      logical_type: { type: 'TIME', isAdjustedToUTC: true, unit: 'MILLIS' },
      repetition_type: rep(false),
    },
    {
      name: 'created_at',
      type: 'INT64',
      converted_type: 'TIMESTAMP_MILLIS',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      repetition_type: rep(false),
    },
    { name: 'updated_at', type: 'INT64', repetition_type: rep(false) },
    { name: 'active', type: 'BOOLEAN', repetition_type: rep(false) },
    { name: 'payload', type: 'BYTE_ARRAY', repetition_type: rep(true) },
    { name: 'score', type: 'DOUBLE', repetition_type: rep(true) },
  ] as SchemaElement[];
}

const ROW_FIELDS = [
  'id',
  'customer_id',
  'name',
  'amount',
  'quantity',
  'order_date',
  'order_time',
  'created_at',
  'updated_at',
  'active',
  'payload',
  'score',
] as const;

function hyRowValue(r: OrderRow): Record<string, unknown> {
  return { ...r, order_date: Math.floor(r.order_date.getTime() / MILLIS_PER_DAY), order_time: r.order_time.getTime() };
}

function hySchema(shape: Shape): SchemaElement[] {
  const row = hyRowElements();
  if (shape === 'unwrapped') return [{ name: 'root', num_children: row.length }, ...row];
  const source: SchemaElement[] = [
    ...['version', 'connector', 'name', 'db', 'schema', 'table'].map(
      (n) => ({ name: n, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' }) as SchemaElement,
    ),
    { name: 'ts_ms', type: 'INT64', repetition_type: 'REQUIRED' },
    { name: 'lsn', type: 'INT64', repetition_type: 'OPTIONAL' },
  ];
  return [
    { name: 'root', num_children: 5 },
    { name: 'before', repetition_type: 'OPTIONAL', num_children: row.length },
    ...row,
    { name: 'after', repetition_type: 'OPTIONAL', num_children: row.length },
    ...row,
    { name: 'source', repetition_type: 'REQUIRED', num_children: source.length },
    ...source,
    { name: 'op', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: 'ts_ms', type: 'INT64', repetition_type: 'OPTIONAL' },
  ];
}

function hyparquetColumns(shape: Shape, from: number, count: number): { name: string; data: unknown[] }[] {
  if (shape === 'unwrapped') {
    const cols = ROW_FIELDS.map((f) => ({ name: f as string, data: new Array<unknown>(count) }));
    for (let k = 0; k < count; k++) {
      const r = hyRowValue(orderRow(from + k));
      for (let c = 0; c < cols.length; c++) cols[c].data[k] = r[cols[c].name];
    }
    return cols;
  }
  const cols = ['before', 'after', 'source', 'op', 'ts_ms'].map((name) => ({ name, data: new Array<unknown>(count) }));
  for (let k = 0; k < count; k++) {
    const e = envelope(from + k);
    cols[0].data[k] = e.before && hyRowValue(e.before);
    cols[1].data[k] = hyRowValue(e.after);
    cols[2].data[k] = e.source;
    cols[3].data[k] = e.op;
    cols[4].data[k] = e.ts_ms;
  }
  return cols;
}

function writeHyparquet(shape: Shape, n: number): Uint8Array {
  const writer = new ByteWriter();
  const pq = new HyparquetWriter({ writer, schema: hySchema(shape), codec: 'SNAPPY' });
  for (let from = 0; from < n; from += ROW_GROUP) {
    const count = Math.min(ROW_GROUP, n - from);
    pq.write({ columnData: hyparquetColumns(shape, from, count) as never, rowGroupSize: count });
  }
  pq.finish();
  return writer.getBytes();
}

// ---------- parquet-wasm (Arrow tables) ----------

function arrowRowType(): arrow.Struct {
  return new arrow.Struct([
    new arrow.Field('id', new arrow.Int64(), false),
    new arrow.Field('customer_id', new arrow.Int32(), false),
    new arrow.Field('name', new arrow.Utf8(), true),
    new arrow.Field('amount', new arrow.Decimal(2, 12, 128), true),
    new arrow.Field('quantity', new arrow.Int16(), false),
    new arrow.Field('order_date', new arrow.DateDay(), false),
    new arrow.Field('order_time', new arrow.TimeMillisecond(), false),
    new arrow.Field('created_at', new arrow.TimestampMillisecond('UTC'), false),
    new arrow.Field('updated_at', new arrow.Int64(), false),
    new arrow.Field('active', new arrow.Bool(), false),
    new arrow.Field('payload', new arrow.Binary(), true),
    new arrow.Field('score', new arrow.Float64(), true),
  ]);
}

function arrowDecimal(v: bigint | null): Uint32Array | null {
  if (v === null) return null;
  const u = BigInt.asUintN(128, v);
  return new Uint32Array([
    Number(u & 0xffffffffn),
    Number((u >> 32n) & 0xffffffffn),
    Number((u >> 64n) & 0xffffffffn),
    Number((u >> 96n) & 0xffffffffn),
  ]);
}

function arrowRowValue(r: OrderRow): Record<string, unknown> {
  return {
    ...r,
    amount: arrowDecimal(r.amount),
    order_time: r.order_time.getTime(),
    created_at: r.created_at.getTime(),
  };
}

function arrowSchema(shape: Shape): arrow.Schema {
  const row = arrowRowType();
  if (shape === 'unwrapped') return new arrow.Schema(row.children);
  const source = new arrow.Struct([
    ...['version', 'connector', 'name', 'db', 'schema', 'table'].map(
      (n) => new arrow.Field(n, new arrow.Utf8(), false),
    ),
    new arrow.Field('ts_ms', new arrow.Int64(), false),
    new arrow.Field('lsn', new arrow.Int64(), true),
  ]);
  return new arrow.Schema([
    new arrow.Field('before', row, true),
    new arrow.Field('after', row, true),
    new arrow.Field('source', source, false),
    new arrow.Field('op', new arrow.Utf8(), false),
    new arrow.Field('ts_ms', new arrow.Int64(), true),
  ]);
}

function writeParquetWasm(shape: Shape, n: number): Uint8Array {
  const schema = arrowSchema(shape);
  const batches: arrow.RecordBatch[] = [];
  for (let from = 0; from < n; from += ROW_GROUP) {
    const count = Math.min(ROW_GROUP, n - from);
    const builders = schema.fields.map((f) => arrow.makeBuilder({ type: f.type, nullValues: [null, undefined] }));
    for (let k = 0; k < count; k++) {
      if (shape === 'unwrapped') {
        const r = arrowRowValue(orderRow(from + k));
        for (let c = 0; c < builders.length; c++) builders[c].append(r[schema.fields[c].name]);
      } else {
        const e = envelope(from + k);
        builders[0].append(e.before && arrowRowValue(e.before));
        builders[1].append(arrowRowValue(e.after));
        builders[2].append(e.source);
        builders[3].append(e.op);
        builders[4].append(e.ts_ms);
      }
    }
    const data = builders.map((b) => b.finish().flush());
    const struct = arrow.makeData({
      type: new arrow.Struct(schema.fields),
      length: count,
      nullCount: 0,
      children: data,
    });
    batches.push(new arrow.RecordBatch(schema, struct));
  }
  const ipc = arrow.tableToIPC(new arrow.Table(schema, batches), 'stream');
  const table = parquetWasm.Table.fromIPCStream(ipc);
  const props = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setMaxRowGroupSize(ROW_GROUP)
    .build();
  return parquetWasm.writeParquet(table, props);
}

// ---------- @dsnp/parquetjs ----------

function parquetjsRowFields(): Record<string, unknown> {
  return {
    id: { type: 'INT64' },
    customer_id: { type: 'INT32' },
    name: { type: 'UTF8', optional: true },
    amount: { type: 'DECIMAL', precision: 12, scale: 2, optional: true },
    quantity: { type: 'INT32' },
    order_date: { type: 'DATE' },
    order_time: { type: 'TIME_MILLIS' },
    created_at: { type: 'TIMESTAMP_MILLIS' },
    updated_at: { type: 'INT64' },
    active: { type: 'BOOLEAN' },
    payload: { type: 'BYTE_ARRAY', optional: true },
    score: { type: 'DOUBLE', optional: true },
  };
}

function parquetjsRowValue(r: OrderRow): Record<string, unknown> {
  // parquetjs scales a DECIMAL through float64 (value * 10^scale, floored): it takes a number
  const out: Record<string, unknown> = {
    ...r,
    amount: r.amount === null ? null : Number(r.amount) / 100,
    order_time: r.order_time.getTime(),
  };
  for (const k of Object.keys(out)) if (out[k] === null) delete out[k];
  return out;
}

async function writeParquetjs(shape: Shape, n: number): Promise<Uint8Array> {
  const row = parquetjsRowFields();
  const schema = new parquetjs.ParquetSchema(
    (shape === 'unwrapped'
      ? row
      : {
          before: { optional: true, fields: row },
          after: { optional: true, fields: row },
          source: {
            fields: {
              version: { type: 'UTF8' },
              connector: { type: 'UTF8' },
              name: { type: 'UTF8' },
              db: { type: 'UTF8' },
              schema: { type: 'UTF8' },
              table: { type: 'UTF8' },
              ts_ms: { type: 'INT64' },
              lsn: { type: 'INT64', optional: true },
            },
          },
          op: { type: 'UTF8' },
          ts_ms: { type: 'INT64', optional: true },
        }) as never,
  );
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  const writer = await parquetjs.ParquetWriter.openStream(
    schema,
    sink as never,
    { rowGroupSize: ROW_GROUP, compression: 'SNAPPY' } as never,
  );
  for (let i = 0; i < n; i++) {
    if (shape === 'unwrapped') await writer.appendRow(parquetjsRowValue(orderRow(i)));
    else {
      const e = envelope(i);
      const rowValue: Record<string, unknown> = {
        after: parquetjsRowValue(e.after),
        source: e.source,
        op: e.op,
        ts_ms: e.ts_ms,
      };
      if (e.before) rowValue.before = parquetjsRowValue(e.before);
      await writer.appendRow(rowValue);
    }
  }
  await writer.close();
  return Buffer.concat(chunks);
}

type Shape = 'unwrapped' | 'envelope';
type Candidate = 'hyparquet-writer' | 'parquet-wasm' | '@dsnp/parquetjs';

const WRITERS: Record<Candidate, (shape: Shape, n: number) => Uint8Array | Promise<Uint8Array>> = {
  'hyparquet-writer': writeHyparquet,
  'parquet-wasm': writeParquetWasm,
  '@dsnp/parquetjs': writeParquetjs,
};

/** Rows a reader gives back for hyparquet's file, in comparable form. */
function comparable(v: unknown): unknown {
  if (v instanceof Date) return `date:${v.getTime()}`;
  if (typeof v === 'bigint') return `${v}`;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (typeof v === 'number') return `${v}`;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, comparable(x)]));
  return v ?? null;
}

/** The values every reader should give for row i of the unwrapped shape. */
function expectedRow(r: OrderRow): Record<string, unknown> {
  return comparable({
    ...r,
    amount: r.amount === null ? null : Number(r.amount) / 100,
    order_date: r.order_date,
    order_time: r.order_time.getTime(),
  }) as Record<string, unknown>;
}

interface Coverage {
  [type: string]: string;
}

/** Writes 1,000 unwrapped + envelope rows with each writer and checks annotations and values with hyparquet. */
async function coverage(candidate: Candidate): Promise<Coverage> {
  const out: Coverage = {};
  const n = 1000;
  let flat: Uint8Array;
  let nested: Uint8Array;
  try {
    flat = await WRITERS[candidate]('unwrapped', n);
    nested = await WRITERS[candidate]('envelope', n);
  } catch (e) {
    return { all: `write failed: ${(e as Error).message}` };
  }
  const buf = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  const meta = parquetMetadata(buf(flat));
  const elements = new Map(meta.schema.map((e) => [e.name, e]));
  const rows = (await parquetReadObjects({ file: buf(flat), utf8: false })) as Record<string, unknown>[];
  const expected = Array.from({ length: n }, (_v, i) => expectedRow(orderRow(i)));
  const check = (field: string, annotation: (e: SchemaElement) => boolean, label: string) => {
    const e = elements.get(field)!;
    if (!annotation(e as SchemaElement)) {
      out[label] =
        `annotation: ${JSON.stringify({ type: e.type, converted: e.converted_type, logical: e.logical_type })}`;
      return;
    }
    for (let i = 0; i < n; i++) {
      const got = comparable(rows[i][field]);
      if (JSON.stringify(got) !== JSON.stringify(expected[i][field])) {
        out[label] = `row ${i}: got ${JSON.stringify(got)} want ${JSON.stringify(expected[i][field])}`;
        return;
      }
    }
    out[label] = 'ok';
  };
  check('amount', (e) => e.converted_type === 'DECIMAL' && e.precision === 12 && e.scale === 2, 'Decimal(12,2)');
  check(
    'order_date',
    (e) => e.type === 'INT32' && (e.converted_type === 'DATE' || e.logical_type?.type === 'DATE'),
    'Date',
  );
  check(
    'order_time',
    (e) =>
      e.type === 'INT32' &&
      (e.converted_type === 'TIME_MILLIS' || (e.logical_type?.type === 'TIME' && e.logical_type.unit === 'MILLIS')),
    'Time millis',
  );
  check(
    'created_at',
    (e) =>
      e.type === 'INT64' &&
      (e.converted_type === 'TIMESTAMP_MILLIS' ||
        (e.logical_type?.type === 'TIMESTAMP' && e.logical_type.unit === 'MILLIS')),
    'Timestamp millis',
  );
  check('id', (e) => e.type === 'INT64', 'int64 > 2^53 exact');
  check('payload', (e) => e.type === 'BYTE_ARRAY' && !e.converted_type, 'bytes (optional)');
  check('name', (e) => e.repetition_type === 'OPTIONAL', 'optional string');
  const nestedRows = (await parquetReadObjects({ file: buf(nested), utf8: false })) as Record<string, unknown>[];
  const nestedSchema = parquetSchema(parquetMetadata(buf(nested)));
  let nestedOk =
    nestedSchema.children.map((c) => c.element.name).join(',') === 'before,after,source,op,ts_ms'
      ? 'ok'
      : 'schema differs';
  for (let i = 0; i < n && nestedOk === 'ok'; i++) {
    const e = envelope(i);
    const got = nestedRows[i] as {
      before: Record<string, unknown> | null;
      after: Record<string, unknown>;
      source: Record<string, unknown>;
    };
    const gotBefore = got.before === null || got.before === undefined ? null : JSON.stringify(comparable(got.before));
    if (
      JSON.stringify(comparable(got.after)) !== JSON.stringify(expectedRow(e.after)) ||
      gotBefore !== (e.before ? JSON.stringify(expectedRow(e.before)) : null) ||
      `${got.source.lsn}` !== `${e.source.lsn}`
    ) {
      nestedOk = `row ${i}: got ${JSON.stringify(comparable(got)).slice(0, 600)}`;
    }
  }
  out['nested struct (envelope)'] = nestedOk;
  return out;
}

/** PARQUET_WRITERS=<candidate,…> and PARQUET_SHAPES=unwrapped|envelope narrow a run (the results file then holds only those). */
export async function runParquetWritersBench(
  opts: { records?: number; candidates?: string[]; shapes?: string[] } = {},
): Promise<object> {
  const n = opts.records ?? 1_000_000;
  const candidates = opts.candidates ?? process.env.PARQUET_WRITERS?.split(',') ?? Object.keys(WRITERS);
  const shapes = opts.shapes ?? process.env.PARQUET_SHAPES?.split(',') ?? ['unwrapped', 'envelope'];
  const results: Record<string, unknown> = {};
  for (const candidate of candidates as Candidate[]) {
    if (!WRITERS[candidate])
      throw new Error(`Unknown Parquet writer ${candidate}; candidates: ${Object.keys(WRITERS).join(', ')}`);
    const perShape: Record<string, unknown> = {};
    for (const shape of shapes as Shape[]) {
      try {
        const t0 = process.hrtime.bigint();
        const bytes = await WRITERS[candidate](shape, n);
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        perShape[shape] = {
          seconds: +s.toFixed(2),
          recordsPerSec: Math.round(n / s),
          outputMBPerSec: +(bytes.length / s / 1e6).toFixed(1),
          fileMB: +(bytes.length / 1e6).toFixed(1),
        };
      } catch (e) {
        perShape[shape] = { error: (e as Error).message };
      }
      process.stderr.write(`parquet-writers ${candidate} ${shape}: ${JSON.stringify(perShape[shape])}\n`);
    }
    perShape.coverage = await coverage(candidate);
    process.stderr.write(`parquet-writers ${candidate} coverage: ${JSON.stringify(perShape.coverage)}\n`);
    results[candidate] = perShape;
  }
  const result = { records: n, rowGroupRows: ROW_GROUP, codec: 'SNAPPY', shapes, candidates: results };
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'parquet-writers.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}
