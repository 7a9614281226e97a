/**
 * Records/s through the Avro and Protobuf converters (Confluent wire format, schemas cached after
 * the first record) next to JsonConverter (schemas.enable=true) in the same run, serializing and
 * deserializing a 20-field Debezium envelope. The registry is an in-process mock: after the first
 * record no converter talks to it, so this measures conversion, not HTTP.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaBuilder, Schemas, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { BigDecimal, Decimal, ConnectTimestamp } from '../runtime/data/logical.ts';
import type { Converter } from '../runtime/spi/converter.ts';
import { JsonConverter } from '../runtime/converters/json-converter.ts';
import { AvroConverter } from '../runtime/converters/avro/avro-converter.ts';
import { ProtobufConverter } from '../runtime/converters/protobuf/protobuf-converter.ts';
import { MockRegistryServer } from '../runtime/schema-registry/testing/mock-registry-server.ts';

function envelope(): { schema: Schema; values: Struct[] } {
  const b = SchemaBuilder.struct().name('bench.public.orders.Value').optional();
  for (let i = 0; i < 20; i++) {
    const kind = i % 5;
    b.field(
      `f${i}`,
      kind === 0
        ? Schemas.INT64
        : kind === 1
          ? Schemas.OPTIONAL_STRING
          : kind === 2
            ? Decimal.builder(2).optional().build()
            : kind === 3
              ? ConnectTimestamp.builder().optional().build()
              : Schemas.OPTIONAL_BOOLEAN,
    );
  }
  const row = b.build();
  const source = SchemaBuilder.struct()
    .name('io.debezium.connector.postgresql.Source')
    .field('connector', Schemas.STRING)
    .field('ts_ms', Schemas.INT64)
    .field('lsn', Schemas.OPTIONAL_INT64)
    .build();
  const schema = SchemaBuilder.struct()
    .name('bench.public.orders.Envelope')
    .field('before', row)
    .field('after', row)
    .field('source', source)
    .field('op', Schemas.STRING)
    .field('ts_ms', Schemas.OPTIONAL_INT64)
    .build();
  const values = Array.from({ length: 1000 }, (_v, i) => {
    const s = new Struct(row);
    for (let f = 0; f < 20; f++) {
      const kind = f % 5;
      s.put(
        `f${f}`,
        kind === 0
          ? i * 20 + f
          : kind === 1
            ? `value-${i}-${f}`
            : kind === 2
              ? new BigDecimal(BigInt(i * 100 + f), 2)
              : kind === 3
                ? new Date(1_700_000_000_000 + i)
                : i % 2 === 0,
      );
    }
    return new Struct(schema)
      .put('after', s)
      .put('op', 'c')
      .put('ts_ms', 1_700_000_000_000)
      .put(
        'source',
        new Struct(source).put('connector', 'postgresql').put('ts_ms', 1_700_000_000_000).put('lsn', 1234),
      );
  });
  return { schema, values };
}

async function measure(
  converter: Converter,
  schema: Schema,
  values: Struct[],
  n: number,
): Promise<{ serializePerSec: number; deserializePerSec: number; bytesPerRecord: number }> {
  // The first record registers the schema (async); every later one is served from the caches.
  const warm = await converter.fromConnectData('bench.public.orders', schema, values[0]);
  await converter.toConnectData('bench.public.orders', warm);
  const encoded: Buffer[] = [];
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    let b = converter.fromConnectData('bench.public.orders', schema, values[i % values.length]);
    if (b instanceof Promise) b = await b;
    bytes += b!.length;
    if (i < values.length) encoded.push(b!);
  }
  const ser = Number(process.hrtime.bigint() - t0) / 1e9;
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = converter.toConnectData('bench.public.orders', encoded[i % encoded.length]);
    if (r instanceof Promise) await r;
  }
  const de = Number(process.hrtime.bigint() - t1) / 1e9;
  return {
    serializePerSec: Math.round(n / ser),
    deserializePerSec: Math.round(n / de),
    bytesPerRecord: Math.round(bytes / n),
  };
}

export async function runRegistryConverterBench(opts: { records?: number } = {}): Promise<object> {
  const n = opts.records ?? 100_000;
  const { schema, values } = envelope();
  const registry = new MockRegistryServer();
  const url = await registry.start();
  try {
    const json = new JsonConverter();
    json.configure({ 'schemas.enable': 'true' }, false);
    const avro = new AvroConverter();
    avro.configure({ 'schema.registry.url': url }, false);
    const proto = new ProtobufConverter();
    proto.configure({ 'schema.registry.url': url, 'optional.for.nullables': 'true' }, false);
    const result = {
      records: n,
      record: '20-field Debezium envelope (before null, after set, source, op, ts_ms)',
      avro: await measure(avro, schema, values, n),
      protobuf: await measure(proto, schema, values, n),
      json: await measure(json, schema, values, n),
    };
    process.stderr.write(
      `registry converters (records/s serialize / deserialize, bytes): Avro ${result.avro.serializePerSec.toLocaleString()} / ${result.avro.deserializePerSec.toLocaleString()}, ${result.avro.bytesPerRecord} B; Protobuf ${result.protobuf.serializePerSec.toLocaleString()} / ${result.protobuf.deserializePerSec.toLocaleString()}, ${result.protobuf.bytesPerRecord} B; JsonConverter ${result.json.serializePerSec.toLocaleString()} / ${result.json.deserializePerSec.toLocaleString()}, ${result.json.bytesPerRecord} B\n`,
    );
    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'registry-converters.json'), JSON.stringify(result, null, 2) + '\n');
    return result;
  } finally {
    await registry.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await runRegistryConverterBench({ records: Number(process.env.BENCH_RECORDS ?? 50_000) });
}
